"""The ``bei`` command through its real entry point, as a user or a script runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

RULES = ["--rules", str(FIXTURES / "rules")]


def bei(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bei_assistant", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_code_keeps_order_and_reports_bad_lines():
    lines = [
        json.dumps({"id": "a", "text": "去年我上门看了他的仓库。"}, ensure_ascii=False),
        '{"id": "b", "text": ',
        json.dumps({"id": "c", "question": "你平时怎么做？", "text": "我一般先打电话。"}, ensure_ascii=False),
        json.dumps({"id": "d"}),
        "那次我查了征信，又问了邻居，看了水电。",
    ]
    out = bei("code", *RULES, "-", stdin="\n".join(lines) + "\n")
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c", None, "5"]
    assert rows[0]["codes"][0]["competency"] == "INFO" and rows[0]["codes"][0]["level"] == 2
    assert rows[2]["flags"] == ["generic"]
    assert rows[4]["codes"][0]["level"] == 4
    assert "<stdin>:2: invalid JSON" in out.stderr
    assert "<stdin>:4: missing field 'text'" in out.stderr
    assert "Traceback" not in out.stderr


def test_code_file_argument(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text("去年我上门看了他的仓库。\n\n如果他不还钱，我会上门。\n", encoding="utf-8")
    out = bei("code", *RULES, str(path))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["1", "3"]
    assert rows[1]["flags"] == ["hypothetical"] and rows[1]["codes"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["code", "/nonexistent/answers.jsonl"], "/nonexistent/answers.jsonl: cannot read"),
        (["code", "--rules", "/nonexistent/rules"], "/nonexistent/rules: no such file or folder"),
        (["eval", "--gold", "/nonexistent/gold.jsonl"], "/nonexistent/gold.jsonl: cannot read"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_errors_are_one_clear_line(args, message):
    out = bei(*args)
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_code_not_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("去年我上门看了".encode("gbk"))
    out = bei("code", *RULES, str(path))
    assert out.returncode == 1 and "not UTF-8" in out.stderr and "Traceback" not in out.stderr


def test_validate(tmp_path):
    ok = bei("validate", str(FIXTURES / "rules"))
    assert ok.returncode == 0 and ok.stdout.startswith("ok:")
    bad = tmp_path / "bad.yaml"
    bad.write_text("competency: XX\nname: x\nlevels:\n  7: {anchor: a, indicators: [上门]}\n", encoding="utf-8")
    out = bei("validate", str(bad))
    assert out.returncode == 1
    assert f"{bad}:4: XX: level 7 outside 1–5" in out.stderr


def test_eval_and_learn(tmp_path):
    gold = FIXTURES / "gold_small.jsonl"
    out = bei("eval", *RULES, "--gold", str(gold), "--json")
    assert out.returncode == 0, out.stderr
    measures = json.loads(out.stdout)
    assert 0 <= measures["ca"] <= 1 and measures["answers"] == 12
    assert set(measures["per_competency"]) >= {"INFO", "ACH"}

    text = bei("eval", *RULES, "--gold", str(gold))
    assert "CA (归类一致性)" in text.stdout and "level confusion" in text.stdout

    learned = tmp_path / "learned.yaml"
    out = bei("learn", *RULES, "--gold", str(gold), "-o", str(learned), "--min-support", "2")
    assert out.returncode == 0, out.stderr
    assert learned.exists() and "learned_from" in learned.read_text(encoding="utf-8")
    both = bei("eval", *RULES, "--rules", str(learned), "--gold", str(gold), "--json")
    assert json.loads(both.stdout)["ca"] >= measures["ca"]


def test_eval_cross_validate():
    out = bei("eval", *RULES, "--gold", str(FIXTURES / "gold_small.jsonl"), "--cross-validate", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data["cross_validated"]) == {"g"} or len(data["cross_validated"]) == 5


def test_bench_small():
    out = bei("bench", *RULES, "--answers", "40", "--repeat", "1", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["answers"] == 40
    assert data["throughput_ratio"] > 0 and data["latency_ms_p95"] >= data["latency_ms_p50"] > 0


def test_demo_codes_sample_answers():
    out = bei("demo", *RULES)
    assert out.returncode == 0, out.stderr
    assert "答：" in out.stdout


def test_bare_bei_without_a_terminal_says_so():
    out = bei(*RULES)  # stdin and stdout are pipes here: no terminal UI, one clear line
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr and "Traceback" not in out.stderr


def test_rules_before_or_after_the_subcommand():
    answer = "去年我上门看了他的仓库。\n"
    before = bei(*RULES, "code", "-", stdin=answer)
    after = bei("code", *RULES, "-", stdin=answer)
    assert before.stdout == after.stdout
    assert json.loads(before.stdout)["codes"][0]["competency"] == "INFO"


def test_cross_validation_leaves_a_learned_file_out(tmp_path):
    """A learned file has seen every answer: folds learn afresh, so naming it changes nothing there."""
    gold = str(FIXTURES / "gold_small.jsonl")
    learned = tmp_path / "learned.yaml"
    assert bei("learn", *RULES, "--gold", gold, "-o", str(learned), "--min-support", "2").returncode == 0
    plain = json.loads(bei("eval", *RULES, "--gold", gold, "--cross-validate", "--json").stdout)
    both = json.loads(bei("eval", *RULES, "--rules", str(learned), "--gold", gold, "--cross-validate",
                          "--json").stdout)
    assert both["cross_validated"] == plain["cross_validated"]
    assert both["ca"] > plain["ca"]  # the in-sample figure does use it
