"""The live help beside the interview: codes, STAR, warnings, coverage and time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.interview import Interview
from ...core.result import FLAG_NAMES, CodingResult
from ..render import codes_lines, highlighted, star_line


class LivePanel(VerticalScroll):
    """Refreshed from the latest analysis of the answer being typed (or the last one sent)."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(id="live-warning", classes="live-section warning")
        yield Static(id="live-codes", classes="live-section")
        yield Static(id="live-star", classes="live-section")
        yield Static(id="live-time", classes="live-section")
        yield Static(id="live-coverage", classes="live-section")
        yield Static(id="live-evidence", classes="live-section")

    def on_mount(self) -> None:
        titles = {"live-codes": "胜任力与等级", "live-evidence": "匹配的词语", "live-star": "STAR 完整性",
                  "live-warning": "提醒", "live-coverage": "题库目标覆盖", "live-time": "计时"}
        for key, title in titles.items():
            self.query_one(f"#{key}", Static).border_title = title

    def show(self, text: str, result: CodingResult | None, interview: Interview | None,
             names: Mapping[str, str], leads: Sequence[str] = ()) -> None:
        codes = result.codes if result else []
        found = codes_lines(codes, names)
        if leads:
            found.append("\n线索（证据还不够，可追问）：", style="dim")
            found.append("、".join(f"{c} {names.get(c, '')}" for c in leads), style="italic")
        self.query_one("#live-codes", Static).update(found)
        self.query_one("#live-evidence", Static).update(highlighted(text, codes) if text.strip() else Text(
            "（输入回答后，匹配的词语会在这里标出）", style="dim"))
        if interview is not None:
            star = interview.star(result)
            probe = interview.next_probe(result)
            line = star_line(star)
            if probe:
                line.append(f"\n下一步追问（Ctrl+T）：{probe[1]}", style="bold")
            self.query_one("#live-star", Static).update(line)
            self._coverage(interview, names)
        self._warning(result)

    def _warning(self, result: CodingResult | None) -> None:
        widget = self.query_one("#live-warning", Static)
        flags = result.flags if result else []
        widget.set_class(bool(flags), "active")
        if not flags:
            widget.update(Text("无", style="dim"))
            return
        out = Text()
        for flag in flags:
            out.append(f"⚠{FLAG_NAMES.get(flag, flag)}", style="bold red")
            if result and result.flag_evidence.get(flag):
                out.append(f"：「{result.flag_evidence[flag][0].text}」")
            out.append("\n")
        widget.update(out)

    def _coverage(self, interview: Interview, names: Mapping[str, str]) -> None:
        out = Text()
        coverage = interview.coverage()
        for comp, level in coverage.items():
            out.append(f"●{comp}{level} " if level else f"○{comp} ", style="bold green" if level else "dim")
        done = sum(1 for level in coverage.values() if level)
        out.append(f"\n已覆盖 {done} / {len(coverage)}", style="dim")
        self.query_one("#live-coverage", Static).update(out)

    def show_time(self, line: Text) -> None:
        self.query_one("#live-time", Static).update(line)
