"""Where two coders (or a coder and the engine) differ, and reconciling it into final codes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from ... import sessions as svc
from ...core.records import STAGE_RECONCILE, SessionRecord
from ...core.review import ENGINE, Disagreement, agreement
from ...io.decisions import DecisionInput
from ..errors import closes_on_error
from ..workspace import Workspace


class AgreementScreen(Screen):
    BINDINGS = [
        *[Binding(str(n), f"settle({n})", f"定为{n}级", show=n in (1, 5)) for n in range(1, 6)],
        Binding("0", "settle(0)", "不编码"),
        Binding("escape", "leave", "返回"),
    ]
    PALETTE = [*[(f"把选中的分歧定为 {n} 级", "", f"settle({n})") for n in range(1, 6)],
               ("把选中的分歧定为不编码", "", "settle(0)"), ("返回审核", "", "leave")]

    def __init__(self, workspace: Workspace, session_id: int, reconciler: str) -> None:
        super().__init__()
        self.workspace, self.session_id, self.reconciler = workspace, session_id, reconciler
        self.pending: dict[str, Disagreement] = {}
        self.record: SessionRecord | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="agreement"):
            yield Label("编码一致性（CA = 2M/(T1+T2)，kappa 按胜任力有无，等级一致率）", classes="pane-title")
            yield DataTable(id="pairs", cursor_type="row")
            yield Label("编码员之间的分歧：选中后按 1–5 定级、0 不编码，协调结果即最终编码", classes="pane-title")
            yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)
            yield Static(id="disagreement-text", markup=False)
        yield Footer()

    @closes_on_error
    def on_mount(self) -> None:
        self.title = f"一致性与协调 · 访谈 {self.session_id}"
        self.sub_title = f"协调人：{self.reconciler}"
        self.query_one("#pairs", DataTable).add_columns("甲", "乙", "共同审核的回答", "CA", "kappa", "等级一致", "分歧")
        self.query_one("#disagreements", DataTable).add_columns("回答", "代码", "甲", "乙", "协调结果")
        self.reload()
        self.query_one("#disagreements", DataTable).focus()

    def reload(self) -> None:
        assert self.workspace.db is not None
        self.record = svc.load(self.workspace.db, self.session_id)
        pairs = agreement(self.record, list(self.workspace.rules.competencies))
        table = self.query_one("#pairs", DataTable)
        table.clear()
        for p in pairs:
            table.add_row(p.first, "引擎" if p.second == ENGINE else p.second, str(p.turns), _fmt(p.ca),
                          _fmt(p.kappa), _fmt(p.level_agreement), str(len(p.disagreements)))
        coders = [p for p in pairs if p.second != ENGINE]
        table = self.query_one("#disagreements", DataTable)
        table.clear()
        self.pending = {}
        settled = self._settled()
        for p in coders:
            for d in p.disagreements:
                key = f"{d.turn}:{d.competency}"
                if key in self.pending:
                    continue
                self.pending[key] = d
                table.add_row(str(d.turn), d.competency, _level(d.first, p.first), _level(d.second, p.second),
                              settled.get(key, "待协调"), key=key)
        if not coders:
            self.query_one("#disagreement-text", Static).update("需要两位编码员各自审核后才有分歧可以协调。")

    def _settled(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for turn in self.record.turns if self.record else []:
            for d in turn.decisions:
                if d.stage == STAGE_RECONCILE:
                    found[f"{turn.order}:{d.result_competency}"] = "不编码" if d.decision == "reject" else f"{d.level} 级"
        return found

    @on(DataTable.RowHighlighted, "#disagreements")
    def _show(self) -> None:
        key = self._current()
        if key and self.record and (turn := self.record.turn(self.pending[key].turn)):
            self.query_one("#disagreement-text", Static).update(f"问：{turn.question}\n答：{turn.answer}")

    def _current(self) -> str | None:
        table = self.query_one("#disagreements", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_settle(self, level: int) -> None:
        key = self._current()
        if key is None or self.record is None:
            self.notify("没有待协调的分歧")
            return
        d = self.pending[key]
        turn = self.record.turn(d.turn)
        has_code = turn is not None and (turn.suggestion(d.competency) is not None or any(
            x.result_competency == d.competency for x in turn.decisions))
        kind = "reject" if level == 0 else ("change" if has_code else "add")
        item = DecisionInput(0, d.turn, d.competency, kind, level or None)
        assert self.workspace.db is not None
        applied, problems = svc.apply_decisions(self.workspace.db, self.session_id, self.reconciler, [item],
                                                "<reconcile>", set(self.workspace.rules.competencies),
                                                STAGE_RECONCILE)
        for problem in problems:
            self.notify(problem.message, severity="warning")
        if applied:
            self.reload()

    def action_leave(self) -> None:
        self.app.pop_screen()


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _level(level: int | None, coder: str) -> str:
    return f"{coder}: {'无' if level is None else f'{level} 级'}"
