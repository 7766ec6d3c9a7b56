"""Writing learned indicators as an ordinary rules file that a person reviews and edits."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from ..core.learn import LearnedPhrase, Learning

HEADER = """\
# 从已编码的回答中学到的指标 — indicators learned from coded answers by `bei learn`.
# Each entry: the phrase (jieba words; {数} is any number), the level it marks when the coded
# answers agree on one, its weight (summed with the other evidence; 1.0 proposes a competency
# on its own), and the counts behind it: support = coded answers of the competency that use it,
# seen = all answers that use it. `questions` are words of the interviewer's question that came
# with a competency (they add weight only to a competency the answer shows). `adjust` re-weights
# written indicators by how often their competency was coded where they matched (right of fired).
# `thresholds` are per-competency thresholds set on held-out answers where they beat the default.
# Review, edit or delete entries freely; `bei code` uses this file beside the written rules when
# both are named with --rules.
"""


def _entries(phrases: list[LearnedPhrase]) -> dict[str, list[dict]]:
    by_comp: dict[str, list[dict]] = defaultdict(list)
    for p in phrases:
        entry: dict = {"phrase": p.display(), "weight": p.weight}
        if p.level is not None:
            entry["level"] = p.level
        entry.update(support=p.support, seen=p.seen)
        by_comp[p.competency].append(entry)
    return {comp: by_comp[comp] for comp in sorted(by_comp)}


def learned_yaml(learned: Learning, sources: list[str], answers: int) -> str:
    adjust: dict[str, list[dict]] = defaultdict(list)
    for a in learned.adjustments:
        adjust[a.competency].append({"indicator": a.label, "level": a.level, "weight": a.weight, "was": a.was,
                                     "right": a.right, "fired": a.fired})
    body = {
        "learned_from": sources,
        "answers": answers,
        "default_levels": dict(sorted(learned.default_levels.items())),
        "thresholds": dict(sorted(learned.thresholds.items())),
        "indicators": _entries(learned.phrases),
        "questions": _entries(learned.questions),
        "adjust": {comp: adjust[comp] for comp in sorted(adjust)},
    }
    dumped = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)
    return HEADER + dumped


def write_learned(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
