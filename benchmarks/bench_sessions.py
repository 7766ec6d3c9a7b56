"""Sessions at scale: 1,000 sessions of 30 answers; listing, scoring one session and exporting one.

    python benchmarks/bench_sessions.py [--db URL] [--sessions 1000] [--answers 30] [--repeat 20]

Builds the database once (answers coded by the shipped rules, sample answers reused), then
times each operation as the CLI does it, from a fresh database session, and prints percentiles.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from bei_assistant import exporting
from bei_assistant import sessions as svc
from bei_assistant.coding import build_engine
from bei_assistant.core.records import suggestions_of
from bei_assistant.io import session_json, tables
from bei_assistant.samples import sample_path
from bei_assistant.storage import repo
from bei_assistant.storage.db import open_database
from bei_assistant.storage.models import Turn


def build(db_url: str, sessions: int, answers: int) -> None:
    engine, _ = build_engine(None)
    samples = [json.loads(line) for line in sample_path().read_text(encoding="utf-8").splitlines()]
    coded = [(s.get("question", ""), s["text"], engine.code(s["text"], s.get("question"))) for s in samples]
    version = engine.rules.version
    db = open_database(db_url)
    roles, grades = ["corporate", "retail", "microloan"], ["初级", "中级", "高级"]
    for n in range(sessions):
        with Session(db) as s:
            row = repo.create_session(s, f"候选人{n:04d}", roles[n % 3], grades[n % 3], roles[n % 3], "面试官甲",
                                      version)
            for i in range(answers):
                question, answer, result = coded[(n * answers + i) % len(coded)]
                turn = Turn(session_id=row.id, order=i + 1, question=question, answer=answer,
                            flags=list(result.flags), star=dict(result.star))
                s.add(turn)
                s.flush()
                repo.add_suggestions(s, turn, suggestions_of(result, version, "bench"))
            s.commit()
    db.dispose()


def timed(action: Callable[[], object], repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return {"p50_ms": round(statistics.median(runs), 1), "p95_ms": round(runs[int(0.95 * (len(runs) - 1))], 1),
            "max_ms": round(runs[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    db_url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='bei-bench-')) / 'bei.sqlite3'}"
    start = time.perf_counter()
    build(db_url, args.sessions, args.answers)
    print(f"built {args.sessions} sessions × {args.answers} answers in {time.perf_counter() - start:.1f} s")

    rules = build_engine(None)[0].rules
    names = rules.names()
    db = open_database(db_url)
    middle = args.sessions // 2
    results = {
        "list all sessions": timed(lambda: svc.list_sessions(db), args.repeat),
        "list one role": timed(lambda: svc.list_sessions(db, role="retail"), args.repeat),
        "score one session": timed(lambda: svc.score_record(svc.load(db, middle), rules), args.repeat),
        "export one (json)": timed(lambda: session_json.dumps([svc.load(db, middle)]), args.repeat),
        "export one (csv)": timed(lambda: tables.to_csv([svc.load(db, middle)], names), args.repeat),
        "export one (html)": timed(lambda: exporting.render_text("html", [svc.load(db, middle)], rules), args.repeat),
        "compare one role": timed(lambda: svc.compare_role(db, rules, "retail"), max(3, args.repeat // 5)),
    }
    width = max(map(len, results))
    for name, figures in results.items():
        print(f"{name:<{width}}  p50 {figures['p50_ms']:>8} ms  p95 {figures['p95_ms']:>8} ms")


if __name__ == "__main__":
    main()
