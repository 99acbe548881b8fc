#!/bin/sh
# Strata's model-reading benchmarks beside the ORMs' own time for the same 500 models: runs
# `cargo bench -p strata-sqlalchemy` and `-p strata-django` with STRATA_BENCH_MODELS, so each
# keeps the models it generated, then orm_read_time.py times the real SQLAlchemy 2.0 and
# Django 5.2 importing those files and emitting their DDL.
#
# usage: bench/peers/orm_read_time.sh [RUNS]      (default 5 interpreter runs per mode)
# env:   STRATA_PY_VENV  the virtualenv to use or create (default /tmp/py-truth/venv)
#        STRATA_ORM_MODELS  where the models are written (default target/tmp/orm-read-time)
set -eu
cd "$(dirname "$0")/../.."
venv=${STRATA_PY_VENV:-/tmp/py-truth/venv}
models=${STRATA_ORM_MODELS:-$PWD/target/tmp/orm-read-time}
runs=${1:-5}

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q 'SQLAlchemy>=2.0,<2.1' 'Django>=5.2,<5.3' psycopg2-binary pymysql

for orm in sqlalchemy django; do
    rm -rf "${models:?}/$orm"
    STRATA_BENCH_MODELS="$models/$orm" cargo bench -q -p "strata-$orm" --bench read
    "$venv/bin/python" bench/peers/orm_read_time.py "$orm" "$models/$orm" "$runs"
done
