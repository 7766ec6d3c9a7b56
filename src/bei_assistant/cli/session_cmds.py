"""Commands on stored sessions: list, show, score, agreement, compare, import, export, review, delete."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import sessions as svc
from ..coding import build_engine, load_ruleset
from ..core.engine import Engine
from ..core.model import RuleSet
from ..core.records import STAGE_CODE, STAGE_RECONCILE, SessionRecord
from ..core.review import agreement, progress
from ..io.decisions import read_decisions
from ..io.transcripts import read_transcript
from ..storage.db import open_database
from .output import fail, print_json, table, warn_all
from .review_prompt import review_interactively


def _rules(args: argparse.Namespace) -> RuleSet:
    return _engine(args).rules


def _engine(args: argparse.Namespace) -> Engine:
    engine, problems = build_engine(args.rules)
    warn_all(problems)
    return engine


# -- sessions, show --------------------------------------------------------------------------


def run_sessions(args: argparse.Namespace) -> int:
    role = (load_ruleset(args.rules)[0].profiles.role_id(args.role) or args.role) if args.role else None
    found = svc.list_sessions(open_database(args.db), role, args.candidate, args.status, args.limit)
    if args.json:
        print_json([f.to_dict() for f in found])
        return 0
    rows = [[str(f.id), f.candidate, f.role, f.grade, f.interviewer, f.status, str(f.turns),
             f.started_at.strftime("%Y-%m-%d %H:%M") if f.started_at else ""] for f in found]
    print(table(rows, ["id", "候选人", "岗位", "职级", "面试官", "状态", "回答数", "开始时间"]) if rows else "（没有访谈）")
    return 0


def run_show(args: argparse.Namespace) -> int:
    record = svc.load(open_database(args.db), args.session)
    if args.json:
        from ..io.session_json import session_to_dict

        print_json(session_to_dict(record))
        return 0
    rules = _rules(args)
    print(_header(record, rules))
    for turn in record.turns:
        print(f"\n[{turn.order}] 问：{turn.question}\n    答：{turn.answer}")
        if turn.flags:
            print(f"    提示：{'、'.join(turn.flags)}")
        for sug in turn.suggestions:
            matched = "；".join(m for e in sug.evidence for m in e.matched)
            print(f"    建议 {sug.competency}-{sug.level}（{sug.confidence:.2f}）：{matched}")
        for d in turn.decisions:
            level = f"-{d.level}" if d.level else ""
            print(f"    {d.coder}：{d.decision} {d.result_competency}{level}{'（协调）' if d.stage != STAGE_CODE else ''}"
                  f"{'  ' + d.memo if d.memo else ''}")
    return 0


def _header(record: SessionRecord, rules: RuleSet) -> str:
    role = rules.profiles.roles.get(record.role, record.role)
    return (f"访谈 {record.id}：{record.candidate}  {role} {record.grade}  面试官 {record.interviewer or '—'}"
            f"  {record.status}  {len(record.turns)} 个回答")


# -- score, compare --------------------------------------------------------------------------


def run_score(args: argparse.Namespace) -> int:
    record = svc.load(open_database(args.db), args.session)
    rules = _rules(args)
    result = svc.score_record(record, rules).score
    if args.json:
        print_json({"session": record.id, "candidate": record.candidate, **result.to_dict()})
        return 0
    print(_header(record, rules))
    names = rules.names()
    rows = [[r.competency, names.get(r.competency, ""), str(r.frequency), _level(r.max_level),
             "" if r.mean_level is None else f"{r.mean_level:.1f}", _level(r.target),
             "" if r.gap is None else f"{r.gap:+d}", f"{r.unreviewed}" if r.unreviewed else "",
             f"{r.disputed}" if r.disputed else ""] for r in result.rows]
    print(table(rows, ["代码", "胜任力", "频次", "最高级", "平均级", "目标", "差距", "未审核", "分歧"]))
    print(f"\n加权符合度：{result.overall:.1f} / 100    达到的最高职级：{result.meets_grade or '未达到任何职级画像'}")
    if result.gaps:
        print("低于目标：" + "、".join(f"{r.competency}（{r.gap:+d}）" for r in result.gaps))
    if result.unreviewed or result.disputed:
        print(f"注意：{result.unreviewed} 条编码未经编码员确认，{result.disputed} 处分歧待协调。")
    return 0


def _level(value: int | None) -> str:
    return "" if value is None else str(value)


def run_compare(args: argparse.Namespace) -> int:
    rules = _rules(args)
    if rules.profiles.role_id(args.role) is None:
        fail(f"bei compare: unknown role {args.role!r} (known: {', '.join(rules.profiles.roles)})")
    ranked = svc.compare_role(open_database(args.db), rules, args.role)
    if args.json:
        print_json([{"rank": i, "session": r.session, "candidate": r.candidate, "grade": r.grade,
                     **r.score.to_dict()} for i, r in enumerate(ranked, 1)])
        return 0
    top = rules.profiles.grades[-1] if rules.profiles.grades else ""
    rows = [[str(i), str(r.session), r.candidate, r.grade, r.score.meets_grade or "—",
             f"{r.score.grade_fit.get(top, 0.0):.1f}", f"{r.score.overall:.1f}", str(r.score.unreviewed)]
            for i, r in enumerate(ranked, 1)]
    header = ["名次", "访谈", "候选人", "应聘职级", "达到职级", f"对{top}符合度", "对本职级符合度", "未审核"]
    print(table(rows, header) if rows else "（这个岗位还没有访谈）")
    return 0


# -- agreement -------------------------------------------------------------------------------


def run_agreement(args: argparse.Namespace) -> int:
    record = svc.load(open_database(args.db), args.session)
    rules = _rules(args)
    pairs = agreement(record, list(rules.competencies))
    if args.json:
        print_json({"session": record.id, "pairs": [p.to_dict() for p in pairs],
                    "progress": {c: dict(zip(("decided", "total"), progress(record, c), strict=True))
                                 for c in record.independent_coders()}})
        return 0
    if not pairs:
        print(f"访谈 {record.id} 还没有编码员的决定。")
        return 0
    rows = [[p.first, p.second, str(p.turns), _maybe(p.ca), _maybe(p.kappa), _maybe(p.level_agreement),
             str(len(p.disagreements))] for p in pairs]
    print(table(rows, ["甲", "乙", "共同审核的回答", "CA", "kappa", "等级一致", "分歧"]))
    for p in pairs:
        if p.second == "engine" or not p.disagreements:
            continue
        print(f"\n{p.first} 与 {p.second} 的分歧（用 bei review {record.id} --coder 名字 --reconcile --apply 文件 协调）：")
        for d in p.disagreements:
            print(f"  回答 {d.turn}  {d.competency}：{_level(d.first) or '无'} ↔ {_level(d.second) or '无'}")
    return 0


def _maybe(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


# -- review ----------------------------------------------------------------------------------


def run_review(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    record = svc.load(db, args.session)  # a wrong id fails here, before anything is read
    rules = _rules(args)
    stage = STAGE_RECONCILE if args.reconcile else STAGE_CODE
    if args.apply is None:
        return review_interactively(db, record, args.coder, rules, stage)
    inputs, problems = read_decisions(args.apply)
    applied, more = svc.apply_decisions(db, args.session, args.coder, inputs, str(args.apply),
                                        set(rules.competencies), stage)
    problems += more
    warn_all(problems)
    if args.json:
        print_json({"session": args.session, "coder": args.coder, "applied": applied,
                    "problems": [str(p) for p in problems]})
    else:
        print(f"已保存 {args.coder} 的 {applied} 个决定" + (f"，{len(problems)} 行有问题未导入" if problems else ""))
    return 1 if problems and not applied else 0


# -- import ----------------------------------------------------------------------------------


def run_import(args: argparse.Namespace) -> int:
    transcript = read_transcript(args.file)
    warn_all(transcript.problems)
    if not transcript.turns and not transcript.exported:
        fail(f"{args.file}: nothing to import")
    engine = _engine(args)
    defaults = svc.SessionDetails(args.candidate or "", args.role or "", args.grade or "", args.question_bank,
                                  args.interviewer or "")
    if transcript.turns:
        defaults = _checked_details(defaults, transcript.details, engine.rules, args.file)
    db = open_database(args.db)

    def saved(order: int) -> None:
        if args.progress:
            print(f"saved {order}", flush=True)

    result = svc.import_transcript(db, engine, transcript, defaults, saved)
    if args.json:
        print_json({"sessions": result.session_ids, "turns": result.turns, "problems": len(transcript.problems)})
        return 0
    for session_id in result.session_ids:
        print(session_id, flush=True)  # the last line: what a script reads
    return 0


def _checked_details(given: svc.SessionDetails, found: dict[str, str], rules: RuleSet, path: Path
                     ) -> svc.SessionDetails:
    """Options win over the file; the role and grade must be ones the profiles know."""
    merged = {k: getattr(given, k) or found.get(k, "") for k in ("candidate", "role", "grade", "interviewer")}
    for key, option in (("candidate", "--candidate"), ("role", "--role"), ("grade", "--grade")):
        if not merged[key]:
            fail(f"{path}: no {key} in the file; give {option}")
    role = rules.profiles.role_id(merged["role"])
    if role is None:
        fail(f"{path}: unknown role {merged['role']!r} (known: {', '.join(rules.profiles.roles)})")
    if rules.profiles.grades and merged["grade"] not in rules.profiles.grades:
        fail(f"{path}: unknown grade {merged['grade']!r} (known: {', '.join(rules.profiles.grades)})")
    return svc.SessionDetails(merged["candidate"], role, merged["grade"], given.bank, merged["interviewer"])


# -- recode, delete-candidate -----------------------------------------------------------------


def run_recode(args: argparse.Namespace) -> int:
    if (args.session is None) == (not args.all):
        fail("bei recode: give a SESSION or --all, not both", code=2)
    db = open_database(args.db)
    engine = _engine(args)
    ids = svc.session_ids(db, only=None if args.all else args.session)
    counts = {i: svc.recode(db, engine, i) for i in ids}
    if args.json:
        print_json({"rules_version": engine.rules.version, "sessions": counts})
    else:
        print(f"已用规则版本 {engine.rules.version} 重新编码 {len(ids)} 次访谈、{sum(counts.values())} 个回答")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    if not args.yes:
        if not sys.stdin.isatty():
            fail("bei delete-candidate: add --yes to delete without being asked", code=2)
        reply = input(f"删除候选人 {args.candidate} 及其全部访谈、编码和决定？此操作不可恢复 [y/N] ")
        if reply.strip().lower() not in ("y", "yes", "是"):
            print("未删除。")
            return 1
    removed = svc.delete_candidate(db, args.candidate)
    if args.json:
        print_json([r.__dict__ for r in removed])
        return 0
    for r in removed:
        print(f"已删除候选人 {r.candidate}：{r.sessions} 次访谈、{r.turns} 个回答、{r.suggestions} 条建议编码、"
              f"{r.decisions} 个编码决定")
    return 0


