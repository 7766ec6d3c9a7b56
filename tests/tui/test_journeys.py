"""Whole journeys through the real app: interview, probes, review, agreement, scores, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, TextArea
from tuihelp import GOOD_ANSWER, make_app, ready, seed, until

from bei_assistant import sessions as svc
from bei_assistant.storage.db import open_database
from bei_assistant.tui.screens.agreement import AgreementScreen
from bei_assistant.tui.screens.interview import InterviewScreen
from bei_assistant.tui.screens.review import ReviewScreen
from bei_assistant.tui.screens.scores import ScoresScreen
from bei_assistant.tui.screens.start import StartScreen
from bei_assistant.tui.widgets.chat import Bubble
from tricky import TRICKY_ANSWERS


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'sessions' / 'bei.sqlite3'}"


def bubbles(screen, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(b.render()) for b in screen.query(Bubble) if b.has_class(kind)]


async def start_interview(pilot, candidate: str = "王小明") -> InterviewScreen:  # type: ignore[no-untyped-def]
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StartScreen)
    await pilot.press("n")
    await pilot.press(*candidate)
    screen.query_one("#role", Select).value = "retail"
    screen.query_one("#grade", Select).value = "中级"
    await pilot.pause()
    assert screen.query_one("#bank", Select).value == "retail"  # the role's bank is chosen for it
    await pilot.click("#start-button")
    await until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen))
    return pilot.app.screen


async def test_interview_answer_suggestions_probe_and_finish(db_url, tmp_path):
    app = make_app(db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_interview(pilot)
        assert "开场" in screen.query_one(Bubble).border_title
        for _ in range(4):  # past the opening script to the first question
            await pilot.press("ctrl+n")
        step = screen.interview.step
        assert step is not None and step.stage == "warmup"
        area = screen.query_one("#answer", TextArea)
        area.insert(GOOD_ANSWER)
        await until(pilot, lambda: screen.latencies)
        live = str(screen.query_one("#live-codes").render())
        assert "ACH" in live and "级" in live  # suggestions while typing, before sending
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.last_order == 1)
        assert area.text == ""
        record = svc.load(open_database(db_url), screen.session_id)
        assert record.turns[0].answer == GOOD_ANSWER and record.turns[0].question_id == step.id
        assert record.turns[0].suggestions  # coded and stored on save
        area.insert("我们一般都会先跟客户搞好关系，如果客户不同意，我会再去拜访。")
        await until(pilot, lambda: "假设" in str(screen.query_one("#live-warning").render()))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.last_order == 2)
        await pilot.press("ctrl+t")
        assert any("假设" in text or "具体" in text for text in bubbles(screen, "probe"))
        assert screen.asking[0].endswith("#probe-hypothetical")
        await pilot.press("ctrl+f")
        await pilot.click("#ok")
        await until(pilot, lambda: isinstance(app.screen, ScoresScreen))
        assert svc.load(open_database(db_url), screen.session_id).status == "finished"
        assert "加权符合度" in str(app.screen.query_one("#score-summary").render())
        await pilot.press("e")  # and the report of it, from the scores screen
        await pilot.pause()
        target = tmp_path / "report.html"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.click("#ok")
        await until(pilot, lambda: target.exists())
        assert "王小明" in target.read_text(encoding="utf-8")


async def test_a_draft_survives_a_crash_and_the_session_resumes(db_url):
    app = make_app(db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_interview(pilot, "李四")
        for _ in range(5):
            await pilot.press("ctrl+n")
        position = screen.interview.position
        area = screen.query_one("#answer", TextArea)
        area.insert(GOOD_ANSWER)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.last_order == 1)
        area.insert("这是还没发送的半句话")
        await until(pilot, lambda: svc.draft_of(open_database(db_url), screen.session_id) == "这是还没发送的半句话")
        session_id = screen.session_id
    # the process is gone without leaving the screen; a new one reopens the session
    app = make_app(db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        screen = app.screen
        assert screen.session_id == session_id
        assert screen.query_one("#answer", TextArea).text == "这是还没发送的半句话"
        assert screen.interview.position == position  # exactly where it stopped
        assert GOOD_ANSWER in bubbles(screen, "answer")


async def review_as(pilot, coder: str) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await pilot.press("r")
    await pilot.pause()
    prompt = pilot.app.screen.query_one("#value", Input)
    prompt.value = coder
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
    return pilot.app.screen


async def test_two_coders_review_then_reconcile(db_url):
    sid = seed(db_url, answers=2)
    app = make_app(db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await review_as(pilot, "甲")
        rows = list(screen.rows.values())
        assert rows and all(r.mine == "" for r in rows)
        first_level = rows[0].suggestion.level
        await pilot.press("a")
        for _ in rows[1:]:
            await pilot.press("a")
        assert "进度：" in str(screen.query_one("#progress").render())
        await pilot.press("escape")
        screen = await review_as(pilot, "乙")
        assert all(r.mine == "" for r in screen.rows.values())  # 甲's decisions are hidden
        other = 1 if first_level != 1 else 2
        await pilot.press(str(other))  # 乙 changes the first code's level
        for _ in list(screen.rows.values())[1:]:
            await pilot.press("a")
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, AgreementScreen))
        agreement = app.screen
        table = agreement.query_one("#disagreements", DataTable)
        assert table.row_count == 1
        await pilot.press(str(first_level))
        await pilot.pause()
    record = svc.load(open_database(db_url), sid)
    from bei_assistant.core.review import RECONCILED, final_codes

    assert [c for c in final_codes(record) if c.status == RECONCILED][0].level == first_level


async def test_add_a_code_on_a_selected_span(db_url):
    sid = seed(db_url, answers=1)
    app = make_app(db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await review_as(pilot, "甲")
        area = screen.query_one("#answer-view", TextArea)
        area.focus()
        await pilot.press("home", *["shift+right"] * 4)
        await pilot.press("enter")
        prompt = app.screen
        prompt.query_one("#competency", Select).value = "TW"
        prompt.query_one("#level", Select).value = 2
        await pilot.click("#ok")
        await pilot.pause()
    turn = svc.load(open_database(db_url), sid).turns[0]
    added = [d for d in turn.decisions if d.decision == "add"]
    assert [(d.competency, d.level, d.start, d.end) for d in added] == [("TW", 2, 0, 4)]


async def test_export_from_the_ui_shows_the_path(db_url, tmp_path):
    seed(db_url, answers=1)
    app = make_app(db_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        target = tmp_path / "report.md"
        app.screen.query_one("#format", Select).value = "md"
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.click("#ok")
        await until(pilot, lambda: target.exists())
        await until(pilot, lambda: any(str(target) in n.message for n in app._notifications))
    assert "王小明" in Path(target).read_text(encoding="utf-8")


async def test_an_unreachable_database_is_a_message_not_a_crash():
    app = make_app("postgresql://nobody@127.0.0.1:1/none")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        status = str(app.screen.query_one("#status").render())
        assert "数据库无法使用" in status
        await pilot.press("n")
        await pilot.click("#start-button")  # nothing to start on: a warning, not a traceback
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_palette_and_help_are_there(db_url):
    app = make_app(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"新建访谈", "审核选中访谈的编码", "导出选中的访谈", "帮助：按键说明"} <= set(titles)
        await pilot.press("f1")
        assert "按键说明" in str(app.screen.query_one("Markdown").source)


async def test_tricky_answers_are_saved_exactly_as_typed(db_url):
    app = make_app(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_interview(pilot, "[bold]张[/]三")
        await pilot.press("ctrl+n")
        area = screen.query_one("#answer", TextArea)
        sent = [a for a in TRICKY_ANSWERS if a.strip()]
        for i, answer in enumerate(sent, 1):
            area.insert(answer)
            await until(pilot, lambda: screen.latencies)
            await pilot.press("ctrl+s")
            await until(pilot, lambda i=i: screen.last_order == i)
        await pilot.press("ctrl+s")  # nothing typed: a warning, nothing saved
        await pilot.pause()
    record = svc.load(open_database(db_url), screen.session_id)
    assert [t.answer for t in record.turns] == [a.strip() for a in sent]
    assert record.candidate == "[bold]张[/]三"


async def test_a_session_deleted_meanwhile_is_a_message(db_url):
    sid = seed(db_url, answers=1)
    app = make_app(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        svc.delete_candidate(open_database(db_url), "王小明")  # another user, another process
        app.open_interview(sid)
        await pilot.pause(0.3)
        assert isinstance(app.screen, StartScreen)
        assert any(f"no session {sid}" in n.message for n in app._notifications)
