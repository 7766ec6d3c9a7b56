"""Small helpers for what commands print."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, NoReturn


def fail(message: str, code: int = 1) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(code)


def warn_all(problems: Iterable[object]) -> int:
    count = 0
    for problem in problems:
        print(problem, file=sys.stderr)
        count += 1
    return count


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def table(rows: list[list[str]], header: list[str]) -> str:
    """A plain text table; widths count a CJK character as two columns."""
    def width(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    cols = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(str(c) + " " * (cols[i] - width(str(c))) for i, c in enumerate(row)).rstrip()

    return "\n".join([fmt(header), fmt(["-" * c for c in cols]), *map(fmt, rows)])
