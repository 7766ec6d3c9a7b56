"""The HR lead's view: scores against the target profile, and candidates of one role compared."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from ... import sessions as svc
from ...core.scoring import Ranked, SessionScore
from ..errors import closes_on_error
from ..render import level_bar
from ..workspace import Workspace


class ScoresScreen(Screen):
    BINDINGS = [Binding("e", "export", "导出"), Binding("escape", "leave", "返回")]
    PALETTE = [("导出这次访谈", "html、md、xlsx、csv、json、qdpx", "export"), ("返回", "", "leave")]

    def __init__(self, workspace: Workspace, session_id: int) -> None:
        super().__init__()
        self.workspace, self.session_id = workspace, session_id

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="scores-tabs"):
            with TabPane("本次评分", id="tab-score"):
                yield Static(id="score-table")
                yield Static(id="score-summary")
            with TabPane("同岗位比较", id="tab-compare"):
                yield DataTable(id="compare", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @closes_on_error
    def on_mount(self) -> None:
        assert self.workspace.db is not None
        scored = svc.score_record(svc.load(self.workspace.db, self.session_id), self.workspace.rules)
        record, score = scored.record, scored.score
        roles = self.workspace.rules.profiles.roles
        self.title = f"评分 · 访谈 {self.session_id}：{record.candidate}"
        self.sub_title = f"{roles.get(record.role, record.role)} · 目标职级 {record.grade}"
        self.query_one("#score-table", Static).update(self._table(score))
        self.query_one("#score-summary", Static).update(self._summary(score))
        table = self.query_one("#compare", DataTable)
        top = self.workspace.rules.profiles.grades[-1] if self.workspace.rules.profiles.grades else ""
        table.add_columns("名次", "访谈", "候选人", "应聘职级", "达到职级", f"对{top}符合度", "对本职级符合度", "未审核")
        self.compare(record.role)

    def _table(self, score: SessionScore) -> Table:
        names = self.workspace.names()
        table = Table(expand=True, box=None, header_style="bold")
        for column in ("胜任力", "等级（│为目标）", "频次", "最高", "平均", "目标", "差距", "未审核"):
            table.add_column(column, no_wrap=True)
        for r in score.rows:
            gap = Text("" if r.gap is None else f"{r.gap:+d}", style="red" if (r.gap or 0) < 0 else "green")
            table.add_row(f"{r.competency} {names.get(r.competency, '')}", level_bar(r.max_level, r.target),
                          str(r.frequency), str(r.max_level or "—"),
                          "—" if r.mean_level is None else f"{r.mean_level:.1f}", str(r.target or "—"), gap,
                          str(r.unreviewed) if r.unreviewed else "")
        return table

    def _summary(self, score: SessionScore) -> Text:
        out = Text()
        out.append(f"\n加权符合度 {score.overall:.1f} / 100    ", style="bold")
        out.append(f"达到的最高职级：{score.meets_grade or '未达到任何职级画像'}\n", style="bold")
        fits = "  ".join(f"{g} {v:.0f}" for g, v in score.grade_fit.items())
        out.append(f"各职级符合度：{fits}\n")
        if score.gaps:
            out.append("低于目标：" + "、".join(f"{r.competency}（{r.gap:+d}）" for r in score.gaps) + "\n",
                       style="yellow")
        if score.unreviewed or score.disputed:
            out.append(f"注意：{score.unreviewed} 条编码未经编码员确认，{score.disputed} 处分歧待协调。\n",
                       style="bold red")
        return out

    @work(thread=True, exclusive=True)
    def compare(self, role: str) -> None:
        assert self.workspace.db is not None
        ranked = svc.compare_role(self.workspace.db, self.workspace.rules, role)
        self.app.call_from_thread(self._show_compare, ranked)

    def _show_compare(self, ranked: list[Ranked]) -> None:
        table = self.query_one("#compare", DataTable)
        grades = self.workspace.rules.profiles.grades
        top = grades[-1] if grades else ""
        for i, r in enumerate(ranked, 1):
            table.add_row(str(i), str(r.session), r.candidate, r.grade, r.score.meets_grade or "—",
                          f"{r.score.grade_fit.get(top, 0.0):.1f}", f"{r.score.overall:.1f}",
                          str(r.score.unreviewed), key=str(r.session))

    def action_export(self) -> None:
        self.app.open_export([self.session_id])  # type: ignore[attr-defined]

    def action_leave(self) -> None:
        self.app.pop_screen()
