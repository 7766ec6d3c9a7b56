"""What the engine returns for one answer, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import STAR_KEYS

# the answer flags as the reports and the UI name them
FLAG_NAMES = {"hypothetical": "假设", "generic": "泛泛而谈", "collective": "只说“我们”"}


@dataclass
class Evidence:
    start: int  # character offsets into the answer as given (end exclusive)
    end: int
    text: str
    matched: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "matched": list(self.matched)}


@dataclass
class CodeSuggestion:
    competency: str
    level: int
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 0.0
    level_support: dict[int, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "competency": self.competency,
            "level": self.level,
            "confidence": self.confidence,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class CodingResult:
    id: str | None
    codes: list[CodeSuggestion]
    flags: list[str]
    star: dict[str, bool]
    probes: list[str] = field(default_factory=list)  # what to ask next: missing STAR parts, flags
    flag_evidence: dict[str, list[Evidence]] = field(default_factory=dict)

    @property
    def missing_star(self) -> list[str]:
        return [k for k in STAR_KEYS if not self.star.get(k)]

    def to_dict(self) -> dict[str, Any]:
        """Exactly the output line of ``bei code`` (see the evaluation README)."""
        return {
            "id": self.id,
            "codes": [c.to_dict() for c in self.codes],
            "flags": list(self.flags),
            "star": dict(self.star),
        }

    def to_full_dict(self) -> dict[str, Any]:
        data = self.to_dict()
        data["probes"] = list(self.probes)
        data["flag_evidence"] = {k: [e.to_dict() for e in v] for k, v in self.flag_evidence.items()}
        return data
