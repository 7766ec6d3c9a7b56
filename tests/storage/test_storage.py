"""Sessions, turns, suggestions and decisions stored and read back, on every backend."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bei_assistant import sessions as svc
from bei_assistant.core.records import STAGE_RECONCILE
from bei_assistant.core.review import DISPUTED, FINAL, RECONCILED, UNREVIEWED, final_codes
from bei_assistant.io import session_json
from bei_assistant.io.decisions import DecisionInput
from bei_assistant.io.transcripts import TurnInput
from bei_assistant.storage.db import StorageError, open_database
from bei_assistant.storage.repo import NotFound

ANSWERS = [
    ("请讲一件你收集客户信息的经历。", "去年我上门看了他的仓库，又查了征信，问了他的邻居和上下游，核对了水电和流水。"),
    ("请讲一件你主动超额完成目标的事。", "那年行里给的任务是五十户，我给自己定了一百户的目标，每周排计划，最后完成了一百二十户。"),
    ("你平时怎么维护客户？", "我一般会定期打电话，逢年过节发个信息。"),
]


def new_session(db, engine, candidate="张三", answers=ANSWERS) -> int:
    details = svc.SessionDetails(candidate, "corporate", "中级", "corporate", "李面试")
    return svc.import_turns(db, engine, details, [TurnInput(q, a) for q, a in answers])


def decide(db, session_id, coder, *items, stage="code"):
    inputs = [DecisionInput(i, *item) for i, item in enumerate(items, 1)]
    return svc.apply_decisions(db, session_id, coder, inputs, "<test>", {"INFO", "ACH", "RB"}, stage)


def test_answers_and_suggestions_are_stored(db, small_engine):
    sid = new_session(db, small_engine)
    record = svc.load(db, sid)
    assert [t.order for t in record.turns] == [1, 2, 3]
    assert record.turns[0].answer == ANSWERS[0][1]
    info = record.turns[0].suggestion("INFO")
    assert info is not None and info.level >= 2 and info.rules_version == small_engine.rules.version
    assert all(record.turns[0].answer[e.start:e.end] == e.text for e in info.evidence)
    assert record.turns[2].flags == ["generic"] and not record.turns[2].suggestions
    assert record.status == "finished" and record.interviewer == "李面试"


def test_listing_filters(db, small_engine):
    first = new_session(db, small_engine, "张三")
    new_session(db, small_engine, "李四")
    found = svc.list_sessions(db, role="corporate", candidate="张")
    assert [(s.id, s.candidate, s.turns) for s in found] == [(first, "张三", 3)]
    assert svc.list_sessions(db, role="retail") == []


def test_wrong_session_id_is_one_clear_error(db):
    with pytest.raises(NotFound, match="no session 999"):
        svc.load(db, 999)


def test_decisions_of_two_coders_and_reconciliation(db, small_engine):
    sid = new_session(db, small_engine)
    level = svc.load(db, sid).turns[0].suggestion("INFO").level
    assert decide(db, sid, "甲", (1, "INFO", "accept"))[0] == 1
    assert decide(db, sid, "乙", (1, "INFO", "change", level - 1), (3, "RB", "add", 2, None, 0, 5))[0] == 2
    codes = {(c.turn, c.competency): c for c in final_codes(svc.load(db, sid))}
    assert codes[(1, "INFO")].status == DISPUTED
    assert codes[(1, "INFO")].levels == {"甲": level, "乙": level - 1}
    assert codes[(3, "RB")].status == FINAL  # 甲 has not reviewed turn 3: only 乙 said
    assert codes[(2, "ACH")].status == UNREVIEWED
    decide(db, sid, "组长", (1, "INFO", "change", level - 1), stage=STAGE_RECONCILE)
    codes = {(c.turn, c.competency): c for c in final_codes(svc.load(db, sid))}
    assert (codes[(1, "INFO")].status, codes[(1, "INFO")].level) == (RECONCILED, level - 1)


def test_bad_decisions_are_reported_and_the_rest_kept(db, small_engine):
    sid = new_session(db, small_engine)
    applied, problems = decide(db, sid, "甲", (9, "INFO", "accept"), (1, "XYZ", "accept"), (1, "RB", "reject"),
                               (1, "INFO", "reject"), (1, "ACH", "add", 3, None, 0, 999))
    assert applied == 1
    assert [str(p) for p in problems] == [
        f"<test>:1: session {sid} has no turn 9", "<test>:2: unknown competency 'XYZ'",
        "<test>:3: turn 1 has no code RB to reject",
        f"<test>:5: end 999 is past the answer's {len(ANSWERS[0][1])} characters"]


def test_recoding_keeps_decisions(db, small_engine, shipped_engine):
    sid = new_session(db, small_engine)
    decide(db, sid, "甲", (1, "INFO", "accept"), (2, "ACH", "reject"))
    before = svc.load(db, sid)
    assert svc.recode(db, shipped_engine, sid) == 3
    after = svc.load(db, sid)
    assert [d.__dict__ for t in after.turns for d in t.decisions] == [
        d.__dict__ for t in before.turns for d in t.decisions]
    assert after.rules_version == shipped_engine.rules.version
    assert all(s.rules_version == shipped_engine.rules.version for t in after.turns for s in t.suggestions)


def test_json_round_trip_is_identical(db, small_engine):
    sid = new_session(db, small_engine)
    decide(db, sid, "甲", (1, "INFO", "accept"), (3, "RB", "add", 2, None, 0, 5, "很主动"))
    svc.save_draft(db, sid, "草稿")
    first = session_json.dumps([svc.load(db, sid)])
    copy = svc.import_record(db, session_json.session_from_dict(__import__("json").loads(first)["sessions"][0]))
    second = session_json.dumps([svc.load(db, copy)])
    assert copy != sid
    assert first.replace(f'"id": {sid}', "") == second.replace(f'"id": {copy}', "")


def test_delete_candidate_removes_everything(db, small_engine, db_url):
    keep = new_session(db, small_engine, "李四")
    gone = new_session(db, small_engine, "张三丰")
    decide(db, gone, "甲", (1, "INFO", "accept"))
    removed = svc.delete_candidate(db, "张三丰")
    assert [(r.candidate, r.sessions, r.turns, r.decisions) for r in removed] == [("张三丰", 1, 3, 1)]
    assert [s.id for s in svc.list_sessions(db)] == [keep]
    with pytest.raises(NotFound):
        svc.load(db, gone)
    with pytest.raises(NotFound):
        svc.delete_candidate(db, "张三丰")
    if db_url.startswith("sqlite"):
        # really deleted: the name is nowhere in the database's files any more
        path = Path(db_url.removeprefix("sqlite:///"))
        db.dispose()
        for f in path.parent.iterdir():
            assert "张三丰".encode() not in f.read_bytes(), f


def test_pseudonym_secret_is_stable(db):
    assert svc.pseudonym_secret(db) == svc.pseudonym_secret(db)


def test_sqlite_file_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "sessions" / "bei.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert {"candidate", "interview_session", "turn", "suggestion", "decision", "coder", "interviewer"} <= set(
        inspect(engine).get_table_names())


@pytest.mark.parametrize("url, message", [
    ("postgresql://nobody@127.0.0.1:1/none", "cannot use the database"),
    ("mysql://x@localhost/db", "unsupported database"),
    ("sqlite:////proc/no/such/dir/bei.sqlite3", "cannot create the database"),
])
def test_unusable_database_is_one_line(url, message):
    with pytest.raises(StorageError, match=message) as caught:
        open_database(url)
    assert "\n" not in str(caught.value)
