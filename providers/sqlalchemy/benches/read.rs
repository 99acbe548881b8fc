//! Reading 500 SQLAlchemy models: 50 modules of 10 models each (typed style with foreign keys,
//! indexes, an enum and a mixin), `load` timed over several runs.
//! Run with `cargo bench -p strata-sqlalchemy`.
//!
//! With `STRATA_BENCH_MODELS=DIR` the models are written to DIR and kept, for
//! `bench/peers/orm_read_time.py` to time the ORM importing them and emitting their DDL
//! (`bench/peers/orm_read_time.sh` runs both; see bench/README.md).

#[path = "support/models_dir.rs"]
mod support;

use std::fmt::Write;
use std::time::{Duration, Instant};
use strata_schema::{Dialect, Provider};
use strata_sqlalchemy::SqlAlchemy;

const MODULES: usize = 50;
const MODELS_PER_MODULE: usize = 10;
const RUNS: usize = 15;

fn module(m: usize) -> String {
    let mut text = String::from(
        "import datetime\nimport enum\nfrom typing import Optional\n\
         from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint, func\n\
         from sqlalchemy.orm import Mapped, mapped_column, relationship\n\
         from base import Base, Stamped\n\n",
    );
    for i in 0..MODELS_PER_MODULE {
        let n = m * MODELS_PER_MODULE + i;
        let parent = if n == 0 {
            String::new()
        } else {
            format!(
                "    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey(\"t{}.id\", ondelete=\"CASCADE\"), index=True)\n",
                n - 1
            )
        };
        let _ = write!(
            text,
            "class State{n}(enum.Enum):\n    NEW = \"new\"\n    DONE = \"done\"\n\n\n\
             class M{n}(Stamped, Base):\n    __tablename__ = \"t{n}\"\n    \
             __table_args__ = (UniqueConstraint(\"code\", \"name\", name=\"uq_t{n}_code_name\"),)\n\n    \
             id: Mapped[int] = mapped_column(primary_key=True)\n    \
             code: Mapped[str] = mapped_column(String(20), unique=True)\n    \
             name: Mapped[str] = mapped_column(String(200), index=True)\n    \
             note: Mapped[Optional[str]] = mapped_column(String(500))\n    \
             price: Mapped[float] = mapped_column(Numeric(10, 2), server_default=\"0\")\n    \
             state: Mapped[State{n}]\n    \
             seen: Mapped[Optional[datetime.datetime]] = mapped_column(server_default=func.now())\n\
             {parent}\n\n"
        );
    }
    text
}

fn main() {
    let (_temp, dir) = support::models_dir();
    std::fs::write(
        dir.join("base.py"),
        "import datetime\nfrom typing import Optional\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\
         class Base(DeclarativeBase):\n    pass\n\n\
         class Stamped:\n    created: Mapped[Optional[datetime.datetime]]\n",
    )
    .expect("write base");
    for m in 0..MODULES {
        std::fs::write(dir.join(format!("models_{m}.py")), module(m)).expect("write module");
    }
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let loaded = SqlAlchemy
            .load(&dir, Dialect::Postgres, "public")
            .unwrap_or_else(|e| panic!("load failed: {e}"));
        times.push(start.elapsed());
        assert_eq!(loaded.database.table_count(), MODULES * MODELS_PER_MODULE);
    }
    times.sort();
    println!(
        "sqlalchemy: read {} models ({} modules), {RUNS} runs: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        MODULES * MODELS_PER_MODULE,
        MODULES + 1,
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3,
    );
}
