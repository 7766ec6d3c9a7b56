"""A session as plain data: what storage loads, what review, scoring and every exporter read.

Nothing here knows the database; ``bei_assistant.storage`` turns its rows into these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .result import CodeSuggestion, CodingResult, Evidence

DECISIONS = ("accept", "reject", "change", "add")
STAGE_CODE = "code"  # a coder's independent coding
STAGE_RECONCILE = "reconcile"  # settling the coders' disagreements: these become final


@dataclass
class EvidenceSpan:
    start: int
    end: int
    text: str
    matched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "matched": list(self.matched)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceSpan:
        return cls(int(data["start"]), int(data["end"]), str(data.get("text", "")),
                   [str(m) for m in data.get("matched", [])])


@dataclass
class SuggestionRecord:
    competency: str
    level: int
    confidence: float
    evidence: list[EvidenceSpan] = field(default_factory=list)
    rules_version: str = ""
    engine_version: str = ""

    @property
    def span(self) -> tuple[int, int]:
        """The stretch of the answer that all evidence spans cover."""
        if not self.evidence:
            return 0, 0
        return min(e.start for e in self.evidence), max(e.end for e in self.evidence)


@dataclass
class DecisionRecord:
    coder: str
    competency: str
    decision: str  # one of DECISIONS
    level: int | None = None  # the resulting level (for accept: the level accepted)
    new_competency: str | None = None  # change of competency
    start: int | None = None
    end: int | None = None
    memo: str = ""
    stage: str = STAGE_CODE
    decided_at: datetime | None = None

    @property
    def result_competency(self) -> str:
        return self.new_competency or self.competency


@dataclass
class TurnRecord:
    order: int  # 1-based within the session
    question: str
    answer: str
    question_id: str = ""
    note: str = ""
    asked_at: datetime | None = None
    answered_at: datetime | None = None
    flags: list[str] = field(default_factory=list)
    star: dict[str, bool] = field(default_factory=dict)
    suggestions: list[SuggestionRecord] = field(default_factory=list)
    decisions: list[DecisionRecord] = field(default_factory=list)

    def suggestion(self, competency: str) -> SuggestionRecord | None:
        return next((s for s in self.suggestions if s.competency == competency), None)


@dataclass
class SessionRecord:
    id: int | None
    candidate: str
    role: str
    grade: str
    bank: str = ""
    interviewer: str = ""
    status: str = "open"
    started_at: datetime | None = None
    ended_at: datetime | None = None
    rules_version: str = ""
    note: str = ""
    turns: list[TurnRecord] = field(default_factory=list)

    def turn(self, order: int) -> TurnRecord | None:
        return next((t for t in self.turns if t.order == order), None)

    @property
    def coders(self) -> list[str]:
        """Coders in the order they first decided (reconcilers included)."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            for d in turn.decisions:
                seen.setdefault(d.coder, None)
        return list(seen)

    def independent_coders(self) -> list[str]:
        seen: dict[str, None] = {}
        for turn in self.turns:
            for d in turn.decisions:
                if d.stage == STAGE_CODE:
                    seen.setdefault(d.coder, None)
        return list(seen)


def suggestions_of(result: CodingResult, rules_version: str, engine_version: str) -> list[SuggestionRecord]:
    """The engine's codes of one answer, as they are stored."""
    return [SuggestionRecord(c.competency, c.level, c.confidence,
                             [EvidenceSpan(e.start, e.end, e.text, list(e.matched)) for e in c.evidence],
                             rules_version, engine_version)
            for c in result.codes]


def result_of(turn: TurnRecord) -> CodingResult:
    """A stored turn's coding as the engine gave it (for resuming an interview)."""
    codes = [CodeSuggestion(s.competency, s.level, s.confidence,
                            [Evidence(e.start, e.end, e.text, list(e.matched)) for e in s.evidence])
             for s in turn.suggestions]
    return CodingResult(str(turn.order), codes, list(turn.flags), dict(turn.star))
