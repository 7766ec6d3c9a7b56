"""Reading answers to code and coded answers (the gold format), line by line.

A bad line is reported as ``file:line: problem`` and skipped; the other lines are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from ..core.model import LEVELS
from .yamlfile import Problem


@dataclass
class Answer:
    id: str
    text: str
    question: str | None = None
    line: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # gold: competency -> level


def read_answers(stream: IO[str], name: str, *, gold: bool = False, known: set[str] | None = None
                 ) -> Iterator[Answer | Problem]:
    """Yield an Answer per usable line and a Problem per bad one, in order.

    JSON Lines (``id``, ``text``, optional ``question``; ``codes`` for gold) or, when a line
    is not JSON, plain text with one answer per line (not for gold).
    """
    for number, raw in enumerate(stream, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if not line.startswith("{"):
            if gold:
                yield Problem(name, number, "not a JSON object (gold files are JSON Lines)")
            else:
                yield Answer(f"{number}", line, None, number)
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(name, number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _answer(data, name, number, gold, known)


def _answer(data: dict, name: str, number: int, gold: bool, known: set[str] | None) -> Answer | Problem:
    text = data.get("text")
    if not isinstance(text, str):
        return Problem(name, number, "missing field 'text' (a string)")
    question = data.get("question")
    if question is not None and not isinstance(question, str):
        return Problem(name, number, "'question' must be a string")
    answer = Answer(str(data.get("id", number)), text, question, number)
    if not gold:
        return answer
    codes = data.get("codes")
    if not isinstance(codes, list):
        return Problem(name, number, "missing field 'codes' (a list)")
    for code in codes:
        comp = code.get("competency") if isinstance(code, dict) else None
        level = code.get("level") if isinstance(code, dict) else None
        if not isinstance(comp, str) or (known and comp not in known):
            return Problem(name, number, f"unknown competency {comp!r}")
        if level not in LEVELS:
            return Problem(name, number, f"{comp}: level {level!r} outside 1–5")
        answer.codes[comp] = max(level, answer.codes.get(comp, 0))
    return answer
