"""Coding services that compose the core engine with the file loaders.

The CLI, the sessions and the terminal UI all build engines, learn and measure through
these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .core.engine import Engine
from .core.learn import Coded, LearnedPhrase, LearnSettings, learn, phrases_of
from .core.measures import Measures, measure
from .core.model import Indicator, RuleSet, Source
from .io.answers import Answer, read_answers
from .io.paths import default_rules
from .io.rules import load_rules
from .io.yamlfile import LoadError, Problem


def rule_paths(given: Sequence[Path] | None) -> list[Path]:
    return list(given) if given else [default_rules()]


def load_ruleset(paths: Sequence[Path] | None) -> tuple[RuleSet, list[Problem]]:
    rules, problems = load_rules(rule_paths(paths))
    if not rules.competencies:
        problems.append(Problem(", ".join(map(str, rule_paths(paths))), 0, "no competency rules loaded"))
    return rules, problems


def build_engine(paths: Sequence[Path] | None) -> tuple[Engine, list[Problem]]:
    """An engine for the given rule files (default: the shipped ones) and the problems found."""
    rules, problems = load_ruleset(paths)
    if not rules.competencies:
        raise LoadError(problems)
    return Engine(rules), problems


def read_gold(paths: Iterable[Path], known: set[str]) -> tuple[list[Answer], list[Problem]]:
    answers: list[Answer] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            with path.open(encoding="utf-8") as stream:
                for item in read_answers(stream, str(path), gold=True, known=known):
                    (problems if isinstance(item, Problem) else answers).append(item)
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


@dataclass
class Learned:
    phrases: list[LearnedPhrase]
    default_levels: dict[str, int]
    answers: int


def learn_from(engine: Engine, gold: Sequence[Answer], settings: LearnSettings | None = None) -> Learned:
    coded = [Coded(phrases_of(engine.analyse(a.text)), a.codes) for a in gold]
    phrases, levels = learn(coded, settings)
    return Learned(phrases, levels, len(gold))


def with_learned(rules: RuleSet, learned: Learned, engine: Engine) -> RuleSet:
    """The rules plus learned phrases, as if the learned file had been loaded beside them."""
    extra = [
        Indicator(p.competency, p.level, ((p.phrase,),), p.weight, learned=True, label=p.display(),
                  alt_labels=(p.display(),), source=Source("<learned>"))
        for p in learned.phrases
    ]
    levels = {**learned.default_levels, **rules.default_levels}
    return replace(rules, learned=[*rules.learned, *extra], default_levels=levels)


def cross_validate(rules: RuleSet, gold: Sequence[Answer], folds: dict[str, list[Answer]],
                   settings: LearnSettings | None = None) -> dict[str, Measures]:
    """Learn on all folds but one, measure on that one; the keys are the held-out folds."""
    base = Engine(rules)
    results = {}
    for name, held_out in folds.items():
        held = {a.id for a in held_out}
        learned = learn_from(base, [a for a in gold if a.id not in held], settings)
        results[name] = evaluate(Engine(with_learned(rules, learned, base)), held_out)
    return results
