"""The report as Markdown: readable as plain text in a terminal, rendered anywhere Markdown is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .page import (
    NONE,
    TITLE,
    TOP_LEVEL,
    Highlight,
    ReportInput,
    TurnView,
    bounded,
    comp_label,
    fmt_number,
    footer_text,
    gap_line,
    gap_text,
    grade_remark,
    has_profile,
    header_facts,
    met_text,
    session_notes,
    turn_views,
)

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


def _md_mark(text: str, mark: Highlight) -> str:
    pieces = _NEWLINE.split(text)
    tag = "〔" + "·".join(mark.codes) + "〕"
    return "\n".join(_md_bold(p, tag if k == len(pieces) - 1 else "") for k, p in enumerate(pieces))


def _md_answer(view: TurnView) -> list[str]:
    text = "".join(_md_mark(t, m) if m else _md_escape(t) for t, m in view.segments)
    lines = [_md_line_start(line) for line in _NEWLINE.split(text)]
    if not any(lines):
        return ["> （未作答）"]
    return [f"> {line}" if line else ">" for line in lines]


def _text_bar(level: int | None, target: int | None, cells: int = 2) -> str:
    """Two cells per level: █ reached, ░ not; │ stands right after the target level."""
    shown = int(bounded(level, TOP_LEVEL))
    bar = "█" * (shown * cells) + "░" * ((TOP_LEVEL - shown) * cells)
    if target is None:
        return bar
    at = int(bounded(target, TOP_LEVEL)) * cells
    return bar[:at] + "│" + bar[at:]


def _md_header(data: ReportInput) -> list[str]:
    lines = [f"# {TITLE}", ""]
    lines += [f"- **{label}**：{_md_cell(value)}" for label, value in header_facts(data)]
    notes = session_notes(data)
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
        cells = [_md_cell(comp_label(data, r.competency)), f"`{_text_bar(r.max_level, r.target)}`",
                 NONE if r.max_level is None else str(r.max_level), NONE if r.target is None else str(r.target),
                 gap_text(r), str(r.frequency), fmt_number(r.mean_level), str(r.unreviewed), str(r.disputed),
                 fmt_number(r.weight)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_gaps(data: ReportInput) -> list[str]:
    lines = ["", "## 低于目标的胜任力", ""]
    if not has_profile(data.score):
        return [*lines, "没有该岗位职级的目标画像。"]
    gaps = data.score.gaps
    if not gaps:
        return [*lines, "无：各项胜任力均达到目标等级。"]
    return lines + [f"{k}. {_md_escape(gap_line(data, r))}" for k, r in enumerate(gaps, start=1)]


def _md_overall(data: ReportInput) -> list[str]:
    s = data.score
    fit = f"**{s.overall:.1f}** / 100" if has_profile(s) else "没有该岗位职级的目标画像"
    lines = ["", "## 总体结果", "", f"- 与目标画像的匹配度：{fit}",
             f"- 达到的最高职级：**{_md_escape(met_text(s))}**"]
    if s.grade_fit:
        lines += ["", "| 职级 | 匹配度 | 图示 | 说明 |", "|---|--:|---|---|"]
        for grade, value in s.grade_fit.items():
            cells = [_md_cell(grade), f"{value:.1f}", f"`{_fit_bar(value)}`", grade_remark(data, grade)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _fit_bar(value: float, cells: int = 10) -> str:
    filled = round(bounded(value, 100.0) / 100 * cells)
    return "█" * filled + "░" * (cells - filled)


def _md_turn(view: TurnView) -> list[str]:
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


def _md_transcript(data: ReportInput, views: Sequence[TurnView]) -> list[str]:
    lines = ["", "## 编码后的访谈记录", ""]
    if not views:
        return [*lines, "本次访谈没有记录任何回答。"]
    lines.append("加粗为证据，其后〔 〕内为胜任力代码；各题下方的表格列出编码、等级、状态和命中的指标。")
    for view in views:
        lines += _md_turn(view)
    return lines


def render_markdown(data: ReportInput) -> str:
    """The report as Markdown: readable as plain text in a terminal, and rendered anywhere Markdown is."""
    lines = [*_md_header(data), *_md_scores(data), *_md_gaps(data), *_md_overall(data),
             *_md_transcript(data, turn_views(data)), "", "---", "", footer_text()]
    return "\n".join(lines) + "\n"

