"""Coding services that compose the core engine with the file loaders.

The CLI, the sessions and the terminal UI all build engines, learn and measure through
these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import replace
from pathlib import Path

from .core.engine import Engine
from .core.learn import (
    APART,
    Coded,
    LearnedPhrase,
    Learning,
    LearnSettings,
    learn,
    phrases_of,
    settings_for,
    tune_thresholds,
)
from .core.measures import Measures, measure
from .core.model import Indicator, RuleSet, Source
from .io import cache
from .io.answers import Answer, read_answers
from .io.paths import default_rules
from .io.rules import load_rules
from .io.yamlfile import LoadError, Problem


def rule_paths(given: Sequence[Path] | None) -> list[Path]:
    return list(given) if given else [default_rules()]


def load_ruleset(paths: Sequence[Path] | None, learned: bool = True) -> tuple[RuleSet, list[Problem]]:
    rules, problems = load_rules(rule_paths(paths), learned)
    if not rules.competencies:
        problems.append(Problem(", ".join(map(str, rule_paths(paths))), 0, "no competency rules loaded"))
    return rules, problems


def build_engine(paths: Sequence[Path] | None, use_cache: bool = True) -> tuple[Engine, list[Problem]]:
    """An engine for the given rule files (default: the shipped ones) and the problems found."""
    key = cache.cache_key(rule_paths(paths)) if use_cache else None
    if key and (cached := cache.load(key)):
        return cached
    rules, problems = load_ruleset(paths)
    if not rules.competencies:
        raise LoadError(problems)
    engine = Engine(rules)
    if key:
        cache.save(key, engine, problems)
    return engine, problems


def read_gold(paths: Iterable[Path], known: set[str]) -> tuple[list[Answer], list[Problem]]:
    answers: list[Answer] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            with path.open(encoding="utf-8") as stream:
                for item in read_answers(stream, str(path), gold=True, known=known):
                    if isinstance(item, Problem):
                        problems.append(item)
                    else:
                        answers.append(item)
        except OSError as exc:
            problems.append(Problem(str(path), 0, f"cannot read: {exc.strerror or exc}"))
        except UnicodeDecodeError:
            problems.append(Problem(str(path), 0, "not UTF-8 text"))
    return answers, problems


def evaluate(engine: Engine, gold: Sequence[Answer]) -> Measures:
    proposed = {}
    for a in gold:
        result = engine.code(a.text, a.question, a.id)
        proposed[a.id] = {c.competency: c.level for c in result.codes}
    return measure({a.id: a.codes for a in gold}, proposed)


def coded_answer(engine: Engine, answer: Answer, apart: bool = False) -> Coded:
    """What learning needs of one coded answer, read with the engine's rules."""
    analysis = engine.analyse(answer.text)
    matches = engine.valid_matches(analysis)
    fired = frozenset(m.indicator.key for m in matches)
    question = engine.question_phrases(answer.question) if answer.question else frozenset()
    proposed = frozenset(c.competency for c in engine.code_analysed(analysis, matches, answer.question).codes)
    return Coded(phrases_of(analysis, apart), answer.codes, question, fired, proposed, group_of(answer.id))


def learn_from(engine: Engine, gold: Sequence[Answer], settings: LearnSettings | None = None) -> Learning:
    settings = settings or settings_for(len(gold))
    weights = {i.key: i.weight for i in engine.indicators if not i.exclusion}
    learning = learn([coded_answer(engine, a, settings.apart) for a in gold], weights, settings)
    folds = settings.threshold_folds
    if folds > 1 and len(gold) >= 10 * folds:
        learning.thresholds = _held_out_thresholds(engine, gold, folds, replace(settings, threshold_folds=0))
    return learning


def group_of(answer_id: str) -> str:
    return answer_id.rsplit("-", 1)[0] if "-" in answer_id else ""


def folds_of(gold: Sequence[Answer], k: int = 5) -> dict[str, list[Answer]]:
    """Held-out folds: the groups of the ids (the part before the last '-', e.g. a setting or a
    team's batch), else ``k`` interleaved folds when the ids carry no groups."""
    folds: dict[str, list[Answer]] = {}
    for a in gold:
        folds.setdefault(group_of(a.id) or "all", []).append(a)
    if len(folds) < 2:
        folds = {f"fold{n + 1}": list(gold[n::k]) for n in range(k)}
    return folds


def _held_out_thresholds(engine: Engine, gold: Sequence[Answer], k: int, settings: LearnSettings
                         ) -> dict[str, float]:
    """Learn on all folds but one and score that one, so thresholds are set on unseen answers.
    Folds follow the groups of the ids where there are some: a threshold set on answers of a
    setting the phrases were learned from would be too strict for a new setting."""
    scored = []
    for held in folds_of(gold, k).values():
        ids = {a.id for a in held}
        rest = [a for a in gold if a.id not in ids]
        fold_engine = Engine(with_learned(engine.rules, learn_from(engine, rest, settings)))
        for a in held:
            scores, flags = fold_engine.scores(a.text, a.question)
            scored.append(({} if flags else scores, set(a.codes)))
    return tune_thresholds(scored, engine.thresholds["competency"])


def learned_indicator(p: LearnedPhrase) -> Indicator:
    return Indicator(p.competency, p.level, (tuple(p.phrase.split(APART)),), p.weight, learned=True,
                     label=p.display(), alt_labels=(p.display(),), source=Source("<learned>"))


def with_learned(rules: RuleSet, learned: Learning) -> RuleSet:
    """The rules plus what was learned, as if the learned file had been loaded beside them."""
    combined = deepcopy(rules)
    combined.reweighted({(a.competency, a.level, a.label): a.weight for a in learned.adjustments})
    combined.learned += [learned_indicator(p) for p in learned.phrases]
    combined.question_indicators += [learned_indicator(p) for p in learned.questions]
    combined.default_levels = {**rules.default_levels, **learned.default_levels}
    combined.competency_thresholds = {**rules.competency_thresholds, **learned.thresholds}
    return combined


def cross_validate(rules: RuleSet, gold: Sequence[Answer], folds: dict[str, list[Answer]],
                   settings: LearnSettings | None = None) -> dict[str, Measures]:
    """Learn on all folds but one, measure on that one; the keys are the held-out folds."""
    base = Engine(rules)
    results = {}
    for name, held_out in folds.items():
        held = {a.id for a in held_out}
        learned = learn_from(base, [a for a in gold if a.id not in held], settings)
        results[name] = evaluate(Engine(with_learned(rules, learned)), held_out)
    return results
