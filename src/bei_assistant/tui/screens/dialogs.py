"""Small modal screens that return what the user chose with ``dismiss()``."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea


class _Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def buttons(self) -> Horizontal:
        return Horizontal(Button("确定", variant="primary", id="ok"), Button("取消", id="cancel"), classes="buttons")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "ok":
            self.confirm()

    def confirm(self) -> None:  # pragma: no cover - every dialog overrides it
        self.dismiss(None)


class TextPrompt(_Dialog):
    """One line (or several, ``multiline``) of text."""

    def __init__(self, title: str, value: str = "", placeholder: str = "", multiline: bool = False) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder, self.multiline = title, value, placeholder, multiline

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.multiline:
                yield TextArea(self.value, id="value", soft_wrap=True)
            else:
                yield Input(self.value, placeholder=self.placeholder, id="value")
            yield self.buttons()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.confirm()

    def confirm(self) -> None:
        widget = self.query_one("#value")
        text = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        self.dismiss(text.strip() or None)


class ConfirmPrompt(_Dialog):
    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            yield self.buttons()

    def confirm(self) -> None:
        self.dismiss(True)


class CodePrompt(_Dialog):
    """A competency and a level, for adding or changing a code."""

    def __init__(self, title: str, competencies: Sequence[tuple[str, str]], competency: str | None = None,
                 level: int | None = None) -> None:
        super().__init__()
        self.title_text, self.competencies = title, competencies
        self.competency, self.level = competency, level

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Select([(f"{code} {name}", code) for code, name in self.competencies], prompt="胜任力",
                         value=self.competency or Select.NULL, id="competency")
            yield Select([(f"{n} 级", n) for n in range(1, 6)], prompt="等级", value=self.level or Select.NULL,
                         id="level")
            yield self.buttons()

    def confirm(self) -> None:
        comp = self.query_one("#competency", Select).value
        level = self.query_one("#level", Select).value
        if not isinstance(comp, str) or not isinstance(level, int):
            self.notify("请选择胜任力和等级", severity="warning")
            return
        self.dismiss((comp, level))
