"""Finding every indicator in an answer in one pass.

All phrase parts of all indicators are compiled once into a dictionary keyed by text.
An answer is scanned once: at each position whose first two characters begin some part,
the dictionary answers which parts start there (exact matches).  Parts of four or more
characters are also found approximately: each is anchored on two of its rarest bigrams,
and a part whose anchor occurs is verified with rapidfuzz (one substituted character) or
as an in-order subsequence with a few inserted characters (跟客户沟通 ~ 跟这个客户好好沟通).
Parts then combine into indicators (``A…B`` within the clause or the next sentence) and
count rules.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Indicator
from .text import Clause

# A substitution or insertion of one of these flips the meaning of a phrase.
FLIP_CHARS = frozenset("不没未别无非莫")
_MAX_GAP = 4  # inserted characters tolerated inside one fuzzy part
_FUZZY_MIN_LEN = 4
_TYPO_MIN_LEN = 5


@dataclass(frozen=True)
class PartHit:
    start: int
    end: int
    exact: bool


@dataclass(frozen=True)
class Hit:
    indicator: int  # index into Matcher.indicators
    spans: tuple[tuple[int, int], ...]
    exact: bool
    alternatives: tuple[int, ...]  # which alternative matched, per span for count rules


class Matcher:
    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators = indicators
        self._part_ids: dict[str, int] = {}
        self._lengths_by_prefix: dict[str, tuple[int, ...]] = {}
        self._anchors: dict[str, list[int]] = defaultdict(list)
        # per indicator: alternatives as tuples of part ids
        self._compiled: list[tuple[tuple[int, ...], ...]] = []
        self._by_first_part: dict[int, set[int]] = defaultdict(set)  # part id -> indicators it can start
        for idx, ind in enumerate(indicators):
            compiled = tuple(tuple(self._part_id(p) for p in alt) for alt in ind.patterns)
            self._compiled.append(compiled)
            for alt in compiled:
                self._by_first_part[alt[0]].add(idx)
        self._parts = list(self._part_ids)
        self._index_prefixes()
        self._index_anchors()

    def _part_id(self, text: str) -> int:
        return self._part_ids.setdefault(text, len(self._part_ids))

    def _index_prefixes(self) -> None:
        lengths: dict[str, set[int]] = defaultdict(set)
        for part in self._parts:
            lengths[part[0]].add(len(part))
        self._lengths_by_prefix = {k: tuple(sorted(v)) for k, v in lengths.items()}

    def _index_anchors(self) -> None:
        """Anchor each long part on two rarest bigrams that share no character."""
        bigram_df: Counter[str] = Counter()
        for part in self._parts:
            bigram_df.update({part[i : i + 2] for i in range(len(part) - 1)})
        for pid, part in enumerate(self._parts):
            if len(part) < _FUZZY_MIN_LEN or not _has_cjk(part):
                continue
            ranked = sorted(range(len(part) - 1), key=lambda i: (bigram_df[part[i : i + 2]], i))
            first = ranked[0]
            second = next((i for i in ranked[1:] if abs(i - first) >= 2), None)
            for i in (first, second):
                if i is not None:
                    self._anchors[part[i : i + 2]].append(pid)

    # -- parts ---------------------------------------------------------------

    def find_parts(self, text: str, clauses: list[Clause]) -> dict[int, list[PartHit]]:
        hits: dict[int, list[PartHit]] = defaultdict(list)
        exact_at: set[tuple[int, int]] = set()
        for i, ch in enumerate(text):
            lengths = self._lengths_by_prefix.get(ch)
            if not lengths:
                continue
            for length in lengths:
                pid = self._part_ids.get(text[i : i + length])
                if pid is not None:
                    hits[pid].append(PartHit(i, i + length, True))
                    exact_at.add((pid, i))
        self._find_fuzzy(text, clauses, hits, exact_at)
        for found in hits.values():
            found.sort(key=lambda h: h.start)
        return hits

    def _find_fuzzy(
        self, text: str, clauses: list[Clause], hits: dict[int, list[PartHit]], exact_at: set[tuple[int, int]]
    ) -> None:
        exact_parts = {pid for pid, _ in exact_at}
        clause_starts = [c.start for c in clauses]
        tried: set[tuple[int, int]] = set()
        for i in range(len(text) - 1):
            for pid in self._anchors.get(text[i : i + 2], ()):
                if pid in exact_parts:
                    continue
                k = max(bisect_left(clause_starts, i + 1) - 1, 0)
                if (pid, k) in tried or not clauses:
                    continue
                tried.add((pid, k))
                clause = clauses[k]
                found = self._verify(self._parts[pid], text, clause.start, clause.end)
                if found:
                    hits[pid].append(PartHit(found[0], found[1], False))

    @staticmethod
    def _verify(part: str, text: str, lo: int, hi: int) -> tuple[int, int] | None:
        window = text[lo:hi]
        if sum(ch in window for ch in part) < len(part) - 1:
            return None  # more than one character missing: neither a typo nor an insertion
        if len(part) >= _TYPO_MIN_LEN and len(window) >= len(part):
            cutoff = 100.0 * (1 - 1.0 / len(part)) - 0.01
            aligned = fuzz.partial_ratio_alignment(part, window, score_cutoff=cutoff)
            if aligned is not None:
                seen = window[aligned.dest_start : aligned.dest_end]
                if _plausible_typo(part, seen):
                    return lo + aligned.dest_start, lo + aligned.dest_end
        return _gapped(part, window, lo)

    # -- indicators ----------------------------------------------------------

    def match(self, text: str, clauses: list[Clause]) -> list[Hit]:
        parts = self.find_parts(text, clauses)
        sentence_of = _sentence_lookup(clauses, len(text))
        found: list[Hit] = []
        candidates = sorted({idx for pid in parts for idx in self._by_first_part.get(pid, ())})
        for idx in candidates:
            alternatives = self._compiled[idx]
            ind = self.indicators[idx]
            if ind.min_count > 1:
                hit = _count_hit(idx, alternatives, parts, ind.min_count)
                if hit:
                    found.append(hit)
                continue
            for a, alt in enumerate(alternatives):
                for spans, exact in _chain(alt, parts, sentence_of):
                    found.append(Hit(idx, spans, exact, (a,)))
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
        pos, inserted, ok = start + 1, [], True
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


def _chain(
    alt: tuple[int, ...], parts: dict[int, list[PartHit]], sentence_of: list[int]
) -> list[tuple[tuple[tuple[int, int], ...], bool]]:
    """Every occurrence of the first part, followed in order by the others nearby."""
    results = []
    for first in parts.get(alt[0], ()):
        spans = [(first.start, first.end)]
        exact = first.exact
        for pid in alt[1:]:
            prev_end = spans[-1][1]
            limit = sentence_of[min(prev_end, len(sentence_of) - 1)] + 1
            nxt = next((h for h in parts.get(pid, ()) if h.start >= prev_end and sentence_of[h.start] <= limit), None)
            if nxt is None:
                break
            spans.append((nxt.start, nxt.end))
            exact = exact and nxt.exact
        else:
            results.append((tuple(spans), exact))
    return results


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
