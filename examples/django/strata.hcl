# Strata configuration for the Django example: the project in this folder (settings.py and the
# blog app) is the desired schema. The `local` env (embedded SQLite) is the default; the others use the servers of a
# development machine:
#   strata -chdir=examples/django plan -env=postgres
#   strata -chdir=examples/django plan -env=mysql

env "local" {
  url = "sqlite://app.db"
  src = "file://."
}

env "postgres" {
  url = "postgres://postgres@127.0.0.1:5432/test?search_path=public"
  src = "file://."
}

env "mysql" {
  url = "mysql://root@127.0.0.1:3306/test"
  src = "file://."
}
