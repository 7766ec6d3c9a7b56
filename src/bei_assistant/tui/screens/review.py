"""A coder reviews the suggested codes of one session: accept, reject, change, add on a span."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static, TextArea

from ... import sessions as svc
from ...core.records import STAGE_CODE, SessionRecord, SuggestionRecord, TurnRecord
from ...core.review import coder_view, progress
from ...io.decisions import DecisionInput
from ..errors import closes_on_error
from ..render import span
from ..workspace import Workspace
from .dialogs import CodePrompt

ALL = "all"
STATUS_FILTERS = [("全部", ALL), ("待审核", "todo"), ("已审核", "done")]


@dataclass
class Row:
    turn: TurnRecord
    competency: str
    suggestion: SuggestionRecord | None
    mine: int | None | str  # my level, None when I rejected it, "" when I have not decided

    @property
    def key(self) -> str:
        return f"{self.turn.order}:{self.competency}"


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("a", "decide('accept')", "接受"),
        Binding("x,r", "decide('reject')", "拒绝"),
        *[Binding(str(n), f"level({n})", f"改为{n}级", show=False) for n in range(1, 6)],
        Binding("c", "change_competency", "改胜任力"),
        Binding("n", "add_code", "新增编码"),
        Binding("slash", "filter", "筛选"),
        Binding("g", "agreement", "一致性"),
        Binding("escape", "leave", "返回"),
    ]
    PALETTE = [("接受选中的建议编码", "", "decide('accept')"), ("拒绝选中的建议编码", "", "decide('reject')"),
               *[(f"把选中的编码改为 {n} 级", "", f"level({n})") for n in range(1, 6)],
               ("改选中编码的胜任力", "", "change_competency"), ("在原文选中的文字上新增编码", "", "add_code"),
               ("筛选编码", "", "filter"), ("编码员一致性与协调", "", "agreement"), ("返回", "", "leave")]

    def __init__(self, workspace: Workspace, session_id: int, coder: str) -> None:
        super().__init__()
        self.workspace, self.session_id, self.coder = workspace, session_id, coder
        self.record: SessionRecord | None = None
        self.rows: dict[str, Row] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-filters"):
            yield Select([], prompt="胜任力：全部", id="filter-competency")
            yield Select(STATUS_FILTERS, value=ALL, allow_blank=False, id="filter-status")
            yield Input(placeholder="最低置信度，如 0.5", id="filter-confidence")
            yield Label("", id="progress")
        with Horizontal(id="review"):
            yield DataTable(id="codes", cursor_type="row", zebra_stripes=True)
            with Vertical(id="review-detail"):
                yield Static(id="question", markup=False)
                yield TextArea(id="answer-view", read_only=True, soft_wrap=True, show_line_numbers=False)
                yield Static(id="why", markup=False)
        yield Footer()

    @closes_on_error
    def on_mount(self) -> None:
        self.title = f"审核编码 · 访谈 {self.session_id}"
        self.sub_title = f"编码员：{self.coder}（独立编码，看不到其他编码员的决定）"
        names = self.workspace.names()
        self.query_one("#filter-competency", Select).set_options([(f"{c} {n}", c) for c, n in names.items()])
        self.query_one("#codes", DataTable).add_columns("回答", "代码", "胜任力", "建议", "置信度", "我的决定")
        self.reload()
        self.query_one("#codes", DataTable).focus()

    # -- rows ------------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        assert self.workspace.db is not None
        self.record = svc.load(self.workspace.db, self.session_id)
        self.rows = {}
        for turn in self.record.turns:
            view = coder_view(turn, self.coder)
            comps = [s.competency for s in turn.suggestions] + [c for c in view.decided
                                                               if turn.suggestion(c) is None]
            for comp in dict.fromkeys(comps):
                row = Row(turn, comp, turn.suggestion(comp), view.decided.get(comp, ""))
                self.rows[row.key] = row
        self._fill(keep)
        decided, total = progress(self.record, self.coder)
        self.query_one("#progress", Label).update(f"进度：{decided} / {total} 条建议已审核")

    def _visible(self, row: Row) -> bool:
        comp = self.query_one("#filter-competency", Select).value
        status = self.query_one("#filter-status", Select).value
        if isinstance(comp, str) and comp != row.competency:
            return False
        if status == "todo" and row.mine != "":
            return False
        if status == "done" and row.mine == "":
            return False
        floor = _number(self.query_one("#filter-confidence", Input).value)
        return floor is None or (row.suggestion is not None and row.suggestion.confidence >= floor)

    def _fill(self, keep: str | None) -> None:
        table = self.query_one("#codes", DataTable)
        table.clear()
        names = self.workspace.names()
        for row in self.rows.values():
            if not self._visible(row):
                continue
            s = row.suggestion
            table.add_row(str(row.turn.order), row.competency, names.get(row.competency, ""),
                          f"{s.level} 级" if s else "（自加）", f"{s.confidence:.2f}" if s else "",
                          _mine(row.mine), key=row.key)
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail()

    def current(self) -> Row | None:
        table = self.query_one("#codes", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    @on(DataTable.RowHighlighted, "#codes")
    def _show_detail(self) -> None:
        row = self.current()
        question, area, why = (self.query_one("#question", Static), self.query_one("#answer-view", TextArea),
                               self.query_one("#why", Static))
        if row is None:
            question.update("（没有符合筛选条件的编码）")
            area.load_text("")
            why.update("")
            return
        question.update(Text.assemble((f"问 · {row.turn.order}：", "bold"), row.turn.question))
        area.load_text(row.turn.answer)
        if row.suggestion is not None:
            why.update(_evidence(row.suggestion))
        else:
            view = coder_view(row.turn, self.coder)
            start, end = view.spans.get(row.competency, (0, 0))
            why.update(Text.assemble(("我标注的文字：", "bold"), span(row.turn.answer, start, end)))

    @on(Select.Changed)
    @on(Input.Changed, "#filter-confidence")
    def _filtered(self) -> None:
        if self.record is not None:
            row = self.current()
            self._fill(row.key if row else None)

    # -- decisions -------------------------------------------------------------------------

    def _apply(self, item: DecisionInput, keep: str) -> None:
        assert self.workspace.db is not None
        applied, problems = svc.apply_decisions(self.workspace.db, self.session_id, self.coder, [item], "<review>",
                                                set(self.workspace.rules.competencies), STAGE_CODE)
        for problem in problems:
            self.notify(problem.message, severity="warning")
        if applied:
            self.reload(keep)
            self.query_one("#codes", DataTable).action_cursor_down()

    def action_decide(self, kind: str) -> None:
        row = self.current()
        if row is None:
            return
        level = row.suggestion.level if kind == "accept" and row.suggestion else None
        if kind == "accept" and level is None:
            level = row.mine if isinstance(row.mine, int) else None
        self._apply(DecisionInput(0, row.turn.order, row.competency, kind, level), row.key)

    def action_level(self, level: int) -> None:
        row = self.current()
        if row is not None:
            self._apply(DecisionInput(0, row.turn.order, row.competency, "change", level), row.key)

    def action_change_competency(self) -> None:
        row = self.current()
        if row is None:
            return

        def chosen(value: tuple[str, int] | None) -> None:
            if value is not None:
                comp, level = value
                self._apply(DecisionInput(0, row.turn.order, row.competency, "change", level, comp), row.key)

        level = row.suggestion.level if row.suggestion else None
        self.app.push_screen(CodePrompt(f"回答 {row.turn.order}：把 {row.competency} 改为", self._choices(),
                                        row.competency, level), chosen)

    def action_add_code(self) -> None:
        row = self.current()
        if row is None:
            return
        area = self.query_one("#answer-view", TextArea)
        start, end = sorted(_offset(area.text, loc) for loc in area.selection)
        if start == end:
            area.focus()
            self.notify("先在右侧原文中选中一段文字（Shift+方向键或鼠标拖选），再按 N", severity="warning")
            return

        def chosen(value: tuple[str, int] | None) -> None:
            if value is not None:
                comp, level = value
                self._apply(DecisionInput(0, row.turn.order, comp, "add", level, None, start, end),
                            f"{row.turn.order}:{comp}")

        self.app.push_screen(CodePrompt(f"给「{row.turn.answer[start:end][:30]}」新增编码", self._choices()), chosen)

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        # Enter in the answer (after selecting a span) adds a code, as N does
        if event.key == "enter" and self.focused is self.query_one("#answer-view", TextArea):
            event.stop()
            self.action_add_code()

    def _choices(self) -> list[tuple[str, str]]:
        return list(self.workspace.names().items())

    def action_filter(self) -> None:
        self.query_one("#filter-competency", Select).focus()

    def action_agreement(self) -> None:
        self.app.open_agreement(self.session_id, self.coder)  # type: ignore[attr-defined]

    def action_leave(self) -> None:
        self.app.pop_screen()


def _evidence(suggestion: SuggestionRecord) -> Text:
    """Each evidence span with the indicators it matched: why the engine proposes this code."""
    out = Text.assemble(("依据（", "bold"), (f"{suggestion.competency} {suggestion.level} 级，置信度 "
                                             f"{suggestion.confidence:.2f}", "bold"), ("）：\n", "bold"))
    for e in suggestion.evidence:
        out.append(f"「{e.text}」", style="black on #f5d76e")
        out.append(f" ← {'、'.join(e.matched)}\n")
    return out


def _mine(value: int | None | str) -> Text:
    if value == "":
        return Text("待审核", style="dim")
    if value is None:
        return Text("已拒绝", style="red")
    return Text(f"{value} 级", style="green")


def _offset(text: str, location: tuple[int, int]) -> int:
    """A (row, column) of the text area as a character offset into the answer."""
    row, column = location
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:row]) + min(column, len(lines[row]) if row < len(lines) else 0)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
