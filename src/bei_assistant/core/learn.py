"""Learning indicator phrases from coded answers.

Candidates are the jieba words and word pairs of the clauses the BEI rules accept (the
speaker's own, past, un-negated behaviour), so a phrase said only in hypotheticals or
habits is never learned.  A phrase becomes an indicator of a competency when the answers
coded with that competency use it clearly more often than the others (a smoothed
precision over the base rate); its weight grows with that precision and its support, and
it carries a level when the answers that use it agree on one.  The output is plain data
that a person can read and edit: phrase, competency, level, weight and the counts behind it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .numbers import NUMBER_MARK, PLACEHOLDER

# Words that say nothing about a competency however often they co-occur with one.
STOPWORDS = frozenset(
    "我 我们 你 你们 他 她 他们 她们 它 咱 咱们 自己 人家 的 了 着 过 是 在 有 和 跟 与 就 也 都 还 又 再 才 "
    "这 那 这个 那个 这些 那些 这样 那样 什么 怎么 一个 一下 一些 一点 一次 一家 然后 后来 当时 因为 所以 "
    "但是 可是 不过 而且 如果 就是 还是 或者 吧 吗 呢 啊 嘛 呀 哦 嗯 说 讲 去 来 到 给 让 把 被 对 从 "
    "为 要 会 能 想 看 做 个 些 很 太 比较 非常 特别 真的 其实 反正 已经 之后 以后 时候 现在 那时候 "
    "客户 银行 我们行 行里 老板 公司 企业 支行 事情 东西 问题 情况 这种 那种 他的 她的 我的 多少 几个".split()
)
_MAX_WEIGHT = 0.9


@dataclass(frozen=True)
class Coded:
    """One coded answer reduced to what learning needs."""

    phrases: frozenset[str]  # candidate phrases of its valid clauses
    codes: dict[str, int]  # competency -> level


@dataclass
class LearnedPhrase:
    competency: str
    phrase: str
    weight: float
    level: int | None
    support: int  # coded answers of the competency that use it
    seen: int  # all answers that use it

    def display(self) -> str:
        return self.phrase.replace(NUMBER_MARK, PLACEHOLDER)


@dataclass
class LearnSettings:
    min_support: int = 3
    min_precision: float = 0.4
    prior: float = 2.0  # pseudo-answers at the base rate in the smoothed precision
    scale: float = 0.55  # weight of a phrase with certain precision and ample support
    level_agreement: float = 0.7
    max_per_competency: int = 120


def candidate_phrases(words: Sequence[Sequence[str]]) -> frozenset[str]:
    """Words and adjacent word pairs of each clause, without stopwords alone."""
    found: set[str] = set()
    for clause in words:
        kept = [w for w in clause if w.strip()]
        for i, w in enumerate(kept):
            if w not in STOPWORDS and len(w) >= 2 and not w.isdigit():
                found.add(w)
            if i + 1 < len(kept):
                pair = w + kept[i + 1]
                if len(pair) >= 3 and not (w in STOPWORDS and kept[i + 1] in STOPWORDS):
                    found.add(pair)
    return frozenset(found)


def phrases_of(analysis) -> frozenset[str]:
    """Candidate phrases of the clauses of an ``engine.Analysis`` that the BEI rules accept."""
    return candidate_phrases([[t.word for t in analysis.tokens[k]]
                              for k in range(len(analysis.clauses)) if analysis.valid(k)])


def learn(coded: Iterable[Coded], settings: LearnSettings | None = None) -> tuple[list[LearnedPhrase], dict[str, int]]:
    """Indicator phrases per competency, and each competency's most common level."""
    settings = settings or LearnSettings()
    answers = list(coded)
    seen: Counter[str] = Counter(p for a in answers for p in a.phrases)
    by_comp: dict[str, list[Coded]] = defaultdict(list)
    for a in answers:
        for comp in a.codes:
            by_comp[comp].append(a)
    learned: list[LearnedPhrase] = []
    default_levels = {}
    for comp, positives in sorted(by_comp.items()):
        default_levels[comp] = Counter(a.codes[comp] for a in positives).most_common(1)[0][0]
        learned.extend(_phrases_for(comp, positives, len(answers), seen, settings))
    return learned, default_levels


def _phrases_for(comp: str, positives: list[Coded], total: int, seen: Counter[str],
                 settings: LearnSettings) -> list[LearnedPhrase]:
    base_rate = len(positives) / total
    support: Counter[str] = Counter(p for a in positives for p in a.phrases)
    levels: dict[str, Counter[int]] = defaultdict(Counter)
    for a in positives:
        for p in a.phrases:
            levels[p][a.codes[comp]] += 1
    found = []
    for phrase, n in support.items():
        if n < settings.min_support:
            continue
        precision = (n + settings.prior * base_rate) / (seen[phrase] + settings.prior)
        if precision < settings.min_precision:
            continue
        lift = (precision - base_rate) / (1 - base_rate)
        weight = settings.scale * lift * (1 - math.exp(-n / settings.min_support))
        level, agreeing = levels[phrase].most_common(1)[0]
        found.append(LearnedPhrase(comp, phrase, round(min(weight, _MAX_WEIGHT), 3),
                                   level if agreeing / n >= settings.level_agreement else None, n, seen[phrase]))
    found.sort(key=lambda p: (-p.weight, p.phrase))
    return _drop_contained(found)[: settings.max_per_competency]


def _drop_contained(found: list[LearnedPhrase]) -> list[LearnedPhrase]:
    """A pair that only repeats a stronger word of its own adds nothing but double counting."""
    kept: list[LearnedPhrase] = []
    for p in found:
        if any(k.phrase in p.phrase and k.weight >= p.weight for k in kept):
            continue
        kept.append(p)
    return kept
