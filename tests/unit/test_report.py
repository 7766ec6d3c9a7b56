"""The HR report in Markdown and HTML, on hand-made sessions and corpora of tricky answers."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from bei_assistant.core.model import Profiles
from bei_assistant.core.records import (
    STAGE_CODE,
    DecisionRecord,
    EvidenceSpan,
    SessionRecord,
    SuggestionRecord,
    TurnRecord,
)
from bei_assistant.core.review import DISPUTED, FINAL, UNREVIEWED, FinalCode, final_codes
from bei_assistant.core.scoring import CompetencyScore, SessionScore, score
from bei_assistant.io.report import ReportInput, render_html, render_markdown

COMPS = ["ACH", "INFO", "RB"]
NAMES = {"ACH": "成就导向", "INFO": "信息收集", "RB": "关系建立"}
PROFILES = Profiles(
    roles={"corporate": "对公客户经理"},
    role_aliases={"对公": "corporate"},
    grades=["初级", "中级", "高级"],
    weights={"corporate": {"ACH": 1.0, "INFO": 1.0, "RB": 1.2}},
    targets={"corporate": {
        "初级": {"ACH": 1, "INFO": 2, "RB": 2},
        "中级": {"ACH": 3, "INFO": 3, "RB": 4},
        "高级": {"ACH": 4, "INFO": 5, "RB": 5},
    }},
)
WHEN = datetime(2024, 5, 6, 4, 0, tzinfo=UTC)


# -- building sessions by hand --------------------------------------------------------------------

def ev(answer: str, text: str, *matched: str) -> EvidenceSpan:
    start = answer.index(text)
    return EvidenceSpan(start, start + len(text), text, list(matched) or [text])


def suggestion(comp: str, level: int, *spans: EvidenceSpan) -> SuggestionRecord:
    return SuggestionRecord(comp, level, 0.8, list(spans))


def accept(coder: str, comp: str, level: int | None = None) -> DecisionRecord:
    return DecisionRecord(coder, comp, "accept", level)


def session(*turns: TurnRecord, candidate: str = "王小明", grade: str = "中级") -> SessionRecord:
    return SessionRecord(id=7, candidate=candidate, role="corporate", grade=grade, interviewer="李面试",
                         status="finished", started_at=WHEN, turns=list(turns))


def report(record: SessionRecord, pseudonymised: bool = False) -> ReportInput:
    codes = final_codes(record)
    scored = score(codes, PROFILES, record.role, record.grade, COMPS)
    return ReportInput(record, scored, codes, NAMES, "对公客户经理", pseudonymised)


def one_turn(answer: str, suggestions: list[SuggestionRecord]) -> ReportInput:
    return report(session(TurnRecord(1, "请讲一个你了解客户的例子。", answer, suggestions=suggestions)))


# -- reading the output -----------------------------------------------------------------------------

MARK = re.compile(r"<mark\b([^>]*)>(.*?)</mark>", re.S)


def marks(page: str) -> list[str]:
    """The exact (escaped) text inside each <mark>."""
    return [m[2] for m in MARK.finditer(page)]


def mark_titles(page: str) -> list[str]:
    return [html.unescape(re.search(r'title="([^"]*)"', m[1])[1]) for m in MARK.finditer(page)]  # type: ignore[index]


def unescaped_pipes(line: str) -> int:
    """Pipes that split a GFM table row: those not preceded by an odd run of backslashes."""
    return sum(1 for m in re.finditer(r"(\\*)\|", line) if len(m[1]) % 2 == 0)


def tables(markdown: str) -> list[list[str]]:
    found: list[list[str]] = []
    current: list[str] = []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n## ", start + 1)
    return markdown[start:] if end < 0 else markdown[start:end]


class TagChecker(HTMLParser):
    """Every tag closed in order, and only the tags and attributes the report means to write."""

    VOID = {"meta", "br"}
    TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "dl", "dt", "dd",
            "div", "p", "strong", "section", "table", "thead", "tbody", "tr", "th", "td", "span", "i", "ol", "li",
            "article", "mark", "footer"}
    ATTRS = {"lang", "charset", "name", "content", "class", "style", "title", "id", "role", "aria-label", "data-codes"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.TAGS:
            self.problems.append(f"tag {tag}")
        self.problems += [f"attribute {name}" for name, _ in attrs if name not in self.ATTRS]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")


def check_html(page: str) -> None:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.problems == [] and checker.stack == []


# -- highlights ---------------------------------------------------------------------------------------

# (answer, evidence of each code in turn: ACH, INFO, RB, expected highlighted texts)
HIGHLIGHTS = [
    ("去年我上门看了他的仓库。", ["上门"], ["上门"]),
    ("去年我上门看了他的仓库。", ["上门看了", "看了他的仓库"], ["上门看了他的仓库"]),  # overlap: merged
    ("去年我上门看了他的仓库。", ["上门看了他的仓库", "看了"], ["上门看了他的仓库"]),  # nested
    ("去年我上门看了他的仓库。", ["上门", "看了"], ["上门", "看了"]),  # touching: two highlights
    ("去年我上门看了他的仓库。", ["我上门", "门看", "看了他"], ["我上门看了他"]),  # a chain of three
    ("客户😀说我上门看了，很满意。", ["上门看了"], ["上门看了"]),  # astral characters count as one
    ("我说<b>上门</b>&看了", ["<b>上门</b>"], ["<b>上门</b>"]),
    ("第一行\n我上门\n看了仓库", ["我上门\n看了"], ["我上门\n看了"]),  # across a line break
    ("那次 I checked the *books* | twice", ["*books* | twice"], ["*books* | twice"]),
]


@pytest.mark.parametrize(("answer", "evidence", "expected"), HIGHLIGHTS, ids=[str(k) for k in range(len(HIGHLIGHTS))])
def test_highlights_land_on_the_evidence(answer, evidence, expected):
    data = one_turn(answer, [suggestion(c, 2, ev(answer, e)) for c, e in zip(COMPS, evidence, strict=False)])
    page = render_html(data)
    assert marks(page) == [html.escape(e) for e in expected]
    check_html(page)


def test_overlapping_codes_make_one_highlight_naming_all():
    answer = "那次我上门看了他的仓库，还查了征信。"
    data = one_turn(answer, [suggestion("ACH", 2, ev(answer, "看了他的仓库", "看仓库")),
                             suggestion("INFO", 4, ev(answer, "上门看了", "上门"), ev(answer, "查了征信", "查征信"))])
    page = render_html(data)
    assert marks(page) == ["上门看了他的仓库", "查了征信"]
    merged = mark_titles(page)[0]
    assert "ACH 成就导向 · 2 级" in merged and "INFO 信息收集 · 4 级" in merged
    assert "看仓库" in merged and "上门" in merged and "查征信" not in merged
    assert 'data-codes="INFO ACH"' in page  # in order of where their evidence starts
    md = render_markdown(data)
    assert "**上门看了他的仓库**〔INFO·ACH〕" in md
    assert "**查了征信**〔INFO〕。" in md


@pytest.mark.parametrize(("answer", "evidence", "bold"), [
    ("我上门看了。然后", "上门看了。", "**上门看了**〔INFO〕。然后"),  # punctuation stays outside: ** still closes
    ("他说“我上门”", "“我上门”", "“**我上门**〔INFO〕”"),
    ("我 上门 看了", " 上门 ", " **上门**〔INFO〕 "),
    ("第一行我上门\n\n看了仓库", "我上门\n\n看了", "**我上门**\n>\n> **看了**〔INFO〕"),  # each line bold on its own
    ("只有标点：！？", "！？", "：！？〔INFO〕"),  # nothing to bold
])
def test_markdown_bold_opens_and_closes(answer, evidence, bold):
    md = render_markdown(one_turn(answer, [suggestion("INFO", 2, ev(answer, evidence))]))
    assert bold in md


# -- escaping ------------------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>我上门看了',
    "<img src=x onerror=alert(1)>我上门看了",
    "我上门看了</mark><script>alert(1)</script>",
    '我上门看了" onmouseover="alert(1)',
    "<!-- 我上门看了 --><style>body{display:none}</style>",
    "&lt;script&gt;我上门看了",
]


@pytest.mark.parametrize("answer", HOSTILE)
def test_html_escapes_everything(answer):
    sugg = suggestion("INFO", 2, ev(answer, "我上门看了", '"><script>alert(1)</script>'))
    record = session(TurnRecord(1, "<script>问</script>", answer, suggestions=[sugg], flags=["<b>x</b>"]),
                     candidate="<script>alert(1)</script>")
    data = report(record)
    data.names = {"INFO": "<i>信息</i>"}
    data.role_name = "<script>岗位</script>"
    page = render_html(data)
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert "&lt;script&gt;" in page
    assert marks(page) == ["我上门看了"]
    check_html(page)


def test_page_is_self_contained():
    answer = "我上门看了"
    page = render_html(one_turn(answer, [suggestion("INFO", 2, ev(answer, answer))]))
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    for outside in ("<script", "<link", "src=", "href=", "://", "@import", "url("):
        assert outside not in page


@pytest.mark.parametrize(("answer", "evidence"), [
    ("我上门|看了", "我上门|看了"),
    ("|我上门看了|", "|我上门看了|"),
    ("a||b 我上门看了", "a||b"),
    ("路径 C:\\|x 我上门看了", "C:\\|x"),  # a backslash before the pipe
    ("我上门看了\\", "看了\\"),  # a trailing backslash must not escape the cell's closing pipe
    ("多行\n| 伪造 | 表格 |\n我上门看了", "| 伪造 | 表格 |\n我上门"),
])
def test_pipes_do_not_break_markdown_tables(answer, evidence):
    spans = [ev(answer, evidence)]
    sugg = suggestion("INFO", 2, *spans)
    sugg.evidence[0].matched = ["上门|看了", "a|b"]  # matched alternatives may hold | as well
    data = one_turn(answer, [sugg])
    data.names = {"INFO": "信息|收集"}
    md = render_markdown(data)
    found = tables(md)
    assert len(found) == 3  # scores, grade fit, the turn's codes
    for table in found:
        width = unescaped_pipes(table[0])
        assert all(unescaped_pipes(row) == width for row in table), table
    assert "伪造 \\| 表格" in md or "伪造" not in answer


def test_stray_markdown_is_escaped():
    answer = "我*真的*很努力，_ok_，`code`，[链接](x)\n1. 第一步\n- 然后\n# 标题\n    缩进\n---"
    md = render_markdown(one_turn(answer, []))
    assert r"我\*真的\*很努力，\_ok\_，\`code\`，\[链接\](x)" in md
    for line in (r"> 1\. 第一步", r"> \- 然后", r"> \# 标题", "> 缩进", r"> \---"):
        assert line in md.splitlines()


# -- damaged offsets ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "expected"), [
    (-5, 3, ["去年我"]),
    (3, 1000, ["上门看了。"]),
    (1000, 2000, []),
    (5, 2, []),  # reversed
    (4, 4, []),  # empty
    (-10, -2, []),
    ("3", "5", ["上门"]),  # a string from a hand-edited file
    ("x", None, []),
    (3.0, 5.9, ["上门"]),
    (float("nan"), 5, []),
    (0, float("inf"), []),
    (None, None, []),
])
def test_damaged_offsets_never_raise(start, end, expected):
    answer = "去年我上门看了。"
    data = one_turn(answer, [suggestion("INFO", 2, EvidenceSpan(start, end, "上门", ["上门"]))])
    page = render_html(data)
    assert marks(page) == expected
    md = render_markdown(data)
    assert "INFO 信息收集" in md
    check_html(page)


def test_damaged_coder_span_is_skipped():
    answer = "去年我上门看了。"
    turn = TurnRecord(1, "问", answer, decisions=[
        DecisionRecord("甲", "RB", "add", 3, start=50, end=10),
        DecisionRecord("甲", "ACH", "add", 2, start=3, end=5),
    ])
    page = render_html(report(session(turn)))
    assert marks(page) == ["上门"]
    assert "编码员标注" in mark_titles(page)[0]


# -- notes, gaps, targets, overall ---------------------------------------------------------------------

def test_empty_session_renders():
    data = report(session())
    md, page = render_markdown(data), render_html(data)
    for out in (md, page):
        assert "候选人 BEI 访谈报告" in out and "本次访谈没有记录任何回答" in out
        assert "未经编码员确认" not in out and "分歧待协调" not in out
        assert "未达到任何职级画像" in out
    check_html(page)


def test_empty_everything_renders():
    record = SessionRecord(id=None, candidate="", role="", grade="")
    data = ReportInput(record, SessionScore("", "", [], 0.0, None), [], {}, "")
    assert "没有可评分的胜任力" in render_markdown(data)
    check_html(render_html(data))


def _code(turn: int, comp: str, status: str) -> FinalCode:
    return FinalCode(turn, comp, None if status == DISPUTED else 2, status,
                     {"甲": 2, "乙": None} if status == DISPUTED else {})


@pytest.mark.parametrize(("unreviewed", "disputed"), [(0, 0), (1, 0), (0, 1), (3, 2), (12, 5)])
def test_notes_count_unreviewed_and_disputed(unreviewed, disputed):
    codes = ([_code(k, "INFO", UNREVIEWED) for k in range(unreviewed)]
             + [_code(k, "RB", DISPUTED) for k in range(disputed)] + [_code(99, "ACH", FINAL)])
    data = report(session())
    data.codes = codes
    for out in (render_markdown(data), render_html(data)):
        assert (f"未经编码员确认的建议编码 {unreviewed} 条" in out) == bool(unreviewed)
        assert (f"{disputed} 处分歧待协调" in out) == bool(disputed)


def _two_coders() -> SessionRecord:
    a1, a2 = "去年我上门看了他的仓库。", "那次我和王总吃饭聊了很久，他介绍了朋友|给我。"
    star = {"S": True, "T": False, "A": True, "R": True}
    t1 = TurnRecord(1, "问一", a1, flags=["hypothetical", "collective"], star=star,
                    suggestions=[suggestion("INFO", 2, ev(a1, "上门看了", "上门")), suggestion("ACH", 2, ev(a1, "仓库"))],
                    decisions=[accept("甲", "INFO"), accept("乙", "INFO")])
    t2 = TurnRecord(2, "问二", a2, suggestions=[suggestion("RB", 3, ev(a2, "介绍了朋友", "介绍朋友"))],
                    decisions=[accept("甲", "RB", 3), DecisionRecord("乙", "RB", "change", 2, stage=STAGE_CODE)])
    return session(t1, t2)


def test_real_final_codes_give_the_notes_and_the_dispute():
    data = report(_two_coders())
    md, page = render_markdown(data), render_html(data)
    for out in (md, page):
        assert "未经编码员确认的建议编码 1 条" in out and "1 处分歧待协调" in out
        assert "分歧：甲 3 级、乙 2 级" in out
        assert "假设" in out and "只说“我们”" in out
        assert "缺少：任务" in out or "任务 ✗" in out
    assert "缺少：任务" in md
    assert '<mark class="disputed"' in page and '<mark class="unreviewed"' in page


def test_gap_list_puts_the_largest_gap_first():
    rows = [CompetencyScore("ACH", 1, 2, 2.0, 0, 0, 3, 1.0), CompetencyScore("INFO", 1, 2, 2.0, 0, 0, 3, 1.5),
            CompetencyScore("RB", 0, None, None, 0, 0, 4, 1.2), CompetencyScore("TW", 1, 5, 5.0, 0, 0, 3, 1.0)]
    data = report(session())
    data.score = SessionScore("corporate", "中级", rows, 55.0, "初级", {"初级": 100.0, "中级": 55.0})
    md = section(render_markdown(data), "## 低于目标的胜任力")
    assert [line.split("：")[0] for line in md.splitlines() if line[:1].isdigit()] == [
        "1. RB 关系建立", "2. INFO 信息收集", "3. ACH 成就导向"]  # -4, then -1 heavier first
    assert "未展现，目标 4 级，差 4 级" in md and "TW" not in md
    page = render_html(data)
    gaps = re.search(r'<ol class="gaps">(.*?)</ol>', page)[1]  # type: ignore[index]
    assert gaps.index("RB") < gaps.index("INFO") < gaps.index("ACH")
    assert "达到的最高职级" in page and "初级" in page


def test_no_gaps_and_no_profile():
    data = report(session())
    data.score = SessionScore("corporate", "中级", [CompetencyScore("ACH", 1, 4, 4.0, 0, 0, 3, 1.0)], 100.0, "中级")
    assert "均达到目标" in render_markdown(data)
    data.score = SessionScore("x", "y", [CompetencyScore("ACH", 1, 4, 4.0, 0, 0, None, 1.0)], 0.0, None)
    assert "没有该岗位职级的目标画像" in render_markdown(data)
    assert 'class="target"' not in render_html(data)


@pytest.mark.parametrize(("level", "target", "bar"), [
    (2, 4, "████░░░░│░░"),
    (5, 3, "██████│████"),
    (None, 1, "░░│░░░░░░░░"),
    (3, None, "██████░░░░"),
    (0, 0, "│░░░░░░░░░░"),
    (9, 7, "██████████│"),  # damaged levels are kept on the scale
    (-1, -3, "│░░░░░░░░░░"),
])
def test_text_bar_marks_the_target(level, target, bar):
    data = report(session())
    row = CompetencyScore("ACH", 1, level, level, 0, 0, target, 1.0)
    data.score = SessionScore("corporate", "中级", [row], 0.0, None)
    assert f"| ACH 成就导向 | `{bar}` |" in render_markdown(data)


def test_target_markers_in_both_renderings():
    data = report(_two_coders())
    md = render_markdown(data)
    scores = section(md, "## 胜任力得分与目标画像")
    assert "| INFO 信息收集 | `████░░│░░░░` | 2 | 3 | -1 |" in scores
    assert "| RB 关系建立 | `░░░░░░░░│░░` | — | 4 | -4 |" in scores
    page = render_html(data)
    targets = re.findall(r'<span class="target" style="left:([0-9.]+)%"></span>', page)
    assert targets == ["60.0", "60.0", "80.0"]  # ACH 3, INFO 3, RB 4 of 5 levels
    assert '<span class="fill below" style="width:40.0%"></span>' in page


def test_overall_and_highest_grade():
    data = report(_two_coders())
    md = render_markdown(data)
    assert f"**{data.score.overall:.1f}** / 100" in md
    assert "达到的最高职级：**未达到任何职级画像**" in md  # RB is disputed, so not shown at all
    assert "应聘职级" in md
    record = _two_coders()
    record.turns[1].decisions.append(DecisionRecord("丙", "RB", "accept", 3, stage="reconcile"))
    data = report(record)
    assert data.score.meets_grade == "初级"
    md, page = render_markdown(data), render_html(data)
    assert "达到的最高职级：**初级**" in md and "1 处分歧待协调" not in md
    assert '达到的最高职级：<span class="big">初级</span>' in page


def test_header_facts_and_pseudonym():
    data = report(_two_coders(), pseudonymised=True)
    md = render_markdown(data)
    for fact in ("**候选人**：王小明（已化名）", "**岗位**：对公客户经理", "**职级**：中级", "**面试官**：李面试",
                 "**会话编号**：7", "**状态**：已结束", "**日期**：2024-05-06"):
        assert fact in md
    assert "王小明（已化名）" in render_html(data)


def test_changed_competency_keeps_the_evidence():
    answer = "那次我查了他的征信。"
    turn = TurnRecord(1, "问", answer, suggestions=[suggestion("ACH", 2, ev(answer, "查了他的征信", "查征信"))],
                      decisions=[DecisionRecord("甲", "ACH", "change", 3, new_competency="INFO")])
    page = render_html(report(session(turn)))
    assert marks(page) == ["查了他的征信"]
    assert "INFO 信息收集 · 3 级 · 已确认 · 指标：查征信" in mark_titles(page)


def test_report_imports_no_ui_or_database():
    code = ("import sys, bei_assistant.io.report; "
            "print(','.join(m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
