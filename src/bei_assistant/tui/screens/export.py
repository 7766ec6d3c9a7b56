"""Export from the UI to every format of ``bei export``; the file's path is shown."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select

from ... import exporting
from ..workspace import Workspace
from .dialogs import _Dialog

FORMAT_NAMES = {"html": "HTML 报告", "md": "Markdown 报告", "xlsx": "Excel（逐字稿、编码、评分）",
                "csv": "CSV 编码表（可在 Excel 中审核）", "json": "JSON 完整数据（可再导入）",
                "qdpx": "REFI-QDA 项目（MAXQDA、ATLAS.ti、NVivo、QualCoder）"}


class ExportScreen(_Dialog):
    """Returns the written paths, or None when cancelled."""

    def __init__(self, workspace: Workspace, session_ids: list[int]) -> None:
        super().__init__()
        self.workspace, self.session_ids = workspace, session_ids

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"导出访谈 {', '.join(map(str, self.session_ids))}", classes="dialog-title")
            yield Select([(name, fmt) for fmt, name in FORMAT_NAMES.items()], value="html", allow_blank=False,
                         id="format")
            yield Input(str(self._path("html")), id="path")
            yield Checkbox("化名导出（姓名替换为稳定的化名）", id="pseudonymise")
            yield Label("", id="result")
            yield self.buttons()

    def _path(self, fmt: str) -> Path:
        return exporting.default_path(self.workspace.exports, self.session_ids, fmt)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#path", Input).value = str(self._path(event.value))

    def confirm(self) -> None:
        fmt = self.query_one("#format", Select).value
        path = Path(self.query_one("#path", Input).value).expanduser()
        self.export(str(fmt), path, self.query_one("#pseudonymise", Checkbox).value)

    @work(thread=True, exclusive=True)
    def export(self, fmt: str, path: Path, pseudonymised: bool) -> None:
        ws = self.workspace
        try:
            assert ws.db is not None
            records = exporting.load_for_export(ws.db, self.session_ids, pseudonymised)
            written = exporting.write(fmt, records, ws.rules, path, pseudonymised)
        except (OSError, exporting.ExportError) as exc:
            self.app.call_from_thread(self.notify, f"导出失败：{exc}", severity="error")
            return
        self.app.call_from_thread(self.dismiss, [str(p.resolve()) for p in written])
