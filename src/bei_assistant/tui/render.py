"""Rich text for the screens: answers with their evidence highlighted, levels as bars."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text

from ..core.bank import PROBE_NAMES
from ..core.model import STAR_KEYS
from ..core.records import SuggestionRecord
from ..core.result import CodeSuggestion

PALETTE = ["black on #f5d76e", "black on #9fd3f5", "black on #b8e6a8", "black on #f7b2c4", "black on #d5c3f0"]


def highlighted(text: str, codes: Sequence[CodeSuggestion | SuggestionRecord]) -> Text:
    """The answer with each code's evidence in a colour of its own."""
    out = Text(text)
    for i, code in enumerate(codes):
        for e in code.evidence:
            start, end = max(0, e.start), min(len(text), e.end)
            if end > start:
                out.stylize(PALETTE[i % len(PALETTE)], start, end)
    return out


def span(text: str, start: int, end: int) -> Text:
    out = Text(text)
    if 0 <= start < end <= len(text):
        out.stylize("black on #f5d76e", start, end)
    return out


def level_bar(level: int | None, target: int | None, width: int = 5) -> Text:
    """█ for each level shown, ░ up to the scale's end, a │ after the target level."""
    out = Text()
    shown = level or 0
    for n in range(1, width + 1):
        style = "green" if target is None or shown >= (target or 0) else "yellow"
        out.append("█" if n <= shown else "░", style=style if n <= shown else "dim")
        if target == n:
            out.append("│", style="bold red")
    return out


def star_line(star: Mapping[str, bool]) -> Text:
    out = Text()
    for key in STAR_KEYS:
        done = star.get(key, False)
        out.append(f"{'✓' if done else '✗'} {key} {PROBE_NAMES[key]}  ", style="green" if done else "bold yellow")
    return out


def codes_lines(codes: Iterable[CodeSuggestion], names: Mapping[str, str]) -> Text:
    out = Text()
    for i, code in enumerate(codes):
        matched = "、".join(dict.fromkeys(m for e in code.evidence for m in e.matched))
        out.append(f" {code.competency} ", style=PALETTE[i % len(PALETTE)])
        out.append(f" {names.get(code.competency, '')} {code.level} 级  ", style="bold")
        out.append(f"置信度 {code.confidence:.2f}\n", style="dim")
        if matched:
            out.append(f"   依据：{matched}\n")
    return out or Text("（还没有可编码的行为）", style="dim")


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
