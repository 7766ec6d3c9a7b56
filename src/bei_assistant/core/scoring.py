"""Scores of a session against the target profile of its role and grade.

A competency's level is the highest level its final codes show (the BEI convention: the
candidate has shown they can act at that level). Unreviewed suggestions count, and are counted
apart so that a report can say how much of a score no coder has confirmed yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .model import Profiles
from .review import DISPUTED, UNREVIEWED, FinalCode


@dataclass
class CompetencyScore:
    competency: str
    frequency: int  # turns that show it
    max_level: int | None
    mean_level: float | None
    unreviewed: int  # of those, suggestions no coder has decided
    disputed: int  # turns where coders disagree on it (not counted above)
    target: int | None
    weight: float

    @property
    def gap(self) -> int | None:
        """Level shown minus the target: negative is below the profile."""
        return None if self.target is None else (self.max_level or 0) - self.target

    def to_dict(self) -> dict:
        data = asdict(self)
        data["gap"] = self.gap
        data["mean_level"] = None if self.mean_level is None else round(self.mean_level, 2)
        return data


@dataclass
class SessionScore:
    role: str
    grade: str
    rows: list[CompetencyScore]
    overall: float  # weighted fit to the target, 0–100
    meets_grade: str | None  # highest grade whose every target is reached
    grade_fit: dict[str, float] = field(default_factory=dict)  # grade -> weighted fit 0–100
    unreviewed: int = 0
    disputed: int = 0

    @property
    def gaps(self) -> list[CompetencyScore]:
        """Competencies below target, the largest gap (then the heaviest weight) first."""
        below = [r for r in self.rows if r.gap is not None and r.gap < 0]
        return sorted(below, key=lambda r: (r.gap or 0, -r.weight))

    def to_dict(self) -> dict:
        return {
            "role": self.role, "grade": self.grade, "overall": round(self.overall, 1),
            "meets_grade": self.meets_grade,
            "grade_fit": {g: round(v, 1) for g, v in self.grade_fit.items()},
            "unreviewed": self.unreviewed, "disputed": self.disputed,
            "competencies": [r.to_dict() for r in self.rows],
            "gaps": [r.competency for r in self.gaps],
        }


def score(codes: Sequence[FinalCode], profiles: Profiles, role: str, grade: str,
          competencies: Sequence[str]) -> SessionScore:
    role_id = profiles.role_id(role) or role
    targets = profiles.targets.get(role_id, {})
    weights = profiles.weights.get(role_id, {})
    target = targets.get(grade, {})
    rows = [_row(comp, codes, target.get(comp), weights.get(comp, 1.0)) for comp in competencies]
    shown = {r.competency: r.max_level or 0 for r in rows}
    fit = {g: _fit(shown, t, weights) for g, t in targets.items()}
    met = [g for g in profiles.grades if g in targets and _meets(shown, targets[g])]
    return SessionScore(
        role=role_id, grade=grade, rows=rows,
        overall=_fit(shown, target, weights) if target else 0.0,
        meets_grade=met[-1] if met else None,
        grade_fit={g: fit[g] for g in profiles.grades if g in fit},
        unreviewed=sum(r.unreviewed for r in rows), disputed=sum(r.disputed for r in rows),
    )


def _row(comp: str, codes: Sequence[FinalCode], target: int | None, weight: float) -> CompetencyScore:
    mine = [c for c in codes if c.competency == comp and c.status != DISPUTED and c.level is not None]
    levels = [c.level for c in mine if c.level is not None]
    return CompetencyScore(
        competency=comp, frequency=len(mine), max_level=max(levels) if levels else None,
        mean_level=sum(levels) / len(levels) if levels else None,
        unreviewed=sum(c.status == UNREVIEWED for c in mine),
        disputed=sum(c.competency == comp and c.status == DISPUTED for c in codes),
        target=target, weight=weight,
    )


def _fit(shown: dict[str, int], target: dict[str, int], weights: dict[str, float]) -> float:
    """Weighted share of the target reached: each competency counts up to its target, no further."""
    total = sum(weights.get(c, 1.0) for c in target)
    if not total:
        return 0.0
    reached = sum(weights.get(c, 1.0) * min(shown.get(c, 0), lv) / lv for c, lv in target.items() if lv)
    return 100.0 * reached / total


def _meets(shown: dict[str, int], target: dict[str, int]) -> bool:
    return all(shown.get(c, 0) >= lv for c, lv in target.items())


@dataclass
class Ranked:
    session: int
    candidate: str
    grade: str
    score: SessionScore


def rank(scored: Sequence[Ranked]) -> list[Ranked]:
    """Candidates of one role, best first: the highest grade met, then the fit to the role's top
    grade, one yardstick for all whatever grade each applied for."""
    def order(r: Ranked) -> tuple:
        grades = list(r.score.grade_fit)
        met = grades.index(r.score.meets_grade) if r.score.meets_grade in grades else -1
        top = r.score.grade_fit[grades[-1]] if grades else 0.0
        return (-met, -top, r.candidate)

    return sorted(scored, key=order)
