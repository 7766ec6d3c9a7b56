"""Normalising spoken Chinese for matching while keeping offsets into the original.

Full-width forms, traditional characters, fillers (嗯、呃), stutters (我我我) and known
homophone typos (代款 → 贷款) are normalised; ``NormText.offsets`` maps every character
of the normalised text back to the answer so that evidence spans point at what the
interviewer typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .numbers import NUMBER_MARK, PLACEHOLDER, mask_numbers

# Characters whose doubling is a stutter, never a word (看看, 谢谢 are words).
_STUTTER_CHARS = set("我你他她它就那这是的了在也都")
_DROP_CHARS = set("嗯呃哦噢")  # not 唔: in Cantonese it means 不
_SENTENCE_END = set("。!?;\n")
_CLAUSE_END = set(",、:~…") | {" ", "\t", "\u3000"}
_PAREN = set("()[]“”\"'‘’「」『』《》<>")


@lru_cache(maxsize=1)
def _t2s_table() -> dict[str, str]:
    """Traditional → simplified, one character for one, from OpenCC's character table."""
    table: dict[str, str] = {}
    data = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    for line in data.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
            table[parts[0]] = parts[1]
    return table


@dataclass(frozen=True)
class NormText:
    """The normalised, number-masked text of an answer and the way back to the answer."""

    text: str
    starts: tuple[int, ...]  # per character: where it starts in the original answer
    ends: tuple[int, ...]  # per character: where it ends (exclusive) in the original answer

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised slice ``[start, end)``."""
        if not self.starts:
            return 0, 0
        first = min(max(start, 0), len(self.starts) - 1)
        last = min(max(end - 1, first), len(self.ends) - 1)
        return self.starts[first], self.ends[last]


_QUOTED = re.compile("“[^”]*”|「[^」]*」|『[^』]*』|‘[^’]*’|'[^'\n]*'|\"[^\"\n]*\"")


def blank_quoted(raw: str, norm: NormText) -> str:
    """``norm.text`` with every character said inside quotation marks of ``raw`` made a space."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(raw)]
    if not quoted:
        return norm.text
    inside = bytearray(len(raw) + 1)
    for a, b in quoted:
        inside[a:b] = b"\x01" * (b - a)
    return "".join(" " if inside[start] else ch for ch, start in zip(norm.text, norm.starts, strict=True))


_FOLD_RANGES = ((0x00, 0x80), (0x2000, 0x2070), (0x3000, 0x3040), (0xF900, 0xFB00), (0xFF00, 0xFFF0))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """One character for one: full width → half width, lower case, traditional → simplified.

    Only mappings that keep the length are taken (… stays …), so offsets survive folding.
    """
    t2s = _t2s_table()
    table: dict[int, str] = {}
    chars = {chr(c) for lo, hi in _FOLD_RANGES for c in range(lo, hi)} | set(t2s)
    for ch in chars:
        out = "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", ch).lower())
        if len(out) == 1 and out != ch:
            table[ord(ch)] = out
    return table


class Normaliser:
    def __init__(self, typos: dict[str, str] | None = None, fillers: list[str] | None = None) -> None:
        self._fold = _fold_table()
        # Typos are replaced only by strings of the same length, so offsets stay put.
        self._typos = {k: v for k, v in (typos or {}).items() if k and len(k) == len(v)}
        self._typo_re = alternation(self._typos)
        drop = re.escape("".join(sorted(_DROP_CHARS | _PAREN)))
        stutter = re.escape("".join(sorted(_STUTTER_CHARS)))
        fill = "|".join(map(re.escape, sorted((f for f in fillers or [] if f), key=len, reverse=True)))
        # Everything removed in one pass: dropped marks, all but the last of a stutter, fillers,
        # and the earlier copies of a repeated 2–4 character unit (就是就是 → 就是).
        self._remove_re = re.compile(
            rf"[{drop}]|([{stutter}])(?=\1)" + (f"|{fill}" if fill else "") + r"|([^\d#]{2,4})(?=\2)"
        )

    def normalise(self, raw: str) -> NormText:
        text = raw.translate(self._fold)
        keep = list(range(len(text)))
        removed = [(m.start(), m.end()) for m in self._remove_re.finditer(text) if m.end() > m.start()]
        if removed:
            gone = {i for a, b in removed for i in range(a, b)}
            keep = [i for i in keep if i not in gone]
            text = "".join(text[i] for i in keep)
        if self._typo_re is not None:
            text = self._typo_re.sub(lambda m: self._typos[m.group(0)], text)
        masked, bounds = mask_numbers(text)
        starts = tuple(keep[a] for a, _ in bounds)
        ends = tuple(keep[b - 1] + 1 for _, b in bounds)
        return NormText(masked, starts, ends)

    def phrase(self, phrase: str) -> str:
        """Normalise an indicator phrase the same way as answers (``{数}`` becomes the number mark)."""
        return NUMBER_MARK.join(self.normalise(part).text for part in phrase.split(PLACEHOLDER))


def alternation(words) -> re.Pattern[str] | None:
    words = [w for w in words if w]
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None


@dataclass(frozen=True)
class Clause:
    start: int  # in the normalised text
    end: int
    sentence: int  # index of the sentence that holds the clause

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


def split_clauses(text: str) -> list[Clause]:
    """Split at sentence ends (。!?;) and clause marks (,、: and spaces of transcripts)."""
    clauses: list[Clause] = []
    sentence = 0
    start = 0
    for i, ch in enumerate(text + "\n"):
        at_sentence_end = ch in _SENTENCE_END or (ch == "." and text[i - 1 : i] == ".")
        if at_sentence_end or ch in _CLAUSE_END or ch == ".":
            if i > start and text[start:i].strip(". "):
                clauses.append(Clause(start, i, sentence))
            start = i + 1
            if at_sentence_end and clauses and clauses[-1].sentence == sentence:
                sentence += 1
    return clauses
