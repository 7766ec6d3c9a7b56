"""The terminal UI: time to the first screen, and from a keystroke to its suggestion update.

    python benchmarks/bench_tui.py [--runs 10] [--keys 60]

First screen: a new process per run, from its start (interpreter included) until the first
screen has been painted; the rules and jieba load after that, in the background, and their
time is shown too. Keystroke: a 300-character answer in the interview screen, then one key at
a time; the delay is from the key's change event to the live panel showing its analysis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual import events

ANSWER = ("去年三月我负责开发一家做机械加工的民营企业。我先查了他们的工商信息和上下游，然后主动约了财务总监两次上门拜访，"
          "了解到他们有一笔设备更新的资金需求。我跟产品经理一起设计了一个设备按揭加结算的方案，回来又核对了他们近两年的"
          "水电和流水，发现有一笔应收账款逾期，就把额度从一千万压到八百万，最后他们在我们行开了基本户，贷款发放了八百万。"
          "这件事之后我给自己定了一个目标，每个季度至少新开五户，我每周排计划，每天下午固定出去拜访两家，年底完成了二十三户。")


def child_first_screen(started: float, db_url: str) -> None:
    from bei_assistant.tui.app import create_app
    from bei_assistant.tui.screens.start import StartScreen

    app = create_app(db_url)
    marks: dict[str, float] = {}

    async def watch(pilot) -> None:  # type: ignore[no-untyped-def]
        while not isinstance(app.screen, StartScreen):
            await asyncio.sleep(0.002)
        painted = asyncio.get_running_loop().create_future()
        app.screen.call_after_refresh(lambda: painted.done() or painted.set_result(time.time()))
        marks["first_screen"] = await painted - started  # the start screen is up and painted
        while not (app.workspace.ready or app.workspace.error):
            await asyncio.sleep(0.005)
        marks["ready"] = time.time() - started
        app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=watch)
    print(json.dumps(marks))


async def keystrokes(keys: int) -> list[float]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "tui"))
    from tuihelp import make_app, ready, until

    from bei_assistant.tui.screens.interview import InterviewScreen
    from bei_assistant.tui.widgets.live import LivePanel

    folder = Path(tempfile.mkdtemp(prefix="bei-bench-tui-"))
    app = make_app(f"sqlite:///{folder / 'bei.sqlite3'}")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        import bei_assistant.sessions as svc

        sid = svc.start_session(app.workspace.db, svc.SessionDetails("基准", "corporate", "中级", "corporate"))
        app.call_later(app.open_interview, sid)  # from inside the app, as a key press would
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        screen = app.screen
        screen.query_one("#answer").insert(ANSWER[:300])
        await until(pilot, lambda: screen.latencies)
        screen.latencies.clear()
        panel = screen.query_one(LivePanel)
        delays = []
        for i in range(keys):
            before = len(screen.latencies)
            char = "好" if i % 2 else "的"
            sent = time.perf_counter()
            app.post_message(events.Key(char, char))  # as the terminal driver delivers a key
            while len(screen.latencies) <= before:
                await asyncio.sleep(0.0005)
            delays.append(screen.updated_at - sent)  # the key is delivered → the live panel updated
            assert panel is screen.query_one(LivePanel)
        return delays


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(1000 * statistics.median(ordered), 1),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(1000 * ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--child", nargs=2, metavar=("STARTED", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_first_screen(float(args.child[0]), args.child[1])
        return
    folder = Path(tempfile.mkdtemp(prefix="bei-bench-tui-"))
    first, ready = [], []
    for _ in range(args.runs):
        started = time.time()
        out = subprocess.run([sys.executable, __file__, "--child", str(started), f"sqlite:///{folder / 'b.sqlite3'}"],
                             capture_output=True, text=True, env={**os.environ, "TERM": "xterm-256color"},
                             timeout=120)
        marks = json.loads(out.stdout.strip().splitlines()[-1])
        first.append(marks["first_screen"])
        ready.append(marks["ready"])
    print(f"time to first screen ({args.runs} runs)   {percentiles(first)}")
    print(f"time until rules and database loaded  {percentiles(ready)}")
    delays = asyncio.run(keystrokes(args.keys))
    print(f"keystroke → suggestion update ({args.keys} keys, 300-character answer)  {percentiles(delays)}")


if __name__ == "__main__":
    main()
