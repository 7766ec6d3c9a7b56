"""A question bank: the interview script of one role, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

PROBE_KEYS = ("S", "T", "A", "R", "thought")
PROBE_NAMES = {"S": "情境", "T": "任务", "A": "行动", "R": "结果", "thought": "想法"}
EVENT_TYPES = ("成功", "失败", "困难")


@dataclass
class ScriptItem:
    id: str
    text: str
    competencies: list[str] = field(default_factory=list)
    minutes: float = 0.0


@dataclass
class EventQuestion:
    id: str
    text: str
    type: str
    competencies: list[str]
    minutes: float
    probes: dict[str, list[str]]
    follow_ups: list[str]


@dataclass
class Bank:
    id: str
    name: str
    role: str
    version: int = 1
    plan_minutes: float = 90.0
    opening: list[ScriptItem] = field(default_factory=list)
    warmup: list[ScriptItem] = field(default_factory=list)
    events: list[EventQuestion] = field(default_factory=list)
    closing: list[ScriptItem] = field(default_factory=list)
    path: str = ""

    def targets(self) -> set[str]:
        return {c for e in self.events for c in e.competencies}

    def question(self, question_id: str) -> ScriptItem | EventQuestion | None:
        items: list[ScriptItem | EventQuestion] = [*self.opening, *self.warmup, *self.events, *self.closing]
        for item in items:
            if item.id == question_id:
                return item
        return None
