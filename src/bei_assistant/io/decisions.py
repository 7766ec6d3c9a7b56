"""Reading a coder's decisions: JSON Lines, or the CSV export filled in (in Excel, say).

One decision a line: ``{"turn": 3, "competency": "INFO", "decision": "accept", "level": 4,
"start": 12, "end": 40, "memo": "…"}``. In the CSV, rows with an empty ``decision`` column are
left alone; the ``level`` column carries the level for change and add.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ..core.records import DECISIONS
from .yamlfile import Problem

# what a coder may type in the decision column, Chinese or English
_WORDS = {
    "accept": "accept", "a": "accept", "接受": "accept", "同意": "accept", "确认": "accept", "y": "accept",
    "reject": "reject", "r": "reject", "拒绝": "reject", "否": "reject", "删除": "reject", "n": "reject",
    "change": "change", "c": "change", "修改": "change", "改": "change",
    "add": "add", "新增": "add", "添加": "add", "增加": "add",
}


@dataclass
class DecisionInput:
    line: int
    turn: int
    competency: str
    decision: str
    level: int | None = None
    new_competency: str | None = None
    start: int | None = None
    end: int | None = None
    memo: str = ""
    session: int | None = None  # the CSV export names the session of each row


def read_decisions(path: Path) -> tuple[list[DecisionInput], list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(str(path), 0, f"cannot read: {exc.strerror or exc}")]
    text = _decode(raw)
    if text is None:
        return [], [Problem(str(path), 0, "neither UTF-8 nor GB18030 text")]
    if text.lstrip().startswith("{"):
        return _read_jsonl(text, str(path))
    return _read_csv(text, str(path))


def _decode(raw: bytes) -> str | None:
    # Excel on a Chinese Windows saves CSV as GBK unless told otherwise
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_jsonl(text: str, name: str) -> tuple[list[DecisionInput], list[Problem]]:
    found, problems = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        item = parse(data, number) if isinstance(data, dict) else "not a JSON object"
        if isinstance(item, str):
            problems.append(Problem(name, number, item))
        else:
            found.append(item)
    return found, problems


def _read_csv(text: str, name: str) -> tuple[list[DecisionInput], list[Problem]]:
    found, problems = [], []
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    missing = {"turn", "competency", "decision"} - fields
    if missing:
        return [], [Problem(name, 1, f"not a decisions file: no column {', '.join(sorted(missing))}")]
    for row in reader:
        data = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if not data.get("decision"):
            continue  # a row the coder left alone
        item = parse(data, reader.line_num)
        if isinstance(item, str):
            problems.append(Problem(name, reader.line_num, item))
        else:
            found.append(item)
    return found, problems


def parse(data: dict, line: int) -> DecisionInput | str:
    """One decision from a JSON object or a CSV row, or what is wrong with it."""
    decision = _WORDS.get(str(data.get("decision", "")).strip().lower())
    if decision not in DECISIONS:
        return f"decision must be accept, reject, change or add (got {data.get('decision')!r})"
    try:
        turn = _number(data.get("turn"), "turn")
        level = _optional(data.get("level"), "level")
        start, end = _optional(data.get("start"), "start"), _optional(data.get("end"), "end")
        session = _optional(data.get("session"), "session")
    except ValueError as exc:
        return str(exc)
    competency = str(data.get("competency") or "").strip().upper()
    if not competency:
        return "missing competency"
    if decision in ("change", "add") and level is None:
        return f"{decision} needs a level (1–5)"
    if level is not None and not 1 <= level <= 5:
        return f"level {level} outside 1–5"
    if decision == "add" and (start is None or end is None or not 0 <= start < end):
        return "add needs start < end (character offsets into the answer)"
    new = str(data.get("new_competency") or "").strip().upper() or None
    return DecisionInput(line, turn or 0, competency, decision, level, new, start, end,
                         str(data.get("memo") or ""), session)


def _number(value: object, name: str) -> int:
    found = _optional(value, name)
    if found is None or found < 1:
        raise ValueError(f"{name} must be a number from 1 (got {value!r})")
    return found


def _optional(value: object, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value))  # Excel writes 3 as 3.0
    except ValueError:
        raise ValueError(f"{name} must be a number (got {value!r})") from None
    if not number.is_integer():
        raise ValueError(f"{name} must be a whole number (got {value!r})")
    return int(number)
