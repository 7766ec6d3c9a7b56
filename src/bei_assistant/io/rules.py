"""Loading coding rules from YAML: competencies, cues, target profiles and learned indicators.

Each file's kind is told by its content (see ``detect_kind``).  A problem in one file or one
entry is reported as ``file:line: message`` and the rest is still loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.model import LEVELS, Competency, CompetencyLevel, Indicator, RuleSet, Source
from ..core.text import Normaliser
from .yamlfile import LineDict, LoadError, Problem, line, line_of, load_yaml

KINDS = ("competency", "cues", "profiles", "learned", "bank")
_APART = re.compile(r"…+|\.{3,}")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,11}$")


def detect_kind(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if "competency" in data and "levels" in data:
        return "competency"
    if "cues" in data:
        return "cues"
    if "profiles" in data or "roles" in data:
        return "profiles"
    if "learned_from" in data:
        return "learned"
    if "events" in data or "bank" in data:
        return "bank"
    return None


def yaml_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                problems.append(Problem(str(path), 0, "no .yaml files in this folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, "no such file or folder"))
    return files, problems


class RulesLoader:
    """Builds one RuleSet from several files, collecting problems as it goes."""

    def __init__(self) -> None:
        self.rules = RuleSet()
        self.problems: list[Problem] = []
        self._normaliser = Normaliser()
        self._seen_codes: dict[str, str] = {}
        self._profile_lines: dict[str, tuple[str, int, Any]] = {}
        self._cue_codes: list[tuple[str, int, list[str]]] = []  # cue lists of competency codes

    def load(self, paths: Iterable[Path], learned: bool = True) -> tuple[RuleSet, list[Problem]]:
        """``learned=False`` leaves learned files out (cross-validation learns afresh)."""
        files, self.problems = yaml_files(paths)
        parsed: list[tuple[Path, str, Any]] = []
        for path in files:
            try:
                data = load_yaml(path)
            except LoadError as exc:
                self.problems.extend(exc.problems)
                continue
            kind = detect_kind(data)
            if kind is None:
                self.problems.append(Problem(str(path), line(data), "not a rules file: expected a competency "
                                             "(competency, levels), cues, profiles or learned_from key"))
                continue
            if learned or kind != "learned":
                parsed.append((path, kind, data))
        # Cues first: their typo table normalises every phrase that follows.
        for path, kind, data in sorted(parsed, key=lambda item: KINDS.index(item[1])):
            getattr(self, f"_load_{kind}")(str(path), data)
            self.rules.sources.append(str(path))
        self._check_profiles()
        self._check_cue_codes()
        return self.rules, self.problems

    def _problem(self, path: str, ln: int, message: str) -> None:
        self.problems.append(Problem(path, ln, message))

    # -- cues ----------------------------------------------------------------

    def _load_cues(self, path: str, data: LineDict) -> None:
        body = data["cues"]
        if not isinstance(body, dict):
            self._problem(path, line_of(data, "cues"), "cues must be a mapping of cue lists")
            return
        cues = self.rules.cues
        for name, value in body.items():
            ln = line_of(body, name)
            if not hasattr(cues, name):
                self._problem(path, ln, f"unknown cue list {name!r}")
                continue
            current = getattr(cues, name)
            if isinstance(current, list):
                if not _is_str_list(value):
                    self._problem(path, ln, f"{name} must be a list of phrases")
                    continue
                current.extend(str(v) for v in value)
                if name == "findings_count_for":
                    self._cue_codes.append((path, ln, [str(v) for v in value]))
            elif name == "thresholds":
                for key, number in (value or {}).items():
                    if isinstance(number, bool) or not isinstance(number, (int, float)):
                        self._problem(path, line_of(value, key), f"threshold {key} must be a number")
                    else:
                        cues.thresholds[str(key)] = float(number)
            elif name in ("star", "question_targets"):
                self._load_cue_map(path, name, value, current, ln)
            elif isinstance(value, dict):
                current.update({str(k): str(v) for k, v in value.items()})
            else:
                self._problem(path, ln, f"{name} must be a mapping")
        self._normaliser = Normaliser(cues.typos, cues.fillers)

    def _load_cue_map(self, path: str, name: str, value: Any, target: dict, ln: int) -> None:
        if not isinstance(value, dict):
            self._problem(path, ln, f"{name} must be a mapping")
            return
        for key, items in value.items():
            if not _is_str_list(items):
                self._problem(path, line_of(value, key), f"{name}.{key} must be a list")
                continue
            target.setdefault(str(key), []).extend(str(i) for i in items)

    # -- competencies --------------------------------------------------------

    def _load_competency(self, path: str, data: LineDict) -> None:
        code = data.get("competency")
        if not isinstance(code, str) or not _CODE.match(code):
            self._problem(path, line_of(data, "competency"), f"competency code must be upper-case letters, got {code!r}")
            return
        if code in self._seen_codes:
            self._problem(path, line_of(data, "competency"),
                          f"duplicate competency {code} (already defined in {self._seen_codes[code]})")
            return
        self._seen_codes[code] = path
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            self._problem(path, line_of(data, "name") or data.line, f"{code}: missing field 'name'")
            name = code
        comp = Competency(code, name, str(data.get("definition", "")), any_actor=data.get("actor") == "any",
                          source=Source(path, line_of(data, "competency")))
        levels = data["levels"]
        if not isinstance(levels, dict):
            self._problem(path, line_of(data, "levels"), f"{code}: levels must map 1–5 to their indicators")
            return
        for key, body in levels.items():
            self._load_level(path, comp, key, body, line_of(levels, key))
        missing = [lv for lv in LEVELS if lv not in comp.levels]
        if missing:
            self._problem(path, line_of(data, "levels"), f"{code}: missing level(s) {', '.join(map(str, missing))}")
        for item, ln in _items(data.get("exclusions") or []):
            ind = self._indicator(path, code, None, item, ln, exclusion=True)
            if ind:
                comp.exclusions.append(ind)
        self.rules.competencies[code] = comp

    def _load_level(self, path: str, comp: Competency, key: Any, body: Any, ln: int) -> None:
        if not isinstance(key, int) or isinstance(key, bool) or key not in LEVELS:
            self._problem(path, ln, f"{comp.code}: level {key!r} outside 1–5")
            return
        if not isinstance(body, dict):
            self._problem(path, ln, f"{comp.code} level {key}: expected anchor and indicators")
            return
        level = CompetencyLevel(key, str(body.get("anchor", "")))
        if not body.get("anchor"):
            self._problem(path, ln, f"{comp.code} level {key}: missing field 'anchor'")
        indicators = body.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            self._problem(path, line_of(body, "indicators") or ln, f"{comp.code} level {key}: missing field 'indicators'")
            indicators = []
        for item, item_ln in _items(indicators):
            ind = self._indicator(path, comp.code, key, item, item_ln, any_actor=comp.any_actor)
            if ind:
                level.indicators.append(ind)
        comp.levels[key] = level

    def _indicator(self, path: str, code: str, level: int | None, item: Any, ln: int, *,
                   learned: bool = False, exclusion: bool = False, any_actor: bool = False) -> Indicator | None:
        weight, min_count = 1.0, 1
        if isinstance(item, dict):
            ln = line(item) or ln
            text = item.get("count") if "count" in item else item.get("phrase")
            weight = item.get("weight", 1.0)
            min_count = item.get("min", 2) if "count" in item else 1
            any_actor = any_actor or item.get("actor") == "any"
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                self._problem(path, ln, f"{code}: weight must be a number ≥ 0, got {weight!r}")
                return None
            if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
                self._problem(path, ln, f"{code}: min must be a whole number ≥ 1, got {min_count!r}")
                return None
        else:
            text = item
        if not isinstance(text, (str, int)) or not str(text).strip():
            self._problem(path, ln, f"{code}: an indicator needs a phrase (a string or {{phrase: …}})")
            return None
        patterns, error = self.patterns(str(text))
        if error:
            self._problem(path, ln, f"{code}: {error} in {text!r}")
            return None
        labels = tuple(alt.strip() for alt in str(text).split("|"))
        return Indicator(code, level, patterns, float(weight), min_count, any_actor, learned, exclusion,
                         str(text), labels, Source(path, ln))

    def patterns(self, text: str) -> tuple[tuple[tuple[str, ...], ...], str | None]:
        alternatives = []
        for alt in text.split("|"):
            parts = tuple(self._normaliser.phrase(p.strip()) for p in _APART.split(alt) if p.strip())
            if not parts:
                return (), "an empty alternative"
            if len(parts) == 1 and len(parts[0]) < 2:
                return (), "a one-character phrase (too ambiguous; use two or more characters or A…B)"
            alternatives.append(parts)
        return tuple(alternatives), None

    # -- learned indicators --------------------------------------------------

    def _load_learned(self, path: str, data: LineDict) -> None:
        levels = data.get("default_levels") or {}
        for code, level in self._level_map(path, levels, line_of(data, "default_levels"), int).items():
            self.rules.default_levels[code] = level  # a later learned file overrides an earlier one
        limits = data.get("thresholds") or {}
        self.rules.competency_thresholds.update(self._level_map(path, limits, line_of(data, "thresholds"), float))
        body = data.get("indicators")
        if not isinstance(body, dict):
            self._problem(path, line_of(data, "indicators") or data.line, "missing field 'indicators'")
            return
        self.rules.learned += self._learned_list(path, body)
        self.rules.question_indicators += self._learned_list(path, data.get("questions") or {})
        self._adjust(path, data.get("adjust") or {})

    def _learned_list(self, path: str, body: Any) -> list[Indicator]:
        found: list[Indicator] = []
        if not isinstance(body, dict):
            self._problem(path, line(body), "expected a mapping of competency codes to lists")
            return found
        for code, items in body.items():
            if not self._known(path, code, line_of(body, code)):
                continue
            for item, item_ln in _items(items if isinstance(items, list) else []):
                level = item.get("level") if isinstance(item, dict) else None
                if level is not None and level not in LEVELS:
                    self._problem(path, line(item) or item_ln, f"{code}: level {level!r} outside 1–5")
                    continue
                ind = self._indicator(path, code, level, item, item_ln, learned=True)
                if ind:
                    found.append(ind)
        return found

    def _known(self, path: str, code: Any, ln: int) -> bool:
        if self.rules.competencies and code not in self.rules.competencies:
            self._problem(path, ln, f"unknown competency {code!r}")
            return False
        return True

    def _adjust(self, path: str, body: Any) -> None:
        """Re-weight written indicators: ``{indicator: <as written>, level, weight}`` per competency."""
        known = {i.key for c in self.rules.competencies.values() for lv in c.levels.values() for i in lv.indicators}
        known |= {i.key for i in self.rules.learned}  # a later learned file may re-weight an earlier one
        weights: dict[tuple[str, int | None, str], float] = {}
        for code, items in (body.items() if isinstance(body, dict) else []):
            if not self._known(path, code, line_of(body, code)):
                continue
            for item, item_ln in _items(items if isinstance(items, list) else []):
                ln = line(item) or item_ln
                if not isinstance(item, dict) or not isinstance(item.get("weight"), (int, float)):
                    self._problem(path, ln, f"{code}: adjust needs indicator, level and weight")
                    continue
                key = (str(code), item.get("level"), str(item.get("indicator")))
                if key not in known:
                    self._problem(path, ln, f"{code}: no indicator {key[2]!r} at level {key[1]} to adjust "
                                            "(edited since learning? run bei learn again)")
                    continue
                weights[key] = float(item["weight"])
        self.rules.reweighted(weights)

    # -- profiles ------------------------------------------------------------

    def _load_profiles(self, path: str, data: LineDict) -> None:
        prof = self.rules.profiles
        for role, body in (data.get("roles") or {}).items():
            if not isinstance(body, dict) or not body.get("name"):
                self._problem(path, line_of(data["roles"], role), f"role {role}: missing field 'name'")
                continue
            prof.roles[str(role)] = str(body["name"])
            for alias in [body["name"], *(body.get("aliases") or [])]:
                prof.role_aliases[str(alias)] = str(role)
        grades = data.get("grades") or []
        if not _is_str_list(grades) or not grades:
            self._problem(path, line_of(data, "grades") or data.line, "grades must list the grades, lowest first")
        else:
            prof.grades = [str(g) for g in grades]
        for role, weights in (data.get("weights") or {}).items():
            prof.weights[str(role)] = self._level_map(path, weights, line_of(data["weights"], role), float)
        for role, by_grade in (data.get("profiles") or {}).items():
            ln = line_of(data["profiles"], role)
            if not isinstance(by_grade, dict):
                self._problem(path, ln, f"profile {role}: expected a mapping of grades")
                continue
            prof.targets[str(role)] = {
                str(g): self._level_map(path, t, line_of(by_grade, g), int) for g, t in by_grade.items()
            }
            self._profile_lines[str(role)] = (path, ln, by_grade)

    def _level_map(self, path: str, value: Any, ln: int, kind: type) -> dict[str, Any]:
        if not isinstance(value, dict):
            self._problem(path, ln, "expected a mapping of competency codes")
            return {}
        out = {}
        for code, number in value.items():
            item_ln = line_of(value, code)
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                self._problem(path, item_ln, f"{code}: expected a number, got {number!r}")
                continue
            if kind is int and number not in LEVELS:
                self._problem(path, item_ln, f"{code}: level {number} outside 1–5")
                continue
            out[str(code)] = kind(number)
        return out

    def _check_cue_codes(self) -> None:
        known = set(self.rules.competencies)
        for path, ln, codes in self._cue_codes if known else ():
            unknown = [c for c in codes if c not in known]
            if unknown:
                self._problem(path, ln, f"findings_count_for: unknown competency {', '.join(unknown)}")

    def _check_profiles(self) -> None:
        prof = self.rules.profiles
        known = set(self.rules.competencies)
        for role, (path, ln, by_grade) in self._profile_lines.items():
            if role not in prof.roles:
                self._problem(path, ln, f"profile for unknown role {role!r}")
            for grade, targets in prof.targets.get(role, {}).items():
                gl = line_of(by_grade, grade)
                if prof.grades and grade not in prof.grades:
                    self._problem(path, gl, f"{role}: unknown grade {grade!r}")
                unknown = sorted(set(targets) - known) if known else []
                if unknown:
                    self._problem(path, gl, f"{role}/{grade}: unknown competency {', '.join(unknown)}")

    def _load_bank(self, path: str, data: LineDict) -> None:
        self._problem(path, data.line, "a question bank, not a rules file (use --bank)")


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, (str, int)) for v in value)


def _items(items: list) -> list[tuple[Any, int]]:
    return [(item, line_of(items, i)) for i, item in enumerate(items)]


def load_rules(paths: Iterable[Path], learned: bool = True) -> tuple[RuleSet, list[Problem]]:
    return RulesLoader().load(paths, learned)
