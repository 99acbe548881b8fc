# Strata configuration for the Doctrine example: PHP 8 entities in src/Entity are the source of
# truth (read statically, no PHP needed). The `local` env (embedded SQLite) is the default; the
# others run against the servers of a development machine:
#   strata -chdir=examples/doctrine plan -env=postgres
#   strata -chdir=examples/doctrine plan -env=mysql
# The DDL is Doctrine ORM 3 / DBAL 4's; src = "file://src/Entity?doctrine_version=2" reproduces ORM 2 /
# DBAL 3, and ?naming_strategy=underscore the underscore naming strategy.

env "local" {
  url = "sqlite://app.db"
  src = "file://src/Entity"
}

env "postgres" {
  url = "postgres://postgres@127.0.0.1:5432/test?search_path=public"
  src = "file://src/Entity"
}

env "mysql" {
  url = "mysql://root@127.0.0.1:3306/test"
  src = "file://src/Entity"
}
