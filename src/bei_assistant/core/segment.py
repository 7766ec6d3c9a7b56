"""jieba segmentation with the indicator phrases registered as words."""

from __future__ import annotations

import functools
import logging
import marshal
import math
import re
from collections.abc import Iterable
from typing import NamedTuple

import jieba

from .numbers import NUMBER_MARK

jieba.setLogLevel(logging.WARNING)

# A registered phrase must not swallow the speaker (我感觉 would hide 我 from the actor rules)
# nor a negator (没跟他争 would hide 没 from the negation of what follows).
_PRONOUNS = ("我们", "咱们", "他们", "她们", "我", "他", "她", "你", "咱", "没有", "没", "不", "未", "别")
_PERSON = re.compile("[我你他她咱它]")
_PHRASE_FREQ = 2000


class Token(NamedTuple):
    word: str
    start: int
    end: int


def registrable(phrase: str) -> str | None:
    """The part of an indicator phrase worth adding to jieba's dictionary, if any."""
    for lead in _PRONOUNS:
        if phrase.startswith(lead):
            phrase = phrase[len(lead) :]
            break
    # nor a person inside it (第二次我就, 约了他): only what comes before them is a word
    inner = _PERSON.search(phrase)
    if inner:
        phrase = phrase[: inner.start()]
    if not 2 <= len(phrase) <= 8 or NUMBER_MARK in phrase or not phrase.isalnum():
        return None
    return phrase


def registrable_words(phrases: Iterable[str]) -> list[str]:
    """The words to register for these phrases (worked out once, when the rules are compiled)."""
    return sorted({p for p in map(registrable, phrases) if p})


@functools.cache
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary, read once per process however many engines are built."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ, tokenizer.total


def _tokenizer(freq: dict[str, int], total: int) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


class Segmenter:
    def __init__(self, words: Iterable[str] = (), split_words: Iterable[str] = ()) -> None:
        """``words``: the output of ``registrable_words``."""
        freq, total = _base_dictionary()
        self._jieba = _tokenizer(dict(freq), total)
        for word in words:
            self._jieba.add_word(word, _PHRASE_FREQ)
        for fix in split_words:
            self._split(tuple(p for p in fix.split("|") if p))

    def __getstate__(self) -> dict:
        # The dictionary with the phrases registered, as one marshal blob: a cached engine
        # loads it in a quarter of the time jieba takes to read its own cache file (which
        # marshal.load reads piece by piece) and need not register the phrases again.
        return {"dictionary": marshal.dumps((self._jieba.FREQ, self._jieba.total))}

    def __setstate__(self, state: dict) -> None:
        self._jieba = _tokenizer(*marshal.loads(state["dictionary"]))

    def _split(self, parts: tuple[str, ...]) -> None:
        """Make ``parts`` the segmentation of their join: "没|收到" is 没 + 收到, not 没收 (confiscate) + 到.

        jieba picks the path of highest product of word frequencies, so the longest part is
        given just enough frequency for the wanted path to win.
        """
        competing = self._jieba.lcut("".join(parts), HMM=False)
        if len(parts) < 2 or tuple(competing) == parts:
            return
        freq = self._jieba.FREQ
        total = float(self._jieba.total)
        wanted = max(parts, key=len)
        others = math.prod(freq.get(p, 1) / total for p in parts if p != wanted)
        needed = math.prod(freq.get(c, 1) / total for c in competing) / others * total
        self._jieba.add_word(wanted, int(needed * 2) + 1)

    def tokens(self, text: str) -> list[Token]:
        # Without the HMM pass: unknown words (names) may split into characters, which costs
        # nothing here, and segmentation is a third faster.
        return [Token(w, s, e) for w, s, e in self._jieba.tokenize(text, HMM=False) if w.strip()]
