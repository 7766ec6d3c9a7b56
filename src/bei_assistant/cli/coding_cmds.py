"""Commands of the coding engine: validate, code, eval, learn, bench and the demo."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO

from ..batch import code_all, code_line, default_jobs
from ..coding import build_engine, cross_validate, evaluate, folds_of, learn_from, load_ruleset, read_gold, rule_paths
from ..core.learn import SMALL_SET, LearnSettings, settings_for
from ..core.measures import Measures
from ..io.answers import Answer, read_answers
from ..io.learned import learned_yaml, write_learned
from ..io.paths import default_banks
from ..io.validate import validate
from ..io.yamlfile import Problem
from . import bench as bench_cmd
from .output import fail, print_json, table, warn_all


def _add(sub, name: str, help_text: str, handler) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


# -- validate ----------------------------------------------------------------


def register_validate(sub) -> argparse.ArgumentParser:
    p = _add(sub, "validate", "检查编码规则和题库文件 (check rule files and question banks)", run_validate)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the shipped ones)")
    return p


def run_validate(args) -> int:
    paths = args.paths or [*rule_paths(args.rules), default_banks()]
    report = validate(paths, rule_paths(args.rules))
    warn_all(report.problems)
    kinds: dict[str, int] = {}
    for kind in report.checked.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no files"
    if report.ok:
        print(f"ok: {summary}")
        return 0
    print(f"{len(report.problems)} problem(s) in {summary}", file=sys.stderr)
    return 1


# -- code --------------------------------------------------------------------


def register_code(sub) -> argparse.ArgumentParser:
    p = _add(sub, "code", "给回答编码，输出 JSON Lines (code answers)", run_code)
    p.add_argument("input", nargs="?", default="-", help="JSON Lines (id, text, question) or plain text; - for stdin")
    p.add_argument("--full", action="store_true", help="also print the probes to ask and the flags' evidence")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="processes to code with (default: all cores for a file of 1000+ answers, else 1)")
    return p


def _open_input(name: str) -> tuple[IO[str], str]:
    if name == "-":
        return sys.stdin, "<stdin>"
    path = Path(name)
    try:
        return path.open(encoding="utf-8", newline=""), name
    except OSError as exc:
        fail(f"{name}: cannot read: {exc.strerror or exc}")


def run_code(args) -> int:
    engine, problems = build_engine(args.rules)
    warn_all(problems)
    stream, name = _open_input(args.input)
    out = sys.stdout
    try:
        if stream is sys.stdin and not args.jobs:
            return _code_stream(engine, read_answers(stream, name), args.full, out)
        items = list(read_answers(stream, name))
    except UnicodeDecodeError as exc:
        fail(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    finally:
        if stream is not sys.stdin:
            stream.close()
    answers = [i for i in items if isinstance(i, Answer)]
    coded = code_all(engine, answers, args.full, args.jobs or default_jobs(len(answers)))
    for item in items:
        if isinstance(item, Problem):
            print(item, file=sys.stderr)
            out.write(json.dumps(_error_line(item), ensure_ascii=False) + "\n")
        else:
            out.write(next(coded) + "\n")
    return 1 if len(answers) < len(items) else 0


def _code_stream(engine, items, full: bool, out) -> int:
    """One answer at a time, so that a pipe gets each result as soon as its line is read."""
    bad = 0
    for item in items:
        if isinstance(item, Problem):
            bad += 1
            print(item, file=sys.stderr)
            out.write(json.dumps(_error_line(item), ensure_ascii=False) + "\n")
        else:
            out.write(code_line(engine, item, full) + "\n")
        out.flush()
    return 1 if bad else 0


def _error_line(problem: Problem) -> dict:
    """Keeps the output aligned with the input: the bad line gets an empty result and its error."""
    return {"id": None, "codes": [], "flags": [], "star": {k: False for k in "STAR"}, "error": problem.message}


# -- eval --------------------------------------------------------------------


def register_eval(sub) -> argparse.ArgumentParser:
    p = _add(sub, "eval", "用已编码的回答衡量规则 (measure the rules against coded answers)", run_eval)
    p.add_argument("--gold", type=Path, required=True, action="append", help="coded answers (JSON Lines)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--cross-validate", action="store_true",
                   help="also learn on all groups but one and measure on that one (groups: the id before its last '-'); "
                        "each fold learns afresh from the written rules, learned files are left out")
    return p


def _engine_and_gold(args, purpose: str):
    """The engine of ``--rules`` and the coded answers of ``--gold``, problems reported on the way."""
    engine, problems = build_engine(args.rules)
    warn_all(problems)
    gold, bad = read_gold(args.gold, set(engine.rules.competencies))
    warn_all(bad)
    if not gold:
        fail(f"no coded answers to {purpose}")
    return engine, gold


def run_eval(args) -> int:
    engine, gold = _engine_and_gold(args, "measure")
    rules = engine.rules
    measures = evaluate(engine, gold)
    folds = folds_of(gold) if args.cross_validate else {}
    cv = cross_validate(_written_rules(args, rules), gold, folds) if len(folds) > 1 else {}
    if args.json:
        data = measures.as_dict()
        if cv:
            data["cross_validated"] = {name: m.as_dict() for name, m in cv.items()}
            data["cross_validated_mean"] = _mean(cv.values())
        print_json(data)
    else:
        print(_report(measures))
        if cv:
            print("\n交叉验证 cross-validated (learn on the other groups, measure on this one):")
            rows = [[n, *(f"{getattr(m, f):.3f}" for f in _HEADLINE)] for n, m in cv.items()]
            rows.append(["mean", *(f"{v:.3f}" for v in _mean(cv.values()).values())])
            print(table(rows, ["group", *_HEADLINE]))
    return 0


def _written_rules(args, rules):
    """The rules without learned files: a learned file may have seen the held-out answers, so
    each fold learns afresh from the written rules and the other folds."""
    if not rules.learned:
        return rules
    written, _ = load_ruleset(args.rules, learned=False)
    return written


_HEADLINE = ("ca", "competency_ca", "level_agreement", "false_codes_on_empty")


def _mean(measures) -> dict[str, float]:
    items = list(measures)
    return {f: sum(getattr(m, f) for m in items) / len(items) for f in _HEADLINE}


def _report(m: Measures) -> str:
    lines = [
        f"answers: {m.answers} ({m.empty_answers} with no gold code)",
        f"CA (归类一致性)              {m.ca:.3f}",
        f"competency CA               {m.competency_ca:.3f}",
        f"level agreement             {m.level_agreement:.3f}  (within one level: {m.level_within_one:.3f})",
        f"false codes on empty answers {m.false_codes_on_empty:.3f}",
        "",
    ]
    rows = [[c, str(int(v["gold"])), str(int(v["proposed"])), f"{v['precision']:.2f}", f"{v['recall']:.2f}",
             f"{v['competency_ca']:.2f}", f"{v['ca']:.2f}"] for c, v in m.per_competency.items()]
    lines.append(table(rows, ["competency", "gold", "proposed", "precision", "recall", "comp CA", "CA"]))
    lines.append("\nlevel confusion (rows: gold level, columns: proposed level)")
    levels = ["1", "2", "3", "4", "5"]
    lines.append(table([[g, *(str(m.level_confusion.get(g, {}).get(p, 0)) for p in levels)] for g in levels],
                       ["gold\\proposed", *levels]))
    return "\n".join(lines)


# -- learn -------------------------------------------------------------------


def register_learn(sub) -> argparse.ArgumentParser:
    p = _add(sub, "learn", "从已编码的回答学习指标，写成规则文件 (learn indicators from coded answers)", run_learn)
    p.add_argument("--gold", type=Path, nargs="+", required=True, action="extend", help="coded answers (JSON Lines)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the learned rules file to write (.yaml)")
    p.add_argument("--min-support", type=int, default=None,
                   help=f"answers of a competency that must use a phrase (default {LearnSettings.min_support}, "
                        f"3 for fewer than {SMALL_SET} answers)")
    p.add_argument("--residual", action="store_true",
                   help="learn phrases only from the codes that --rules miss (for a team's answers on top of "
                        "rules that already hold learned indicators)")
    return p


def run_learn(args) -> int:
    engine, gold = _engine_and_gold(args, "learn from")
    min_support = None if args.min_support is None else max(1, args.min_support)
    learned = learn_from(engine, gold, settings_for(len(gold), min_support=min_support, residual=args.residual or None))
    text = learned_yaml(learned, [str(p) for p in args.gold], len(gold))
    try:
        write_learned(args.output, text)
    except OSError as exc:
        fail(f"{args.output}: cannot write: {exc.strerror or exc}")
    per: dict[str, int] = {}
    for p in learned.phrases:
        per[p.competency] = per.get(p.competency, 0) + 1
    print(f"learned {len(learned.phrases)} indicators, {len(learned.questions)} question words and "
          f"{len(learned.adjustments)} re-weighted written indicators from {len(gold)} answers → {args.output}")
    print("  " + ", ".join(f"{c} {n}" for c, n in sorted(per.items())))
    inside = any(args.output.resolve().is_relative_to(p.resolve()) for p in rule_paths(args.rules) if p.is_dir())
    if not inside:
        rules = " ".join(f"--rules {p}" for p in rule_paths(args.rules))
        print(f"use them with: bei code {rules} --rules {args.output}")
    return 0


# -- demo --------------------------------------------------------------------


def register_demo(sub) -> argparse.ArgumentParser:
    return _add(sub, "demo", "给几条示例回答编码并显示结果 (code a few sample answers)", demo)


def demo(args) -> int:
    """Code a few sample answers and show what the engine finds: a first look without a terminal UI."""
    from ..samples import sample_answers

    engine, problems = build_engine(args.rules)
    warn_all(problems)
    for answer in sample_answers()[:6]:
        result = engine.code(answer.text, answer.question, answer.id)
        print(f"\n问：{answer.question or '（追问）'}\n答：{answer.text}")
        for code in result.codes:
            name = engine.rules.competencies[code.competency].name
            print(f"  → {code.competency} {name} 等级 {code.level}  置信度 {code.confidence:.2f}")
            for ev in code.evidence[:3]:
                print(f"      「{ev.text}」 ← {'、'.join(ev.matched)}")
        if result.flags:
            print(f"  ⚠ {', '.join(result.flags)}")
        missing = "".join(result.missing_star)
        if missing:
            print(f"  STAR 缺 {missing}；追问：{result.probes[-1] if result.probes else ''}")
    return 0


REGISTER = [register_validate, register_code, register_eval, register_learn, bench_cmd.register, register_demo]
