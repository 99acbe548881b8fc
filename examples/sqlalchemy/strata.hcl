# Strata configuration for the SQLAlchemy example: the models in models/ are the desired
# schema. The `local` env (embedded SQLite) is the default; the others use the servers of a
# development machine:
#   strata -chdir=examples/sqlalchemy plan -env=postgres
#   strata -chdir=examples/sqlalchemy plan -env=mysql

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
