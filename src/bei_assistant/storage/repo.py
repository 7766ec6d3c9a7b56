"""Repository functions: each takes the database session as its first argument.

The callers decide where a transaction ends (``session.commit()``), so that saving an answer
and its suggestions is one commit, and nothing half-saved is ever visible.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ..core.records import (
    DecisionRecord,
    EvidenceSpan,
    SessionRecord,
    SuggestionRecord,
    TurnRecord,
    suggestions_of,
)
from ..core.result import CodingResult
from .errors import NotFound
from .models import Candidate, Coder, Decision, Interviewer, InterviewSession, Meta, Suggestion, Turn, now

# -- people --------------------------------------------------------------------------------

def candidate_named(db: Session, name: str) -> Candidate:
    """The candidate of that name, created on first use."""
    found = db.exec(select(Candidate).where(Candidate.name == name).order_by(col(Candidate.id))).first()
    if found is None:
        found = Candidate(name=name)
        db.add(found)
        db.flush()
    return found


def candidates_matching(db: Session, who: str) -> list[Candidate]:
    """Candidates by id (a number) or by exact name."""
    if who.isdigit():
        found = db.get(Candidate, int(who))
        return [found] if found else []
    return list(db.exec(select(Candidate).where(Candidate.name == who).order_by(col(Candidate.id))))


def interviewer_named(db: Session, name: str) -> Interviewer:
    return _named(db, Interviewer, name)


def coder_named(db: Session, name: str) -> Coder:
    return _named(db, Coder, name)


def _named(db: Session, table: type[Interviewer] | type[Coder], name: str):  # type: ignore[no-untyped-def]
    """The row of that (unique) name, created on first use."""
    found = db.exec(select(table).where(table.name == name)).first()
    if found is None:
        found = table(name=name)
        db.add(found)
        db.flush()
    return found


# -- sessions and turns --------------------------------------------------------------------

def create_session(db: Session, candidate: str, role: str, grade: str, bank: str = "",
                   interviewer: str = "", rules_version: str = "", note: str = "",
                   started_at: datetime | None = None) -> InterviewSession:
    row = InterviewSession(
        candidate_id=_id(candidate_named(db, candidate)),
        interviewer_id=_id(interviewer_named(db, interviewer)) if interviewer else None,
        role=role, grade=grade, bank=bank, rules_version=rules_version, note=note,
        started_at=started_at or now(),
    )
    db.add(row)
    db.flush()
    return row


def _id(row: Candidate | Interviewer | Coder | InterviewSession | Turn) -> int:
    assert row.id is not None  # flushed rows have ids
    return row.id


def get_session(db: Session, session_id: int) -> InterviewSession:
    found = db.get(InterviewSession, session_id)
    if found is None:
        raise NotFound(f"no session {session_id}")
    return found


def turns_of(db: Session, session_id: int) -> list[Turn]:
    return list(db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.order))))


def get_turn(db: Session, session_id: int, order: int) -> Turn:
    found = db.exec(select(Turn).where(Turn.session_id == session_id, Turn.order == order)).first()
    if found is None:
        raise NotFound(f"session {session_id} has no turn {order}")
    return found


def next_order(db: Session, session_id: int) -> int:
    last = db.exec(select(func.max(Turn.order)).where(Turn.session_id == session_id)).one()
    return (last or 0) + 1


def add_turn(db: Session, session_id: int, question: str, answer: str, result: CodingResult | None,
             rules_version: str = "", engine_version: str = "", question_id: str = "", note: str = "",
             asked_at: datetime | None = None, answered_at: datetime | None = None) -> Turn:
    """A new turn at the end of the session with the engine's suggestions for it."""
    turn = Turn(session_id=session_id, order=next_order(db, session_id), question=question, answer=answer,
                question_id=question_id, note=note, asked_at=asked_at, answered_at=answered_at or now())
    db.add(turn)
    db.flush()
    if result is not None:
        store_result(db, turn, result, rules_version, engine_version)
    return turn


def store_result(db: Session, turn: Turn, result: CodingResult, rules_version: str, engine_version: str) -> None:
    """Replace the turn's suggestions with a new coding; coders' decisions are left as they are."""
    db.exec(delete(Suggestion).where(col(Suggestion.turn_id) == turn.id))  # type: ignore[call-overload]
    turn.flags = list(result.flags)
    turn.star = dict(result.star)
    db.add(turn)
    add_suggestions(db, turn, suggestions_of(result, rules_version, engine_version))


def add_suggestions(db: Session, turn: Turn, suggestions: Sequence[SuggestionRecord]) -> None:
    for s in suggestions:
        start, end = s.span
        db.add(Suggestion(
            turn_id=_id(turn), competency=s.competency, level=s.level, confidence=s.confidence, start=start,
            end=end, evidence=[e.to_dict() for e in s.evidence], rules_version=s.rules_version,
            engine_version=s.engine_version,
        ))


def add_decision(db: Session, turn: Turn, coder: str, record: DecisionRecord) -> Decision:
    row = Decision(
        turn_id=_id(turn), coder_id=_id(coder_named(db, coder)), competency=record.competency,
        decision=record.decision, level=record.level, new_competency=record.new_competency,
        start=record.start, end=record.end, memo=record.memo, stage=record.stage,
        decided_at=record.decided_at or now(),
    )
    db.add(row)
    return row


def set_draft(db: Session, session_id: int, draft: str) -> None:
    row = get_session(db, session_id)
    row.draft = draft
    db.add(row)


def finish(db: Session, session_id: int, ended_at: datetime | None = None) -> None:
    row = get_session(db, session_id)
    row.status = "finished"
    row.ended_at = ended_at or now()
    db.add(row)


# -- reading a whole session as plain data -------------------------------------------------

def load_record(db: Session, session_id: int) -> SessionRecord:
    row = get_session(db, session_id)
    turns = turns_of(db, session_id)
    ids = [t.id for t in turns]
    suggestions: dict[int, list[SuggestionRecord]] = defaultdict(list)
    for s in db.exec(select(Suggestion).where(col(Suggestion.turn_id).in_(ids)).order_by(col(Suggestion.id))):
        suggestions[s.turn_id].append(SuggestionRecord(
            s.competency, s.level, s.confidence, [EvidenceSpan.from_dict(e) for e in s.evidence],
            s.rules_version, s.engine_version))
    decisions: dict[int, list[DecisionRecord]] = defaultdict(list)
    query = (select(Decision, Coder.name).join(Coder, col(Coder.id) == Decision.coder_id)
             .where(col(Decision.turn_id).in_(ids)).order_by(col(Decision.id)))
    for d, coder in db.exec(query):
        decisions[d.turn_id].append(DecisionRecord(
            coder, d.competency, d.decision, d.level, d.new_competency, d.start, d.end, d.memo, d.stage,
            _utc(d.decided_at)))
    candidate = db.get(Candidate, row.candidate_id)
    interviewer = db.get(Interviewer, row.interviewer_id) if row.interviewer_id else None
    return SessionRecord(
        id=row.id, candidate=candidate.name if candidate else "", role=row.role, grade=row.grade, bank=row.bank,
        interviewer=interviewer.name if interviewer else "", status=row.status,
        started_at=_utc(row.started_at), ended_at=_utc(row.ended_at), rules_version=row.rules_version,
        note=row.note,
        turns=[TurnRecord(
            order=t.order, question=t.question, answer=t.answer, question_id=t.question_id, note=t.note,
            asked_at=_utc(t.asked_at), answered_at=_utc(t.answered_at), flags=list(t.flags), star=dict(t.star),
            suggestions=suggestions.get(t.id or 0, []), decisions=decisions.get(t.id or 0, []),
        ) for t in turns],
    )


def _utc(value: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; everything stored is UTC
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass
class SessionSummary:
    id: int
    candidate: str
    role: str
    grade: str
    bank: str
    interviewer: str
    status: str
    started_at: datetime | None
    turns: int

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        return data


def list_sessions(db: Session, role: str | None = None, candidate: str | None = None,
                  status: str | None = None, limit: int | None = None) -> list[SessionSummary]:
    counts = (select(Turn.session_id, func.count().label("n")).group_by(col(Turn.session_id)).subquery())
    query = (select(InterviewSession, Candidate.name, Interviewer.name, counts.c.n)
             .join(Candidate, col(Candidate.id) == InterviewSession.candidate_id)
             .join(Interviewer, col(Interviewer.id) == InterviewSession.interviewer_id, isouter=True)
             .join(counts, counts.c.session_id == InterviewSession.id, isouter=True)
             .order_by(col(InterviewSession.id)))
    if role:
        query = query.where(InterviewSession.role == role)
    if candidate:
        query = query.where(col(Candidate.name).contains(candidate))
    if status:
        query = query.where(InterviewSession.status == status)
    if limit:
        query = query.limit(limit)
    return [SessionSummary(s.id or 0, cand, s.role, s.grade, s.bank, interviewer or "", s.status,
                           _utc(s.started_at), n or 0)
            for s, cand, interviewer, n in db.exec(query)]


def session_ids(db: Session, role: str | None = None) -> list[int]:
    query = select(InterviewSession.id).order_by(col(InterviewSession.id))
    if role:
        query = query.where(InterviewSession.role == role)
    return [i for i in db.exec(query) if i is not None]


# -- deleting a person ---------------------------------------------------------------------

@dataclass
class Removed:
    candidate: str
    sessions: int
    turns: int
    suggestions: int
    decisions: int


def delete_candidate(db: Session, candidate: Candidate) -> Removed:
    """Delete the candidate and everything about them (sessions, turns, codes, decisions)."""
    sessions = [s.id for s in db.exec(select(InterviewSession).where(InterviewSession.candidate_id == candidate.id))]
    turns = list(db.exec(select(Turn.id).where(col(Turn.session_id).in_(sessions))))
    removed = Removed(
        candidate=candidate.name, sessions=len(sessions), turns=len(turns),
        suggestions=_count(db, Suggestion, turns), decisions=_count(db, Decision, turns),
    )
    # explicit deletes, children first: correct even where a backend ignores ON DELETE CASCADE
    for table in (Decision, Suggestion):
        db.exec(delete(table).where(col(table.turn_id).in_(turns)))  # type: ignore[call-overload]
    db.exec(delete(Turn).where(col(Turn.session_id).in_(sessions)))  # type: ignore[call-overload]
    db.exec(delete(InterviewSession).where(col(InterviewSession.id).in_(sessions)))  # type: ignore[call-overload]
    db.delete(candidate)
    return removed


def _count(db: Session, table: type[Suggestion] | type[Decision], turns: Sequence[int | None]) -> int:
    return db.exec(select(func.count()).select_from(table).where(col(table.turn_id).in_(turns))).one()


# -- settings ------------------------------------------------------------------------------

def secret(db: Session, key: str = "pseudonym-secret") -> str:
    """A random secret kept in the database (made on first use), behind stable pseudonyms."""
    found = db.get(Meta, key)
    if found is None:
        found = Meta(key=key, value=secrets.token_hex(16))
        db.add(found)
        db.flush()
    return found.value
