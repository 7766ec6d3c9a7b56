"""The first screen: the sessions to resume, and a new session to start."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from ... import sessions as svc
from ..workspace import Workspace

STATUS = {"open": "进行中", "finished": "已结束"}


class StartScreen(Screen):
    BINDINGS = [
        Binding("n", "new", "新建访谈"),
        Binding("r", "review", "审核编码"),
        Binding("s", "scores", "评分"),
        Binding("e", "export", "导出"),
        Binding("f5", "refresh", "刷新"),
    ]
    PALETTE = [("新建访谈", "填写候选人、岗位、职级后开始", "new"), ("继续选中的访谈", "", "resume"),
               ("审核选中访谈的编码", "", "review"), ("查看选中访谈的评分", "", "scores"),
               ("导出选中的访谈", "", "export"), ("刷新访谈列表", "", "refresh")]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.listed = False  # the sessions list has been shown at least once

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="start"):
            with Vertical(id="sessions-pane"):
                yield Label("访谈列表（Enter 继续访谈）", classes="pane-title")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with Vertical(id="new-session"):
                yield Label("新建访谈", classes="pane-title")
                yield Input(placeholder="候选人姓名", id="candidate")
                yield Select([], prompt="岗位", id="role")
                yield Select([], prompt="职级", id="grade")
                yield Select([], prompt="题库", id="bank")
                yield Input(placeholder="面试官", id="interviewer")
                yield Button("开始访谈", variant="primary", id="start-button")
        yield Static("正在加载编码规则和数据库…", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "行为事件访谈助手"
        self.sub_title = "银行客户经理胜任力"
        table = self.query_one("#sessions", DataTable)
        table.add_columns("编号", "候选人", "岗位", "职级", "面试官", "状态", "回答", "开始时间")
        if self.workspace.ready or self.workspace.error:
            self.workspace_loaded()

    def workspace_loaded(self) -> None:
        """Called by the app once the background load is done."""
        ws = self.workspace
        status = self.query_one("#status", Static)
        if ws.error:
            status.update(f"⚠ {ws.error}\n数据库：{ws.where()}（用 bei --db URL 指定其他数据库）")
            status.add_class("error")
            return
        note = f"  ·  {len(ws.warnings)} 条规则提示（bei validate 查看）" if ws.warnings else ""
        status.update(f"数据库：{ws.where()}  ·  规则版本 {ws.rules.version}{note}")
        profiles = ws.rules.profiles
        self.query_one("#role", Select).set_options([(name, rid) for rid, name in profiles.roles.items()])
        self.query_one("#grade", Select).set_options([(g, g) for g in profiles.grades])
        self.query_one("#bank", Select).set_options([(b.name, b.id) for b in ws.banks.values()])
        self.action_refresh()

    @on(Select.Changed, "#role")
    def _role_chosen(self, event: Select.Changed) -> None:
        bank = self.workspace.bank_for(str(event.value)) if self.workspace.ready else None
        if bank is not None:
            self.query_one("#bank", Select).value = bank.id

    def action_refresh(self) -> None:
        if self.workspace.db is not None:
            self.load_sessions()

    @work(thread=True, exclusive=True, group="sessions")
    def load_sessions(self) -> None:
        assert self.workspace.db is not None
        found = svc.list_sessions(self.workspace.db)
        self.app.call_from_thread(self._show_sessions, found)

    def _show_sessions(self, found: list) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        roles = self.workspace.rules.profiles.roles
        for s in reversed(found):  # the newest first
            table.add_row(str(s.id), s.candidate, roles.get(s.role, s.role), s.grade, s.interviewer,
                          STATUS.get(s.status, s.status), str(s.turns),
                          s.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.started_at else "", key=str(s.id))
        self.listed = True

    def selected(self) -> int | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            self.notify("还没有访谈：先新建一个（N）", severity="warning")
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key else None

    def action_new(self) -> None:
        self.query_one("#candidate", Input).focus()

    @on(DataTable.RowSelected, "#sessions")
    def action_resume(self) -> None:
        if (sid := self.selected()) is not None:
            self.app.open_interview(sid)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        if (sid := self.selected()) is not None:
            self.app.open_review(sid)  # type: ignore[attr-defined]

    def action_scores(self) -> None:
        if (sid := self.selected()) is not None:
            self.app.open_scores(sid)  # type: ignore[attr-defined]

    def action_export(self) -> None:
        if (sid := self.selected()) is not None:
            self.app.open_export([sid])  # type: ignore[attr-defined]

    @on(Button.Pressed, "#start-button")
    @on(Input.Submitted, "#interviewer")
    def start_session(self) -> None:
        if not self.workspace.ready:
            self.notify(self.workspace.error or "还在加载，请稍候", severity="warning")
            return
        candidate = self.query_one("#candidate", Input).value.strip()
        role, grade, bank = (self.query_one(f"#{k}", Select).value for k in ("role", "grade", "bank"))
        missing = [name for name, value in (("候选人", candidate), ("岗位", role), ("职级", grade), ("题库", bank))
                   if not isinstance(value, str) or not value]
        if missing:
            self.notify("请填写：" + "、".join(missing), severity="warning")
            return
        details = svc.SessionDetails(candidate, str(role), str(grade), str(bank),
                                     self.query_one("#interviewer", Input).value.strip())
        assert self.workspace.db is not None
        session_id = svc.start_session(self.workspace.db, details, self.workspace.rules.version)
        self.query_one("#candidate", Input).value = ""
        self.app.open_interview(session_id)  # type: ignore[attr-defined]
