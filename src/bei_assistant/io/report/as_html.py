"""The report as one HTML file: inline CSS, no JavaScript, nothing fetched from elsewhere; printable.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ...core.model import LEVELS
from ...core.review import DISPUTED, UNREVIEWED
from ...core.scoring import CompetencyScore
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
    return f"{bounded(value, top) / top * 100:.1f}%"


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
    facts = "".join(f"<dt>{_esc(label)}</dt><dd>{_esc(value)}</dd>" for label, value in header_facts(data))
    parts = [f"<header><h1>{_esc(TITLE)}</h1>", f'<dl class="facts">{facts}</dl></header>']
    notes = session_notes(data)
    if notes:
        parts.append('<div class="notice">' + "".join(f"<p><strong>注意：</strong>{_esc(n)}</p>" for n in notes)
                     + "</div>")
    return parts


def _h_score_row(data: ReportInput, r: CompetencyScore) -> str:
    cells = [f"<td>{_esc(comp_label(data, r.competency))}</td>",
             f'<td class="chart">{_html_bar(r.max_level, r.target)}</td>']
    numbers = [NONE if r.max_level is None else r.max_level, NONE if r.target is None else r.target, gap_text(r),
               r.frequency, fmt_number(r.mean_level), r.unreviewed, r.disputed, fmt_number(r.weight)]
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
    if not has_profile(data.score):
        return [*parts, "<p>没有该岗位职级的目标画像。</p>", "</section>"]
    gaps = data.score.gaps
    if not gaps:
        return [*parts, "<p>无：各项胜任力均达到目标等级。</p>", "</section>"]
    items = "".join(f"<li>{_esc(gap_line(data, r))}</li>" for r in gaps)
    return [*parts, f'<ol class="gaps">{items}</ol>', "</section>"]


def _h_overall(data: ReportInput) -> list[str]:
    s = data.score
    fit = f'<span class="big">{s.overall:.1f}</span> / 100' if has_profile(s) else "没有该岗位职级的目标画像"
    parts = ["<section>", "<h2>总体结果</h2>", '<div class="overall">',
             f"<div>与目标画像的匹配度：{fit}</div>",
             f'<div>达到的最高职级：<span class="big">{_esc(met_text(s))}</span></div>', "</div>"]
    if s.grade_fit:
        rows = "".join(
            f'<tr><td>{_esc(g)}</td><td class="num">{v:.1f}</td><td class="chart">{_fit_html_bar(v)}</td>'
            f"<td>{_esc(grade_remark(data, g).strip())}</td></tr>" for g, v in s.grade_fit.items())
        parts.append('<table><thead><tr><th>职级</th><th class="num">匹配度</th><th>图示</th><th>说明</th></tr>'
                     f"</thead><tbody>{rows}</tbody></table>")
    return [*parts, "</section>"]


def _h_mark(text: str, mark: Highlight) -> str:
    kind = "disputed" if DISPUTED in mark.statuses else "unreviewed" if UNREVIEWED in mark.statuses else "coded"
    return (f'<mark class="{kind}" data-codes="{_esc(" ".join(mark.codes))}" title="{_esc(chr(10).join(mark.labels))}">'
            f'{_esc(text)}</mark><span class="tag">{_esc("·".join(mark.codes))}</span>')


def _h_badges(view: TurnView) -> str:
    flags = "".join(f'<span class="badge flag">{_esc(f)}</span>' for f in view.flags)
    if view.star:
        star = "".join(f'<span class="badge {"ok" if ok else "miss"}">{_esc(name)} {"✓" if ok else "✗"}</span>'
                       for name, ok in view.star)
    else:
        star = '<span class="muted">未记录</span>'
    flags = flags or '<span class="muted">无</span>'
    return f'<div class="badges">标记：{flags}　STAR：{star}</div>'


def _h_codes(view: TurnView) -> str:
    if not view.codes:
        return '<p class="muted">编码：无</p>'
    rows = "".join(
        f"<tr><td>{_esc(c.label)}</td><td>{_esc(c.level)}</td><td>{_esc(c.status)}</td>"
        f"<td>{_esc(' '.join(f'「{e}」' for e in c.excerpts) or NONE)}</td>"
        f"<td>{_esc('、'.join(c.indicators) or NONE)}</td></tr>" for c in view.codes)
    return ("<table><thead><tr><th>胜任力</th><th>等级</th><th>状态</th><th>证据</th><th>命中的指标</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _h_turn(view: TurnView) -> str:
    t = view.turn
    answer = "".join(_h_mark(text, m) if m else _esc(text) for text, m in view.segments)
    answer = answer or '<span class="muted">（未作答）</span>'
    return (f'<article class="turn" id="turn-{_esc(t.order)}"><h3>第 {_esc(t.order)} 题</h3>'
            f'<p class="q">问：{_esc(t.question)}</p><div class="answer">{answer}</div>'
            f"{_h_badges(view)}{_h_codes(view)}</article>")


def _h_transcript(data: ReportInput, views: Sequence[TurnView]) -> list[str]:
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
            *_h_transcript(data, turn_views(data)), f"<footer>{_esc(footer_text())}</footer>"]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(TITLE)} · {_esc(who)}</title>", f"<style>{_CSS}</style>", "</head>", "<body><main>",
        *body, "</main></body>", "</html>", ""])

