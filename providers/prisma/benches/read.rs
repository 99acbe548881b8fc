//! Reading a 500-model schema: generates models with scalar fields, native types, enums,
//! indexes and relations into a temporary folder and prints median / min / max of `load`
//! over several runs, per dialect. Run with `cargo bench -p strata-prisma`.

use std::fmt::Write;
use std::time::{Duration, Instant};
use strata_prisma::Prisma;
use strata_schema::{Dialect, Provider};

const MODELS: usize = 500;
const RUNS: usize = 15;

fn schema() -> String {
    let mut s = String::from(
        "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n\n\
         enum Status {\n  ACTIVE\n  ARCHIVED @map(\"archived\")\n}\n\n",
    );
    for i in 0..MODELS {
        let parent = if i == 0 { MODELS - 1 } else { i - 1 };
        let _ = write!(
            s,
            "/// Model number {i}.\n\
             model Model{i} {{\n\
             \x20 id        Int      @id @default(autoincrement())\n\
             \x20 code      String   @unique @map(\"code_{i}\") @db.VarChar(40)\n\
             \x20 title     String\n\
             \x20 status    Status   @default(ACTIVE)\n\
             \x20 amount    Decimal  @default(0) @db.Decimal(10, 2)\n\
             \x20 createdAt DateTime @default(now()) @map(\"created_at\")\n\
             \x20 updatedAt DateTime @updatedAt @map(\"updated_at\")\n\
             \x20 parentId  Int?     @map(\"parent_id\")\n\
             \x20 parent    Model{parent}? @relation(\"P{i}\", fields: [parentId], references: [id], onDelete: Cascade)\n\
             \x20 children  Model{}[] @relation(\"P{}\")\n\
             \n\
             \x20 @@index([title, createdAt(sort: Desc)])\n\
             \x20 @@map(\"model_{i}\")\n\
             }}\n\n",
            (i + 1) % MODELS,
            (i + 1) % MODELS,
        );
    }
    s
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("schema.prisma");
    std::fs::write(&path, schema()).expect("write schema");
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let loaded = Prisma.load(&path, dialect, "public").expect("load");
                let elapsed = start.elapsed();
                assert_eq!(loaded.database.table_count(), MODELS);
                elapsed
            })
            .collect();
        times.sort();
        println!(
            "prisma load, {MODELS} models, {dialect}: median {:.2?}  min {:.2?}  max {:.2?}  ({RUNS} runs)",
            times[RUNS / 2],
            times[0],
            times[RUNS - 1]
        );
    }
}
