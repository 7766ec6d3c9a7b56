"""Coding many answers: in this process, or on every core for a large batch.

Workers are forked after the engine is built, so they share its compiled rules and start at
once; results come back in input order.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator

from .core.engine import Engine
from .io.answers import Answer

_ENGINE: Engine | None = None  # the engine a forked worker inherits
_CHUNK = 100
PARALLEL_FROM = 1000  # answers; below this a pool costs more than it saves


def code_line(engine: Engine, answer: Answer, full: bool = False) -> str:
    """One coded answer as its JSON line (without the newline)."""
    result = engine.code(answer.text, answer.question, answer.id)
    return json.dumps(result.to_full_dict() if full else result.to_dict(), ensure_ascii=False)


def _code_chunk(job: tuple[list[Answer], bool]) -> list[str]:
    answers, full = job
    assert _ENGINE is not None
    return [code_line(_ENGINE, a, full) for a in answers]


def default_jobs(count: int) -> int:
    return min(os.cpu_count() or 1, 4) if count >= PARALLEL_FROM else 1


def code_all(engine: Engine, answers: Iterable[Answer], full: bool = False, jobs: int = 1) -> Iterator[str]:
    """JSON lines of the coded answers, in order."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for answer in answers:
            yield code_line(engine, answer, full)
        return
    global _ENGINE
    _ENGINE = engine
    items = list(answers)
    chunks = [(items[i : i + _CHUNK], full) for i in range(0, len(items), _CHUNK)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for lines in pool.imap(_code_chunk, chunks):
            yield from lines
