"""Finding every indicator in an answer in one pass.

All phrase parts of all indicators are compiled once into an Aho-Corasick automaton
(pyahocorasick), so an answer is scanned once for every exact occurrence of every part,
however many indicators there are.  Parts of four or more
characters are also found approximately: each is anchored on two of its rarest bigrams,
and a part whose anchor occurs is verified with rapidfuzz (one substituted character) or
as an in-order subsequence with a few inserted characters (跟客户沟通 ~ 跟这个客户好好沟通).
Parts then combine into indicators (``A…B`` within the clause or the next sentence) and
count rules.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from typing import NamedTuple

import ahocorasick
from rapidfuzz import fuzz

from .model import Indicator
from .text import Clause

# A substitution or insertion of one of these flips the meaning of a phrase.
FLIP_CHARS = frozenset("不没未别无非莫")
_MAX_GAP = 4  # inserted characters tolerated inside one fuzzy part
_FUZZY_MIN_LEN = 4
_TYPO_MIN_LEN = 5


class PartHit(NamedTuple):
    start: int
    end: int
    exact: bool


class Hit(NamedTuple):
    indicator: int  # index into Matcher.indicators
    spans: tuple[tuple[int, int], ...]
    exact: bool
    alternatives: tuple[int, ...]  # which alternative matched, per span for count rules


class Matcher:
    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators = indicators
        self._part_ids: dict[str, int] = {}
        # per indicator: alternatives as tuples of part ids
        self._compiled: list[tuple[tuple[int, ...], ...]] = []
        for ind in indicators:
            self._compiled.append(tuple(tuple(self._part_id(p) for p in alt) for alt in ind.patterns))
        self._parts = list(self._part_ids)
        self._part_chars = [frozenset(p) for p in self._parts]
        self._index_prefixes()
        self._index_alternatives()
        self._index_anchors()

    def _part_id(self, text: str) -> int:
        return self._part_ids.setdefault(text, len(self._part_ids))

    def _index_prefixes(self) -> None:
        # One-character parts are looked up only where a chain needs them (是, 就 are everywhere),
        # except those that begin an alternative (骂…没回嘴).
        firsts = {alt[0] for compiled in self._compiled for alt in compiled}
        self._lazy = {pid: part for pid, part in enumerate(self._parts) if len(part) == 1 and pid not in firsts}
        self._lazy_by_char = {part: pid for pid, part in self._lazy.items()}
        # Every other part is found exactly by one Aho-Corasick pass over the text.
        self._automaton = ahocorasick.Automaton()
        for pid, part in enumerate(self._parts):
            if pid not in self._lazy:
                self._automaton.add_word(part, (pid, len(part)))
        self._automaton.make_automaton()

    def _index_alternatives(self) -> None:
        """Count rules under the parts they begin; one-part alternatives under their part; an A…B
        alternative under its longest part found by the automaton, the one least often present,
        so few chains are tried."""
        self._counted: dict[int, set[int]] = defaultdict(set)
        self._singles: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._chains: dict[int, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)
        for idx, compiled in enumerate(self._compiled):
            if self.indicators[idx].min_count > 1:
                for alt in compiled:
                    self._counted[alt[0]].add(idx)
                continue
            for a, alt in enumerate(compiled):
                if len(alt) == 1:
                    self._singles[alt[0]].append((idx, a))
                else:
                    key = max((pid for pid in alt if pid not in self._lazy), key=lambda pid: len(self._parts[pid]))
                    self._chains[key].append((idx, a, alt))

    def _index_anchors(self) -> None:
        """Anchor each long part on its rarest bigram (and, for typos, a second one apart from it)."""
        anchors: dict[str, list[int]] = defaultdict(list)
        bigram_df: Counter[str] = Counter()
        for part in self._parts:
            bigram_df.update({part[i : i + 2] for i in range(len(part) - 1)})
        for pid, part in enumerate(self._parts):
            if len(part) < _FUZZY_MIN_LEN or not _has_cjk(part):
                continue
            ranked = sorted(range(len(part) - 1), key=lambda i: (bigram_df[part[i : i + 2]], i))
            first = ranked[0]
            # a second anchor lets a typo inside the first still be found; only worth it for long parts
            second = next((i for i in ranked[1:] if abs(i - first) >= 2), None) if len(part) >= 6 else None
            for i in (first, second):
                if i is not None:
                    anchors[part[i : i + 2]].append(pid)
        self._anchor_automaton = ahocorasick.Automaton()
        for bigram, pids in anchors.items():
            self._anchor_automaton.add_word(bigram, tuple(pids))
        self._anchor_automaton.make_automaton()

    # -- parts ---------------------------------------------------------------

    def find_parts(self, text: str, clauses: list[Clause]) -> dict[int, list[PartHit]]:
        """Every part's occurrences, in order: exact ones from one automaton pass, approximate ones
        (only for parts with no exact occurrence) clause by clause, so each list is sorted as built."""
        hits: dict[int, list[PartHit]] = defaultdict(list)
        if text:
            for end, (pid, length) in self._automaton.iter(text):
                hits[pid].append(PartHit(end + 1 - length, end + 1, True))
            self._find_fuzzy(text, clauses, hits)
        return hits

    def _find_fuzzy(self, text: str, clauses: list[Clause], hits: dict[int, list[PartHit]]) -> None:
        """Approximate matches of the long parts that were not found exactly."""
        exact = set(hits)
        for k, found in self._anchored(text, clauses).items():
            found -= exact
            clause = clauses[k]
            window = text[clause.start : clause.end]
            chars = set(window)
            for pid in found:
                # more than one character of the phrase missing: neither a typo nor an insertion
                if len(self._part_chars[pid] - chars) > 1:
                    continue
                span = self._verify(self._parts[pid], window, clause.start)
                if span:
                    hits[pid].append(PartHit(span[0], span[1], False))

    def _anchored(self, text: str, clauses: list[Clause]) -> dict[int, set[int]]:
        """Per clause, the long parts whose anchor bigram occurs inside it (one automaton pass)."""
        clause_of = [-1] * len(text)
        for k, clause in enumerate(clauses):
            clause_of[clause.start : clause.end] = [k] * (clause.end - clause.start)
        found: dict[int, set[int]] = defaultdict(set)
        for end, pids in self._anchor_automaton.iter(text):
            k = clause_of[end]
            if k >= 0 and clause_of[end - 1] == k:
                found[k].update(pids)
        return found

    @staticmethod
    def _verify(part: str, window: str, lo: int) -> tuple[int, int] | None:
        if len(part) >= _TYPO_MIN_LEN and len(window) >= len(part):
            cutoff = 100.0 * (1 - 1.0 / len(part)) - 0.01
            aligned = fuzz.partial_ratio_alignment(part, window, score_cutoff=cutoff)
            if aligned is not None:
                seen = window[aligned.dest_start : aligned.dest_end]
                if _plausible_typo(part, seen):
                    return lo + aligned.dest_start, lo + aligned.dest_end
        return _gapped(part, window, lo)

    # -- indicators ----------------------------------------------------------

    def _chain(self, alt: tuple[int, ...], parts: dict[int, list[PartHit]], sentence_of: list[int], text: str
               ) -> list[tuple[tuple[tuple[int, int], ...], bool]]:
        """Every occurrence of the first part, followed in order by the others within the same
        or the next sentence (A…B)."""
        results = []
        for first in parts.get(alt[0], ()):
            spans = [(first.start, first.end)]
            exact = first.exact
            for pid in alt[1:]:
                prev_end = spans[-1][1]
                limit = sentence_of[min(prev_end, len(sentence_of) - 1)] + 1
                nxt = self._next(pid, parts, prev_end, text)
                if nxt is None or sentence_of[nxt.start] > limit:
                    break
                spans.append((nxt.start, nxt.end))
                exact = exact and nxt.exact
            else:
                results.append((tuple(spans), exact))
        return results

    def _next(self, pid: int, parts: dict[int, list[PartHit]], after: int, text: str) -> PartHit | None:
        """The first occurrence of a part at or after ``after``."""
        if pid in self._lazy:
            pos = text.find(self._lazy[pid], after)
            return PartHit(pos, pos + 1, True) if pos >= 0 else None
        found = parts.get(pid, [])
        k = bisect_left(found, after, key=lambda h: h.start)
        return found[k] if k < len(found) else None

    def match(self, text: str, clauses: list[Clause]) -> list[Hit]:
        parts = self.find_parts(text, clauses)
        sentence_of = _sentence_lookup(clauses, len(text))
        found: list[Hit] = []
        counted: set[int] = set()
        lazy = self._lazy_by_char
        present = parts.keys() | {lazy[ch] for ch in set(text) if ch in lazy}
        for pid, part_hits in parts.items():
            counted.update(self._counted.get(pid, ()))
            for idx, a in self._singles.get(pid, ()):
                found.extend(Hit(idx, ((h.start, h.end),), h.exact, (a,)) for h in part_hits)
            for idx, a, alt in self._chains.get(pid, ()):
                if present.issuperset(alt):
                    found.extend(Hit(idx, spans, exact, (a,))
                                 for spans, exact in self._chain(alt, parts, sentence_of, text))
        for idx in sorted(counted):
            hit = _count_hit(idx, self._compiled[idx], parts, self.indicators[idx].min_count)
            if hit:
                found.append(hit)
        return found


def _plausible_typo(part: str, seen: str) -> bool:
    """One changed character inside the phrase, never a negation and never at either end
    (写了调研报告 is not 写了调查报告's neighbour 写了调查报表)."""
    if FLIP_CHARS & (set(seen) ^ set(part)):
        return False
    if len(seen) == len(part):
        return seen[0] == part[0] and seen[-1] == part[-1]
    return True


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _gapped(part: str, window: str, lo: int) -> tuple[int, int] | None:
    """``part`` as an in-order subsequence of ``window`` with at most a few inserted characters."""
    start = window.find(part[0])
    while start != -1:
        pos, ok = start + 1, True
        inserted: list[str] = []
        for ch in part[1:]:
            nxt = window.find(ch, pos)
            if nxt == -1 or len(inserted) + nxt - pos > _MAX_GAP:
                ok = False
                break
            inserted.extend(window[pos:nxt])
            pos = nxt + 1
        if ok and inserted and not FLIP_CHARS.intersection(inserted):
            return lo + start, lo + pos
        start = window.find(part[0], start + 1)
    return None


def _sentence_lookup(clauses: list[Clause], length: int) -> list[int]:
    sentence_of = [0] * (length + 1)
    for clause in clauses:
        for i in range(clause.start, min(clause.end + 1, length + 1)):
            sentence_of[i] = clause.sentence
    return sentence_of


def _count_hit(
    idx: int, alternatives: tuple[tuple[int, ...], ...], parts: dict[int, list[PartHit]], min_count: int
) -> Hit | None:
    """Occurrences of the alternatives; one alternative alone cannot make the count (征信 twice is one channel)."""
    starts: dict[int, tuple[int, int, int]] = {}
    for a, alt in enumerate(alternatives):
        for h in parts.get(alt[0], ())[: max(1, min_count - 1)]:
            starts.setdefault(h.start, (h.start, h.end, a))
    if len(starts) < min_count:
        return None
    found = sorted(starts.values())
    return Hit(idx, tuple((s, e) for s, e, _ in found), True, tuple(a for _, _, a in found))
