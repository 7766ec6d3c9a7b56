"""The tables of the sessions database (SQLModel).

Schema changes go through Alembic (``storage/migrations``); a test checks that these models and
the migrations describe the same schema. Deleting a candidate cascades to everything about them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


def _parent(table: str, nullable: bool = False, on_delete: str = "CASCADE") -> Any:
    return Field(default=None, sa_column=Column(Integer, ForeignKey(f"{table}.id", ondelete=on_delete),
                                                nullable=nullable, index=True))


class Meta(SQLModel, table=True):
    """Settings of this database, such as the secret behind stable pseudonyms."""

    key: str = Field(primary_key=True, max_length=64)
    value: str


class Candidate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=200)
    created_at: datetime = Field(default_factory=now)


class Interviewer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)


class Coder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)


class InterviewSession(SQLModel, table=True):
    __tablename__ = "interview_session"

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = _parent("candidate")
    interviewer_id: int | None = _parent("interviewer", nullable=True, on_delete="SET NULL")
    role: str = Field(index=True, max_length=40)
    grade: str = Field(max_length=40)
    bank: str = Field(default="", max_length=200)
    status: str = Field(default="open", max_length=20)  # open | finished
    started_at: datetime = Field(default_factory=now)
    ended_at: datetime | None = None
    rules_version: str = Field(default="", max_length=40)
    note: str = ""
    draft: str = ""  # the answer being typed, kept so that a crash loses nothing


class Turn(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "order", name="uq_turn_order"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _parent("interview_session")
    order: int  # 1-based within the session
    question_id: str = Field(default="", max_length=80)
    question: str = ""
    answer: str = ""
    note: str = ""
    asked_at: datetime | None = None
    answered_at: datetime = Field(default_factory=now)
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    star: dict[str, bool] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Suggestion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = _parent("turn")
    competency: str = Field(max_length=16)
    level: int
    confidence: float
    start: int  # the stretch all evidence covers, for queries; the spans are in ``evidence``
    end: int
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rules_version: str = Field(default="", max_length=40)
    engine_version: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=now)


class Decision(SQLModel, table=True):
    """A coder's decision; append-only, so concurrent coders never overwrite each other."""

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = _parent("turn")
    coder_id: int = _parent("coder")
    competency: str = Field(max_length=16)  # the suggestion decided on, or the code added
    decision: str = Field(max_length=10)  # accept | reject | change | add
    level: int | None = None
    new_competency: str | None = Field(default=None, max_length=16)
    start: int | None = None
    end: int | None = None
    memo: str = ""
    stage: str = Field(default="code", max_length=12)  # code | reconcile
    decided_at: datetime = Field(default_factory=now)
