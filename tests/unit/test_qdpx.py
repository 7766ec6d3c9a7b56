"""The REFI-QDA export: a .qdpx that Project.xsd accepts and whose coded segments land on the right text.

The schema facts checked here come from REFI's Project.xsd (QDA-XML 1.0, "Project-mrt2019.xsd",
18 March 2019, MIT licence), as published by the REFI consortium (qdasoftware.org) and carried
in QualCoder's ``qualcoder/xsd.py``.  Only the facts this export relies on are copied.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bei_assistant.core.records import (
    STAGE_RECONCILE,
    DecisionRecord,
    EvidenceSpan,
    SessionRecord,
    SuggestionRecord,
    TurnRecord,
)
from bei_assistant.io.qdpx import ENGINE_USER, FINAL_USER, NAMESPACE, write_qdpx

# -- from Project.xsd ---------------------------------------------------------------------------
# ProjectType is an xsd:sequence of optional elements, in this order.
PROJECT_ORDER = ("Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                 "Description", "NoteRef")
CODE_ORDER = ("Description", "NoteRef", "Code")
TEXT_SOURCE_ORDER = ("Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef", "VariableValue")
SELECTION_ORDER = ("Description", "Coding", "NoteRef")
CODING_ORDER = ("CodeRef", "NoteRef")
# Children that may repeat (maxOccurs="unbounded") in the sequences above.
REPEATABLE = {"Code", "PlainTextSelection", "Coding", "NoteRef", "VariableValue", "User", "TextSource"}
# use="required" attributes.
REQUIRED = {
    "Project": {"name"},
    "User": {"guid"},
    "Code": {"guid", "name", "isCodable"},
    "TextSource": {"guid"},
    "PlainTextSelection": {"guid", "startPosition", "endPosition"},
    "Coding": {"guid"},
    "CodeRef": {"targetGUID"},
}
# GUIDType: an xsd:token restricted by this pattern (xsd patterns match the whole value).
GUID = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
                  r"|(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})")
GUID_ATTRIBUTES = {"guid", "targetGUID", "creatingUser", "creatingUserGUID", "modifyingUser", "modifyingUserGUID"}
# xsd:dateTime lexical form.
DATE_TIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")

NS = {"q": NAMESPACE}
CODEBOOK = {
    "INFO": ("信息收集", "主动、系统地收集并核实客户信息"),
    "ACH": ("成就导向", "为自己设定挑战性目标并努力达成"),
    "RB": ("关系建立", "与客户建立并维护信任关系"),
}

# Non-BMP characters ahead of the evidence: UTF-16 offsets would be off by two, code points are not.
ANSWER_1 = "我先𠀀查阅了客户的流水😀，然后主动拜访了三家供应商核实经营情况。"
EVIDENCE_1 = "主动拜访了三家供应商核实经营情况"
ADDED_1 = "查阅了客户的流水😀"
SETTLED_1 = "主动拜访"
ANSWER_2 = "我们团队一起完成了任务，我负责沟通 & 协调 <客户>。"
ANSWER_3 = "第一行\r\n第二行有证据"
EVIDENCE_3 = "第二行有证据"


def at(minute: int) -> datetime:
    return datetime(2024, 5, 6, 9, minute, tzinfo=UTC)


def span(answer: str, text: str, matched: list[str] | None = None) -> EvidenceSpan:
    start = answer.index(text)
    return EvidenceSpan(start, start + len(text), text, matched or [])


def decision(coder: str, competency: str, kind: str, level: int | None, minute: int, *,
             marked: tuple[str, str] | None = None, **more: object) -> DecisionRecord:
    start, end = None, None
    if marked:
        start = marked[0].index(marked[1])
        end = start + len(marked[1])
    return DecisionRecord(coder, competency, kind, level, start=start, end=end, decided_at=at(minute),
                          **more)  # type: ignore[arg-type]


def sessions() -> list[SessionRecord]:
    """Two coders who agree on INFO, disagree on ACH (then reconciled) and on RB (left disputed)."""
    first = TurnRecord(
        1, "请讲一个你收集客户信息的例子。", ANSWER_1, answered_at=at(1),
        suggestions=[SuggestionRecord("INFO", 3, 0.8, [span(ANSWER_1, EVIDENCE_1, ["拜访", "核实"])])],
        decisions=[
            decision("张三", "INFO", "accept", 3, 10),
            decision("李四", "INFO", "accept", 3, 11),
            decision("张三", "ACH", "add", 2, 12, marked=(ANSWER_1, ADDED_1), memo='他说 "<主动>" & 坚持'),
            decision("王五", "ACH", "add", 2, 20, marked=(ANSWER_1, SETTLED_1), memo="协商后保留",
                     stage=STAGE_RECONCILE),
        ])
    second = TurnRecord(
        2, "再说一个例子？", ANSWER_2, answered_at=at(2),
        suggestions=[
            SuggestionRecord("RB", 2, 0.6, [span(ANSWER_2, "一起完成"), span(ANSWER_2, "我负责沟通")]),
            SuggestionRecord("NEW", 1, 0.3, []),  # not in the codebook, no evidence
        ],
        decisions=[
            decision("张三", "RB", "accept", 2, 13),
            decision("李四", "RB", "change", 4, 14),
        ])
    third = TurnRecord(1, "换行的回答", ANSWER_3,
                       suggestions=[SuggestionRecord("INFO", 2, 0.5, [span(ANSWER_3, EVIDENCE_3)])])
    return [
        SessionRecord(7, "韩梅梅", "对公客户经理", "P5", bank="bank_corporate", interviewer="面试官甲",
                      started_at=at(0), turns=[second, first]),  # out of order on purpose
        SessionRecord(8, "李雷", "零售客户经理", "P4", started_at=at(30), turns=[third]),
    ]


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    path = tmp_path / "项目.qdpx"
    write_qdpx(sessions(), CODEBOOK, path)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def project(path: Path) -> ET.Element:
    return ET.fromstring(members(path)["project.qde"])


def local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def sources_text(path: Path) -> dict[str, str]:
    """TextSource guid -> its plain text, read through plainTextPath."""
    files = members(path)
    found = {}
    for source in project(path).iterfind(".//q:TextSource", NS):
        target = source.get("plainTextPath", "")
        assert target.startswith("internal://")
        found[source.get("guid", "")] = files["sources/" + target.removeprefix("internal://")].decode("utf-8")
    return found


def coded(path: Path) -> set[tuple[str, str, str]]:
    """(user name, code name, coded text) of every selection."""
    root = project(path)
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    texts = sources_text(path)
    found = set()
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts[source.get("guid", "")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            ref = selection.find("q:Coding/q:CodeRef", NS)
            assert ref is not None
            found.add((str(users[selection.get("creatingUser")]), str(codes[ref.get("targetGUID")]), text[start:end]))
    return found


# -- the package --------------------------------------------------------------------------------


def test_zip_holds_project_and_lowercase_sources_only(exported: Path) -> None:
    names = set(members(exported))
    assert "project.qde" in names
    others = names - {"project.qde"}
    assert len(others) == 2
    assert all(re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n) for n in others), others


def test_project_qde_is_utf8_without_bom_and_in_the_namespace(exported: Path) -> None:
    data = members(exported)["project.qde"]
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    data.decode("utf-8")
    root = ET.fromstring(data)
    assert root.tag == f"{{{NAMESPACE}}}Project"
    assert root.get("name") == "BEI 编码项目"
    assert root.get("origin") == "bei-assistant"
    assert all(e.tag.startswith(f"{{{NAMESPACE}}}") for e in root.iter())


def test_source_files_are_utf8_without_bom_in_the_documented_layout(exported: Path) -> None:
    for name, data in members(exported).items():
        if name.startswith("sources/"):
            assert not data.startswith(b"\xef\xbb\xbf")
            text = data.decode("utf-8")
            assert text.startswith("问：") and "\n答：" in text and text.endswith("\n\n")
            assert "\r" not in text
    texts = sorted(sources_text(exported).values(), key=len)
    assert texts[0] == f"问：换行的回答\n答：{ANSWER_3.replace(chr(13), '')}\n\n"
    assert texts[1] == (f"问：请讲一个你收集客户信息的例子。\n答：{ANSWER_1}\n\n"
                        f"问：再说一个例子？\n答：{ANSWER_2}\n\n")  # in turn order


def test_file_is_private_and_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "out.qdpx"
    path.write_text("old")
    path.chmod(0o644)
    write_qdpx(sessions(), CODEBOOK, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert zipfile.is_zipfile(path)
    assert [p.name for p in tmp_path.iterdir()] == ["out.qdpx"]  # no temporary file left behind


# -- Project.xsd --------------------------------------------------------------------------------


def assert_in_order(element: ET.Element, order: tuple[str, ...]) -> None:
    tags = [local(child) for child in element]
    assert set(tags) <= set(order), (local(element), tags)
    positions = [order.index(t) for t in tags]
    assert positions == sorted(positions), (local(element), tags)
    repeated = {t for t in tags if tags.count(t) > 1}
    assert repeated <= REPEATABLE, (local(element), repeated)


def test_elements_follow_the_xsd_order(exported: Path) -> None:
    root = project(exported)
    assert_in_order(root, PROJECT_ORDER)
    assert [local(c) for c in root] == ["Users", "CodeBook", "Sources", "Description"]
    assert_in_order(root.find("q:CodeBook", NS), ("Codes",))  # type: ignore[arg-type]
    for code in root.iterfind(".//q:Code", NS):
        assert_in_order(code, CODE_ORDER)
    for source in root.iterfind(".//q:TextSource", NS):
        assert_in_order(source, TEXT_SOURCE_ORDER)
    for selection in root.iterfind(".//q:PlainTextSelection", NS):
        assert_in_order(selection, SELECTION_ORDER)
        assert [local(c) for c in selection].count("Coding") == 1
    for coding in root.iterfind(".//q:Coding", NS):
        assert_in_order(coding, CODING_ORDER)
        assert [local(c) for c in coding] == ["CodeRef"]


def test_required_attributes_and_value_types(exported: Path) -> None:
    for element in project(exported).iter():
        assert REQUIRED.get(local(element), set()) <= set(element.attrib), local(element)
        for name, value in element.attrib.items():
            if name.endswith("DateTime"):
                assert DATE_TIME.fullmatch(value), value
            if name in ("startPosition", "endPosition"):
                assert value.isdigit()
            if name == "isCodable":
                assert value in ("true", "false")


def test_guids_match_the_pattern_and_are_unique(exported: Path) -> None:
    root = project(exported)
    declared = [e.get("guid", "") for e in root.iter() if "guid" in e.attrib]
    assert len(declared) == len(set(declared))
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in GUID_ATTRIBUTES:
                assert GUID.fullmatch(value), (local(element), name, value)


def test_every_code_ref_targets_a_code_and_every_user_is_declared(exported: Path) -> None:
    root = project(exported)
    codes = {c.get("guid") for c in root.iterfind(".//q:Code", NS)}
    users = {u.get("guid") for u in root.iterfind(".//q:User", NS)}
    refs = [r.get("targetGUID") for r in root.iterfind(".//q:CodeRef", NS)]
    assert refs and set(refs) <= codes
    creators = [e.get(a) for e in root.iter() for a in ("creatingUser", "creatingUserGUID") if a in e.attrib]
    assert creators and set(creators) <= users


# -- content ------------------------------------------------------------------------------------


def test_users_are_the_coders_the_engine_and_the_final_codes(exported: Path) -> None:
    names = [u.get("name", "") for u in project(exported).iterfind(".//q:User", NS)]
    assert sorted(names) == sorted([ENGINE_USER, FINAL_USER, "张三", "李四", "王五"])


def test_codebook_has_a_code_per_competency_and_level(exported: Path) -> None:
    codes = project(exported).find("q:CodeBook/q:Codes", NS)
    assert codes is not None
    top = {c.get("name", ""): c for c in codes.iterfind("q:Code", NS)}
    assert set(top) == {"INFO 信息收集", "ACH 成就导向", "RB 关系建立", "NEW"}
    assert top["INFO 信息收集"].findtext("q:Description", namespaces=NS) == "主动、系统地收集并核实客户信息"
    for name, code in top.items():
        prefix = name.split()[0]
        assert [c.get("name") for c in code.iterfind("q:Code", NS)] == [f"{prefix}-{lv}" for lv in range(1, 6)]
        assert all(c.get("isCodable") == "true" for c in [code, *code.iterfind("q:Code", NS)])


def test_selections_lie_in_their_source_and_cover_the_evidence(exported: Path) -> None:
    texts = sources_text(exported)
    for source in project(exported).iterfind(".//q:TextSource", NS):
        text = texts[source.get("guid", "")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            assert 0 <= start < end <= len(text)
            assert selection.get("name") == text[start:end][:60]

    found = coded(exported)
    rb = ANSWER_2[ANSWER_2.index("一起完成"):ANSWER_2.index("我负责沟通") + len("我负责沟通")]
    assert found == {
        (ENGINE_USER, "INFO-3", EVIDENCE_1), ("张三", "INFO-3", EVIDENCE_1), ("李四", "INFO-3", EVIDENCE_1),
        ("张三", "ACH-2", ADDED_1),  # the span the coder marked
        (FINAL_USER, "INFO-3", EVIDENCE_1),  # agreed
        (FINAL_USER, "ACH-2", SETTLED_1),  # reconciled, where reconciliation put it
        (ENGINE_USER, "RB-2", rb), ("张三", "RB-2", rb), ("李四", "RB-4", rb),  # disputed: no final code
        (ENGINE_USER, "NEW-1", ANSWER_2),  # no evidence: the whole answer
        (ENGINE_USER, "INFO-2", EVIDENCE_3),  # offsets past a \r\n still land on the evidence
    }


def test_offsets_are_code_points_not_utf16_units(exported: Path) -> None:
    text = next(t for t in sources_text(exported).values() if EVIDENCE_1 in t)
    start = text.index(EVIDENCE_1)
    utf16_start = len(text[:start].encode("utf-16-le")) // 2
    assert utf16_start == start + 2  # the test data would catch UTF-16 offsets
    starts = {int(s.get("startPosition", "")) for s in project(exported).iterfind(".//q:PlainTextSelection", NS)}
    assert start in starts and utf16_start not in starts


def test_memos_and_markup_survive_escaping(exported: Path) -> None:
    descriptions = [d.text for d in project(exported).iterfind(".//q:PlainTextSelection/q:Description", NS)]
    assert '他说 "<主动>" & 坚持' in descriptions
    assert "协商：协商后保留" in descriptions
    assert "置信度 0.80；指标：拜访、核实" in descriptions


def test_two_exports_are_identical_apart_from_dates(tmp_path: Path) -> None:
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_qdpx(sessions(), CODEBOOK, first)
    write_qdpx(sessions(), CODEBOOK, second)
    a, b = members(first), members(second)
    assert list(a) == list(b)
    undated = re.compile(rb'creationDateTime="[^"]*"')
    for name in a:
        assert undated.sub(b"", a[name]) == undated.sub(b"", b[name]), name


def test_nothing_to_export_still_gives_a_valid_project(tmp_path: Path) -> None:
    path = tmp_path / "empty.qdpx"
    write_qdpx([], {}, path, project_name="空")
    assert list(members(path)) == ["project.qde"]
    root = project(path)
    assert [local(c) for c in root] == ["Users", "Description"]  # no empty CodeBook or Sources
    assert root.get("name") == "空"


def test_the_exporter_loads_no_ui_or_database() -> None:
    code = ("import sys, bei_assistant.io.qdpx; "
            "print(','.join(m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
