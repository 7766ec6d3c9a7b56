"""``bei bench``: how fast coding is, next to jieba segmentation alone on the same answers.

Whole processes are timed (start-up included): ``bei code`` on the input, and a process
that only reads the same lines and segments them with jieba.  Per-answer latency is timed
in this process once the engine is loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..batch import default_jobs
from ..coding import build_engine
from .output import print_json

_JIEBA_ONLY = """
import json, sys, jieba
jieba.setLogLevel(60)
jieba.initialize()
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        jieba.lcut(json.loads(line)["text"])
"""


def register(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("bench", help="编码速度基准 (benchmark the engine)", description=__doc__)
    p.set_defaults(handler=run)
    p.add_argument("--input", type=Path, help="answers as JSON Lines (default: the shipped samples, repeated)")
    p.add_argument("--answers", type=int, default=3000, help="how many answers to code (default %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each process; the median counts")
    p.add_argument("--json", action="store_true")
    return p


def _corpus(args) -> list[dict]:
    if args.input:
        rows = [json.loads(line) for line in args.input.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        from ..samples import sample_answers

        rows = [{"id": a.id, "text": a.text, **({"question": a.question} if a.question else {})}
                for a in sample_answers()]
    out: list[dict] = []
    while len(out) < args.answers:
        for row in rows:
            out.append({**row, "id": f"b{len(out) + 1}"})
    return out[: args.answers]


def _timed(cmd: list[str]) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {err.strip()[:200]}")
    return elapsed, usage.ru_maxrss


def _median_run(cmd: list[str], repeat: int) -> tuple[float, int]:
    runs = [_timed(cmd) for _ in range(max(1, repeat))]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def _latencies(args, texts: list[str]) -> list[float]:
    engine, _ = build_engine(args.rules)
    answers = [t for t in texts if 250 <= len(t) <= 350] or texts
    # ~300-character answers: the shipped ones of that length, or pieces joined to it
    if len(answers) == len(texts):
        joined = "".join(texts)
        answers = [joined[i : i + 300] for i in range(0, len(joined) - 300, 300)][:200]
    times = []
    for text in answers * max(1, 400 // len(answers)):
        start = time.perf_counter()
        engine.code(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def run(args) -> int:
    rows = _corpus(args)
    rule_args = [a for p in (args.rules or []) for a in ("--rules", str(p))]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "answers.jsonl")
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        empty = Path(tmp, "empty.jsonl")
        empty.write_text("", encoding="utf-8")
        bei = [sys.executable, "-m", "bei_assistant", *rule_args, "code"]
        code_s, code_mem = _median_run([*bei, str(data)], args.repeat)
        single_s, _ = _median_run([*bei, "--jobs", "1", str(data)], args.repeat)
        jieba_s, jieba_mem = _median_run([sys.executable, "-c", _JIEBA_ONLY, str(data)], args.repeat)
        startup_s, _ = _median_run([*bei, str(empty)], args.repeat)
    lat = sorted(_latencies(args, [r["text"] for r in rows]))
    chars = sum(len(r["text"]) for r in rows)
    result = {
        "answers": len(rows),
        "characters": chars,
        "code_seconds": round(code_s, 3),
        "jieba_only_seconds": round(jieba_s, 3),
        "code_answers_per_second": round(len(rows) / code_s, 1),
        "jieba_answers_per_second": round(len(rows) / jieba_s, 1),
        "throughput_ratio": round(jieba_s / code_s, 3),
        "jobs": default_jobs(len(rows)),
        "single_process_seconds": round(single_s, 3),
        "single_process_ratio": round(jieba_s / single_s, 3),
        "startup_seconds": round(startup_s, 3),
        "latency_ms_p50": round(lat[len(lat) // 2], 2),
        "latency_ms_p95": round(lat[int(len(lat) * 0.95)], 2),
        "latency_answer_chars": 300,
        "peak_memory_mib": round(code_mem / 1024, 1),
        "jieba_peak_memory_mib": round(jieba_mem / 1024, 1),
    }
    if args.json:
        print_json(result)
    else:
        print(f"{len(rows)} answers, {chars} characters")
        print(f"bei code       {code_s:7.2f} s  {result['code_answers_per_second']:8.1f} answers/s  "
              f"peak {result['peak_memory_mib']} MiB")
        print(f"jieba only     {jieba_s:7.2f} s  {result['jieba_answers_per_second']:8.1f} answers/s  "
              f"peak {result['jieba_peak_memory_mib']} MiB")
        print(f"ratio (jieba time / bei code time, start-up included): {result['throughput_ratio']:.2f} "
              f"with {result['jobs']} process(es); {result['single_process_ratio']:.2f} with one "
              f"({single_s:.2f} s)")
        print(f"start-up (bei code on no input): {startup_s:.2f} s")
        print(f"latency per ~300-character answer once loaded: p50 {result['latency_ms_p50']} ms, "
              f"p95 {result['latency_ms_p95']} ms")
    return 0
