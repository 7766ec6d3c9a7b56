"""Loading question banks (``question_banks/*.yaml``) with ``file:line`` problems."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.bank import EVENT_TYPES, PROBE_KEYS, Bank, EventQuestion, ScriptItem
from .rules import detect_kind, yaml_files
from .yamlfile import LineDict, LoadError, Problem, line_of, load_yaml

ROLES = ("corporate", "retail", "microloan")


class BankLoader:
    def __init__(self, path: str, known: set[str], roles: set[str] | None = None) -> None:
        self.path = path
        self.known = known
        self.roles = roles or set(ROLES)
        self.problems: list[Problem] = []
        self._ids: dict[str, int] = {}

    def _problem(self, ln: int, message: str) -> None:
        self.problems.append(Problem(self.path, ln, message))

    def load(self, data: LineDict) -> Bank:
        bank = Bank(
            id=self._text(data, "bank", data.line),
            name=self._text(data, "name", data.line),
            role=self._text(data, "role", data.line),
            version=int(data.get("version") or 1),
            plan_minutes=self._number(data, "plan_minutes", 90.0),
            path=self.path,
        )
        if bank.role and bank.role not in self.roles:
            self._problem(line_of(data, "role"), f"unknown role {bank.role!r} (expected one of {', '.join(sorted(self.roles))})")
        bank.opening = self._script(data, "opening", need_competencies=False)
        bank.warmup = self._script(data, "warmup", need_competencies=True)
        bank.closing = self._script(data, "closing", need_competencies=False)
        events = data.get("events")
        if not isinstance(events, list) or not events:
            self._problem(line_of(data, "events") or data.line, "missing field 'events' (the event questions)")
        else:
            bank.events = [e for i, item in enumerate(events) if (e := self._event(item, line_of(events, i)))]
        return bank

    def _text(self, data: Any, key: str, ln: int) -> str:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, (str, int)) or not str(value).strip():
            self._problem(line_of(data, key) or ln, f"missing field '{key}'")
            return ""
        return str(value)

    def _number(self, data: Any, key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self._problem(line_of(data, key), f"{key} must be a number of minutes, got {value!r}")
            return default
        return float(value)

    def _id(self, item: Any, ln: int) -> str:
        qid = self._text(item, "id", ln)
        if qid in self._ids:
            self._problem(line_of(item, "id") or ln, f"duplicate id {qid!r} (first at line {self._ids[qid]})")
        elif qid:
            self._ids[qid] = line_of(item, "id") or ln
        return qid

    def _competencies(self, item: Any, ln: int, required: bool) -> list[str]:
        codes = item.get("competencies")
        if codes is None and not required:
            return []
        if not isinstance(codes, list) or (required and not codes):
            self._problem(line_of(item, "competencies") or ln, "missing field 'competencies' (the codes it targets)")
            return []
        for code in codes:
            if code not in self.known:
                self._problem(line_of(item, "competencies") or ln, f"unknown competency {code!r}")
        return [str(c) for c in codes if c in self.known]

    def _script(self, data: LineDict, key: str, need_competencies: bool) -> list[ScriptItem]:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            self._problem(line_of(data, key) or data.line, f"missing field '{key}'")
            return []
        found = []
        for i, item in enumerate(items):
            ln = line_of(items, i)
            if not isinstance(item, dict):
                self._problem(ln, f"{key}: each item needs id and text")
                continue
            found.append(ScriptItem(self._id(item, ln), self._text(item, "text", ln),
                                    self._competencies(item, ln, need_competencies),
                                    self._number(item, "minutes", 0.0)))
        return found

    def _event(self, item: Any, ln: int) -> EventQuestion | None:
        if not isinstance(item, dict):
            self._problem(ln, "an event question needs id, text, competencies and probes")
            return None
        qtype = item.get("type", "成功")
        if qtype not in EVENT_TYPES:
            self._problem(line_of(item, "type"), f"type must be one of {', '.join(EVENT_TYPES)}, got {qtype!r}")
        probes_raw = item.get("probes")
        probes: dict[str, list[str]] = {}
        if not isinstance(probes_raw, dict):
            self._problem(line_of(item, "probes") or ln, "missing field 'probes' (S, T, A, R, thought)")
        else:
            for key in PROBE_KEYS:
                value = probes_raw.get(key)
                if not isinstance(value, list) or not value:
                    self._problem(line_of(probes_raw, key) or line_of(item, "probes"), f"probes: missing '{key}'")
                else:
                    probes[key] = [str(v) for v in value]
        follow = item.get("follow_ups") or []
        return EventQuestion(self._id(item, ln), self._text(item, "text", ln), str(qtype),
                             self._competencies(item, ln, True), self._number(item, "minutes", 8.0),
                             probes, [str(f) for f in follow] if isinstance(follow, list) else [])


def load_bank(path: Path, known: set[str], roles: set[str] | None = None) -> tuple[Bank | None, list[Problem]]:
    try:
        data = load_yaml(path)
    except LoadError as exc:
        return None, exc.problems
    if detect_kind(data) != "bank":
        return None, [Problem(str(path), getattr(data, "line", 0), "not a question bank (expected bank, events)")]
    loader = BankLoader(str(path), known, roles)
    return loader.load(data), loader.problems


def load_banks(paths: Iterable[Path], known: set[str], roles: set[str] | None = None
               ) -> tuple[dict[str, Bank], list[Problem]]:
    files, problems = yaml_files(paths)
    banks: dict[str, Bank] = {}
    for path in files:
        bank, found = load_bank(path, known, roles)
        problems.extend(found)
        if bank is None:
            continue
        if bank.id in banks:
            problems.append(Problem(str(path), 0, f"duplicate bank id {bank.id!r} (also {banks[bank.id].path})"))
            continue
        banks[bank.id] = bank
    return banks, problems
