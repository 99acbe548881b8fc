//! Reading 500 Django models: a project of 10 apps with 50 model classes each (25 with char,
//! decimal, datetime, positive-integer fields, a foreign key, a many-to-many, Meta indexes and
//! constraints; 25 small tag models), `load` timed over several runs. Run with `cargo bench -p strata-django`.
//!
//! With `STRATA_BENCH_MODELS=DIR` the models are written to DIR and kept, for
//! `bench/peers/orm_read_time.py` to time the ORM importing them and emitting their DDL
//! (`bench/peers/orm_read_time.sh` runs both; see bench/README.md).

#[path = "../../sqlalchemy/benches/support/models_dir.rs"]
mod support;

use std::fmt::Write;
use std::time::{Duration, Instant};
use strata_django::Django;
use strata_schema::{Dialect, Provider};

const APPS: usize = 10;
/// Pairs of (model, tag model) per app.
const PAIRS_PER_APP: usize = 25;
const RUNS: usize = 15;

fn models(app: usize) -> String {
    let mut text = String::from("from django.db import models\nfrom django.db.models import Q\n\n");
    for i in 0..PAIRS_PER_APP {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(
                "    parent = models.ForeignKey(\"M{}\", null=True, on_delete=models.CASCADE)\n",
                i - 1
            )
        };
        let _ = write!(
            text,
            "\nclass M{i}(models.Model):\n    \
             code = models.CharField(max_length=20, unique=True)\n    \
             name = models.CharField(max_length=200, db_index=True)\n    \
             note = models.TextField(null=True, blank=True)\n    \
             price = models.DecimalField(max_digits=10, decimal_places=2, default=0)\n    \
             created = models.DateTimeField(auto_now_add=True)\n    \
             stock = models.PositiveIntegerField(default=0)\n\
             {parent}    tags = models.ManyToManyField(\"app{app}.Tag{i}\", blank=True)\n\n    \
             class Meta:\n        \
             indexes = [models.Index(fields=[\"name\", \"-created\"])]\n        \
             constraints = [models.CheckConstraint(condition=Q(price__gte=0), name=\"app{app}_m{i}_price\")]\n\n\n\
             class Tag{i}(models.Model):\n    label = models.CharField(max_length=40)\n",
        );
    }
    text
}

fn main() {
    let (_temp, dir) = support::models_dir();
    let apps: Vec<String> = (0..APPS).map(|a| format!("\"app{a}\"")).collect();
    std::fs::write(
        dir.join("settings.py"),
        format!(
            "INSTALLED_APPS = [{}]\nDEFAULT_AUTO_FIELD = \"django.db.models.BigAutoField\"\n",
            apps.join(", ")
        ),
    )
    .expect("write settings");
    for a in 0..APPS {
        let app = dir.join(format!("app{a}"));
        std::fs::create_dir_all(&app).expect("app dir");
        std::fs::write(app.join("__init__.py"), "").expect("write init");
        std::fs::write(app.join("models.py"), models(a)).expect("write models");
    }
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let loaded = Django
            .load(&dir, Dialect::Postgres, "public")
            .unwrap_or_else(|e| panic!("load failed: {e}"));
        times.push(start.elapsed());
        // Each pair is a model, its tag model and their many-to-many table.
        assert_eq!(loaded.database.table_count(), APPS * PAIRS_PER_APP * 3);
    }
    times.sort();
    println!(
        "django: read {} models ({APPS} apps), {RUNS} runs: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        APPS * PAIRS_PER_APP * 2,
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3,
    );
}
