# Strata configuration for the Sequelize example: the models folder is the source (detected
# because its files require "sequelize"). The `local` env (embedded SQLite) is the default;
# the others run against the servers of a development machine:
#   strata -chdir=examples/sequelize plan -env=postgres
#   strata -chdir=examples/sequelize plan -env=mysql

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
