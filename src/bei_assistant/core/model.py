"""Plain data of the coding scheme: competencies, indicators, cues and profiles.

These are what the YAML loaders in ``bei_assistant.io`` produce and what the engine
consumes; nothing here knows about files, the database or the UI.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

LEVELS = (1, 2, 3, 4, 5)
STAR_KEYS = ("S", "T", "A", "R")


@dataclass(frozen=True)
class Source:
    """Where a rule came from, so that every message can name ``file:line``."""

    path: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Indicator:
    """One behavioural indicator of a competency level.

    ``patterns`` holds the alternatives (``A|B``); each alternative is a tuple of
    parts that must occur in order (``A…B``).  ``min_count`` > 1 makes it a count
    rule: that many occurrences of any alternative anywhere in the answer.
    """

    competency: str
    level: int | None
    patterns: tuple[tuple[str, ...], ...]
    weight: float = 1.0
    min_count: int = 1
    any_actor: bool = False
    learned: bool = False
    exclusion: bool = False  # a false friend: cancels the competency's matches in its clause
    label: str = ""
    alt_labels: tuple[str, ...] = ()  # each alternative as written, shown as the matched indicator
    source: Source = Source()

    @property
    def key(self) -> tuple[str, int | None, str]:
        return self.competency, self.level, self.label

    def shown(self, alternative: int) -> str:
        return self.alt_labels[alternative] if alternative < len(self.alt_labels) else self.label


@dataclass
class CompetencyLevel:
    level: int
    anchor: str = ""
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Competency:
    code: str
    name: str
    definition: str = ""
    levels: dict[int, CompetencyLevel] = field(default_factory=dict)
    exclusions: list[Indicator] = field(default_factory=list)
    any_actor: bool = False
    source: Source = Source()


@dataclass
class Cues:
    """Global cue lists of the BEI rules (``coding_rules/cues.yaml``)."""

    negation: list[str] = field(default_factory=list)
    negation_exceptions: list[str] = field(default_factory=list)
    hypothetical: list[str] = field(default_factory=list)
    future: list[str] = field(default_factory=list)
    generic_questions: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)
    opinion: list[str] = field(default_factory=list)
    intention: list[str] = field(default_factory=list)
    specific: list[str] = field(default_factory=list)
    perception: list[str] = field(default_factory=list)
    anticipation: list[str] = field(default_factory=list)  # 担心万一…: a real worry, not a hypothetical
    findings_count_for: list[str] = field(default_factory=list)  # competencies a finding evidences
    collective: list[str] = field(default_factory=list)
    self_actor: list[str] = field(default_factory=list)
    other_actor: list[str] = field(default_factory=list)
    colleagues: list[str] = field(default_factory=list)
    organisation: list[str] = field(default_factory=list)
    fillers: list[str] = field(default_factory=list)
    typos: dict[str, str] = field(default_factory=dict)
    split_words: list[str] = field(default_factory=list)
    star: dict[str, list[str]] = field(default_factory=dict)
    probes: dict[str, str] = field(default_factory=dict)
    flag_probes: dict[str, str] = field(default_factory=dict)
    question_targets: dict[str, list[str]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)


@dataclass
class Profiles:
    """Target levels per role and grade, and competency weights per role."""

    roles: dict[str, str] = field(default_factory=dict)  # role id -> Chinese name
    role_aliases: dict[str, str] = field(default_factory=dict)  # alias -> role id
    grades: list[str] = field(default_factory=list)  # lowest to highest
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    targets: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def role_id(self, name: str) -> str | None:
        return name if name in self.roles else self.role_aliases.get(name)


@dataclass
class RuleSet:
    competencies: dict[str, Competency] = field(default_factory=dict)
    cues: Cues = field(default_factory=Cues)
    profiles: Profiles = field(default_factory=Profiles)
    learned: list[Indicator] = field(default_factory=list)
    question_indicators: list[Indicator] = field(default_factory=list)  # words of questions that target a competency
    default_levels: dict[str, int] = field(default_factory=dict)  # level when the evidence names none
    competency_thresholds: dict[str, float] = field(default_factory=dict)  # learned, per competency
    sources: list[str] = field(default_factory=list)

    def reweighted(self, weights: dict[tuple[str, int | None, str], float]) -> None:
        """Give written indicators new weights (learned from coded answers), keyed as in ``Indicator.key``."""
        def reweigh(found: list[Indicator]) -> list[Indicator]:
            return [replace(i, weight=weights[i.key]) if i.key in weights else i for i in found]

        for comp in self.competencies.values():
            for level in comp.levels.values():
                level.indicators = reweigh(level.indicators)
        self.learned = reweigh(self.learned)

    def names(self) -> dict[str, str]:
        """Competency code -> Chinese name."""
        return {code: comp.name for code, comp in self.competencies.items()}

    def indicators(self) -> list[Indicator]:
        found = [i for c in self.competencies.values() for lv in c.levels.values() for i in lv.indicators]
        excluded = [i for c in self.competencies.values() for i in c.exclusions]
        return found + [i for i in self.learned if i.competency in self.competencies] + excluded

    @property
    def version(self) -> str:
        """A short fingerprint of the rules, stored beside every suggestion."""
        digest = hashlib.sha1()
        for ind in self.indicators():
            digest.update(f"{ind.competency}{ind.level}{ind.patterns}{ind.weight}{ind.min_count}".encode())
        for name, value in sorted(self.cues.thresholds.items()):
            digest.update(f"{name}={value}".encode())
        return digest.hexdigest()[:10]
