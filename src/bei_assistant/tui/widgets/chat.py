"""The interview as a chat: the assistant's script and probes, the candidate's answers."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class Bubble(Static):
    """One message; its kind (question, probe, script, answer, note, system) is a CSS class."""

    def __init__(self, content: str | Text, kind: str, title: str = "") -> None:
        super().__init__(content, classes=f"bubble {kind}", markup=False)  # answers are data, not markup
        if title:
            self.border_title = title


class ChatLog(VerticalScroll):
    """Messages in order, scrolled to the newest."""

    can_focus = False

    def say(self, content: str | Text, kind: str, title: str = "") -> Bubble:
        bubble = Bubble(content, kind, title)
        self.mount(bubble)
        self.call_after_refresh(self.scroll_end, animate=False)
        return bubble
