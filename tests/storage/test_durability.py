"""Nothing is lost: real processes killed mid-interview, and two coders writing at once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bei_assistant import sessions as svc
from bei_assistant.storage.db import open_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

RULES = ["--rules", str(FIXTURES / "rules")]
SAMPLES = Path(__file__).resolve().parents[2] / "src" / "bei_assistant" / "samples" / "answers.jsonl"


def bei(*args: str) -> list[str]:
    return [sys.executable, "-m", "bei_assistant", *args]


def interview(path: Path, answers: int = 50) -> Path:
    items = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(answers):
            item = items[i % len(items)]
            out.write(json.dumps({"question": item.get("question", ""), "answer": item["text"]},
                                 ensure_ascii=False) + "\n")
    return path


def test_kill_9_mid_interview_loses_no_saved_answer(db_url, tmp_path):
    script = interview(tmp_path / "interview.jsonl")
    rng = random.Random(20261124)
    for run in range(10):
        candidate = f"候选人{run}"
        proc = subprocess.Popen(bei("import", str(script), "--progress", "--db", db_url, *RULES,
                                    "--candidate", candidate, "--role", "corporate", "--grade", "中级"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        saved = []
        stop_after = rng.randrange(0, 50)
        for line in proc.stdout:
            if line.startswith("saved "):
                saved.append(int(line.split()[1]))
            if len(saved) > stop_after:
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        engine = open_database(db_url)
        found = svc.list_sessions(engine, candidate=candidate)
        stored = {t.order for s in found for t in svc.load(engine, s.id).turns}
        assert set(saved) <= stored, (run, saved, stored)
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        engine.dispose()


def test_two_coders_applying_at_once_keep_every_decision(db_url, tmp_path, small_engine):
    engine = open_database(db_url)
    details = svc.SessionDetails("张三", "corporate", "中级")
    from bei_assistant.io.transcripts import TurnInput

    sid = svc.import_turns(engine, small_engine, details, [TurnInput("问题", "去年我上门看了他的仓库，又查了征信。")] * 5)
    files = {}
    for coder in ("甲", "乙"):
        path = tmp_path / f"{coder}.jsonl"
        lines = [json.dumps({"turn": 1 + i % 5, "competency": "RB", "decision": "add", "level": 1 + i % 5,
                             "start": 0, "end": 4, "memo": f"{coder}-{i}"}, ensure_ascii=False) for i in range(300)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files[coder] = path
    procs = [subprocess.Popen(bei("review", str(sid), "--coder", coder, "--apply", str(path), "--db", db_url, *RULES),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for coder, path in files.items()]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    record = svc.load(engine, sid)
    memos = {d.memo for t in record.turns for d in t.decisions}
    assert memos == {f"{coder}-{i}" for coder in files for i in range(300)}
    engine.dispose()
