"""Alembic's environment: migrations run on the connection that ``storage.db`` hands over."""

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

from bei_assistant.storage import models  # noqa: F401  (registers the tables)

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic command line with a URL
    from bei_assistant.storage.db import database_url, make_engine

    connection = make_engine(context.config.get_main_option("sqlalchemy.url") or database_url()).connect()

if connection.dialect.name == "postgresql":
    # two processes opening a new database at once: one migrates, the other waits
    connection.execute(text("SELECT pg_advisory_xact_lock(4242)"))

context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
