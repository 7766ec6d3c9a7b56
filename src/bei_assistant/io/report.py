"""The interview report an HR lead reads: Markdown for the terminal and mail, HTML for the browser and print.

Both renderings share one model of the page (header facts, notes, score rows, turns whose evidence is
merged into non-overlapping highlights); only the markup differs. Everything taken from the session is
escaped, because answers are free text typed during an interview and may contain anything.
The HTML page is a single file: inline CSS, no JavaScript, nothing fetched from elsewhere.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..core.model import LEVELS, STAR_KEYS
from ..core.records import EvidenceSpan, SessionRecord, TurnRecord
from ..core.review import DISPUTED, FINAL, RECONCILED, UNREVIEWED, FinalCode
from ..core.scoring import CompetencyScore, SessionScore

__all__ = ["ReportInput", "render_html", "render_markdown"]

TITLE = "候选人 BEI 访谈报告"
TOP_LEVEL = max(LEVELS)
STATUS_NAMES = {FINAL: "已确认", RECONCILED: "已协调", UNREVIEWED: "未确认（建议）", DISPUTED: "分歧待协调"}
SESSION_STATUS = {"open": "进行中", "finished": "已结束"}
FLAG_NAMES = {"hypothetical": "假设", "generic": "泛泛而谈", "collective": "只说“我们”"}
STAR_NAMES = {"S": "情境", "T": "任务", "A": "行动", "R": "结果"}
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


# -- the shared model of the page ------------------------------------------------------------------


@dataclass
class _Highlight:
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
class _TurnView:
    turn: TurnRecord
    codes: list[_CodeLine]
    segments: list[tuple[str, _Highlight | None]]  # the answer cut at the highlights
    flags: list[str]
    star: list[tuple[str, bool]]  # ("情境", present), in STAR order; empty when not recorded


def _comp_label(data: ReportInput, comp: str) -> str:
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


def _code_line(data: ReportInput, turn: TurnRecord, code: FinalCode) -> tuple[_CodeLine, list[_Highlight]]:
    spans = _evidence(turn, code)
    label, level = _comp_label(data, code.competency), _level_text(code)
    status = STATUS_NAMES.get(code.status, code.status)
    marks: list[_Highlight] = []
    excerpts: list[str] = []
    for span in spans:
        where = _clamp(span.start, span.end, len(turn.answer))
        shown = "、".join(_unique(str(m) for m in span.matched)) or NONE
        if where is None:
            excerpts += [span.text] if span.text else []
            continue
        excerpts.append(turn.answer[where[0]:where[1]])
        marks.append(_Highlight(*where, [f"{label} · {level} · {status} · 指标：{shown}"],
                               [code.competency], {code.status}))
    indicators = _unique(str(m) for s in spans for m in s.matched)
    return _CodeLine(code, label, level, status, _unique(excerpts), indicators), marks


def _merge_highlights(marks: Iterable[_Highlight]) -> list[_Highlight]:
    """Overlapping highlights become one naming every code, so that the markup never interleaves."""
    merged: list[_Highlight] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        last = merged[-1] if merged else None
        if last is not None and mark.start < last.end:
            last.end = max(last.end, mark.end)
            last.labels = _unique([*last.labels, *mark.labels])
            last.codes = _unique([*last.codes, *mark.codes])
            last.statuses |= mark.statuses
        else:
            merged.append(_Highlight(mark.start, mark.end, list(mark.labels), list(mark.codes), set(mark.statuses)))
    return merged


def _segments(text: str, marks: Sequence[_Highlight]) -> list[tuple[str, _Highlight | None]]:
    found: list[tuple[str, _Highlight | None]] = []
    at = 0
    for mark in marks:
        if mark.start > at:
            found.append((text[at:mark.start], None))
        found.append((text[mark.start:mark.end], mark))
        at = mark.end
    if at < len(text):
        found.append((text[at:], None))
    return found


def _turn_view(data: ReportInput, turn: TurnRecord) -> _TurnView:
    lines: list[_CodeLine] = []
    marks: list[_Highlight] = []
    for code in (c for c in data.codes if c.turn == turn.order):
        line, found = _code_line(data, turn, code)
        lines.append(line)
        marks += found
    star = [(STAR_NAMES.get(k, k), bool(turn.star.get(k))) for k in STAR_KEYS] if turn.star else []
    flags = [FLAG_NAMES.get(f, f) for f in turn.flags]
    return _TurnView(turn, lines, _segments(turn.answer, _merge_highlights(marks)), flags, star)


def _when(value: datetime | None) -> str:
    if value is None:
        return NONE
    local = value.astimezone() if value.tzinfo is not None else value  # stored in UTC, read locally
    return local.strftime("%Y-%m-%d %H:%M")


def _facts(data: ReportInput) -> list[tuple[str, str]]:
    r = data.record
    candidate = (r.candidate or NONE) + ("（已化名）" if data.pseudonymised else "")
    status = SESSION_STATUS.get(r.status, r.status)
    return [
        ("候选人", candidate), ("岗位", data.role_name or r.role or NONE), ("职级", r.grade or data.score.grade or NONE),
        ("面试官", r.interviewer or NONE), ("日期", _when(r.started_at)),
        ("会话编号", NONE if r.id is None else str(r.id)), ("状态", status or NONE),
    ]


def _notes(data: ReportInput) -> list[str]:
    """What the reader must know before trusting the scores."""
    unreviewed = sum(c.status == UNREVIEWED for c in data.codes)
    disputed = sum(c.status == DISPUTED for c in data.codes)
    notes = []
    if unreviewed:
        notes.append(f"未经编码员确认的建议编码 {unreviewed} 条：已计入分数，请编码员确认。")
    if disputed:
        notes.append(f"{disputed} 处分歧待协调：分歧处未计入分数。")
    return notes


def _num(value: float | None, digits: int = 1) -> str:
    return NONE if value is None else f"{value:.{digits}f}"


def _gap_text(row: CompetencyScore) -> str:
    gap = row.gap
    return NONE if gap is None else f"{gap:+d}" if gap else "0"


def _gap_line(data: ReportInput, row: CompetencyScore) -> str:
    shown = "未展现" if row.max_level is None else f"展现 {row.max_level} 级"
    return f"{_comp_label(data, row.competency)}：{shown}，目标 {row.target} 级，差 {-(row.gap or 0)} 级"


def _has_profile(score: SessionScore) -> bool:
    return any(r.target is not None for r in score.rows)


def _met_text(score: SessionScore) -> str:
    return score.meets_grade or "未达到任何职级画像"


def _bounded(level: float | None, top: float) -> float:
    return max(0.0, min(float(level or 0), top))


# -- Markdown --------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_|<>\[\]~])")
_MD_BLOCK_START = re.compile(r"^(?:[0-9]{1,9}[.)]|[-+]|#{1,6})(?=\s|$)|^(?:=+|-+)\s*$")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _md_escape(text: str) -> str:
    """Inline text: characters that would start emphasis, code, links, HTML or a table cell are escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_cell(text: str) -> str:
    return _md_escape(_NEWLINE.sub(" ", text)).strip() or NONE


def _md_line_start(line: str) -> str:
    """A line of an answer must not turn into a list, heading or code block."""
    line = line.lstrip()
    found = _MD_BLOCK_START.match(line)
    if not found:
        return line
    at = len(found[0]) - 1 if line[0] in "0123456789" else 0  # 1. -> 1\.   - -> \-
    return f"{line[:at]}\\{line[at:]}"


def _is_edge(ch: str) -> bool:
    # CommonMark only closes ** after a character that is not punctuation (Chinese text has no spaces)
    return ch.isspace() or unicodedata.category(ch)[0] in "PSZC"


def _md_bold(text: str, tag: str = "") -> str:
    """Bold the inside of a piece; punctuation at its edges stays outside so that ** opens and closes."""
    i, j = 0, len(text)
    while i < j and _is_edge(text[i]):
        i += 1
    while j > i and _is_edge(text[j - 1]):
        j -= 1
    if i == j:
        return _md_escape(text) + tag
    return f"{_md_escape(text[:i])}**{_md_escape(text[i:j])}**{tag}{_md_escape(text[j:])}"


def _md_mark(text: str, mark: _Highlight) -> str:
    pieces = _NEWLINE.split(text)
    tag = "〔" + "·".join(mark.codes) + "〕"
    return "\n".join(_md_bold(p, tag if k == len(pieces) - 1 else "") for k, p in enumerate(pieces))


def _md_answer(view: _TurnView) -> list[str]:
    text = "".join(_md_mark(t, m) if m else _md_escape(t) for t, m in view.segments)
    lines = [_md_line_start(line) for line in _NEWLINE.split(text)]
    if not any(lines):
        return ["> （未作答）"]
    return [f"> {line}" if line else ">" for line in lines]


def _text_bar(level: int | None, target: int | None, cells: int = 2) -> str:
    """Two cells per level: █ reached, ░ not; │ stands right after the target level."""
    shown = int(_bounded(level, TOP_LEVEL))
    bar = "█" * (shown * cells) + "░" * ((TOP_LEVEL - shown) * cells)
    if target is None:
        return bar
    at = int(_bounded(target, TOP_LEVEL)) * cells
    return bar[:at] + "│" + bar[at:]


def _md_header(data: ReportInput) -> list[str]:
    lines = [f"# {TITLE}", ""]
    lines += [f"- **{label}**：{_md_cell(value)}" for label, value in _facts(data)]
    notes = _notes(data)
    if notes:
        lines += ["", "> **注意**", ">", *[f"> - {_md_escape(n)}" for n in notes]]
    return lines


def _md_scores(data: ReportInput) -> list[str]:
    lines = ["", f"## 胜任力得分与目标画像（{_md_cell(data.record.grade or data.score.grade)}）", ""]
    if not data.score.rows:
        return [*lines, "没有可评分的胜任力。"]
    lines += ["图示：每级两格，█ 已展现的最高等级，░ 未达到，│ 目标等级。", "",
              "| 胜任力 | 图示 | 等级 | 目标 | 差距 | 次数 | 平均等级 | 未确认 | 分歧 | 权重 |",
              "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in data.score.rows:
        cells = [_md_cell(_comp_label(data, r.competency)), f"`{_text_bar(r.max_level, r.target)}`",
                 NONE if r.max_level is None else str(r.max_level), NONE if r.target is None else str(r.target),
                 _gap_text(r), str(r.frequency), _num(r.mean_level), str(r.unreviewed), str(r.disputed),
                 _num(r.weight)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_gaps(data: ReportInput) -> list[str]:
    lines = ["", "## 低于目标的胜任力", ""]
    if not _has_profile(data.score):
        return [*lines, "没有该岗位职级的目标画像。"]
    gaps = data.score.gaps
    if not gaps:
        return [*lines, "无：各项胜任力均达到目标等级。"]
    return lines + [f"{k}. {_md_escape(_gap_line(data, r))}" for k, r in enumerate(gaps, start=1)]


def _md_overall(data: ReportInput) -> list[str]:
    s = data.score
    fit = f"**{s.overall:.1f}** / 100" if _has_profile(s) else "没有该岗位职级的目标画像"
    lines = ["", "## 总体结果", "", f"- 与目标画像的匹配度：{fit}",
             f"- 达到的最高职级：**{_md_escape(_met_text(s))}**"]
    if s.grade_fit:
        lines += ["", "| 职级 | 匹配度 | 图示 | 说明 |", "|---|--:|---|---|"]
        for grade, value in s.grade_fit.items():
            cells = [_md_cell(grade), f"{value:.1f}", f"`{_fit_bar(value)}`", _grade_remark(data, grade)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _fit_bar(value: float, cells: int = 10) -> str:
    filled = round(_bounded(value, 100.0) / 100 * cells)
    return "█" * filled + "░" * (cells - filled)


def _grade_remark(data: ReportInput, grade: str) -> str:
    said = ["应聘职级"] if grade == (data.record.grade or data.score.grade) else []
    said += ["达到的最高职级"] if grade == data.score.meets_grade else []
    return "、".join(said) or " "


def _md_turn(view: _TurnView) -> list[str]:
    t = view.turn
    lines = ["", f"### 第 {t.order} 题", "", f"**问**：{_md_cell(t.question)}", "", "**答**：", "", *_md_answer(view), ""]
    lines.append(f"- 标记：{_md_escape('、'.join(view.flags))}" if view.flags else "- 标记：无")
    lines.append(f"- STAR：{_star_text(view.star)}")
    if not view.codes:
        return [*lines, "- 编码：无"]
    lines += ["", "| 胜任力 | 等级 | 状态 | 证据 | 命中的指标 |", "|---|---|---|---|---|"]
    for c in view.codes:
        cells = [c.label, c.level, c.status, " ".join(f"「{e}」" for e in c.excerpts), "、".join(c.indicators)]
        lines.append("| " + " | ".join(_md_cell(x) for x in cells) + " |")
    return lines


def _star_text(star: Sequence[tuple[str, bool]]) -> str:
    if not star:
        return "未记录"
    parts = "　".join(f"{name} {'✓' if ok else '✗'}" for name, ok in star)
    missing = [name for name, ok in star if not ok]
    return parts + (f"（缺少：{'、'.join(missing)}）" if missing else "（完整）")


def _md_transcript(data: ReportInput, views: Sequence[_TurnView]) -> list[str]:
    lines = ["", "## 编码后的访谈记录", ""]
    if not views:
        return [*lines, "本次访谈没有记录任何回答。"]
    lines.append("加粗为证据，其后〔 〕内为胜任力代码；各题下方的表格列出编码、等级、状态和命中的指标。")
    for view in views:
        lines += _md_turn(view)
    return lines


def _views(data: ReportInput) -> list[_TurnView]:
    return [_turn_view(data, t) for t in sorted(data.record.turns, key=lambda t: t.order)]


def _footer() -> str:
    return ("各胜任力的等级为其编码中的最高等级；未确认的建议编码计入分数，分歧处不计入。"
            "匹配度为按权重计算的达到目标的比例（每项至多计到目标等级）。")


def render_markdown(data: ReportInput) -> str:
    """The report as Markdown: readable as plain text in a terminal, and rendered anywhere Markdown is."""
    lines = [*_md_header(data), *_md_scores(data), *_md_gaps(data), *_md_overall(data),
             *_md_transcript(data, _views(data)), "", "---", "", _footer()]
    return "\n".join(lines) + "\n"


# -- HTML ------------------------------------------------------------------------------------------

_CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--ok:#2e7d32;--low:#e08a00;--target:#c62828;
--mark:#fff1a8;--markline:#c99a00}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;color:var(--ink);background:#fff;line-height:1.6;font-size:15px;
font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif}
main{max-width:62rem;margin:0 auto;padding:2rem 1.5rem}
h1{font-size:1.6rem;margin:0 0 1rem}
h2{font-size:1.2rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;margin:2rem 0 .8rem;break-after:avoid}
h3{font-size:1rem;margin:0 0 .4rem;break-after:avoid}
dl.facts{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{color:var(--muted)} dl.facts dd{margin:0}
.notice{border-left:4px solid var(--low);background:#fff8e1;padding:.5rem 1rem;margin:1rem 0}
.notice p{margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr{break-inside:avoid}
td.chart{width:14rem;vertical-align:middle}
.bar{position:relative;height:.9rem;border:1px solid var(--line);
background:repeating-linear-gradient(to right,#f3f5f7 0,#f3f5f7 calc(20% - 1px),
var(--line) calc(20% - 1px),var(--line) 20%)}
.bar .fill{position:absolute;left:0;top:0;bottom:0;background:var(--ok)}
.bar .fill.below{background:var(--low)}
.bar .target{position:absolute;top:-.3rem;bottom:-.3rem;width:3px;margin-left:-1.5px;background:var(--target)}
.scale{position:relative;height:1.1em;font-size:.75rem;font-weight:400}
.scale span{position:absolute;top:0;transform:translateX(-100%);padding-right:2px}
.legend{font-size:.85rem;color:var(--muted)}
.legend i{display:inline-block;width:.9rem;height:.7rem;vertical-align:middle;margin:0 .2rem 0 .6rem}
.legend .l-ok{background:var(--ok)} .legend .l-low{background:var(--low)}
.legend .l-target{width:3px;background:var(--target)}
.overall{display:flex;gap:2rem;align-items:baseline;flex-wrap:wrap}
.big{font-size:2rem;font-weight:700}
ol.gaps li{margin:.15rem 0}
.turn{border-top:1px solid var(--line);padding:.8rem 0}
.q{margin:.2rem 0 .4rem;font-weight:600}
.answer{white-space:pre-wrap;margin:0 0 .5rem;padding:.5rem .8rem;border-left:3px solid var(--line);background:#fafbfc}
mark{background:var(--mark);color:inherit;border-bottom:2px solid var(--markline);padding:0 .05em}
mark.unreviewed{border-bottom-style:dashed}
mark.disputed{background:#fde2e1;border-bottom-color:var(--target)}
.tag{font-size:.7em;color:var(--muted);vertical-align:super;margin-left:.1em}
.badges{margin:.2rem 0 .5rem}
.badge{display:inline-block;border:1px solid var(--line);border-radius:.25rem;padding:0 .4rem;margin:0 .3rem .2rem 0;
font-size:.8rem}
.badge.flag{border-color:var(--target);color:var(--target)}
.badge.ok{border-color:var(--ok);color:var(--ok)}
.badge.miss{color:var(--muted);border-style:dashed}
.muted{color:var(--muted)}
footer{margin-top:2rem;font-size:.85rem;color:var(--muted);border-top:1px solid var(--line);padding-top:.5rem}
@page{size:A4;margin:15mm}
@media print{body{font-size:11pt}main{max-width:none;padding:0}.answer{background:none}}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float, top: float) -> str:
    return f"{_bounded(value, top) / top * 100:.1f}%"


def _html_bar(level: int | None, target: int | None) -> str:
    """The level reached as a filled bar on a 1–5 scale, the target as a red marker line."""
    below = target is not None and (level or 0) < target
    said = f"展现 {level} 级" if level is not None else "未展现"
    said += f"，目标 {target} 级" if target is not None else "，无目标"
    parts = [f'<div class="bar" role="img" aria-label="{_esc(said)}" title="{_esc(said)}">',
             f'<span class="fill{" below" if below else ""}" style="width:{_pct(level or 0, TOP_LEVEL)}"></span>']
    if target is not None:
        parts.append(f'<span class="target" style="left:{_pct(target, TOP_LEVEL)}"></span>')
    return "".join(parts) + "</div>"


def _fit_html_bar(value: float) -> str:
    return (f'<div class="bar" role="img" aria-label="{value:.1f}%">'
            f'<span class="fill" style="width:{_pct(value, 100.0)}"></span></div>')


def _h_header(data: ReportInput) -> list[str]:
    facts = "".join(f"<dt>{_esc(label)}</dt><dd>{_esc(value)}</dd>" for label, value in _facts(data))
    parts = [f"<header><h1>{_esc(TITLE)}</h1>", f'<dl class="facts">{facts}</dl></header>']
    notes = _notes(data)
    if notes:
        parts.append('<div class="notice">' + "".join(f"<p><strong>注意：</strong>{_esc(n)}</p>" for n in notes)
                     + "</div>")
    return parts


def _h_score_row(data: ReportInput, r: CompetencyScore) -> str:
    cells = [f"<td>{_esc(_comp_label(data, r.competency))}</td>",
             f'<td class="chart">{_html_bar(r.max_level, r.target)}</td>']
    numbers = [NONE if r.max_level is None else r.max_level, NONE if r.target is None else r.target, _gap_text(r),
               r.frequency, _num(r.mean_level), r.unreviewed, r.disputed, _num(r.weight)]
    cells += [f'<td class="num">{_esc(n)}</td>' for n in numbers]
    return "<tr>" + "".join(cells) + "</tr>"


def _h_scores(data: ReportInput) -> list[str]:
    grade = data.record.grade or data.score.grade
    parts = ["<section>", f"<h2>胜任力得分与目标画像（{_esc(grade or NONE)}）</h2>"]
    if not data.score.rows:
        return [*parts, "<p>没有可评分的胜任力。</p>", "</section>"]
    parts.append('<p class="legend">图示：<i class="l-ok"></i>已展现的最高等级（达到目标）'
                 '<i class="l-low"></i>低于目标<i class="l-target"></i>目标等级；刻度为 1–5 级。</p>')
    scale = "".join(f'<span style="left:{_pct(lv, TOP_LEVEL)}">{lv}</span>' for lv in LEVELS)
    heads = ["胜任力", f'等级图示<div class="scale">{scale}</div>']
    heads_num = ["等级", "目标", "差距", "次数", "平均等级", "未确认", "分歧", "权重"]
    head = "".join(f"<th>{h}</th>" for h in heads) + "".join(f'<th class="num">{h}</th>' for h in heads_num)
    rows = "".join(_h_score_row(data, r) for r in data.score.rows)
    return [*parts, f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>", "</section>"]


def _h_gaps(data: ReportInput) -> list[str]:
    parts = ["<section>", "<h2>低于目标的胜任力</h2>"]
    if not _has_profile(data.score):
        return [*parts, "<p>没有该岗位职级的目标画像。</p>", "</section>"]
    gaps = data.score.gaps
    if not gaps:
        return [*parts, "<p>无：各项胜任力均达到目标等级。</p>", "</section>"]
    items = "".join(f"<li>{_esc(_gap_line(data, r))}</li>" for r in gaps)
    return [*parts, f'<ol class="gaps">{items}</ol>', "</section>"]


def _h_overall(data: ReportInput) -> list[str]:
    s = data.score
    fit = f'<span class="big">{s.overall:.1f}</span> / 100' if _has_profile(s) else "没有该岗位职级的目标画像"
    parts = ["<section>", "<h2>总体结果</h2>", '<div class="overall">',
             f"<div>与目标画像的匹配度：{fit}</div>",
             f'<div>达到的最高职级：<span class="big">{_esc(_met_text(s))}</span></div>', "</div>"]
    if s.grade_fit:
        rows = "".join(
            f'<tr><td>{_esc(g)}</td><td class="num">{v:.1f}</td><td class="chart">{_fit_html_bar(v)}</td>'
            f"<td>{_esc(_grade_remark(data, g).strip())}</td></tr>" for g, v in s.grade_fit.items())
        parts.append('<table><thead><tr><th>职级</th><th class="num">匹配度</th><th>图示</th><th>说明</th></tr>'
                     f"</thead><tbody>{rows}</tbody></table>")
    return [*parts, "</section>"]


def _h_mark(text: str, mark: _Highlight) -> str:
    kind = "disputed" if DISPUTED in mark.statuses else "unreviewed" if UNREVIEWED in mark.statuses else "coded"
    return (f'<mark class="{kind}" data-codes="{_esc(" ".join(mark.codes))}" title="{_esc(chr(10).join(mark.labels))}">'
            f'{_esc(text)}</mark><span class="tag">{_esc("·".join(mark.codes))}</span>')


def _h_badges(view: _TurnView) -> str:
    flags = "".join(f'<span class="badge flag">{_esc(f)}</span>' for f in view.flags)
    if view.star:
        star = "".join(f'<span class="badge {"ok" if ok else "miss"}">{_esc(name)} {"✓" if ok else "✗"}</span>'
                       for name, ok in view.star)
    else:
        star = '<span class="muted">未记录</span>'
    flags = flags or '<span class="muted">无</span>'
    return f'<div class="badges">标记：{flags}　STAR：{star}</div>'


def _h_codes(view: _TurnView) -> str:
    if not view.codes:
        return '<p class="muted">编码：无</p>'
    rows = "".join(
        f"<tr><td>{_esc(c.label)}</td><td>{_esc(c.level)}</td><td>{_esc(c.status)}</td>"
        f"<td>{_esc(' '.join(f'「{e}」' for e in c.excerpts) or NONE)}</td>"
        f"<td>{_esc('、'.join(c.indicators) or NONE)}</td></tr>" for c in view.codes)
    return ("<table><thead><tr><th>胜任力</th><th>等级</th><th>状态</th><th>证据</th><th>命中的指标</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _h_turn(view: _TurnView) -> str:
    t = view.turn
    answer = "".join(_h_mark(text, m) if m else _esc(text) for text, m in view.segments)
    answer = answer or '<span class="muted">（未作答）</span>'
    return (f'<article class="turn" id="turn-{_esc(t.order)}"><h3>第 {_esc(t.order)} 题</h3>'
            f'<p class="q">问：{_esc(t.question)}</p><div class="answer">{answer}</div>'
            f"{_h_badges(view)}{_h_codes(view)}</article>")


def _h_transcript(data: ReportInput, views: Sequence[_TurnView]) -> list[str]:
    parts = ["<section>", "<h2>编码后的访谈记录</h2>"]
    if not views:
        return [*parts, "<p>本次访谈没有记录任何回答。</p>", "</section>"]
    parts.append('<p class="legend">高亮为证据（虚线：未确认的建议编码；红色：分歧待协调），'
                 "鼠标悬停可见胜任力、等级和命中的指标。</p>")
    return [*parts, *(_h_turn(v) for v in views), "</section>"]


def render_html(data: ReportInput) -> str:
    """The report as one self-contained, printable HTML page (inline CSS, no scripts, no external resources)."""
    who = data.record.candidate or NONE
    body = [*_h_header(data), *_h_scores(data), *_h_gaps(data), *_h_overall(data),
            *_h_transcript(data, _views(data)), f"<footer>{_esc(_footer())}</footer>"]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(TITLE)} · {_esc(who)}</title>", f"<style>{_CSS}</style>", "</head>", "<body><main>",
        *body, "</main></body>", "</html>", ""])
