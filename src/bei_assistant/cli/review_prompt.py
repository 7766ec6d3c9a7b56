"""A line-mode review for a coder without the terminal UI: one suggestion at a time."""

from __future__ import annotations

from sqlalchemy import Engine as Database

from .. import sessions as svc
from ..core.model import RuleSet
from ..core.records import SessionRecord, SuggestionRecord, TurnRecord
from ..core.review import coder_view
from ..io.decisions import DecisionInput

HELP = "a 接受  r 拒绝  1-5 改为该等级  s 跳过  q 退出"


def review_interactively(db: Database, record: SessionRecord, coder: str, rules: RuleSet, stage: str) -> int:
    """Ask about every suggestion this coder has not decided; each answer is saved at once."""
    pending = [(t, s) for t in record.turns for s in t.suggestions
               if s.competency not in coder_view(t, coder).decided]
    if not pending:
        print(f"{coder} 已审核访谈 {record.id} 的全部建议编码。")
        return 0
    print(f"访谈 {record.id}：{len(pending)} 条建议编码待 {coder} 审核。{HELP}")
    saved = 0
    for turn, suggestion in pending:
        _show(turn, suggestion, rules)
        item = _ask(turn, suggestion)
        if item is None:
            break
        if isinstance(item, str):
            continue  # skipped
        applied, problems = svc.apply_decisions(db, record.id or 0, coder, [item], "<input>",
                                                set(rules.competencies), stage)
        saved += applied
        for problem in problems:
            print(problem)
    print(f"已保存 {saved} 个决定。")
    return 0


def _show(turn: TurnRecord, suggestion: SuggestionRecord, rules: RuleSet) -> None:
    name = rules.names().get(suggestion.competency, "")
    start, end = suggestion.span
    answer = turn.answer
    marked = f"{answer[:start]}【{answer[start:end]}】{answer[end:]}" if end > start else answer
    matched = "；".join(m for e in suggestion.evidence for m in e.matched)
    print(f"\n[{turn.order}] 问：{turn.question}\n答：{marked}\n"
          f"建议：{suggestion.competency} {name} {suggestion.level} 级（置信度 {suggestion.confidence:.2f}）  依据：{matched}")


def _ask(turn: TurnRecord, suggestion: SuggestionRecord) -> DecisionInput | str | None:
    while True:
        try:
            reply = input("> ").strip().lower()
        except EOFError:
            return None
        if reply == "q":
            return None
        if reply == "s":
            return "skip"
        if reply == "a":
            return DecisionInput(0, turn.order, suggestion.competency, "accept", suggestion.level)
        if reply == "r":
            return DecisionInput(0, turn.order, suggestion.competency, "reject")
        if reply in ("1", "2", "3", "4", "5"):
            kind = "accept" if int(reply) == suggestion.level else "change"
            return DecisionInput(0, turn.order, suggestion.competency, kind, int(reply))
        print(HELP)
