"""Helpers for driving the real app with Textual's Pilot."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from bei_assistant import sessions as svc
from bei_assistant.storage import repo
from bei_assistant.storage.db import open_database
from bei_assistant.tui.app import BeiApp, create_app

FIXED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
GOOD_ANSWER = ("去年三月我给自己定了比行里任务高一倍的目标，每周排计划，主动上门拜访了三十多家商户，"
               "查了征信，核对了他们的水电和流水，最后完成了一百二十户，超额完成任务。")


def make_app(db_url: str) -> BeiApp:
    return create_app(db_url, clock=lambda: 1000.0)


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(400):
        if app.workspace.error or (app.workspace.ready and getattr(app.screen, "listed", True)):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)


async def settled(pilot) -> None:  # type: ignore[no-untyped-def]
    """Every background worker done and what they posted handled: a loaded machine only waits longer."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)


async def until(pilot, condition, tries: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


def seed(db_url: str, candidate: str = "王小明", answers: int = 2) -> int:
    """A session made outside the UI, with fixed times so that snapshots do not move."""
    from bei_assistant.coding import build_engine

    engine = build_engine(None)[0]
    db = open_database(db_url)
    with Session(db) as s:
        row = repo.create_session(s, candidate, "retail", "中级", "retail", "李面试", engine.rules.version,
                                  started_at=FIXED)
        s.commit()
        sid = row.id
    assert sid is not None
    for _ in range(answers):
        svc.save_answer(db, engine, sid, "请讲一件你超额完成目标的具体经历。", GOOD_ANSWER, question_id="retail-ach-target")
    db.dispose()
    return sid
