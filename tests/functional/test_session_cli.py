"""The session commands through the real entry point: import, review, agreement, score, export, delete."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile

import pytest
from test_cli import RULES as CODING_RULES
from test_cli import bei

from conftest import FIXTURES

RULES = [*CODING_RULES, "--rules", str(FIXTURES / "profiles")]

TRANSCRIPT = """候选人：王小明
岗位：对公
职级：中级
问：请讲一件你收集客户信息的经历。
答：去年我上门看了他的仓库，又查了征信，问了他的邻居。
问：你是怎么定目标的？
答：那年行里给的任务是五十户，我给自己定了一百户的目标，最后完成了一百二十户。
这一行接着上一行的回答
问：你平时怎么维护客户？
答：我一般会定期打电话。
"""


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'sessions' / 'bei.sqlite3'}"


@pytest.fixture
def imported(tmp_path, db):
    path = tmp_path / "t.txt"
    path.write_text("无标记的一行\n" + TRANSCRIPT, encoding="utf-8")
    out = bei("import", str(path), "--db", db, *RULES, "--interviewer", "李面试", "--progress")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[:-1] == ["saved 1", "saved 2", "saved 3"]
    assert f"{path}:1: text outside a 问/答 turn (skipped)" in out.stderr
    return int(lines[-1])


def test_journey_review_agreement_score_export(tmp_path, db, imported):
    sid = str(imported)
    listed = json.loads(bei("sessions", "--db", db, "--json", *RULES).stdout)
    assert [(s["id"], s["candidate"], s["role"], s["turns"]) for s in listed] == [(imported, "王小明", "corporate", 3)]

    a = tmp_path / "a.jsonl"
    a.write_text('{"turn": 1, "competency": "INFO", "decision": "accept"}\n'
                 '{"turn": 2, "competency": "ACH", "decision": "change", "level": 3}\n', encoding="utf-8")
    out = bei("review", sid, "--coder", "甲", "--apply", str(a), "--db", db, *RULES, "--json")
    assert json.loads(out.stdout)["applied"] == 2

    sheet = bei("export", sid, "--format", "csv", "--blind", "--db", db, *RULES).stdout
    rows = list(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"))))
    assert {r["final_level"] for r in rows} == {""}  # blind: nothing of 甲's shows
    for row in rows:
        row["decision"] = "接受"
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = bei("review", sid, "--coder", "乙", "--apply", str(filled), "--db", db, *RULES)
    assert out.returncode == 0 and f"已保存 乙 的 {len(rows)} 个决定" in out.stdout

    report = json.loads(bei("agreement", sid, "--db", db, *RULES, "--json").stdout)
    pair = report["pairs"][0]
    assert (pair["first"], pair["second"]) == ("甲", "乙")
    assert [(d["turn"], d["competency"]) for d in pair["disagreements"]] == [(2, "ACH")]

    scores = json.loads(bei("score", sid, "--db", db, *RULES, "--json").stdout)
    assert scores["disputed"] == 1 and scores["role"] == "corporate"
    text = bei("score", sid, "--db", db, *RULES).stdout
    assert "1 处分歧待协调" in text

    for fmt in ("json", "csv", "md", "html"):
        out = bei("export", sid, "--format", fmt, "--db", db, *RULES)
        assert out.returncode == 0 and "王小明" in out.stdout, fmt
    for fmt in ("xlsx", "qdpx"):
        target = tmp_path / f"out.{fmt}"
        out = bei("export", sid, "--format", fmt, "-o", str(target), "--db", db, *RULES)
        assert out.returncode == 0, out.stderr
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert zipfile.is_zipfile(target)
    pseudo = bei("export", sid, "--format", "json", "--pseudonymise", "--db", db, *RULES).stdout
    assert "王小明" not in pseudo and "候选人-" in pseudo

    ranked = json.loads(bei("compare", "--role", "对公", "--db", db, *RULES, "--json").stdout)
    assert [r["session"] for r in ranked] == [imported]


def test_round_trip_through_the_cli(tmp_path, db, imported):
    first = bei("export", str(imported), "--format", "json", "--db", db, *RULES).stdout
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    copy = bei("import", str(path), "--db", db, *RULES).stdout.split()[-1]
    second = bei("export", copy, "--format", "json", "--db", db, *RULES).stdout
    assert first.replace(f'"id": {imported}', "") == second.replace(f'"id": {copy}', "")


def test_delete_candidate_says_what_it_removed(db, imported):
    refused = bei("delete-candidate", "王小明", "--db", db)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    out = bei("delete-candidate", "王小明", "--yes", "--db", db)
    assert out.returncode == 0 and "已删除候选人 王小明：1 次访谈、3 个回答" in out.stdout
    assert bei("show", str(imported), "--db", db).stderr.strip() == f"bei: no session {imported}"


@pytest.mark.parametrize("args, message", [
    (["show", "999"], "bei: no session 999"),
    (["show", "abc"], "a session id is a number from 1"),
    (["score", "1", "--db", "postgresql://nobody@127.0.0.1:1/none"], "cannot use the database"),
    (["sessions", "--db", "mysql://x@y/z"], "unsupported database"),
    (["export", "1", "--format", "xlsx"], "--format xlsx needs -o PATH"),
    (["export", "--format", "json"], "give a SESSION or --all"),
    (["import", "/no/such/file.txt"], "cannot read"),
    (["compare", "--role", "火星"], "unknown role"),
    (["review", "999", "--coder", "甲", "--apply", "/no/such"], "bei: no session 999"),
])
def test_wrong_input_is_one_clear_line(db, args, message):
    out = bei(*args, *([] if "--db" in args else ["--db", db]), *RULES)
    assert out.returncode != 0
    assert message in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2  # the message (and argparse's usage line)


def test_import_needs_a_role_it_knows(tmp_path, db):
    path = tmp_path / "t.jsonl"
    path.write_text('{"question": "问", "answer": "答"}\n', encoding="utf-8")
    out = bei("import", str(path), "--db", db, *RULES, "--candidate", "甲", "--grade", "中级")
    assert out.returncode == 1 and "no role in the file; give --role" in out.stderr
    out = bei("import", str(path), "--db", db, *RULES, "--candidate", "甲", "--role", "x", "--grade", "中级")
    assert "unknown role 'x'" in out.stderr
