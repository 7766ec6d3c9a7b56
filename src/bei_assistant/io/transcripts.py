"""Reading transcripts from outside: JSON Lines turns, 问/答 text, or this tool's JSON export.

Each reader gives the session's details it found, its turns, and a ``file:line`` problem for
every line it could not use; the usable turns are always kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.records import SessionRecord
from . import session_json
from .yamlfile import Problem


@dataclass
class TurnInput:
    question: str
    answer: str
    note: str = ""
    line: int = 0


@dataclass
class Transcript:
    """What an import file holds: details (candidate, role, grade, interviewer) and turns."""

    details: dict[str, str] = field(default_factory=dict)
    turns: list[TurnInput] = field(default_factory=list)
    exported: list[SessionRecord] = field(default_factory=list)  # sessions of a JSON export, kept as they are
    problems: list[Problem] = field(default_factory=list)


def read_transcript(path: Path) -> Transcript:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Transcript(problems=[Problem(str(path), 0, f"cannot read: {exc.strerror or exc}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:  # a transcript saved by Word or Notepad on a Chinese Windows
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[: exc.start].count(b"\n") + 1
            return Transcript(problems=[Problem(str(path), line, "neither UTF-8 nor GB18030 text")])
    if not text.strip():
        return Transcript(problems=[Problem(str(path), 0, "empty file")])
    stripped = text.lstrip()
    if stripped.startswith("{") and '"format"' in stripped[:200]:
        return _read_export(text, str(path))
    if stripped.startswith("{"):
        return _read_jsonl(text, str(path))
    return _read_text(text, str(path))


def _read_export(text: str, name: str) -> Transcript:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Transcript(problems=[Problem(name, exc.lineno, f"invalid JSON: {exc.msg}")])
    if not session_json.is_export(data):
        return Transcript(problems=[Problem(name, 1, f"not an export of this tool (format {data.get('format')!r})")])
    found = Transcript()
    for number, item in enumerate(data.get("sessions", []), 1):
        try:
            found.exported.append(session_json.session_from_dict(item))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            found.problems.append(Problem(name, 0, f"session {number}: damaged ({type(exc).__name__}: {exc})"))
    return found


def _read_jsonl(text: str, name: str) -> Transcript:
    found = Transcript()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            found.problems.append(Problem(name, number, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(data, dict):
            found.problems.append(Problem(name, number, "not a JSON object"))
            continue
        turn = _json_turn(data, name, number)
        if isinstance(turn, Problem):
            found.problems.append(turn)
        else:
            found.turns.append(turn)
    return found


def _json_turn(data: dict, name: str, number: int) -> TurnInput | Problem:
    answer = data.get("answer", data.get("text"))
    question = data.get("question", "")
    if not isinstance(answer, str) or not answer.strip():
        return Problem(name, number, "missing field 'answer' (a non-empty string)")
    if not isinstance(question, str):
        return Problem(name, number, "'question' must be a string")
    note = data.get("note", "")
    return TurnInput(question.strip(), answer.strip(), note if isinstance(note, str) else str(note), number)


# 问：… / 答：… / Q: … / A: …, with full- or half-width colons
_MARK = re.compile(r"^\s*(问|答|Q|A|提问|回答)\s*[:：]\s*", re.IGNORECASE)
_DETAILS = {"候选人": "candidate", "姓名": "candidate", "岗位": "role", "职级": "grade", "面试官": "interviewer",
            "访谈人": "interviewer", "candidate": "candidate", "role": "role", "grade": "grade",
            "interviewer": "interviewer"}
_DETAIL = re.compile(r"^\s*([^\s:：]{1,12})\s*[:：]\s*(.+?)\s*$")


def _read_text(text: str, name: str) -> Transcript:
    found = Transcript()
    question: list[str] | None = None
    answer: list[str] | None = None
    start = answer_line = 0  # lines of the turn and of its answer marker

    def close() -> None:
        nonlocal question, answer, answer_line
        if answer is not None:
            body = "\n".join(answer).strip()
            if body:
                found.turns.append(TurnInput("\n".join(question or []).strip(), body, "", start))
            else:
                found.problems.append(Problem(name, answer_line, "an answer marker with no answer"))
        elif question is not None:
            found.problems.append(Problem(name, start, "a question with no answer (skipped)"))
        question = answer = None

    for number, line in enumerate(text.splitlines(), 1):
        mark = _MARK.match(line)
        if mark:
            is_question = mark.group(1).upper() in ("问", "Q", "提问")
            rest = line[mark.end():]
            if is_question or answer is not None:
                close()
            if is_question:
                question, start = [rest], number
            else:
                answer, answer_line = [rest], number
                if question is None:
                    question, start = [], number
            continue
        detail = _DETAIL.match(line)
        if question is None and detail and detail.group(1).lower() in _DETAILS:
            found.details[_DETAILS[detail.group(1).lower()]] = detail.group(2)
            continue
        if answer is not None:
            answer.append(line)
        elif question is not None:
            question.append(line)
        elif line.strip():
            found.problems.append(Problem(name, number, "text outside a 问/答 turn (skipped)"))
    close()
    return found
