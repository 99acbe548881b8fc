"""Alembic's autogenerate comparison of the benchmark's SQLAlchemy models with a live database:
the work `alembic revision --autogenerate` does (import the models, reflect, compare), without
writing a revision file.

Usage: alembic_compare.py SQLALCHEMY_URL MODELS_DIR
"""

import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

sys.path.insert(0, sys.argv[2])
import models  # noqa: E402  (the generated module, found through the path above)

engine = create_engine(sys.argv[1])
with engine.connect() as connection:
    diffs = compare_metadata(MigrationContext.configure(connection), models.Base.metadata)
print(f"{len(diffs)} differences")
