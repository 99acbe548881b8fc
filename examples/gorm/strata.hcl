# Strata configuration for the GORM example: the Go package in models/ is the source of truth,
# read statically (no Go toolchain needed). The `local` env (embedded SQLite) is the default;
# the others run against the servers of a development machine:
#   strata -chdir=examples/gorm plan -env=postgres
#   strata -chdir=examples/gorm plan -env=mysql

env "local" {
  url = "sqlite://app.db"
  src = "file://models"
}

env "postgres" {
  url = "postgres://postgres@127.0.0.1:5432/test?search_path=public"
  src = "file://models"
}

env "mysql" {
  url = "mysql://root@127.0.0.1:3306/test"
  src = "file://models"
}
