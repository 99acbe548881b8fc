# Strata configuration for the SQL example. The `local` env (embedded SQLite) is the default;
# the others run against the servers of a development machine:
#   strata -chdir=examples/sql plan -env=postgres
#   strata -chdir=examples/sql plan -env=mysql

env "local" {
  url = "sqlite://app.db"
  src = "file://schema.sql"
}

env "postgres" {
  url = "postgres://postgres@127.0.0.1:5432/test?search_path=public"
  src = "file://schema.sql"
}

env "mysql" {
  url = "mysql://root@127.0.0.1:3306/test"
  src = "file://schema.sql"
}
