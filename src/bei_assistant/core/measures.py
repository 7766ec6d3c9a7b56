"""The agreement measures of BEI studies, on (answer, competency, level) triples."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

Codes = Mapping[str, Mapping[str, int]]  # answer id -> competency -> level


def _ca(t1: set, t2: set) -> float:
    total = len(t1) + len(t2)
    return 2 * len(t1 & t2) / total if total else 1.0


@dataclass
class Measures:
    answers: int
    ca: float
    competency_ca: float
    level_agreement: float
    level_within_one: float
    false_codes_on_empty: float
    empty_answers: int
    per_competency: dict[str, dict[str, float]] = field(default_factory=dict)
    level_confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # "gold" -> "proposed" -> n

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def measure(gold: Codes, proposed: Codes) -> Measures:
    ids = list(gold)
    t1 = {(i, c, lv) for i in ids for c, lv in gold[i].items()}
    t2 = {(i, c, lv) for i in ids for c, lv in proposed.get(i, {}).items()}
    p1 = {x[:2] for x in t1}
    p2 = {x[:2] for x in t2}
    both = sorted(p1 & p2)
    same = sum(gold[i][c] == proposed[i][c] for i, c in both)
    near = sum(abs(gold[i][c] - proposed[i][c]) <= 1 for i, c in both)
    empty = [i for i in ids if not gold[i]]
    confusion: dict[str, Counter] = {}
    for i, c in both:
        confusion.setdefault(str(gold[i][c]), Counter())[str(proposed[i][c])] += 1
    return Measures(
        answers=len(ids),
        ca=_ca(t1, t2),
        competency_ca=_ca(p1, p2),
        level_agreement=same / len(both) if both else 0.0,
        level_within_one=near / len(both) if both else 0.0,
        false_codes_on_empty=sum(bool(proposed.get(i)) for i in empty) / len(empty) if empty else 0.0,
        empty_answers=len(empty),
        per_competency=_per_competency(t1, t2, p1, p2),
        level_confusion={g: dict(sorted(c.items())) for g, c in sorted(confusion.items())},
    )


def _per_competency(t1: set, t2: set, p1: set, p2: set) -> dict[str, dict[str, float]]:
    table = {}
    for comp in sorted({x[1] for x in t1 | t2}):
        g = {x for x in p1 if x[1] == comp}
        p = {x for x in p2 if x[1] == comp}
        hit = len(g & p)
        table[comp] = {
            "gold": len(g),
            "proposed": len(p),
            "precision": hit / len(p) if p else 0.0,
            "recall": hit / len(g) if g else 0.0,
            "competency_ca": _ca(g, p),
            "ca": _ca({x for x in t1 if x[1] == comp}, {x for x in t2 if x[1] == comp}),
        }
    return table
