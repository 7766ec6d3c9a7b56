"""The JSON export of sessions: full fidelity, so that it imports back to an identical session."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..core.records import DecisionRecord, EvidenceSpan, SessionRecord, SuggestionRecord, TurnRecord

FORMAT = "bei-assistant/sessions"
VERSION = 1


def dumps(records: Sequence[SessionRecord]) -> str:
    data = {"format": FORMAT, "version": VERSION, "sessions": [session_to_dict(r) for r in records]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def is_export(data: object) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def session_to_dict(r: SessionRecord) -> dict[str, Any]:
    return {
        "id": r.id, "candidate": r.candidate, "role": r.role, "grade": r.grade, "bank": r.bank,
        "interviewer": r.interviewer, "status": r.status, "started_at": _time(r.started_at),
        "ended_at": _time(r.ended_at), "rules_version": r.rules_version, "note": r.note,
        "turns": [_turn_to_dict(t) for t in r.turns],
    }


def _turn_to_dict(t: TurnRecord) -> dict[str, Any]:
    return {
        "order": t.order, "question_id": t.question_id, "question": t.question, "answer": t.answer,
        "note": t.note, "asked_at": _time(t.asked_at), "answered_at": _time(t.answered_at),
        "flags": list(t.flags), "star": dict(t.star),
        "suggestions": [{"competency": s.competency, "level": s.level, "confidence": s.confidence,
                         "evidence": [e.to_dict() for e in s.evidence], "rules_version": s.rules_version,
                         "engine_version": s.engine_version} for s in t.suggestions],
        "decisions": [{"coder": d.coder, "competency": d.competency, "decision": d.decision, "level": d.level,
                       "new_competency": d.new_competency, "start": d.start, "end": d.end, "memo": d.memo,
                       "stage": d.stage, "decided_at": _time(d.decided_at)} for d in t.decisions],
    }


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def session_from_dict(data: dict[str, Any]) -> SessionRecord:
    """The inverse of ``session_to_dict``; raises KeyError/ValueError/TypeError on damaged data."""
    return SessionRecord(
        id=None, candidate=str(data["candidate"]), role=str(data["role"]), grade=str(data["grade"]),
        bank=str(data.get("bank", "")), interviewer=str(data.get("interviewer") or ""),
        status=str(data.get("status", "open")), started_at=_parse_time(data.get("started_at")),
        ended_at=_parse_time(data.get("ended_at")), rules_version=str(data.get("rules_version", "")),
        note=str(data.get("note", "")),
        turns=[_turn_from_dict(t, i) for i, t in enumerate(data.get("turns", []), 1)],
    )


def _turn_from_dict(t: dict[str, Any], position: int) -> TurnRecord:
    return TurnRecord(
        order=int(t.get("order", position)), question=str(t.get("question", "")), answer=str(t["answer"]),
        question_id=str(t.get("question_id", "")), note=str(t.get("note", "")),
        asked_at=_parse_time(t.get("asked_at")), answered_at=_parse_time(t.get("answered_at")),
        flags=[str(f) for f in t.get("flags", [])], star={str(k): bool(v) for k, v in t.get("star", {}).items()},
        suggestions=[SuggestionRecord(str(s["competency"]), int(s["level"]), float(s.get("confidence", 0.0)),
                                      [EvidenceSpan.from_dict(e) for e in s.get("evidence", [])],
                                      str(s.get("rules_version", "")), str(s.get("engine_version", "")))
                     for s in t.get("suggestions", [])],
        decisions=[DecisionRecord(str(d["coder"]), str(d["competency"]), str(d["decision"]),
                                  _int(d.get("level")), d.get("new_competency"), _int(d.get("start")),
                                  _int(d.get("end")), str(d.get("memo") or ""), str(d.get("stage", "code")),
                                  _parse_time(d.get("decided_at")))
                   for d in t.get("decisions", [])],
    )


def _int(value: object) -> int | None:
    return None if value is None or value == "" else int(value)  # type: ignore[call-overload]
