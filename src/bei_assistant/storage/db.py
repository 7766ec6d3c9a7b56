"""The database: URL, engine factory, schema migrations and file permissions.

No engine exists at import time; ``open_database`` builds one when a command needs it.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from ..io.paths import sessions_dir
from .errors import StorageError

DEFAULT_FILE = "bei.sqlite3"
HEAD = "0002"  # the newest migration; a test checks it against storage/migrations
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(given: str | None = None) -> str:
    """``--db``, else ``BEI_DATABASE_URL``, else the SQLite file under ``sessions/``."""
    chosen = given or os.environ.get("BEI_DATABASE_URL")
    return chosen or f"sqlite:///{sessions_dir() / DEFAULT_FILE}"


def normalise_url(url: str) -> URL:
    """Accept URLs as users write them: ``postgresql://user@host/db`` uses psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # a bare path is taken as an SQLite file
        if "://" in url:
            raise StorageError(f"not a database URL: {url}") from None
        parsed = make_url(f"sqlite:///{Path(url).expanduser()}")
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise StorageError(f"unsupported database {parsed.drivername!r}: use sqlite:///FILE or postgresql://…")
    return parsed


def shown(url: URL) -> str:
    """The URL as users write it, without a password."""
    return url.render_as_string(hide_password=True).replace("postgresql+psycopg://", "postgresql://", 1)


def make_engine(url: str) -> Engine:
    parsed = normalise_url(url)
    if parsed.drivername.startswith("sqlite"):
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        _private_file(Path(url.database))
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "secure_delete=ON",
                       "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # take the write lock at the start: a reader that later writes never fails on a stale snapshot
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite opens it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise StorageError(f"{path}: cannot create the database: {exc.strerror or exc}") from None


def open_database(url: str | None = None, migrate: bool = True) -> Engine:
    """An engine on the chosen database, its schema brought up to date."""
    chosen = database_url(url)
    engine = make_engine(chosen)
    try:
        if migrate:
            upgrade(engine)
        else:
            with engine.connect():
                pass
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(f"{shown(engine.url)}: {_reason(exc)}") from None
    return engine


def _reason(exc: SQLAlchemyError) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        first = str(exc.orig).strip().splitlines()
        return "cannot use the database: " + (first[0] if first else type(exc.orig).__name__)
    return f"cannot use the database: {exc}".splitlines()[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in place (a no-op when it is there already)."""
    if revision in ("head", HEAD) and current_revision(engine) == HEAD:
        return
    from alembic import command  # imported only when a migration has to run

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def alembic_config(connection: object = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
