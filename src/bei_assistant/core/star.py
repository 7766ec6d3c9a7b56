"""STAR completeness (情境、任务、行动、结果) and the BEI flags of an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import Actor, ContextReader, Mode
from .model import STAR_KEYS, Cues
from .result import Evidence

if TYPE_CHECKING:
    from .engine import Analysis, Match

HYPOTHETICAL = "hypothetical"
COLLECTIVE = "collective"
GENERIC = "generic"
_FLAG_MODES = {HYPOTHETICAL: (Mode.HYPOTHETICAL,), GENERIC: (Mode.HABITUAL, Mode.OPINION)}


class StarReader:
    def __init__(self, cues: Cues, reader: ContextReader) -> None:
        self.cues = cues
        self.reader = reader

    def flags(self, analysis: Analysis, question: str | None = None) -> tuple[list[str], dict[str, list[Evidence]]]:
        """Flag an answer that tells no specific first-person event.

        A hypothetical or generic passage inside a real event is only left uncoded; the whole
        answer is flagged when no clause marks a particular occasion, and "we" when the speaker
        never acts.
        """
        contexts = analysis.contexts
        if not contexts:
            return [], {}
        specific = any(c.specific for c in contexts) or self._acted(analysis)
        flags: list[str] = []
        evidence: dict[str, list[Evidence]] = {}
        for flag, modes in _FLAG_MODES.items():
            ks = [k for k, c in enumerate(contexts) if c.mode in modes]
            if ks and not specific and len(ks) / len(contexts) >= 0.25:
                flags.append(flag)
                evidence[flag] = [self._clause_evidence(analysis, k, analysis.contexts[k].mode.value) for k in ks[:3]]
        asks_view = (question and any(q in question for q in self.cues.generic_questions)
                     and not self.reader.specific(question))  # 你当时怎么看: a probe
        if asks_view and not specific and not flags:
            flags.append(GENERIC)  # asked for a view or a plan, and no event was told
            evidence[GENERIC] = [self._clause_evidence(analysis, 0, "view or plan asked, no event told")]
        we = [k for k, c in enumerate(contexts) if c.actor is Actor.WE]
        if we and not any(c.actor is Actor.SELF or self.reader.speaker_named(tokens)
                          for c, tokens in zip(contexts, analysis.tokens, strict=True)):
            flags.append(COLLECTIVE)
            evidence[COLLECTIVE] = [self._clause_evidence(analysis, k, "we") for k in we[:3]]
        return flags, evidence

    def _acted(self, analysis: Analysis) -> bool:
        """The speaker tells something they did (我打电话问了他们财务): a particular occasion even
        without a date or 那次."""
        return any(ctx.actor is Actor.SELF and ctx.mode is Mode.EVENT
                   and any(t.word.endswith("了") for t in tokens)
                   and not any(t.word in self.reader.negators for t in tokens)
                   for ctx, tokens in zip(analysis.contexts, analysis.tokens, strict=True))

    @staticmethod
    def _clause_evidence(analysis: Analysis, k: int, why: str) -> Evidence:
        clause = analysis.clauses[k]
        a, b = analysis.norm.span(clause.start, clause.end)
        return Evidence(a, b, analysis.raw[a:b], [why])

    def star(self, analysis: Analysis, matches: list[Match]) -> dict[str, bool]:
        text = analysis.norm.text
        cues = self.cues.star
        found = {key: any(c in text for c in cues.get(key, ())) for key in STAR_KEYS}
        found["S"] = found["S"] or any(c.specific for c in analysis.contexts)
        verbs = set(cues.get("A", ()))
        acting = any(analysis.valid(k) and any(t.word.rstrip("了过着") in verbs for t in analysis.tokens[k])
                     for k in range(len(analysis.clauses)))
        found["A"] = acting or bool(matches)
        return found

    def probes(self, star: dict[str, bool], flags: list[str]) -> list[str]:
        asked = [self.cues.flag_probes[f] for f in flags if f in self.cues.flag_probes]
        asked += [self.cues.probes[k] for k in STAR_KEYS if not star.get(k) and k in self.cues.probes]
        return asked

