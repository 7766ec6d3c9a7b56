"""Coders' decisions turned into codes: each coder's view, agreement, and the session's final codes.

Decisions are append-only records; a coder's latest decision on a (turn, competency) wins,
so two coders never overwrite each other and nothing a coder did is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .measures import _ca
from .records import STAGE_CODE, STAGE_RECONCILE, DecisionRecord, SessionRecord, TurnRecord

# status of a code in the session's final codes
FINAL = "final"  # the coders agree, or the only coder decided
RECONCILED = "reconciled"  # settled after a disagreement
UNREVIEWED = "unreviewed"  # the engine's suggestion, no coder has decided
DISPUTED = "disputed"  # coders disagree and nobody has reconciled yet


@dataclass
class CoderView:
    """One coder's codes on one turn: competency -> level, None where they rejected it."""

    decided: dict[str, int | None] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # where they added a code
    complete: bool = False  # every suggestion of the turn has this coder's decision

    def codes(self) -> dict[str, int]:
        return {c: lv for c, lv in self.decided.items() if lv is not None}

    def level(self, competency: str) -> int | None | str:
        """The coder's level; None for absent; ``"?"`` where the coder has not said."""
        if competency in self.decided:
            return self.decided[competency]
        return None if self.complete else "?"


def apply_decisions(turn: TurnRecord, decisions: Iterable[DecisionRecord]) -> CoderView:
    view = CoderView()
    for d in decisions:
        if d.decision == "reject":
            view.decided[d.competency] = None
        elif d.decision == "accept":
            suggested = turn.suggestion(d.competency)
            view.decided[d.competency] = d.level or (suggested.level if suggested else None)
        elif d.decision == "change":
            if d.new_competency and d.new_competency != d.competency:
                view.decided[d.competency] = None
            view.decided[d.result_competency] = d.level
        elif d.decision == "add":
            view.decided[d.competency] = d.level
            if d.start is not None and d.end is not None:
                view.spans[d.competency] = (d.start, d.end)
    view.complete = all(s.competency in view.decided for s in turn.suggestions)
    return view


def _in_order(decisions: Iterable[DecisionRecord]) -> list[DecisionRecord]:
    return sorted(decisions, key=lambda d: (d.decided_at is None, d.decided_at))


def coder_view(turn: TurnRecord, coder: str) -> CoderView:
    """A coder's independent codes on a turn; a coder who said nothing has not reviewed it."""
    mine = _in_order(d for d in turn.decisions if d.coder == coder and d.stage == STAGE_CODE)
    return apply_decisions(turn, mine) if mine else CoderView()


def reconciled_view(turn: TurnRecord) -> CoderView | None:
    """What reconciliation settled on a turn (whoever reconciled; the latest decision wins)."""
    settled = _in_order(d for d in turn.decisions if d.stage == STAGE_RECONCILE)
    return apply_decisions(turn, settled) if settled else None


def reviewed(turn: TurnRecord, coder: str) -> bool:
    """A coder has reviewed a turn when they decided on every suggestion of it (or added a code
    to a turn that had none)."""
    return coder_view(turn, coder).complete


def progress(session: SessionRecord, coder: str) -> tuple[int, int]:
    """(suggestions this coder decided, all suggestions) over the session."""
    total = decided = 0
    for turn in session.turns:
        view = coder_view(turn, coder)
        total += len(turn.suggestions)
        decided += sum(s.competency in view.decided for s in turn.suggestions)
    return decided, total


@dataclass
class FinalCode:
    turn: int
    competency: str
    level: int | None  # None only for DISPUTED codes
    status: str
    levels: dict[str, int | None] = field(default_factory=dict)  # per coder, where they disagree


def final_codes(session: SessionRecord) -> list[FinalCode]:
    """The session's codes: agreed or reconciled decisions, else the suggestions, marked unreviewed."""
    coders = session.independent_coders()
    found: list[FinalCode] = []
    for turn in session.turns:
        settled = reconciled_view(turn)
        views = {c: coder_view(turn, c) for c in coders if any(d.coder == c for d in turn.decisions)}
        comps = sorted({s.competency for s in turn.suggestions}
                         | {c for v in views.values() for c in v.decided}
                         | (set(settled.decided) if settled else set()))
        for comp in comps:
            code = _final_code(turn, comp, views, settled)
            if code is not None:
                found.append(code)
    return found


def _final_code(turn: TurnRecord, comp: str, views: dict[str, CoderView], settled: CoderView | None
                ) -> FinalCode | None:
    if settled is not None and comp in settled.decided:
        settled_level = settled.decided[comp]
        return FinalCode(turn.order, comp, settled_level, RECONCILED) if settled_level is not None else None
    said = {name: v.level(comp) for name, v in views.items()}
    known = {name: lv for name, lv in said.items() if lv != "?"}
    if not known:
        suggestion = turn.suggestion(comp)
        return FinalCode(turn.order, comp, suggestion.level, UNREVIEWED) if suggestion else None
    distinct = set(known.values())
    if len(distinct) == 1:
        level = distinct.pop()
        return FinalCode(turn.order, comp, level, FINAL) if isinstance(level, int) else None
    return FinalCode(turn.order, comp, None, DISPUTED,
                     {n: lv if isinstance(lv, int) else None for n, lv in known.items()})


# -- agreement -----------------------------------------------------------------------------

ENGINE = "engine"


@dataclass
class Disagreement:
    turn: int
    competency: str
    first: int | None
    second: int | None


@dataclass
class PairAgreement:
    first: str
    second: str
    turns: int  # turns both have reviewed
    ca: float | None  # None when they have no reviewed turn in common
    kappa: float | None  # None where it is undefined (one of them codes nothing or everything)
    level_agreement: float | None
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "first": self.first, "second": self.second, "turns": self.turns,
            "ca": None if self.ca is None else round(self.ca, 4),
            "kappa": None if self.kappa is None else round(self.kappa, 4),
            "level_agreement": None if self.level_agreement is None else round(self.level_agreement, 4),
            "disagreements": [d.__dict__ for d in self.disagreements],
        }


def code_set(session: SessionRecord, who: str, turns: Iterable[int]) -> dict[tuple[int, str], int]:
    """(turn, competency) -> level of a coder, or of the engine's suggestions."""
    wanted = set(turns)
    found = {}
    for turn in session.turns:
        if turn.order not in wanted:
            continue
        codes = {s.competency: s.level for s in turn.suggestions} if who == ENGINE else coder_view(turn, who).codes()
        found.update({(turn.order, c): lv for c, lv in codes.items()})
    return found


def compare(session: SessionRecord, first: str, second: str, competencies: Sequence[str]) -> PairAgreement:
    def done(who: str) -> set[int]:
        return {t.order for t in session.turns} if who == ENGINE else {
            t.order for t in session.turns if reviewed(t, who)}

    turns = sorted(done(first) & done(second))
    a, b = code_set(session, first, turns), code_set(session, second, turns)
    both = [k for k in a if k in b]
    items = [(t, c) for t in turns for c in sorted(set(competencies) | {k[1] for k in a} | {k[1] for k in b})]
    return PairAgreement(
        first, second, len(turns),
        ca=_ca({(*k, v) for k, v in a.items()}, {(*k, v) for k, v in b.items()}) if turns else None,
        kappa=cohen_kappa([k in a for k in items], [k in b for k in items]),
        level_agreement=sum(a[k] == b[k] for k in both) / len(both) if both else None,
        disagreements=[Disagreement(t, c, a.get((t, c)), b.get((t, c))) for t, c in items
                       if a.get((t, c)) != b.get((t, c))],
    )


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float | None:
    n = len(first)
    if not n:
        return None
    observed = sum(x == y for x, y in zip(first, second, strict=True)) / n
    p1, p2 = sum(first) / n, sum(second) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def agreement(session: SessionRecord, competencies: Sequence[str]) -> list[PairAgreement]:
    """Every pair of independent coders, then each coder against the engine."""
    coders = session.independent_coders()
    pairs = [(a, b) for i, a in enumerate(coders) for b in coders[i + 1:]]
    pairs += [(c, ENGINE) for c in coders]
    return [compare(session, a, b, competencies) for a, b in pairs]
