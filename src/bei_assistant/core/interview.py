"""The course of an interview through a question bank, as plain data.

The interview screen shows what this says; it never decides the script itself. The position
is rebuilt from the stored turns, so a resumed session continues exactly where it stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .bank import PROBE_NAMES, Bank, EventQuestion, ScriptItem
from .model import STAR_KEYS, Cues
from .result import CodingResult

PROBE_MARK = "#probe-"  # question ids of probes: "<event id>#probe-<key>"
OWN_MARK = "#own"  # a question the interviewer typed


@dataclass
class Step:
    """One thing the assistant says: a script line, a question, or the end."""

    id: str
    text: str
    stage: str  # opening | warmup | event | closing
    event: EventQuestion | None = None
    competencies: list[str] = field(default_factory=list)
    minutes: float = 0.0

    @property
    def expects_answer(self) -> bool:
        return self.stage != "opening"


def steps_of(bank: Bank) -> list[Step]:
    def script(items: Sequence[ScriptItem], stage: str) -> list[Step]:
        return [Step(i.id, i.text, stage, None, list(i.competencies), i.minutes) for i in items]

    events = [Step(e.id, e.text, "event", e, list(e.competencies), e.minutes) for e in bank.events]
    return [*script(bank.opening, "opening"), *script(bank.warmup, "warmup"), *events,
            *script(bank.closing, "closing")]


@dataclass
class AnswerSeen:
    question_id: str
    result: CodingResult


@dataclass
class Interview:
    """Where the interview stands in the bank and what the current event has shown so far."""

    bank: Bank
    cues: Cues
    steps: list[Step] = field(default_factory=list)
    position: int = 0
    event_answers: list[CodingResult] = field(default_factory=list)
    covered: dict[str, int] = field(default_factory=dict)  # competency -> highest level suggested so far

    def __post_init__(self) -> None:
        if not self.steps:
            self.steps = steps_of(self.bank)

    # -- where we are --------------------------------------------------------------------

    @property
    def step(self) -> Step | None:
        return self.steps[self.position] if 0 <= self.position < len(self.steps) else None

    @property
    def finished(self) -> bool:
        return self.position >= len(self.steps)

    def go_to(self, position: int) -> Step | None:
        self.position = max(0, min(position, len(self.steps)))
        self.event_answers = []
        return self.step

    def next(self) -> Step | None:
        return self.go_to(self.position + 1)

    def back(self) -> Step | None:
        return self.go_to(self.position - 1)

    def resume(self, answered: Sequence[AnswerSeen]) -> None:
        """Rebuild the position and the current event's evidence from stored turns."""
        ids = [s.id for s in self.steps]
        for seen in answered:
            self._cover(seen.result)
        last = next((a for a in reversed(answered) if a.question_id.split("#")[0] in ids), None)
        if last is None:
            self.position = 0
            return
        base = last.question_id.split("#")[0]
        self.position = ids.index(base)
        self.event_answers = [a.result for a in answered if a.question_id.split("#")[0] == base]

    # -- answers -------------------------------------------------------------------------

    def record(self, result: CodingResult) -> None:
        self.event_answers.append(result)
        self._cover(result)

    def _cover(self, result: CodingResult) -> None:
        for code in result.codes:
            self.covered[code.competency] = max(code.level, self.covered.get(code.competency, 0))

    def star(self, draft: CodingResult | None = None) -> dict[str, bool]:
        """The STAR checklist of the current event: what its answers (and the draft) have told."""
        seen = [*self.event_answers, *([draft] if draft else [])]
        return {k: any(r.star.get(k) for r in seen) for k in STAR_KEYS}

    def next_probe(self, draft: CodingResult | None = None) -> tuple[str, str] | None:
        """(question id, probe) to ask next: first what turns a story into an event, then STAR."""
        latest = draft or (self.event_answers[-1] if self.event_answers else None)
        step = self.step
        if step is None or not step.expects_answer or latest is None:
            return None
        base = step.id
        for flag in latest.flags:
            if flag in self.cues.flag_probes:
                return f"{base}{PROBE_MARK}{flag}", self.cues.flag_probes[flag]
        star = self.star(draft)
        asked = len(self.event_answers)
        for key in STAR_KEYS:
            if not star[key]:
                return f"{base}{PROBE_MARK}{key}", self._probe_text(step, key, asked)
        if step.event and step.event.probes.get("thought"):
            return f"{base}{PROBE_MARK}thought", step.event.probes["thought"][0]
        return None

    def _probe_text(self, step: Step, key: str, asked: int) -> str:
        written = step.event.probes.get(key, []) if step.event else []
        if written:
            return written[min(asked, len(written)) - 1 if asked else 0]
        return self.cues.probes.get(key, f"能具体说说{PROBE_NAMES.get(key, key)}吗？")

    def coverage(self) -> dict[str, int]:
        """The bank's target competencies and the highest level seen of each (0: not yet)."""
        return {c: self.covered.get(c, 0) for c in sorted(self.bank.targets())}

    def planned_minutes(self) -> tuple[float, float]:
        """(minutes planned for the current step, for the whole interview)."""
        step = self.step
        return (step.minutes if step else 0.0), self.bank.plan_minutes
