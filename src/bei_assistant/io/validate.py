"""``bei validate``: check rule files and question banks, one line per problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .banks import load_bank
from .rules import detect_kind, load_rules, yaml_files
from .yamlfile import LoadError, Problem, load_yaml


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, str] = field(default_factory=dict)  # file -> kind

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(paths: Sequence[Path], fallback_rules: Sequence[Path]) -> Report:
    """Check every file; banks are checked against the competencies of the rules among
    ``paths``, or of ``fallback_rules`` when none are given."""
    report = Report()
    files, report.problems = yaml_files(paths)
    rule_files: list[Path] = []
    bank_files: list[Path] = []
    for path in files:
        try:
            kind = detect_kind(load_yaml(path))
        except LoadError as exc:
            report.problems.extend(exc.problems)
            continue
        if kind is None:
            report.problems.append(Problem(str(path), 0, "unknown kind of file: expected a competency, cues, "
                                           "profiles, learned indicators or a question bank"))
            continue
        report.checked[str(path)] = kind
        (bank_files if kind == "bank" else rule_files).append(path)
    rules = None
    if rule_files:
        rules, problems = load_rules(rule_files)
        report.problems.extend(problems)
    if bank_files:
        if rules is None or not rules.competencies:
            rules, _ = load_rules(fallback_rules)
        roles = set(rules.profiles.roles) or None
        for path in bank_files:
            report.problems.extend(load_bank(path, set(rules.competencies), roles)[1])
    return report
