"""Snapshots of the main screens (looked at before they were accepted).

The database lives at a fixed path and the times are fixed, so that nothing but the UI moves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea
from tuihelp import GOOD_ANSWER, make_app, ready, seed, settled, until

from bei_assistant.core.model import RuleSet

PLACE = Path("/tmp/bei-snapshot-tests")


@pytest.fixture(autouse=True)
def fixed_rules_version(monkeypatch):
    """The start screen shows the rules' fingerprint, which every edit of the shipped rules changes."""
    monkeypatch.setattr(RuleSet, "version", property(lambda self: "0123456789"))


@pytest.fixture
def db_url():
    shutil.rmtree(PLACE, ignore_errors=True)
    url = f"sqlite:///{PLACE / 'bei.sqlite3'}"
    seed(url, answers=2)
    yield url
    shutil.rmtree(PLACE, ignore_errors=True)


async def open_interview(pilot):  # type: ignore[no-untyped-def]
    """The seeded session, resumed from the start screen."""
    await ready(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.screen.query("#answer"))
    # a blinking cursor is drawn or not depending on when the picture is taken
    pilot.app.screen.query_one("#answer", TextArea).cursor_blink = False
    return pilot.app.screen


def test_start_screen(snap_compare, db_url):
    assert snap_compare(make_app(db_url), terminal_size=(100, 30), run_before=ready)


def test_interview_screen_while_typing(snap_compare, db_url):
    async def typing(pilot):  # type: ignore[no-untyped-def]
        screen = await open_interview(pilot)
        screen.query_one("#answer", TextArea).insert("我们一般都会先跟客户搞好关系，" + GOOD_ANSWER[:40])
        await until(pilot, lambda: len(screen.latencies) > 0)
        await settled(pilot)

    assert snap_compare(make_app(db_url), terminal_size=(100, 30), run_before=typing)


def test_interview_screen_large(snap_compare, db_url):
    async def opened(pilot):  # type: ignore[no-untyped-def]
        await open_interview(pilot)
        await settled(pilot)

    assert snap_compare(make_app(db_url), terminal_size=(200, 60), run_before=opened)


def test_review_screen(snap_compare, db_url):
    async def review(pilot):  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        pilot.app.screen.query_one("#value", Input).value = "甲"
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen.query("#codes"))
        await pilot.press("a")
        await settled(pilot)

    assert snap_compare(make_app(db_url), terminal_size=(100, 30), run_before=review)


def test_scores_screen(snap_compare, db_url):
    async def scores(pilot):  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("s")
        await until(pilot, lambda: pilot.app.screen.query("#score-table"))
        await settled(pilot)

    assert snap_compare(make_app(db_url), terminal_size=(100, 30), run_before=scores)


def test_help_screen(snap_compare, db_url):
    async def helped(pilot):  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("f1")
        await settled(pilot)

    assert snap_compare(make_app(db_url), terminal_size=(100, 30), run_before=helped)
