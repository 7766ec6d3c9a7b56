"""Session services: the coding engine and the database composed.

The CLI and the terminal UI call these; each function that writes commits before it returns,
so what it reports as saved is durable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine as Database
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from . import __version__
from .core.engine import Engine
from .core.model import RuleSet
from .core.records import DECISIONS, STAGE_CODE, DecisionRecord, SessionRecord, TurnRecord
from .core.result import CodingResult
from .core.review import FinalCode, final_codes
from .core.scoring import Ranked, SessionScore, rank, score
from .io.decisions import DecisionInput
from .io.transcripts import Transcript, TurnInput
from .io.yamlfile import Problem
from .storage import repo
from .storage.models import Turn

ENGINE_VERSION = __version__


@dataclass
class SessionDetails:
    candidate: str
    role: str
    grade: str
    bank: str = ""
    interviewer: str = ""
    note: str = ""


def start_session(db: Database, details: SessionDetails, rules_version: str = "") -> int:
    with Session(db) as s:
        row = repo.create_session(s, details.candidate, details.role, details.grade, details.bank,
                                  details.interviewer, rules_version, details.note)
        s.commit()
        assert row.id is not None
        return row.id


@dataclass
class Saved:
    order: int  # the turn's 1-based place in the session
    result: CodingResult | None


def save_answer(db: Database, engine: Engine | None, session_id: int, question: str, answer: str,
                note: str = "", question_id: str = "", asked_at: datetime | None = None) -> Saved:
    """Code the answer and commit it with its suggestions."""
    result = engine.code(answer, question or None) if engine else None
    version = engine.rules.version if engine else ""
    with Session(db) as s:
        turn = repo.add_turn(s, session_id, question, answer, result, version, ENGINE_VERSION,
                             question_id=question_id, note=note, asked_at=asked_at)
        s.commit()
        return Saved(turn.order, result)


def set_note(db: Database, session_id: int, order: int, note: str) -> None:
    with Session(db) as s:
        turn = repo.get_turn(s, session_id, order)
        turn.note = note
        s.add(turn)
        s.commit()


def draft_of(db: Database, session_id: int) -> str:
    with Session(db) as s:
        return repo.get_session(s, session_id).draft


def save_draft(db: Database, session_id: int, draft: str) -> None:
    with Session(db) as s:
        repo.set_draft(s, session_id, draft)
        s.commit()


def finish_session(db: Database, session_id: int) -> None:
    with Session(db) as s:
        repo.finish(s, session_id)
        s.commit()


def load(db: Database, session_id: int) -> SessionRecord:
    with Session(db) as s:
        return repo.load_record(s, session_id)


def load_many(db: Database, ids: Sequence[int]) -> list[SessionRecord]:
    with Session(db) as s:
        return [repo.load_record(s, i) for i in ids]


def list_sessions(db: Database, role: str | None = None, candidate: str | None = None,
                  status: str | None = None, limit: int | None = None) -> list[repo.SessionSummary]:
    with Session(db) as s:
        return repo.list_sessions(s, role, candidate, status, limit)


def session_ids(db: Database, role: str | None = None, only: int | None = None) -> list[int]:
    """Every session's id (of one role), or just ``only`` once it is known to exist."""
    with Session(db) as s:
        if only is not None:
            repo.get_session(s, only)
            return [only]
        return repo.session_ids(s, role)


def recode(db: Database, engine: Engine, session_id: int) -> int:
    """Code every answer again with these rules; coders' decisions are kept. Returns turns recoded."""
    with Session(db) as s:
        repo.get_session(s, session_id)
        turns = repo.turns_of(s, session_id)
        for turn in turns:
            result = engine.code(turn.answer, turn.question or None)
            repo.store_result(s, turn, result, engine.rules.version, ENGINE_VERSION)
        row = repo.get_session(s, session_id)
        row.rules_version = engine.rules.version
        s.add(row)
        s.commit()
        return len(turns)


# -- import ----------------------------------------------------------------------------------

@dataclass
class Imported:
    session_ids: list[int] = field(default_factory=list)
    turns: int = 0
    problems: list[Problem] = field(default_factory=list)


def import_turns(db: Database, engine: Engine | None, details: SessionDetails, turns: Sequence[TurnInput],
                 saved: Callable[[int], None] | None = None) -> int:
    """A new session from outside turns, each coded and committed on its own."""
    session_id = start_session(db, details, engine.rules.version if engine else "")
    for turn in turns:
        done = save_answer(db, engine, session_id, turn.question, turn.answer, turn.note)
        if saved:
            saved(done.order)
    finish_session(db, session_id)
    return session_id


def import_record(db: Database, record: SessionRecord) -> int:
    """A session of a JSON export, stored as it was: its codes and decisions, not coded again."""
    with Session(db) as s:
        row = repo.create_session(s, record.candidate, record.role, record.grade, record.bank, record.interviewer,
                                  record.rules_version, record.note, record.started_at)
        row.status, row.ended_at = record.status, record.ended_at
        assert row.id is not None
        for t in record.turns:
            turn = Turn(session_id=row.id, order=t.order, question=t.question, answer=t.answer,
                        question_id=t.question_id, note=t.note, asked_at=t.asked_at, flags=list(t.flags),
                        star=dict(t.star))
            if t.answered_at:
                turn.answered_at = t.answered_at
            s.add(turn)
            s.flush()
            repo.add_suggestions(s, turn, t.suggestions)
            for d in t.decisions:
                repo.add_decision(s, turn, d.coder, d)
        s.commit()
        return row.id


def import_transcript(db: Database, engine: Engine | None, transcript: Transcript, defaults: SessionDetails,
                      saved: Callable[[int], None] | None = None) -> Imported:
    found = Imported(problems=list(transcript.problems))
    for record in transcript.exported:
        found.session_ids.append(import_record(db, record))
        found.turns += len(record.turns)
    if transcript.turns:
        # options given on the command line win over what the file says
        details = SessionDetails(**{k: v or transcript.details.get(k, "") for k, v in defaults.__dict__.items()})
        found.session_ids.append(import_turns(db, engine, details, transcript.turns, saved))
        found.turns += len(transcript.turns)
    return found


# -- review ----------------------------------------------------------------------------------

def apply_decisions(db: Database, session_id: int, coder: str, inputs: Sequence[DecisionInput], source: str,
                    known: set[str], stage: str = STAGE_CODE) -> tuple[int, list[Problem]]:
    """Store a coder's decisions; a decision that does not fit the session is reported and skipped."""
    for attempt in range(3):
        try:
            return _apply(db, session_id, coder, inputs, source, known, stage)
        except (IntegrityError, OperationalError):
            # another coder created the same coder row, or held the lock too long: try again
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _apply(db: Database, session_id: int, coder: str, inputs: Sequence[DecisionInput], source: str,
           known: set[str], stage: str) -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    applied = 0
    with Session(db) as s:
        record = repo.load_record(s, session_id)
        turns = {t.order: t for t in repo.turns_of(s, session_id)}
        for item in inputs:
            problem = _check(item, record, session_id, known)
            if problem:
                problems.append(Problem(source, item.line, problem))
                continue
            turn_record = record.turn(item.turn)
            level = item.level
            if item.decision == "accept" and level is None and turn_record:
                suggestion = turn_record.suggestion(item.competency)
                level = suggestion.level if suggestion else None
            repo.add_decision(s, turns[item.turn], coder, DecisionRecord(
                coder, item.competency, _kind(item, turn_record), level, item.new_competency, item.start,
                item.end, item.memo, stage))
            applied += 1
        s.commit()
    return applied, problems


def _kind(item: DecisionInput, turn: TurnRecord | None) -> str:
    # an accept whose level the coder edited in the sheet is a change
    if item.decision == "accept" and turn is not None and item.level is not None:
        suggestion = turn.suggestion(item.competency)
        if suggestion and suggestion.level != item.level:
            return "change"
    return item.decision


def _check(item: DecisionInput, record: SessionRecord, session_id: int, known: set[str]) -> str | None:
    if item.session is not None and item.session != session_id:
        return f"row of session {item.session}, not {session_id} (skipped)"
    turn = record.turn(item.turn)
    if turn is None:
        return f"session {session_id} has no turn {item.turn}"
    for comp in filter(None, (item.competency, item.new_competency)):
        if comp not in known:
            return f"unknown competency {comp!r}"
    if item.decision not in DECISIONS:
        return f"unknown decision {item.decision!r}"
    if item.decision in ("accept", "reject", "change") and turn.suggestion(item.competency) is None and not any(
            d.result_competency == item.competency for d in turn.decisions):
        return f"turn {item.turn} has no code {item.competency} to {item.decision}"
    if item.end is not None and item.end > len(turn.answer):
        return f"end {item.end} is past the answer's {len(turn.answer)} characters"
    return None


# -- scoring ---------------------------------------------------------------------------------

@dataclass
class Scored:
    record: SessionRecord
    codes: list[FinalCode]
    score: SessionScore


def score_record(record: SessionRecord, rules: RuleSet) -> Scored:
    codes = final_codes(record)
    return Scored(record, codes, score(codes, rules.profiles, record.role, record.grade, list(rules.competencies)))


def compare_role(db: Database, rules: RuleSet, role: str) -> list[Ranked]:
    role_id = rules.profiles.role_id(role) or role
    with Session(db) as s:
        records = [repo.load_record(s, i) for i in repo.session_ids(s, role_id)]
    return rank([Ranked(r.id or 0, r.candidate, r.grade, score_record(r, rules).score) for r in records])


def pseudonym_secret(db: Database) -> str:
    with Session(db) as s:
        value = repo.secret(s)
        s.commit()
        return value


# -- deleting a person -----------------------------------------------------------------------

def delete_candidate(db: Database, who: str) -> list[repo.Removed]:
    """Delete a candidate (id or exact name) and everything about them, then scrub the free space."""
    with Session(db) as s:
        found = repo.candidates_matching(s, who)
        if not found:
            raise repo.NotFound(f"no candidate {who!r}")
        removed = [repo.delete_candidate(s, c) for c in found]
        s.commit()
    _scrub(db)
    return removed


def _scrub(db: Database) -> None:
    """Make deleted rows unrecoverable from the files (secure_delete zeroes SQLite's free pages)."""
    if db.dialect.name == "sqlite":
        raw = db.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        return
    with db.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("decision", "suggestion", "turn", "interview_session", "candidate"):
            conn.execute(text(f"VACUUM FULL {table}"))  # rewrites the table: the deleted rows are gone
