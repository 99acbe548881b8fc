"""How long the ORM itself takes to import the read benchmark's 500 models and emit their DDL:
the figure to quote beside `cargo bench -p strata-sqlalchemy` / `-p strata-django`, which time
Strata reading the very same files (written there with STRATA_BENCH_MODELS=DIR).

usage: orm_read_time.py sqlalchemy|django MODELS_DIR [RUNS]

Every run is a fresh interpreter (a model module is imported once per process), timed from
inside: the framework itself (`sqlalchemy.orm`, `django.db.models`) is imported before the clock
starts, so what is measured is the work Strata's `load` does too — read the model modules, build
the tables, produce the DDL:
- SQLAlchemy: import every module, then `metadata.create_all` on a mock engine per dialect
  (postgresql, mysql, sqlite), which compiles each CREATE TABLE / CREATE INDEX without a server;
- Django: `django.setup()` (imports each installed app's models), then each model through the
  schema editor of a connection per backend with `collect_sql=True` (what `sqlmigrate` prints;
  nothing is executed). PostgreSQL and MariaDB connections are configured for the servers of
  README.md, since a backend may ask the server its version while rendering.

Two modes, RUNS runs each: "source" compiles the modules from source every time (no
`__pycache__`, as Strata parses source every time) and "bytecode" imports them from the `.pyc`
files a first run leaves. Printed: the median and range of import time, of DDL time per dialect
and of their sum for PostgreSQL (Strata's bench loads for PostgreSQL), plus the whole process
(interpreter start and framework import included).
"""

import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

DIALECTS = ("postgresql", "mysql", "sqlite")


class Phase:
    """Wall and CPU seconds of one phase; on a loaded machine the CPU time is the steadier."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def done(self):
        return {"wall": time.perf_counter() - self.wall, "cpu": time.process_time() - self.cpu}


def sqlalchemy_child(folder):
    """Import the models, then compile their DDL per dialect; seconds per phase."""
    import importlib

    import sqlalchemy as sa
    import sqlalchemy.orm  # noqa: F401  (the framework, before the clock starts)

    phase = Phase()
    sys.path.insert(0, str(folder))
    modules = [importlib.import_module(p.stem) for p in sorted(folder.glob("*.py"))]
    metadata = next(m.Base.metadata for m in modules if hasattr(m, "Base"))
    timings = {"import": phase.done()}
    for dialect in DIALECTS:
        phase = Phase()
        statements = []

        def collect(sql, *_args, **_kwargs):
            statements.append(str(sql.compile(dialect=engine.dialect)))

        engine = sa.create_mock_engine(f"{dialect}://", collect)
        metadata.create_all(engine, checkfirst=False)
        timings[dialect] = phase.done()
        timings[f"{dialect}_statements"] = len(statements)
    return timings


def django_child(folder):
    """`django.setup()` with the project's apps, then every model through a schema editor per
    backend; seconds per phase."""
    import django
    import django.db.models  # noqa: F401  (the framework, before the clock starts)
    from django.apps import apps
    from django.conf import settings

    sys.path.insert(0, str(folder))
    import settings as project  # the benchmark project's own settings module

    settings.configure(
        INSTALLED_APPS=project.INSTALLED_APPS,
        DEFAULT_AUTO_FIELD=project.DEFAULT_AUTO_FIELD,
        USE_TZ=True,
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
            "postgresql": {"ENGINE": "django.db.backends.postgresql", "NAME": "test",
                           "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432"},
            "mysql": {"ENGINE": "django.db.backends.mysql", "NAME": "test",
                      "USER": "root", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": "3306"},
        },
    )
    import pymysql

    pymysql.install_as_MySQLdb()
    phase = Phase()
    django.setup()
    models = [m for m in apps.get_models() if not m._meta.auto_created]
    timings = {"import": phase.done()}
    from django.db import connections

    for dialect in DIALECTS:
        alias = "default" if dialect == "sqlite" else dialect
        phase = Phase()
        with connections[alias].schema_editor(collect_sql=True, atomic=False) as editor:
            for model in models:
                editor.create_model(model)  # its auto-created many-to-many tables too
        timings[dialect] = phase.done()
        timings[f"{dialect}_statements"] = len(editor.collected_sql)
        connections[alias].close()
    return timings


CHILDREN = {"sqlalchemy": sqlalchemy_child, "django": django_child}


def run_child(orm, folder, bytecode):
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    wall, before = time.perf_counter(), os.times()
    out = subprocess.run(
        [sys.executable, __file__, "--child", orm, str(folder)],
        env=env, check=True, capture_output=True, text=True,
    ).stdout
    after = os.times()
    timings = json.loads(out)
    timings["process"] = {
        "wall": time.perf_counter() - wall,
        # CPU of the waited-for child: interpreter start and framework import included.
        "cpu": (after.children_user - before.children_user)
        + (after.children_system - before.children_system),
    }
    return timings


def clear_bytecode(folder):
    for cache in folder.rglob("__pycache__"):
        shutil.rmtree(cache)


def report(orm, mode, runs):
    def line(label, phases):
        def stats(values):
            ms = sorted(v * 1e3 for v in values)
            return f"{statistics.median(ms):7.1f} ms ({ms[0]:.0f}–{ms[-1]:.0f})"

        wall = stats(p["wall"] for p in phases)
        cpu = stats(p["cpu"] for p in phases)
        print(f"  {label:<40} wall {wall}   CPU {cpu}")

    def total(run):
        return {k: run["import"][k] + run["postgresql"][k] for k in ("wall", "cpu")}

    print(f"{orm}, {mode}, {len(runs)} runs (median, min–max):")
    line("import the models", [r["import"] for r in runs])
    for dialect in DIALECTS:
        line(f"emit DDL, {dialect} ({runs[0][dialect + '_statements']} stmts)", [r[dialect] for r in runs])
    line("import + PostgreSQL DDL", [total(r) for r in runs])
    line("whole process", [r["process"] for r in runs])


def main():
    if sys.argv[1] == "--child":
        orm, folder = sys.argv[2], pathlib.Path(sys.argv[3]).resolve()
        print(json.dumps(CHILDREN[orm](folder)))
        return
    orm, folder = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    if orm not in CHILDREN:
        sys.exit(f"unknown ORM {orm!r}: sqlalchemy or django")
    clear_bytecode(folder)
    report(orm, "from source", [run_child(orm, folder, bytecode=False) for _ in range(count)])
    run_child(orm, folder, bytecode=True)  # leaves the .pyc files
    report(orm, "from cached bytecode", [run_child(orm, folder, bytecode=True) for _ in range(count)])
    clear_bytecode(folder)


if __name__ == "__main__":
    main()
