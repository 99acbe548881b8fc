# Strata configuration for the TypeORM example: the entities folder is the source (detected
# because its files import "typeorm"; a `dist/entities` folder of compiled JavaScript works the
# same). The `local` env (embedded SQLite) is the default; the others run against the servers of
# a development machine:
#   strata -chdir=examples/typeorm plan -env=postgres
#   strata -chdir=examples/typeorm plan -env=mysql

env "local" {
  url = "sqlite://app.db"
  src = "file://src/entities"
}

env "postgres" {
  url = "postgres://postgres@127.0.0.1:5432/test?search_path=public"
  src = "file://src/entities"
}

env "mysql" {
  url = "mysql://root@127.0.0.1:3306/test"
  src = "file://src/entities"
}
