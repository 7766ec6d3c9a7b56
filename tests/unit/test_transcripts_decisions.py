"""Import files and decision files: every format, and every way they come broken."""

from __future__ import annotations

import json

import pytest

from bei_assistant.core.records import EvidenceSpan, SessionRecord, SuggestionRecord, TurnRecord
from bei_assistant.io.decisions import read_decisions
from bei_assistant.io.tables import to_csv
from bei_assistant.io.transcripts import read_transcript


@pytest.mark.parametrize("text, turns, problems, details", [
    ("问：你做过什么？\n答：我去了仓库。\n", [("你做过什么？", "我去了仓库。")], [], {}),
    ("Q: 什么？\nA: 第一行\n第二行\n", [("什么？", "第一行\n第二行")], [], {}),
    ("问:半角冒号\n答:好的\n", [("半角冒号", "好的")], [], {}),
    ("候选人：王五\n岗位：零售\n职级：初级\n问：题\n答：答\n", [("题", "答")], [],
     {"candidate": "王五", "role": "零售", "grade": "初级"}),
    ("前言\n问：题\n答：答\n", [("题", "答")], ["1: text outside a 问/答 turn (skipped)"], {}),
    ("问：只有问题\n", [], ["1: a question with no answer (skipped)"], {}),
    ("答：没有问题的回答\n", [("", "没有问题的回答")], [], {}),
    ("问：题\n答：\n问：下一题\n答：好\n", [("下一题", "好")], ["2: an answer marker with no answer"], {}),
    ("问：题\n答：甲\n答：乙\n", [("题", "甲"), ("", "乙")], [], {}),
])
def test_text_transcripts(tmp_path, text, turns, problems, details):
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    found = read_transcript(path)
    assert [(t.question, t.answer) for t in found.turns] == turns
    assert [str(p).removeprefix(f"{path}:") for p in found.problems] == problems
    assert found.details == details


def test_json_lines_transcript_keeps_good_lines(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join([
        json.dumps({"question": "问1", "answer": "答1", "note": "备注"}, ensure_ascii=False),
        '{"question": "问2", "answer": ',
        json.dumps({"question": "问3"}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({"question": "问5", "answer": "答5"}, ensure_ascii=False),
    ]), encoding="utf-8")
    found = read_transcript(path)
    assert [(t.question, t.answer, t.note) for t in found.turns] == [("问1", "答1", "备注"), ("问5", "答5", "")]
    assert [p.line for p in found.problems] == [2, 3, 4]


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\xff\xfe\x00bad", "neither UTF-8 nor GB18030"),
    (b'{"format": "bei-assistant/sessions", "sessions": [', "invalid JSON"),
    (b'{"format": "other", "x": 1}', "not an export of this tool"),
])
def test_broken_import_files(tmp_path, content, message):
    path = tmp_path / "broken"
    path.write_bytes(content)
    found = read_transcript(path)
    assert not found.turns and message in str(found.problems[0])


def test_a_gbk_transcript_from_windows_is_read(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("问：你做了什么？\n答：我去了仓库。\n".encode("gbk"))
    assert [(t.question, t.answer) for t in read_transcript(path).turns] == [("你做了什么？", "我去了仓库。")]


def test_missing_file(tmp_path):
    assert "cannot read" in str(read_transcript(tmp_path / "nope.txt").problems[0])


@pytest.mark.parametrize("line, expected", [
    ({"turn": 3, "competency": "info", "decision": "accept"}, ("accept", 3, "INFO", None)),
    ({"turn": 1, "competency": "RB", "decision": "接受"}, ("accept", 1, "RB", None)),
    ({"turn": 1, "competency": "RB", "decision": "change", "level": 4}, ("change", 1, "RB", 4)),
    ({"turn": 1, "competency": "RB", "decision": "add", "level": 2, "start": 3, "end": 9}, ("add", 1, "RB", 2)),
    ({"turn": "2", "competency": "RB", "decision": "reject"}, ("reject", 2, "RB", None)),
    ({"turn": 0, "competency": "RB", "decision": "accept"}, "turn must be a number from 1"),
    ({"turn": 1.5, "competency": "RB", "decision": "accept"}, "turn must be a whole number"),
    ({"turn": 1, "competency": "RB", "decision": "maybe"}, "decision must be accept, reject, change or add"),
    ({"turn": 1, "competency": "RB", "decision": "change"}, "change needs a level"),
    ({"turn": 1, "competency": "RB", "decision": "change", "level": 7}, "level 7 outside 1–5"),
    ({"turn": 1, "competency": "RB", "decision": "add", "level": 2}, "add needs start < end"),
    ({"turn": 1, "competency": "RB", "decision": "add", "level": 2, "start": 9, "end": 3}, "add needs start < end"),
    ({"turn": 1, "decision": "accept"}, "missing competency"),
])
def test_decision_lines(tmp_path, line, expected):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\nnot json\n", encoding="utf-8")
    found, problems = read_decisions(path)
    assert str(problems[-1]) == f"{path}:2: invalid JSON: Expecting value (column 1)"
    if isinstance(expected, str):
        assert expected in str(problems[0]) and str(problems[0]).startswith(f"{path}:1: ")
    else:
        assert (found[0].decision, found[0].turn, found[0].competency, found[0].level) == expected


def record() -> SessionRecord:
    answer = "=SUM(1) 我去看了仓库"
    return SessionRecord(7, "张三", "corporate", "中级", turns=[
        TurnRecord(1, "问题", answer, suggestions=[SuggestionRecord("INFO", 3, 0.9, [EvidenceSpan(8, 13, "我去看了仓", ["看了"])])]),
        TurnRecord(2, "问题二", "没有编码"),
    ])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_the_csv_export_filled_in_comes_back(tmp_path, encoding):
    text = to_csv([record()], {"INFO": "信息搜集"})
    assert text.startswith("\ufeffsession,candidate,turn")
    assert "'=SUM(1)" in text  # never a formula in Excel
    lines = text.lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("decision")], row[header.index("level")] = "修改", "2"
    extra = ["7", "张三", "2", "", "", "RB", "", "", "", "", "", "0", "3", "", "", "add", "1", "", "备注"]
    path = tmp_path / "filled.csv"
    path.write_bytes(("\r\n".join([lines[0], ",".join(row), ",".join(extra)]) + "\r\n").encode(encoding))
    found, problems = read_decisions(path)
    assert problems == []
    assert [(d.turn, d.competency, d.decision, d.level, d.session) for d in found] == [
        (1, "INFO", "change", 2, 7), (2, "RB", "add", 1, 7)]


def test_a_csv_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "no column competency, decision, turn" in str(read_decisions(path)[1][0])
