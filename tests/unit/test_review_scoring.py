"""Coders' decisions, agreement measures, final codes and scores, on hand-made sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bei_assistant.core.model import Profiles
from bei_assistant.core.pseudonym import pseudonymise
from bei_assistant.core.records import DecisionRecord, EvidenceSpan, SessionRecord, SuggestionRecord, TurnRecord
from bei_assistant.core.review import (
    DISPUTED,
    FINAL,
    UNREVIEWED,
    agreement,
    coder_view,
    cohen_kappa,
    compare,
    final_codes,
    progress,
)
from bei_assistant.core.scoring import Ranked, rank, score

T0 = datetime(2026, 1, 1, tzinfo=UTC)
COMPS = ["INFO", "ACH", "RB"]


def sug(comp: str, level: int, start: int = 0, end: int = 2) -> SuggestionRecord:
    return SuggestionRecord(comp, level, 0.8, [EvidenceSpan(start, end, "", ["x"])])


def dec(coder: str, comp: str, kind: str, level: int | None = None, minute: int = 0, **kw) -> DecisionRecord:
    return DecisionRecord(coder, comp, kind, level, decided_at=T0 + timedelta(minutes=minute), **kw)


def session(*turns: TurnRecord) -> SessionRecord:
    return SessionRecord(1, "张三", "corporate", "中级", turns=list(turns))


def turn(order: int, suggestions=(), decisions=()) -> TurnRecord:
    return TurnRecord(order, "问", "我去看了仓库，查了征信。", suggestions=list(suggestions), decisions=list(decisions))


@pytest.mark.parametrize("decisions, expected", [
    ([], {}),
    ([dec("甲", "INFO", "accept")], {"INFO": 3}),
    ([dec("甲", "INFO", "accept", 3), dec("甲", "INFO", "reject", minute=1)], {"INFO": None}),
    ([dec("甲", "INFO", "reject", minute=1), dec("甲", "INFO", "accept", 3)], {"INFO": None}),  # the later wins
    ([dec("甲", "INFO", "change", 2)], {"INFO": 2}),
    ([dec("甲", "INFO", "change", 4, new_competency="RB")], {"INFO": None, "RB": 4}),
    ([dec("甲", "ACH", "add", 5, start=0, end=3)], {"ACH": 5}),
    ([dec("乙", "INFO", "accept")], {}),  # someone else's decision
])
def test_a_coders_view(decisions, expected):
    t = turn(1, [sug("INFO", 3)], decisions)
    assert coder_view(t, "甲").decided == expected


def test_final_codes_statuses():
    record = session(
        turn(1, [sug("INFO", 3)], [dec("甲", "INFO", "accept"), dec("乙", "INFO", "accept")]),
        turn(2, [sug("ACH", 2)], [dec("甲", "ACH", "change", 3), dec("乙", "ACH", "accept")]),
        turn(3, [sug("RB", 1)]),
        turn(4, [sug("RB", 2)], [dec("甲", "RB", "reject"), dec("乙", "RB", "reject")]),
    )
    found = {(c.turn, c.competency): (c.level, c.status) for c in final_codes(record)}
    assert found == {(1, "INFO"): (3, FINAL), (2, "ACH"): (None, DISPUTED), (3, "RB"): (1, UNREVIEWED)}


def test_a_code_one_coder_added_to_a_turn_the_other_reviewed_is_disputed():
    record = session(turn(1, [sug("INFO", 3)], [dec("甲", "INFO", "accept"), dec("甲", "RB", "add", 2, start=0, end=2),
                                                dec("乙", "INFO", "accept")]))
    found = {c.competency: c for c in final_codes(record)}
    assert found["RB"].status == DISPUTED and found["RB"].levels == {"甲": 2, "乙": None}


def test_agreement_between_coders_and_with_the_engine():
    record = session(
        turn(1, [sug("INFO", 3)], [dec("甲", "INFO", "accept"), dec("乙", "INFO", "accept")]),
        turn(2, [sug("ACH", 2)], [dec("甲", "ACH", "accept"), dec("乙", "ACH", "change", 3)]),
        turn(3, [sug("RB", 1)], [dec("甲", "RB", "reject")]),  # 乙 has not reviewed turn 3
    )
    pair = compare(record, "甲", "乙", COMPS)
    assert pair.turns == 2
    assert pair.ca == pytest.approx(2 * 1 / 4)
    assert pair.level_agreement == pytest.approx(0.5)
    assert pair.kappa == pytest.approx(1.0)  # both code the same competencies
    assert [(d.turn, d.competency, d.first, d.second) for d in pair.disagreements] == [(2, "ACH", 2, 3)]
    engine = compare(record, "甲", "engine", COMPS)
    assert engine.turns == 3 and engine.ca == pytest.approx(2 * 2 / 5)
    assert [p.second for p in agreement(record, COMPS)] == ["乙", "engine", "engine"]
    assert progress(record, "乙") == (2, 3)


@pytest.mark.parametrize("a, b, expected", [
    ([True, False, True, False], [True, False, True, False], 1.0),
    ([True, True, False, False], [False, False, True, True], -1.0),
    ([True, False], [True, True], 0.0),
    ([True, True], [True, True], None),  # no variation: undefined
    ([], [], None),
])
def test_cohen_kappa(a, b, expected):
    got = cohen_kappa(a, b)
    assert got == (pytest.approx(expected) if expected is not None else None)


PROFILES = Profiles(
    roles={"corporate": "对公客户经理"}, role_aliases={"对公": "corporate"}, grades=["初级", "中级", "高级"],
    weights={"corporate": {"INFO": 2.0, "ACH": 1.0, "RB": 1.0}},
    targets={"corporate": {"初级": {"INFO": 1, "ACH": 1, "RB": 1}, "中级": {"INFO": 2, "ACH": 2, "RB": 2},
                           "高级": {"INFO": 4, "ACH": 3, "RB": 3}}},
)


def test_score_against_the_profile():
    record = session(
        turn(1, [sug("INFO", 3)], [dec("甲", "INFO", "accept")]),
        turn(2, [sug("INFO", 2), sug("ACH", 2)]),
        turn(3, [sug("RB", 1)], [dec("甲", "RB", "accept"), dec("乙", "RB", "change", 2)]),
    )
    result = score(final_codes(record), PROFILES, "对公", "中级", COMPS)
    rows = {r.competency: r for r in result.rows}
    assert (rows["INFO"].frequency, rows["INFO"].max_level, rows["INFO"].mean_level) == (2, 3, 2.5)
    assert rows["INFO"].unreviewed == 1 and rows["ACH"].unreviewed == 1
    assert rows["RB"].disputed == 1 and rows["RB"].max_level is None and rows["RB"].gap == -2
    assert rows["INFO"].gap == 1
    assert [r.competency for r in result.gaps] == ["RB"]
    assert result.overall == pytest.approx(100 * (2 * 1 + 1 * 1 + 0) / 4)
    assert result.meets_grade is None  # RB shows nothing yet
    assert result.unreviewed == 2 and result.disputed == 1


def test_highest_grade_met_and_ranking():
    strong = session(turn(1, [sug("INFO", 4), sug("ACH", 3)]), turn(2, [sug("RB", 3)]))
    weak = session(turn(1, [sug("INFO", 2), sug("ACH", 2)]), turn(2, [sug("RB", 2)]))
    s1 = score(final_codes(strong), PROFILES, "corporate", "中级", COMPS)
    s2 = score(final_codes(weak), PROFILES, "corporate", "高级", COMPS)
    assert (s1.meets_grade, s2.meets_grade) == ("高级", "中级")
    ranked = rank([Ranked(2, "乙", "高级", s2), Ranked(1, "甲", "中级", s1)])
    assert [r.candidate for r in ranked] == ["甲", "乙"]


def test_pseudonyms_are_stable_and_keep_offsets():
    record = session(TurnRecord(1, "张三，你好", "我是张三，李面试问我。", suggestions=[sug("INFO", 2, 2, 4)],
                                decisions=[dec("王编码", "INFO", "accept", memo="张三说得清楚")]))
    record.interviewer = "李面试"
    one, two = pseudonymise(record, "s3cret"), pseudonymise(record, "s3cret")
    assert one.candidate == two.candidate != "张三" and one.candidate.startswith("候选人-")
    assert pseudonymise(record, "other").candidate != one.candidate
    text = one.turns[0].answer
    assert "张三" not in text and "李面试" not in text and len(text) == len(record.turns[0].answer)
    assert one.turns[0].decisions[0].coder.startswith("编码员-") and "张三" not in one.turns[0].decisions[0].memo
    assert record.candidate == "张三"  # the original is untouched


def test_no_reviewed_turn_in_common_gives_no_agreement_figure():
    record = session(turn(1, [sug("INFO", 3)], [dec("甲", "INFO", "accept")]),
                     turn(2, [sug("ACH", 2)], [dec("乙", "ACH", "accept")]))
    pair = compare(record, "甲", "乙", COMPS)
    assert (pair.turns, pair.ca, pair.kappa) == (0, None, None)


def test_a_rejected_suggestion_is_marked_so_in_the_coding_sheet():
    from bei_assistant.io.tables import code_rows

    record = session(turn(1, [sug("INFO", 3), sug("RB", 2)], [dec("甲", "INFO", "reject")]))
    rows = {r.values["competency"]: r.values for r in code_rows(record, {})}
    assert (rows["INFO"]["status"], rows["INFO"]["final_level"]) == ("rejected", "")
    assert rows["RB"]["status"] == "unreviewed"
