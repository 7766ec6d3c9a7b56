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
from dataclasses import dataclass, field, replace

from .numbers import NUMBER_MARK, PLACEHOLDER

# Words that say nothing about a competency however often they co-occur with one.
STOPWORDS = frozenset(
    ["我", "我们", "你", "你们", "他", "她", "他们", "她们", "它", "咱", "咱们", "自己", "人家", "的", "了", "着", "过", "是", "在", "有", "和", "跟", "与", "就", "也", "都", "还", "又", "再", "才", "这", "那", "这个", "那个", "这些", "那些", "这样", "那样", "什么", "怎么", "一个", "一下", "一些", "一点", "一次", "一家", "然后", "后来", "当时", "因为", "所以", "但是", "可是", "不过", "而且", "如果", "就是", "还是", "或者", "吧", "吗", "呢", "啊", "嘛", "呀", "哦", "嗯", "说", "讲", "去", "来", "到", "给", "让", "把", "被", "对", "从", "为", "要", "会", "能", "想", "看", "做", "个", "些", "很", "太", "比较", "非常", "特别", "真的", "其实", "反正", "已经", "之后", "以后", "时候", "现在", "那时候", "客户", "银行", "我们行", "行里", "老板", "公司", "企业", "支行", "事情", "东西", "问题", "情况", "这种", "那种", "他的", "她的", "我的", "多少", "几个"]
)
_MAX_WEIGHT = 0.9


IndicatorKey = tuple[str, int | None, str]  # competency, level, the indicator as written


@dataclass(frozen=True)
class Coded:
    """One coded answer reduced to what learning needs."""

    phrases: frozenset[str]  # candidate phrases of its valid clauses
    codes: dict[str, int]  # competency -> level
    question: frozenset[str] = frozenset()  # words of the question asked
    fired: frozenset[IndicatorKey] = frozenset()  # written indicators the engine matched
    proposed: frozenset[str] = frozenset()  # competencies the current rules already propose
    group: str = ""  # the setting or batch the answer comes from (its id before the last '-')


@dataclass
class Adjustment:
    """A written indicator re-weighted by how often its competency was coded where it matched."""

    competency: str
    level: int | None
    label: str
    weight: float
    was: float
    right: int  # answers where it matched and the competency was coded
    fired: int  # answers where it matched


@dataclass
class Learning:
    phrases: list[LearnedPhrase]
    questions: list[LearnedPhrase]
    adjustments: list[Adjustment]
    default_levels: dict[str, int]
    thresholds: dict[str, float] = field(default_factory=dict)


THRESHOLD_GRID = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


def tune_thresholds(scored: list[tuple[dict[str, float], set[str]]], default: float,
                    min_gain: float = 0.02) -> dict[str, float]:
    """Per competency, the threshold on held-out scores that best separates the answers coded
    with it (F1); kept only where it beats the default threshold clearly."""
    found = {}
    for comp in sorted({c for scores, gold in scored for c in [*scores, *gold]}):
        def f1(t: float, comp: str = comp) -> float:
            tp = sum(1 for s, g in scored if s.get(comp, 0) >= t and comp in g)
            fp = sum(1 for s, g in scored if s.get(comp, 0) >= t and comp not in g)
            fn = sum(1 for s, g in scored if s.get(comp, 0) < t and comp in g)
            return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

        best = max(THRESHOLD_GRID, key=lambda t: (f1(t), -abs(t - default)))
        if f1(best) >= f1(default) + min_gain:
            found[comp] = best
    return found


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
    min_support: int = 2
    min_precision: float = 0.3
    prior: float = 1.0  # pseudo-answers at the base rate in the smoothed precision
    scale: float = 0.8  # weight of a phrase with certain precision and ample support
    level_agreement: float = 0.6
    max_per_competency: int = 250
    question_scale: float = 0.5  # weight of a question word that always came with the competency
    adjust_prior: float = 2.0  # pseudo-answers at the written weight's assumed precision
    adjust_precision: float = 0.5  # the precision a written indicator is assumed to have
    apart: bool = False  # also learn pairs of words apart in a clause (A…B)
    threshold_folds: int = 4  # held-out folds for per-competency thresholds (0: none)
    residual: bool = False  # learn phrases only from the codes the current rules miss
    min_groups: int = 1  # a phrase must mark the competency in this many groups (settings)


APART = "…"
SMALL_SET = 200  # fewer coded answers than this: learn only what they show clearly


def settings_for(answers: int, **given) -> LearnSettings:
    """Settings for a coded set of this size; ``given`` (None: unset) overrides them.

    A team's own set is small: a phrase seen twice, a written weight moved by one answer or a
    threshold tuned on a few dozen answers is noise that costs agreement on their next answers
    (measured on halves of the training settings), so a small set needs three uses of a phrase,
    a clear precision, a stronger pull towards the written weights and no thresholds of its own.
    """
    base = LearnSettings()
    if answers < SMALL_SET:
        base = replace(base, min_support=3, min_precision=0.6, adjust_prior=12.0, threshold_folds=0)
    return replace(base, **{k: v for k, v in given.items() if v is not None})


def candidate_phrases(words: Sequence[Sequence[str]], apart: bool = False) -> frozenset[str]:
    """Words and adjacent word pairs of each clause, without stopwords alone; with ``apart``
    also two content words of one clause that are not adjacent (``A…B``)."""
    found: set[str] = set()
    for clause in words:
        kept = [w for w in clause if w.strip()]
        content = []
        for i, w in enumerate(kept):
            if w not in STOPWORDS and len(w) >= 2 and not w.isdigit():
                found.add(w)
                content.append(i)
            if i + 1 < len(kept):
                pair = w + kept[i + 1]
                if len(pair) >= 3 and not (w in STOPWORDS and kept[i + 1] in STOPWORDS):
                    found.add(pair)
        if apart:
            found.update(kept[a] + APART + kept[b] for n, a in enumerate(content) for b in content[n + 1 :]
                         if b > a + 1)
    return frozenset(found)


def phrases_of(analysis, apart: bool = False) -> frozenset[str]:
    """Candidate phrases of the clauses of an ``engine.Analysis`` that the BEI rules accept."""
    return candidate_phrases([[t.word for t in analysis.tokens[k]]
                              for k in range(len(analysis.clauses)) if analysis.valid(k)], apart)


def learn(coded: Iterable[Coded], weights: dict[IndicatorKey, float] | None = None,
          settings: LearnSettings | None = None) -> Learning:
    """Phrases and question words per competency, re-weighted written indicators, usual levels.

    ``weights`` holds the current weight of each written indicator that may be re-weighted.
    """
    settings = settings or LearnSettings()
    answers = list(coded)
    seen: Counter[str] = Counter(p for a in answers for p in a.phrases)
    seen_q: Counter[str] = Counter(p for a in answers for p in a.question)
    by_comp: dict[str, list[Coded]] = defaultdict(list)
    for a in answers:
        for comp in a.codes:
            by_comp[comp].append(a)
    phrases: list[LearnedPhrase] = []
    questions: list[LearnedPhrase] = []
    default_levels = {}
    for comp, positives in sorted(by_comp.items()):
        default_levels[comp] = Counter(a.codes[comp] for a in positives).most_common(1)[0][0]
        if settings.residual:
            # what the rules already find needs no new phrase: learn from the codes they miss
            pool = [a for a in answers if not (comp in a.codes and comp in a.proposed)]
            missed = [a for a in positives if comp not in a.proposed]
            pool_seen: Counter[str] = Counter(p for a in pool for p in a.phrases)
            if missed:
                phrases.extend(_phrases_for(comp, missed, len(pool), pool_seen, settings, lambda a: a.phrases))
        else:
            phrases.extend(_phrases_for(comp, positives, len(answers), seen, settings, lambda a: a.phrases))
        asked = replace(settings, scale=settings.question_scale, level_agreement=2.0)
        questions.extend(_phrases_for(comp, positives, len(answers), seen_q, asked, lambda a: a.question))
    return Learning(phrases, questions, _adjust(answers, weights or {}, settings), default_levels)


def _adjust(answers: list[Coded], weights: dict[IndicatorKey, float], settings: LearnSettings) -> list[Adjustment]:
    fired: Counter[IndicatorKey] = Counter(k for a in answers for k in a.fired)
    right: Counter[IndicatorKey] = Counter(k for a in answers for k in a.fired if k[0] in a.codes)
    found = []
    for key, n in sorted(fired.items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2])):
        was = weights.get(key)
        if was is None:
            continue
        precision = (right[key] + settings.adjust_prior * settings.adjust_precision) / (n + settings.adjust_prior)
        weight = round(min(1.5 * was, was * precision / settings.adjust_precision), 3)
        if abs(weight - was) >= 0.05:
            found.append(Adjustment(key[0], key[1], key[2], weight, was, right[key], n))
    return found


def _phrases_for(comp: str, positives: list[Coded], total: int, seen: Counter[str],
                 settings: LearnSettings, phrases_of_answer) -> list[LearnedPhrase]:
    base_rate = len(positives) / total
    groups: dict[str, set[str]] = defaultdict(set)
    levels: dict[str, Counter[int]] = defaultdict(Counter)
    for a in positives:
        for p in phrases_of_answer(a):
            groups[p].add(a.group)
            levels[p][a.codes[comp]] += 1
    min_groups = min(settings.min_groups, len({a.group for a in positives}))
    found = []
    for phrase, by_level in levels.items():
        n = by_level.total()  # coded answers of the competency that use it
        if n < settings.min_support or len(groups[phrase]) < min_groups:
            continue
        precision = (n + settings.prior * base_rate) / (seen[phrase] + settings.prior)
        if precision < settings.min_precision:
            continue
        lift = (precision - base_rate) / (1 - base_rate)
        weight = settings.scale * lift * (1 - math.exp(-n / settings.min_support))
        level, agreeing = by_level.most_common(1)[0]
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
