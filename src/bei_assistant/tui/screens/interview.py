"""Conducting a BEI: the script and probes as a chat, live help beside the answer being typed."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Header, Label, TextArea
from textual.worker import get_current_worker

from ... import sessions as svc
from ...core.bank import Bank
from ...core.interview import OWN_MARK, AnswerSeen, Interview, Step
from ...core.records import SessionRecord, result_of
from ...core.result import CodingResult
from ..errors import closes_on_error
from ..render import clock, highlighted
from ..widgets.chat import Bubble, ChatLog
from ..widgets.live import LivePanel
from ..workspace import Workspace
from .dialogs import ConfirmPrompt, TextPrompt

STAGES = {"opening": "开场", "warmup": "热身", "event": "事件", "closing": "结束"}
DRAFT_DELAY = 0.5  # seconds of quiet before the draft is saved
LEAD_SHARE = 0.5  # a competency scoring half its threshold is shown as a lead to probe


class InterviewScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s,ctrl+enter", "send", "发送"),
        Binding("ctrl+t", "probe", "追问"),
        Binding("ctrl+n", "next", "下一题"),
        Binding("ctrl+b", "back", "上一题"),
        Binding("ctrl+k", "skip", "跳过"),
        Binding("ctrl+e", "own_question", "自己提问"),
        Binding("ctrl+o", "note", "备注"),
        Binding("ctrl+f", "finish", "结束访谈"),
        Binding("escape", "leave", "返回列表"),
    ]
    PALETTE = [("发送回答", "保存并编码当前回答", "send"), ("追问建议的问题", "", "probe"),
               ("下一题", "", "next"), ("上一题", "", "back"), ("跳过本题", "", "skip"),
               ("自己提一个问题", "", "own_question"), ("给上一条回答加备注", "", "note"),
               ("结束访谈", "", "finish"), ("返回访谈列表", "", "leave")]

    class Analysed(Message):
        """The answer being typed has been coded (off the UI thread)."""

        def __init__(self, text: str, result: CodingResult | None, leads: list[str], typed_at: float) -> None:
            super().__init__()
            self.text, self.result, self.leads, self.typed_at = text, result, leads, typed_at

    def __init__(self, workspace: Workspace, session_id: int) -> None:
        super().__init__()
        self.workspace, self.session_id = workspace, session_id
        self.record: SessionRecord | None = None
        self.interview: Interview | None = None
        self.asking: tuple[str, str] = ("", "")
        self.last_order = 0
        self.step_started = self.started = workspace.clock()
        self.latencies: list[float] = []  # change of the answer → live help, in seconds (benchmarks read it)
        self.updated_at = 0.0
        self._draft_timer: Timer | None = None
        self._save_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="interview"):
            with Vertical(id="conversation"):
                yield ChatLog(id="chat")
                yield Label("", id="asking", markup=False)
                yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
                with Horizontal(id="answer-buttons"):
                    yield Button("发送 Ctrl+S", variant="primary", id="send")
                    yield Button("追问 Ctrl+T", id="probe")
                    yield Button("下一题 Ctrl+N", id="next")
            yield LivePanel(id="live")
        yield Footer()

    # -- opening ---------------------------------------------------------------------------

    @closes_on_error
    def on_mount(self) -> None:
        ws = self.workspace
        assert ws.db is not None
        self.record = svc.load(ws.db, self.session_id)
        bank = ws.banks.get(self.record.bank) or ws.bank_for(self.record.role) or Bank("", "", self.record.role)
        self.interview = Interview(bank, ws.rules.cues)
        self.title = f"访谈 {self.session_id}：{self.record.candidate}"
        self.sub_title = f"{ws.rules.profiles.roles.get(self.record.role, self.record.role)} · {self.record.grade}"
        self._replay(self.record)
        draft = svc.draft_of(ws.db, self.session_id)
        area = self.query_one("#answer", TextArea)
        if draft:
            area.text = draft
            self.notify("已恢复上次未发送的草稿")
        area.focus()
        self.set_interval(1.0, self._tick)
        self._tick()

    def _replay(self, record: SessionRecord) -> None:
        """Show the stored turns and continue where the interview stopped."""
        assert self.interview is not None
        chat = self.query_one(ChatLog)
        seen = []
        for turn in record.turns:
            chat.say(turn.question or "（未记录问题）", "question", f"问 · {turn.order}")
            result = result_of(turn)
            chat.say(highlighted(turn.answer, result.codes), "answer", f"答 · {turn.order}")
            seen.append(AnswerSeen(turn.question_id, result))
            self.last_order = turn.order
        self.interview.resume(seen)
        if record.turns:
            chat.say(f"继续访谈：已有 {len(record.turns)} 条回答。", "system")
            step = self.interview.step
            last = record.turns[-1]
            self.asking = (last.question_id, last.question) if step else ("", "")
            self._show_asking()
            self._refresh_live(last.answer, result_of(last))
        else:
            self._show_step(self.interview.step)

    # -- the script ------------------------------------------------------------------------

    def _show_step(self, step: Step | None) -> None:
        chat = self.query_one(ChatLog)
        self.step_started = self.workspace.clock()
        if step is None:
            chat.say("题库中的问题已经问完。可以自己提问（Ctrl+E），或结束访谈（Ctrl+F）。", "system")
            self.asking = ("", "")
        else:
            comps = "、".join(step.competencies)
            title = f"{STAGES.get(step.stage, step.stage)}{' · ' + comps if comps else ''}"
            if step.event is not None:
                title += f" · {step.event.type}事件"
            chat.say(step.text, "script" if step.stage == "opening" else "question", title)
            self.asking = (step.id, step.text)
        self._show_asking()
        self._refresh_live(self.query_one("#answer", TextArea).text, None)

    def _show_asking(self) -> None:
        step = self.interview.step if self.interview else None
        label = self.query_one("#asking", Label)
        if step is not None and step.stage == "opening":
            label.update("开场白：读给候选人听；Ctrl+N 继续")
        elif self.asking[1]:
            label.update(Text.assemble(("正在记录的回答：", "dim"), self.asking[1][:80]))
        else:
            label.update("")

    def ask(self, question_id: str, text: str, kind: str, title: str) -> None:
        self.query_one(ChatLog).say(text, kind, title)
        self.asking = (question_id, text)
        self._show_asking()
        self.query_one("#answer", TextArea).focus()

    def action_next(self) -> None:
        assert self.interview is not None
        self._show_step(self.interview.next())

    def action_back(self) -> None:
        assert self.interview is not None
        if self.interview.position == 0:
            self.notify("已经是第一题")
            return
        self._show_step(self.interview.back())

    def action_skip(self) -> None:
        self.query_one(ChatLog).say("（本题跳过）", "system")
        self.action_next()

    def action_probe(self) -> None:
        assert self.interview is not None
        probe = self.interview.next_probe()
        if probe is None:
            self.notify("没有需要追问的：本题的情境、任务、行动、结果都已讲到，可以进入下一题（Ctrl+N）")
            return
        self.ask(probe[0], probe[1], "probe", "追问")

    def action_own_question(self) -> None:
        def asked(text: str | None) -> None:
            if text and self.interview is not None:
                base = self.interview.step.id if self.interview.step else "free"
                self.ask(f"{base}{OWN_MARK}", text, "question", "面试官提问")

        self.app.push_screen(TextPrompt("输入你要问的问题", placeholder="例如：当时客户具体是怎么说的？"), asked)

    def action_note(self) -> None:
        if not self.last_order:
            self.notify("还没有回答可以加备注", severity="warning")
            return
        order = self.last_order

        def noted(text: str | None) -> None:
            if text:
                assert self.workspace.db is not None
                svc.set_note(self.workspace.db, self.session_id, order, text)
                self.query_one(ChatLog).say(f"备注（第 {order} 条）：{text}", "note")

        self.app.push_screen(TextPrompt(f"给第 {order} 条回答加备注", multiline=True), noted)

    def action_finish(self) -> None:
        def finish(yes: bool | None) -> None:
            if yes:
                self._flush_draft()
                assert self.workspace.db is not None
                svc.finish_session(self.workspace.db, self.session_id)
                self.notify("访谈已结束并保存")
                self.app.switch_to_scores(self.session_id)  # type: ignore[attr-defined]

        self.app.push_screen(ConfirmPrompt("结束这次访谈？之后仍可审核编码和评分。"), finish)

    def action_leave(self) -> None:
        self._flush_draft()
        self.app.pop_screen()

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(Button.Pressed, "#probe")
    def _probe_pressed(self) -> None:
        self.action_probe()

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    # -- answers ---------------------------------------------------------------------------

    def action_send(self) -> None:
        area = self.query_one("#answer", TextArea)
        text = area.text.strip()
        if not text:
            self.notify("先输入候选人的回答", severity="warning")
            return
        question_id, question = self.asking
        bubble = self.query_one(ChatLog).say(text, "answer pending", "答 · 保存中…")
        area.text = ""
        self.save(text, question_id, question, bubble)

    @work(thread=True, group="save")
    def save(self, text: str, question_id: str, question: str, bubble: Bubble) -> None:
        ws = self.workspace
        assert ws.db is not None
        with self._save_lock:  # answers are stored in the order they were sent
            try:
                saved = svc.save_answer(ws.db, ws.engine, self.session_id, question, text, question_id=question_id)
                svc.save_draft(ws.db, self.session_id, "")
            except Exception as exc:  # the database went away: keep the text, say so
                self.app.call_from_thread(self._save_failed, text, bubble, exc)
                return
        self.app.call_from_thread(self._saved, saved, text, bubble)

    def _saved(self, saved: svc.Saved, text: str, bubble: Bubble) -> None:
        assert self.interview is not None
        self.last_order = saved.order
        result = saved.result
        bubble.remove_class("pending")
        bubble.border_title = f"答 · {saved.order}"
        if result is not None:
            bubble.update(highlighted(text, result.codes))
            self.interview.record(result)
        self._refresh_live(text, result)
        probe = self.interview.next_probe()
        if probe:
            self.query_one("#asking", Label).update(Text.assemble(("建议追问（Ctrl+T）：", "bold"), probe[1]))

    def _save_failed(self, text: str, bubble: Bubble, exc: Exception) -> None:
        bubble.remove_class("pending")
        bubble.add_class("failed")
        bubble.border_title = "答 · 未保存"
        area = self.query_one("#answer", TextArea)
        if not area.text.strip():
            area.text = text
        self.notify(f"回答没有保存：{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                    "。文字已放回输入框，请检查数据库后重新发送。", severity="error", timeout=10)

    # -- live help -------------------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _typed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        self.analyse(text, self.asking[1], time.perf_counter())
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    @work(thread=True, exclusive=True, group="analyse")
    def analyse(self, text: str, question: str, typed_at: float) -> None:
        engine = self.workspace.engine
        if engine is None or not text.strip():
            self.post_message(self.Analysed(text, None, [], typed_at))
            return
        analysis = engine.analyse(text)
        matches = engine.valid_matches(analysis)
        result = engine.code_analysed(analysis, matches, question or None)
        coded = {c.competency for c in result.codes}
        scores = engine.scores_analysed(matches, question or None)
        # below the threshold but on its way: worth a probe, not yet a code
        leads = [c for c, s in sorted(scores.items(), key=lambda x: -x[1])
                 if c not in coded and s >= LEAD_SHARE * engine.threshold(c)][:4]
        if not get_current_worker().is_cancelled:
            self.post_message(self.Analysed(text, result, leads, typed_at))

    def on_interview_screen_analysed(self, message: Analysed) -> None:
        self._refresh_live(message.text, message.result, message.leads)
        self.updated_at = time.perf_counter()
        self.latencies.append(self.updated_at - message.typed_at)

    def _refresh_live(self, text: str, result: CodingResult | None, leads: list[str] | None = None) -> None:
        self.query_one(LivePanel).show(text, result, self.interview, self.workspace.names(), leads or [])

    def _tick(self) -> None:
        assert self.interview is not None
        now = self.workspace.clock()
        step_plan, total_plan = self.interview.planned_minutes()
        step_time, total_time = now - self.step_started, self._interview_seconds(now)
        line = Text()
        line.append(f"本题 {clock(step_time)}", style="bold red" if step_plan and step_time > step_plan * 60 else "")
        line.append(f" / 计划 {step_plan:g} 分钟\n" if step_plan else "\n")
        line.append(f"全程 {clock(total_time)}", style="bold red" if total_time > total_plan * 60 else "")
        line.append(f" / 计划 {total_plan:g} 分钟")
        self.query_one(LivePanel).show_time(line)

    def _interview_seconds(self, now: float) -> float:
        started = self.record.started_at if self.record else None
        if started is not None and self.workspace.clock is time.monotonic:
            elapsed = (datetime.now(UTC) - started).total_seconds()
            if 0 <= elapsed < 6 * 3600:  # the same sitting; an old session counts from its reopening
                return elapsed
        return now - self.started

    # -- drafts ----------------------------------------------------------------------------

    def _save_draft(self) -> None:
        self.store_draft(self.query_one("#answer", TextArea).text)

    @work(thread=True, exclusive=True, group="draft")
    def store_draft(self, text: str) -> None:
        if self.workspace.db is None:
            return
        try:
            svc.save_draft(self.workspace.db, self.session_id, text)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"草稿没有保存：{exc}", severity="error")

    def _flush_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.workspace.db is not None:
            svc.save_draft(self.workspace.db, self.session_id, self.query_one("#answer", TextArea).text)
