"""Schema versioning: the migrations build what the models describe, and upgrade old databases in place."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from bei_assistant import sessions as svc
from bei_assistant.storage import models  # noqa: F401  (registers the tables)
from bei_assistant.storage.db import HEAD, alembic_config, current_revision, make_engine, open_database, upgrade


def test_head_constant_is_the_newest_migration():
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_migrations_match_the_models(db):
    with db.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []


def test_a_database_of_the_first_release_is_upgraded_in_place(db_url):
    old = make_engine(db_url)
    upgrade(old, "0001")
    assert current_revision(old) == "0001"
    assert "draft" not in {c["name"] for c in inspect(old).get_columns("interview_session")}
    with old.begin() as conn:
        conn.execute(text("INSERT INTO candidate (id, name, created_at) VALUES (1, '王五', '2025-01-02 03:04:05')"))
        conn.execute(text(
            "INSERT INTO interview_session (id, candidate_id, role, grade, bank, status, started_at, rules_version, note)"
            " VALUES (1, 1, 'retail', '初级', 'retail', 'open', '2025-01-02 03:04:05', 'v0', '')"))
        conn.execute(text(
            "INSERT INTO turn (id, session_id, \"order\", question_id, question, answer, note, answered_at, flags, star)"
            " VALUES (1, 1, 1, '', '问题', '我去了客户那里。', '', '2025-01-02 03:05:00', '[]', '{}')"))
    old.dispose()

    engine = open_database(db_url)  # what a new release does when it starts
    assert current_revision(engine) == HEAD
    record = svc.load(engine, 1)
    assert (record.candidate, record.role, record.turns[0].answer) == ("王五", "retail", "我去了客户那里。")
    svc.save_draft(engine, 1, "还没说完的回答")  # the new column works on the old rows
    with engine.connect() as conn:
        assert conn.execute(text("SELECT draft FROM interview_session WHERE id = 1")).scalar() == "还没说完的回答"
    engine.dispose()


def test_opening_twice_does_not_migrate_again(db_url):
    open_database(db_url).dispose()
    engine = open_database(db_url)
    assert current_revision(engine) == HEAD
    engine.dispose()
