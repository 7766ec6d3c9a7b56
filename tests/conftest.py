from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Compiled engines of the tests go to a folder of their own, never the user's cache.
os.environ.setdefault("BEI_CACHE_DIR", tempfile.mkdtemp(prefix="bei-test-cache-"))

from bei_assistant.coding import build_engine
from bei_assistant.storage.db import make_engine, open_database

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def small_engine():
    """An engine on the small test rules (INFO, ACH, RB and the shipped cues)."""
    engine, problems = build_engine([FIXTURES / "rules"])
    assert not [p for p in problems if "profiles" not in str(p)], problems
    return engine


@pytest.fixture(scope="session")
def shipped_engine():
    engine, problems = build_engine(None)
    assert not problems, problems
    return engine


def codes(result) -> dict[str, int]:
    return {c.competency: c.level for c in result.codes}


# -- the storage suite: SQLite always, PostgreSQL when BEI_TEST_PG_URL is set --------------

PG_URL = os.environ.get("BEI_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="BEI_TEST_PG_URL not set"))]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sessions' / 'bei.sqlite3'}"
        return
    assert PG_URL
    schema = f"bei_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def db(db_url):
    engine = open_database(db_url)
    yield engine
    engine.dispose()
