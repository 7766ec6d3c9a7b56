"""Every loader answers a broken file with ``file:line: message`` and keeps the rest."""

from pathlib import Path

import pytest

from bei_assistant.io.banks import load_bank
from bei_assistant.io.rules import load_rules
from bei_assistant.io.validate import validate
from conftest import FIXTURES

GOOD_LEVELS = "\n".join(f"  {n}:\n    anchor: a{n}\n    indicators: [上门看了{n}]" for n in range(1, 6))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BROKEN_RULES = [
    ("bad_yaml.yaml", "competency: XX\nlevels: [1, 2\n", 3, "invalid YAML"),
    ("latin1.yaml", "competency: INFO\nname: 信息\n".encode("gb18030"), 2, "not UTF-8"),
    ("empty.yaml", "", 0, "the file is empty"),
    ("level6.yaml", f"competency: XX\nname: 信息\nlevels:\n{GOOD_LEVELS}\n  6:\n    anchor: x\n    indicators: [aa]\n",
     19, "level 6 outside 1–5"),
    ("noname.yaml", f"competency: XX\nlevels:\n{GOOD_LEVELS}\n", 1, "missing field 'name'"),
    ("noanchor.yaml", "competency: XX\nname: 信息\nlevels:\n  1:\n    indicators: [上门]\n", 4, "missing field 'anchor'"),
    ("onechar.yaml", f"competency: XX\nname: 信息\nlevels:\n{GOOD_LEVELS}\nexclusions: [问]\n", 19, "one-character"),
    ("weight.yaml", "competency: XX\nname: 信息\nlevels:\n  1:\n    anchor: a\n    indicators:\n"
     "      - {phrase: 上门, weight: heavy}\n", 7, "weight must be a number"),
    ("dupkey.yaml", "competency: INFO\ncompetency: RISK\n", 2, "duplicate key"),
    ("what.yaml", "hello: world\n", 1, "not a rules file"),
    ("learned.yaml", "learned_from: [x]\nindicators:\n  NOPE:\n    - {phrase: 上门, weight: 0.5}\n", 3,
     "unknown competency 'NOPE'"),
    ("findings.yaml", "cues:\n  perception: [一查]\n  findings_count_for: [INFO, RSIK]\n", 3,
     "findings_count_for: unknown competency RSIK"),
]


@pytest.mark.parametrize(("name", "content", "line", "message"), BROKEN_RULES, ids=[b[0] for b in BROKEN_RULES])
def test_broken_rule_file(tmp_path, name, content, line, message):
    broken = write(tmp_path, name, content)
    rules, problems = load_rules([FIXTURES / "rules" / "INFO.yaml", FIXTURES / "rules" / "cues.yaml", broken])
    mine = [p for p in problems if p.path == str(broken)]
    assert mine, problems
    assert any(message in p.message for p in mine), mine
    assert mine[0].line == line
    assert str(mine[0]).startswith(f"{broken}:{line}: " if line else f"{broken}: ")
    # the good files are still loaded
    assert "INFO" in rules.competencies
    assert rules.cues.negation


def test_duplicate_competency_names_both_files(tmp_path):
    copy = write(tmp_path, "INFO2.yaml", (FIXTURES / "rules" / "INFO.yaml").read_text(encoding="utf-8"))
    _, problems = load_rules([FIXTURES / "rules" / "INFO.yaml", copy])
    assert any("duplicate competency INFO" in p.message and p.line == 2 for p in problems)


def test_missing_path(tmp_path):
    _, problems = load_rules([tmp_path / "nope"])
    assert str(problems[0]) == f"{tmp_path / 'nope'}: no such file or folder"


BANK = """\
bank: t
name: 测试题库
role: retail
opening:
  - {id: o1, text: 开场}
warmup:
  - {id: w1, text: 介绍一下, competencies: [INFO]}
events:
  - id: e1
    text: 讲一件事
    type: 成功
    competencies: [INFO]
    probes: {S: [s], T: [t], A: [a], R: [r], thought: [x]}
  - id: e1
    text: 再讲一件
    type: 奇怪
    competencies: [NOPE]
    probes: {S: [s], T: [t], A: [a], R: [r]}
closing:
  - {id: c1, text: 谢谢}
"""


def test_broken_bank(tmp_path):
    path = write(tmp_path, "bank.yaml", BANK)
    bank, problems = load_bank(path, {"INFO"})
    messages = {(p.line, p.message.split(" (")[0]) for p in problems}
    assert (14, "duplicate id 'e1'") in messages
    assert (16, "type must be one of 成功, 失败, 困难, got '奇怪'") in messages
    assert (17, "unknown competency 'NOPE'") in messages
    assert (18, "probes: missing 'thought'") in messages
    assert bank is not None and len(bank.events) == 2


def test_validate_detects_kinds_and_reports_each_problem(tmp_path):
    write(tmp_path, "bank.yaml", BANK)
    write(tmp_path, "bad.yaml", "competency: [\n")
    report = validate([tmp_path, FIXTURES / "rules"], [FIXTURES / "rules"])
    assert not report.ok
    kinds = set(report.checked.values())
    assert {"bank", "competency", "cues"} <= kinds
    assert any(p.path.endswith("bad.yaml") and p.line == 2 for p in report.problems)


def test_shipped_files_are_valid():
    from bei_assistant.io.paths import default_banks, default_rules

    report = validate([default_rules(), default_banks()], [default_rules()])
    assert report.ok, "\n".join(map(str, report.problems))
    assert list(report.checked.values()).count("bank") == 3
    assert list(report.checked.values()).count("competency") == 13


def test_control_characters_are_one_clear_line(tmp_path):
    path = write(tmp_path, "bin.yaml", "competency: XX\nname: \x00x\n")
    _, problems = load_rules([path])
    assert len(problems) == 1
    assert str(problems[0]) == f"{path}:2: invalid YAML: control character U+0000 is not allowed"
