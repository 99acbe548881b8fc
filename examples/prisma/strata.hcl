# Strata configuration for the Prisma example: the desired schema is prisma/schema.prisma,
# read as Prisma Migrate would create it for each database. The `local` env (embedded SQLite)
# is the default; the others run against the servers of a development machine:
#   strata -chdir=examples/prisma plan -env=postgres
#   strata -chdir=examples/prisma plan -env=mysql
# (The datasource says "sqlite"; on the other envs Strata warns and reads the schema as
# Prisma would for that database.)

env "local" {
  url = "sqlite://app.db"
  src = "file://prisma/schema.prisma"
}

env "postgres" {
  url = "postgres://postgres@127.0.0.1:5432/test?search_path=public"
  src = "file://prisma/schema.prisma"
}

env "mysql" {
  url = "mysql://root@127.0.0.1:3306/test"
  src = "file://prisma/schema.prisma"
}
