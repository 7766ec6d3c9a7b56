"""The coding engine: an answer in, suggested competency levels with their evidence out.

``Engine(rules).code(text, question)`` is the one public entry point; it depends on
nothing but the rules it was given (no UI, no database).  Building an ``Engine`` compiles
the rules once; coding an answer is one scan of its text.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .context import ACTING, Actor, ClauseContext, ContextReader, Mode
from .matcher import Hit, Matcher
from .model import LEVELS, Indicator, RuleSet
from .result import CodeSuggestion, CodingResult, Evidence
from .segment import Segmenter, Token, registrable_words
from .star import StarReader
from .text import Clause, Normaliser, NormText, alternation, blank_quoted, split_clauses

DEFAULT_THRESHOLDS = {
    "competency": 1.0,  # summed indicator weight needed to propose a competency
    "level": 0.75,  # summed weight needed for a level to count as supported
    "level_floor": 0.3,  # when no level is supported: the highest level with at least this weight
    "question_boost": 0.25,  # added when the question targets a competency that has evidence
    "default_level": 2,
    "max_codes": 3,  # an answer rarely shows more competencies than this
    "relative": 0.0,  # a competency must score at least this share of the answer's best one
}


def _extent(m: Match) -> int:
    return m.spans[-1][1] - m.spans[0][0]


class Match(NamedTuple):
    """An indicator found in a valid context (the speaker's own, past, un-negated behaviour)."""

    indicator: Indicator
    spans: tuple[tuple[int, int], ...]
    labels: tuple[str, ...]  # the alternative shown for each span (one for A…B)


@dataclass
class Analysis:
    """An answer read for coding; shared by the engine, the learner and the UI."""

    raw: str
    norm: NormText
    clauses: list[Clause]
    tokens: list[list[Token]]
    contexts: list[ClauseContext]

    def clause_at(self, pos: int) -> int:
        """The clause holding ``pos`` (or the last one starting before it)."""
        return max(bisect_right(self.clause_starts, pos) - 1, 0)

    @cached_property
    def clause_starts(self) -> list[int]:
        return [c.start for c in self.clauses]

    def valid(self, k: int) -> bool:
        ctx = self.contexts[k]
        return (ctx.actor in ACTING or ctx.actor is Actor.FOUND) and ctx.mode in (Mode.EVENT, Mode.INTENTION)


class Engine:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        cues = rules.cues
        self.thresholds = {**DEFAULT_THRESHOLDS, **cues.thresholds}
        self.indicators = rules.indicators()
        self.normaliser = Normaliser(cues.typos, cues.fillers)
        words = registrable_words(p for ind in self.indicators for alt in ind.patterns for p in alt)
        self.segmenter = Segmenter(words, cues.split_words)
        self.matcher = Matcher(self.indicators)
        self.reader = ContextReader(cues)
        self.star = StarReader(cues, self.reader)
        self._found_evidences = frozenset(cues.findings_count_for)
        self._question_targets = [(k.split("|"), v) for k, v in cues.question_targets.items()]
        self._question_words: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for ind in rules.question_indicators:
            for phrase in {p for alt in ind.patterns for p in alt}:
                self._question_words[phrase].append((ind.competency, ind.weight))
        self._question_re = alternation(self._question_words)
        self.version = rules.version

    # -- reading -------------------------------------------------------------

    def analyse(self, text: str) -> Analysis:
        norm = self.normaliser.normalise(text)
        clauses = split_clauses(norm.text)
        all_tokens = self.segmenter.tokens(norm.text)
        per_clause: list[list[Token]] = [[] for _ in clauses]
        k = 0
        for tok in all_tokens:
            while k < len(clauses) - 1 and tok.start >= clauses[k].end:
                k += 1
            if clauses and clauses[k].start <= tok.start < clauses[k].end:
                per_clause[k].append(tok)
        contexts = self.reader.clause_modes(norm.text, clauses, per_clause, blank_quoted(text, norm))
        return Analysis(text, norm, clauses, per_clause, contexts)

    def valid_matches(self, analysis: Analysis) -> list[Match]:
        hits = self.matcher.match(analysis.norm.text, analysis.clauses) if analysis.clauses else []
        excluded = self._excluded_clauses(analysis, hits)
        matches = []
        for hit in hits:
            ind = self.indicators[hit.indicator]
            if ind.exclusion:
                continue
            if ind.min_count > 1:
                kept = [(s, ind.shown(a)) for s, a in zip(hit.spans, hit.alternatives, strict=True)
                        if self._span_counts(analysis, ind, s, excluded)]
                if len(kept) >= ind.min_count:
                    matches.append(Match(ind, tuple(s for s, _ in kept), tuple(lb for _, lb in kept)))
            elif self._span_counts(analysis, ind, hit.spans[0], excluded) and not any(
                self._negated(analysis, s) for s in hit.spans[1:]
            ):
                matches.append(Match(ind, hit.spans, (ind.shown(hit.alternatives[0]),)))
        return matches

    def _excluded_clauses(self, analysis: Analysis, hits: list[Hit]) -> set[tuple[str, int]]:
        found = set()
        for hit in hits:
            ind = self.indicators[hit.indicator]
            if ind.exclusion:
                found.add((ind.competency, analysis.clause_at(hit.spans[0][0])))
        return found

    def _span_counts(self, analysis: Analysis, ind: Indicator, span: tuple[int, int], excluded: set) -> bool:
        k = analysis.clause_at(span[0])
        if (ind.competency, k) in excluded:
            return False
        ctx = analysis.contexts[k]
        if ctx.mode not in (Mode.EVENT, Mode.INTENTION):
            return False
        if ctx.mode is Mode.INTENTION and (ind.level or 1) > 1:
            return False  # an intention is only level-1 evidence (ACH 1, IMP 1)
        if not (ind.any_actor or ctx.actor in ACTING
                or (ctx.actor is Actor.FOUND and ind.competency in self._found_evidences)):
            return False  # what the speaker found out shows his looking (RISK, INFO), not his acting
        return not self._negated(analysis, span)

    def _negated(self, analysis: Analysis, span: tuple[int, int]) -> bool:
        k = analysis.clause_at(span[0])
        return self.reader.negated(span[0], analysis.clauses[k], analysis.tokens[k], analysis.norm.text)

    # -- coding --------------------------------------------------------------

    def code(self, text: str, question: str | None = None, answer_id: str | None = None) -> CodingResult:
        analysis = self.analyse(text)
        return self.code_analysed(analysis, self.valid_matches(analysis), question, answer_id)

    def code_analysed(self, analysis: Analysis, matches: list[Match], question: str | None = None,
                      answer_id: str | None = None) -> CodingResult:
        """``code`` for an answer already read (the learner reads each answer once)."""
        flags, flag_evidence = self.star.flags(analysis, question)
        star = self.star.star(analysis, matches)
        codes = [] if flags else self._codes(analysis, matches, question)
        probes = self.star.probes(star, flags)
        return CodingResult(answer_id, codes, flags, star, probes, flag_evidence)

    def scores(self, text: str, question: str | None = None) -> tuple[dict[str, float], list[str]]:
        """Each competency's summed evidence in an answer, and the answer's flags (for learning)."""
        analysis = self.analyse(text)
        flags, _ = self.star.flags(analysis, question)
        return self.scores_analysed(self.valid_matches(analysis), question), flags

    def scores_analysed(self, matches: list[Match], question: str | None = None) -> dict[str, float]:
        """``scores`` of an answer already read: no second pass over its text."""
        return self._scores(self._by_competency(matches), question)

    @staticmethod
    def _by_competency(matches: list[Match]) -> dict[str, dict[str, Match]]:
        """Each indicator counts once per answer, with its tightest match (A…B: the nearest A)."""
        by_comp: dict[str, dict[str, Match]] = defaultdict(dict)
        for m in matches:
            key = f"{m.indicator.source}{m.indicator.label}"
            best = by_comp[m.indicator.competency].get(key)
            if best is None or _extent(m) < _extent(best):
                by_comp[m.indicator.competency][key] = m
        return by_comp

    def _scores(self, by_comp: dict[str, dict[str, Match]], question: str | None) -> dict[str, float]:
        prior = self.question_prior(question)
        return {comp: sum(m.indicator.weight for m in found.values()) + prior.get(comp, 0.0)
                for comp, found in by_comp.items()}

    def threshold(self, comp: str) -> float:
        return self.rules.competency_thresholds.get(comp, self.thresholds["competency"])

    def _codes(self, analysis: Analysis, matches: list[Match], question: str | None) -> list[CodeSuggestion]:
        by_comp = self._by_competency(matches)
        scores = self._scores(by_comp, question)
        ranked = sorted(scores, key=lambda c: -scores[c])
        top = scores[ranked[0]] if ranked else 0.0
        kept = [c for c in ranked[: int(self.thresholds["max_codes"])]
                if scores[c] >= self.threshold(c) and scores[c] >= self.thresholds["relative"] * top]
        codes = []
        for comp in kept:
            found, score = by_comp[comp], scores[comp]
            support = self._level_support(found.values())
            level = self._choose_level(support, comp)
            confidence = round(min(0.99, 1 - math.exp(-score / self.threshold(comp))), 2)
            codes.append(CodeSuggestion(comp, level, confidence, self._evidence(analysis, found.values()),
                                        round(score, 3), support))
        codes.sort(key=lambda c: -c.score)
        return codes

    @staticmethod
    def _level_support(found) -> dict[int, float]:
        support: dict[int, float] = defaultdict(float)
        for m in found:
            if m.indicator.level:
                support[m.indicator.level] += m.indicator.weight
        return dict(support)

    def _choose_level(self, support: dict[int, float], comp: str) -> int:
        for level in reversed(LEVELS):
            if support.get(level, 0.0) >= self.thresholds["level"]:
                return level
        floor = [lv for lv, w in support.items() if w >= self.thresholds["level_floor"]]
        if floor:  # the coder's rule: the highest level the answer shows, weak as the evidence is
            return max(floor)
        if support:
            return max(support, key=lambda lv: (support[lv], -lv))
        return self.rules.default_levels.get(comp, int(self.thresholds["default_level"]))

    def question_prior(self, question: str | None) -> dict[str, float]:
        """Extra weight for the competencies a question targets; it never proposes a code alone
        because it is only added to competencies that have evidence in the answer."""
        if not question:
            return {}
        q = self.normaliser.normalise(question).text
        prior: dict[str, float] = defaultdict(float)
        for keys, comps in self._question_targets:
            if any(k in q for k in keys):
                for comp in comps:
                    prior[comp] = max(prior[comp], self.thresholds["question_boost"])
        if self._question_re is not None:
            said = {m.group(0) for k in range(len(q)) if (m := self._question_re.match(q, k))}
            for phrase in said:
                for comp, weight in self._question_words[phrase]:
                    prior[comp] += weight
        return dict(prior)

    def question_phrases(self, question: str) -> frozenset[str]:
        """Candidate phrases of a question, for learning which questions target what."""
        from .learn import candidate_phrases

        text = self.normaliser.normalise(question).text
        return candidate_phrases([[t.word for t in self.segmenter.tokens(c.slice(text))]
                                  for c in split_clauses(text)])

    @staticmethod
    def _evidence(analysis: Analysis, found) -> list[Evidence]:
        """Matched indicators grouped by the stretch of the answer they cover, in reading order."""
        pieces: list[tuple[int, int, str]] = []
        for m in found:
            # each part is its own highlight: A…B marks A and B, not everything between them
            labels = m.labels if len(m.labels) == len(m.spans) else m.labels * len(m.spans)
            pieces.extend((s, e, label) for (s, e), label in zip(m.spans, labels, strict=True))
        pieces.sort()
        merged: list[tuple[int, int, list[str]]] = []
        for start, end, label in pieces:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], end), [*last[2], label])
            else:
                merged.append((start, end, [label]))
        evidence = []
        for start, end, labels in merged:
            a, b = analysis.norm.span(start, end)
            evidence.append(Evidence(a, b, analysis.raw[a:b], list(dict.fromkeys(labels))))
        return evidence
