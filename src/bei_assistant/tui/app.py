"""The terminal UI: interview, review, scores and export, on the session services."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from .errors import guarded
from .screens.agreement import AgreementScreen
from .screens.dialogs import TextPrompt
from .screens.export import ExportScreen
from .screens.help import HelpScreen
from .screens.interview import InterviewScreen
from .screens.review import ReviewScreen
from .screens.scores import ScoresScreen
from .screens.start import StartScreen
from .workspace import Workspace


class BeiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "行为事件访谈助手"
    BINDINGS = [Binding("f1", "help", "帮助"), Binding("ctrl+q", "quit", "退出", priority=True)]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.coder = ""

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.workspace))
        # the heavy load starts once the first screen is painted, so it never delays it
        self.call_after_refresh(self.load_workspace)

    @work(thread=True, exclusive=True)
    def load_workspace(self) -> None:
        """jieba, the rules and the database load here, while the first screen is already up."""
        self.workspace.load()
        self.call_from_thread(self._loaded)

    def _loaded(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.workspace_loaded()
        if self.workspace.error:
            self.notify(self.workspace.error, severity="error", timeout=15)

    def _check_ready(self) -> bool:
        if not self.workspace.ready:
            self.notify(self.workspace.error or "还在加载编码规则，请稍候", severity="warning")
        return self.workspace.ready

    # -- navigation (screens call these; the app owns the screen stack) ---------------------

    @guarded
    def open_interview(self, session_id: int) -> None:
        if self._check_ready():
            self.push_screen(InterviewScreen(self.workspace, session_id))

    @guarded
    def open_review(self, session_id: int) -> None:
        if not self._check_ready():
            return

        def with_coder(name: str | None) -> None:
            if name:
                self.coder = name
                self.push_screen(ReviewScreen(self.workspace, session_id, name))

        self.push_screen(TextPrompt("编码员姓名（两位编码员各自独立审核）", self.coder, "例如：王编码"), with_coder)

    @guarded
    def open_agreement(self, session_id: int, coder: str) -> None:
        self.push_screen(AgreementScreen(self.workspace, session_id, coder))

    @guarded
    def open_scores(self, session_id: int) -> None:
        if self._check_ready():
            self.push_screen(ScoresScreen(self.workspace, session_id))

    @guarded
    def switch_to_scores(self, session_id: int) -> None:
        self.pop_screen()
        self.open_scores(session_id)

    def open_export(self, session_ids: list[int]) -> None:
        if not self._check_ready():
            return

        def done(paths: list[str] | None) -> None:
            if paths:
                self.notify("已导出：" + "\n".join(paths), title="导出完成", timeout=15)

        self.push_screen(ExportScreen(self.workspace, session_ids), done)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Messages carry names, answers and paths: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette (Ctrl+P) holds every action of the screen in front, and the app's own."""
        for title, help_text, action in getattr(screen, "PALETTE", []):
            yield SystemCommand(title, help_text or title, partial(screen.run_action, action))
        yield SystemCommand("帮助：按键说明", "F1", self.action_help)
        yield from super().get_system_commands(screen)


def create_app(db_url: str | None = None, rules: Sequence[Path] | None = None, banks: Sequence[Path] | None = None,
               clock: Callable[[], float] = time.monotonic) -> BeiApp:
    """The app on a database and rules; the tests build theirs here too."""
    return BeiApp(Workspace(db_url, rules, banks, clock))


def run(db_url: str | None = None, rules: Sequence[Path] | None = None, banks: Sequence[Path] | None = None) -> int:
    create_app(db_url, rules, banks).run()
    return 0
