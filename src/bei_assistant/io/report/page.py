"""The model of the report page that both renderings share: facts, notes, score rows, turns with
their evidence merged into non-overlapping highlights. Everything from the session is free text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ...core.bank import PROBE_NAMES
from ...core.model import LEVELS, STAR_KEYS
from ...core.records import EvidenceSpan, SessionRecord, TurnRecord
from ...core.result import FLAG_NAMES
from ...core.review import DISPUTED, FINAL, RECONCILED, UNREVIEWED, FinalCode
from ...core.scoring import CompetencyScore, SessionScore

TITLE = "候选人 BEI 访谈报告"


TOP_LEVEL = max(LEVELS)


STATUS_NAMES = {FINAL: "已确认", RECONCILED: "已协调", UNREVIEWED: "未确认（建议）", DISPUTED: "分歧待协调"}


SESSION_STATUS = {"open": "进行中", "finished": "已结束"}




CODER_SPAN = "编码员标注"  # shown as the indicator of evidence a coder marked by hand


NONE = "—"


@dataclass
class ReportInput:
    record: SessionRecord
    score: SessionScore
    codes: list[FinalCode]  # final_codes(record)
    names: Mapping[str, str]  # competency code -> Chinese name
    role_name: str  # e.g. 对公客户经理
    pseudonymised: bool = False


@dataclass
class Highlight:
    """A stretch of the answer shown as evidence; overlapping evidence of several codes is one highlight."""

    start: int
    end: int
    labels: list[str] = field(default_factory=list)  # one line per code: competency, level, indicators
    codes: list[str] = field(default_factory=list)  # competency codes, in order of first appearance
    statuses: set[str] = field(default_factory=set)


@dataclass
class _CodeLine:
    """One code of a turn as listed under the answer."""

    code: FinalCode
    label: str  # "ACH 成就导向"
    level: str  # "3 级", or each coder's level where they disagree
    status: str
    excerpts: list[str]  # the evidence, as it stands in the answer
    indicators: list[str]


@dataclass
class TurnView:
    turn: TurnRecord
    codes: list[_CodeLine]
    segments: list[tuple[str, Highlight | None]]  # the answer cut at the highlights
    flags: list[str]
    star: list[tuple[str, bool]]  # ("情境", present), in STAR order; empty when not recorded


def comp_label(data: ReportInput, comp: str) -> str:
    name = data.names.get(comp, "")
    return f"{comp} {name}" if name else comp


def _level_text(code: FinalCode) -> str:
    if code.status != DISPUTED:
        return NONE if code.level is None else f"{code.level} 级"
    said = [f"{coder} {'不编码' if lv is None else f'{lv} 级'}" for coder, lv in code.levels.items()]
    return "分歧：" + "、".join(said) if said else "分歧"


def _offset(value: object) -> int | None:
    if isinstance(value, int):
        return value
    try:
        return int(value) if isinstance(value, str | float) else None  # a hand-edited file may hold "12"
    except (ValueError, OverflowError):
        return None


def _clamp(start: object, end: object, length: int) -> tuple[int, int] | None:
    """Offsets from damaged data: clamp to the answer, skip reversed or unreadable ones."""
    a, b = _offset(start), _offset(end)
    if a is None or b is None:
        return None
    a, b = max(0, min(a, length)), max(0, min(b, length))
    return (a, b) if a < b else None


def _evidence(turn: TurnRecord, code: FinalCode) -> list[EvidenceSpan]:
    """Where the code shows in the answer: the engine's evidence; for a code a coder moved to another
    competency, the evidence of the suggestion it came from; and any span a coder marked by hand."""
    own = turn.suggestion(code.competency)
    found = list(own.evidence) if own else []
    for d in turn.decisions:
        if d.decision == "reject" or d.result_competency != code.competency:
            continue
        if d.competency != code.competency and (origin := turn.suggestion(d.competency)) is not None:
            found += origin.evidence
        if d.start is not None and d.end is not None:
            found.append(EvidenceSpan(d.start, d.end, "", [CODER_SPAN]))
    unique: dict[tuple[object, object], EvidenceSpan] = {}
    for span in found:
        unique.setdefault((span.start, span.end), span)
    return list(unique.values())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _code_line(data: ReportInput, turn: TurnRecord, code: FinalCode) -> tuple[_CodeLine, list[Highlight]]:
    spans = _evidence(turn, code)
    label, level = comp_label(data, code.competency), _level_text(code)
    status = STATUS_NAMES.get(code.status, code.status)
    marks: list[Highlight] = []
    excerpts: list[str] = []
    for span in spans:
        where = _clamp(span.start, span.end, len(turn.answer))
        shown = "、".join(_unique(str(m) for m in span.matched)) or NONE
        if where is None:
            excerpts += [span.text] if span.text else []
            continue
        excerpts.append(turn.answer[where[0]:where[1]])
        marks.append(Highlight(*where, [f"{label} · {level} · {status} · 指标：{shown}"],
                               [code.competency], {code.status}))
    indicators = _unique(str(m) for s in spans for m in s.matched)
    return _CodeLine(code, label, level, status, _unique(excerpts), indicators), marks


def _merge_highlights(marks: Iterable[Highlight]) -> list[Highlight]:
    """Overlapping highlights become one naming every code, so that the markup never interleaves."""
    merged: list[Highlight] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        last = merged[-1] if merged else None
        if last is not None and mark.start < last.end:
            last.end = max(last.end, mark.end)
            last.labels = _unique([*last.labels, *mark.labels])
            last.codes = _unique([*last.codes, *mark.codes])
            last.statuses |= mark.statuses
        else:
            merged.append(Highlight(mark.start, mark.end, list(mark.labels), list(mark.codes), set(mark.statuses)))
    return merged


def _segments(text: str, marks: Sequence[Highlight]) -> list[tuple[str, Highlight | None]]:
    found: list[tuple[str, Highlight | None]] = []
    at = 0
    for mark in marks:
        if mark.start > at:
            found.append((text[at:mark.start], None))
        found.append((text[mark.start:mark.end], mark))
        at = mark.end
    if at < len(text):
        found.append((text[at:], None))
    return found


def _turn_view(data: ReportInput, turn: TurnRecord) -> TurnView:
    lines: list[_CodeLine] = []
    marks: list[Highlight] = []
    for code in (c for c in data.codes if c.turn == turn.order):
        line, found = _code_line(data, turn, code)
        lines.append(line)
        marks += found
    star = [(PROBE_NAMES.get(k, k), bool(turn.star.get(k))) for k in STAR_KEYS] if turn.star else []
    flags = [FLAG_NAMES.get(f, f) for f in turn.flags]
    return TurnView(turn, lines, _segments(turn.answer, _merge_highlights(marks)), flags, star)


def _when(value: datetime | None) -> str:
    if value is None:
        return NONE
    local = value.astimezone() if value.tzinfo is not None else value  # stored in UTC, read locally
    return local.strftime("%Y-%m-%d %H:%M")


def header_facts(data: ReportInput) -> list[tuple[str, str]]:
    r = data.record
    candidate = (r.candidate or NONE) + ("（已化名）" if data.pseudonymised else "")
    status = SESSION_STATUS.get(r.status, r.status)
    return [
        ("候选人", candidate), ("岗位", data.role_name or r.role or NONE), ("职级", r.grade or data.score.grade or NONE),
        ("面试官", r.interviewer or NONE), ("日期", _when(r.started_at)),
        ("会话编号", NONE if r.id is None else str(r.id)), ("状态", status or NONE),
    ]


def session_notes(data: ReportInput) -> list[str]:
    """What the reader must know before trusting the scores."""
    unreviewed = sum(c.status == UNREVIEWED for c in data.codes)
    disputed = sum(c.status == DISPUTED for c in data.codes)
    notes = []
    if unreviewed:
        notes.append(f"未经编码员确认的建议编码 {unreviewed} 条：已计入分数，请编码员确认。")
    if disputed:
        notes.append(f"{disputed} 处分歧待协调：分歧处未计入分数。")
    return notes


def fmt_number(value: float | None, digits: int = 1) -> str:
    return NONE if value is None else f"{value:.{digits}f}"


def gap_text(row: CompetencyScore) -> str:
    gap = row.gap
    return NONE if gap is None else f"{gap:+d}" if gap else "0"


def gap_line(data: ReportInput, row: CompetencyScore) -> str:
    shown = "未展现" if row.max_level is None else f"展现 {row.max_level} 级"
    return f"{comp_label(data, row.competency)}：{shown}，目标 {row.target} 级，差 {-(row.gap or 0)} 级"


def has_profile(score: SessionScore) -> bool:
    return any(r.target is not None for r in score.rows)


def met_text(score: SessionScore) -> str:
    return score.meets_grade or "未达到任何职级画像"


def bounded(level: float | None, top: float) -> float:
    return max(0.0, min(float(level or 0), top))


def grade_remark(data: ReportInput, grade: str) -> str:
    said = ["应聘职级"] if grade == (data.record.grade or data.score.grade) else []
    said += ["达到的最高职级"] if grade == data.score.meets_grade else []
    return "、".join(said) or " "


def turn_views(data: ReportInput) -> list[TurnView]:
    return [_turn_view(data, t) for t in sorted(data.record.turns, key=lambda t: t.order)]


def footer_text() -> str:
    return ("各胜任力的等级为其编码中的最高等级；未确认的建议编码计入分数，分歧处不计入。"
            "匹配度为按权重计算的达到目标的比例（每项至多计到目标等级）。")

