"""The BEI reading of each clause: who acts, and whether it is told as a real past event.

A level is coded only for specific, past, first-person behaviour.  Each clause gets an
actor (the speaker, "we", the bank, someone else) and a mode (event, hypothetical,
habitual, opinion, intention); negation is judged per match from the tokens before it.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass
from enum import StrEnum

from .model import Cues
from .segment import Token
from .text import Clause, alternation


class Actor(StrEnum):
    SELF = "self"
    WE = "we"
    ORG = "org"
    OTHER = "other"
    UNKNOWN = "unknown"  # no subject said: in spoken Chinese usually the speaker
    FOUND = "found"  # someone else, as the speaker found them out (我一查，他…)


ACTING = (Actor.SELF, Actor.UNKNOWN)  # the speaker, said or understood


class Mode(StrEnum):
    EVENT = "event"
    HYPOTHETICAL = "hypothetical"
    HABITUAL = "habitual"
    OPINION = "opinion"
    INTENTION = "intention"


# Words that may stand before the subject of a clause without being it.
_LEADING = frozenset(
    ["然后", "后来", "当时", "但", "可", "而", "那时", "那时候", "于是", "所以", "结果", "但是", "可是", "不过", "而且", "那", "那么", "接着", "最后", "第二天", "其实", "说实话", "反正", "就", "也", "又", "还", "都", "先", "再", "才", "便", "却", "只", "这", "这时", "这时候", "那天", "那次", "这次", "之后", "之前", "以后", "后面", "刚", "刚好", "正好", "一开始", "开始", "本来", "原来", "因为", "所以说", "完了", "另外", "同时", "随后", "马上", "立刻", "赶紧", "直接", "主动", "亲自", "自己"]
)
# Words after which a person is the object, not the subject (跟他说, 给客户打电话).
_OBJECT_MARKERS = frozenset(["跟", "和", "与", "给", "找", "帮", "对", "向", "陪", "请", "约", "问", "叫", "让", "把", "被", "替", "为", "同", "带", "拉", "劝", "说服", "联系", "拜访", "教", "告诉", "提醒", "催"])


# Words that end a plan told in one sentence and go on to what happened.
_TURNS = frozenset(["结果", "后来", "最后", "但", "但是", "可", "可是", "不过", "于是", "没想到", "谁知", "谁知道", "最终"])
_PRONOUNS = frozenset(["他", "她", "它", "他们", "她们", "你", "您", "你们", "人家", "大家"])


@dataclass(frozen=True)
class ClauseContext:
    actor: Actor
    mode: Mode
    specific: bool  # carries a marker of a particular event (那次, 去年, 当时)


class ContextReader:
    def __init__(self, cues: Cues) -> None:
        self.cues = cues
        self.negators = frozenset(cues.negation)
        self._negation_exceptions = _cue_re(cues.negation_exceptions)
        self._self = frozenset(cues.self_actor)
        self._we = frozenset(cues.collective)
        self._other = frozenset(cues.other_actor)
        self._colleagues = frozenset(cues.colleagues)
        self._org = tuple(sorted(cues.organisation, key=len, reverse=True))
        self._delegated = _cue_re(["让我", "叫我", "派我", "要我", "请我", "安排我", "交给我"])
        self._modes = [
            (_cue_re(cues.hypothetical + cues.future), Mode.HYPOTHETICAL, True),
            (_cue_re(cues.generic), Mode.HABITUAL, True),
            (_cue_re(cues.opinion), Mode.OPINION, True),
            (_cue_re(cues.intention), Mode.INTENTION, True),  # until a turn: 原来打算…，结果…
        ]
        self._specific = _cue_re(cues.specific)
        # a time marker may stand before the subject too (那年我…, 去年他…)
        self._leading = _LEADING | frozenset(cues.specific)
        self._perceived = _cue_re(cues.perception)
        self._anticipated = _cue_re(cues.anticipation)

    # -- actor ---------------------------------------------------------------

    def clause_actor(self, text: str, tokens: list[Token]) -> Actor | None:
        """The clause's explicit subject, or None when it has none (then it is inherited)."""
        if self._delegated.search(text):
            return Actor.SELF
        stripped = text.lstrip()
        if stripped.startswith(self._org):
            return Actor.ORG
        previous = ""
        for k, tok in enumerate(tokens[:6]):
            word = _without_leading(tok.word)  # 但我 may come out of jieba as one word
            if previous in _OBJECT_MARKERS:
                break
            if word in self._we or word in self._self:
                following = tokens[k + 1].word if k + 1 < len(tokens) else ""
                if self._possessed(following):
                    return Actor.OTHER  # 我师傅, 我们行长: the speaker's boss or mentor is the subject
                return Actor.WE if word in self._we else Actor.SELF
            if self._person(word):
                return Actor.OTHER
            if word not in self._leading:
                break
            previous = word
        return Actor.UNKNOWN if self._acts_on_other(tokens) else None

    def _person(self, word: str) -> bool:
        """``word`` names someone other than the speaker (他, 客户, 师傅, 王总)."""
        return word in self._other or _is_person_title(word)

    def _possessed(self, following: str) -> bool:
        """我 + a person who is not a pronoun (我师傅, 我客户): the speaker's someone, not the speaker."""
        return self._person(following) and following not in _PRONOUNS

    def _colleague(self, tokens: list[Token]) -> bool:
        """The subject is on the bank's side (行长, 师傅, 同事), whose acts on a client are theirs."""
        return any(t.word in self._colleagues for t in tokens[:4])

    def _acts_on_other(self, tokens: list[Token]) -> bool:
        """No subject, and someone else is the object (跟他拉家常, 教他在手机上点): in a narrative
        that is the speaker acting on them, not the last person named acting on themselves."""
        return any(a.word in _OBJECT_MARKERS and self._person(b.word) for a, b in itertools.pairwise(tokens[:7]))

    # -- mode ----------------------------------------------------------------

    def clause_modes(self, text: str, clauses: list[Clause], clause_tokens: list[list[Token]],
                     spoken: str | None = None) -> list[ClauseContext]:
        """``spoken`` is ``text`` with quoted speech blanked: a 如果 or 每次 that someone is quoted
        as saying does not make the speaker's own account hypothetical or habitual."""
        contexts: list[ClauseContext] = []
        actor = Actor.UNKNOWN
        sentence = -1
        found_in = -1  # the sentence in which the speaker said he found something out
        colleague_acting = False  # the subject named last is the speaker's boss, mentor or bank
        carried: dict[int, Mode] = {}  # sentence -> mode carried to the end of the sentence
        spoken = spoken or text
        for clause, tokens in zip(clauses, clause_tokens, strict=True):
            piece = clause.slice(text)
            explicit = self.clause_actor(piece, tokens)
            if explicit is Actor.UNKNOWN and clause.sentence == sentence and colleague_acting:
                pass  # 行长出来，把他请进办公室: the boss just named goes on acting on the client
            elif explicit is not None:
                actor = explicit
                colleague_acting = actor is Actor.ORG or (actor is Actor.OTHER and self._colleague(tokens))
            elif clause.sentence != sentence and actor in (Actor.OTHER, Actor.ORG):
                # Within a sentence a dropped subject is the last one named (行长出来，把他请进办公室);
                # a new sentence without one is usually the speaker again.
                actor = Actor.UNKNOWN
            sentence = clause.sentence
            specific = self.specific(piece)
            mode = carried.get(clause.sentence, Mode.EVENT)
            if mode is Mode.INTENTION and tokens and tokens[0].word in _TURNS:
                del carried[clause.sentence]  # 本来想…，结果…: what follows was done
                mode = Mode.EVENT
            starts = {t.start - clause.start for t in tokens}
            said = clause.slice(spoken)
            for pattern, marked, to_sentence_end in self._modes:
                at = _cue_at(pattern, said, starts)
                if at is not None and marked is Mode.HYPOTHETICAL and self._anticipated.search(said, 0, at):
                    continue  # 当时担心万一…: what the speaker feared then, and what he did about it, happened
                if at is not None:
                    mode = marked
                    # 每次…/如果… before any subject frames the sentence; 他们老是… after someone
                    # else only says how they are, and the speaker's next clause is his own
                    if to_sentence_end and (actor not in (Actor.OTHER, Actor.ORG) or at <= _first_word(tokens, clause)):
                        carried[clause.sentence] = marked
                    break
            shown = actor
            if actor in ACTING and mode is Mode.EVENT and self._perceived.search(piece):
                found_in = clause.sentence
            elif found_in == clause.sentence and actor is Actor.OTHER:
                # 我一查，他作坊一年流水也就几十万: what the speaker found out, evidence of his looking
                shown = Actor.FOUND
            contexts.append(ClauseContext(shown, mode, specific))
        return contexts

    def specific(self, text: str) -> bool:
        """``text`` marks a particular occasion (那次, 去年, 第一次)."""
        return self._specific.search(text) is not None

    def speaker_named(self, tokens: list[Token]) -> bool:
        """The speaker is a subject somewhere in the clause (但我听得出来, 我跟他谈), not only an
        object (跟我说, 给我打电话)."""
        previous = ""
        for tok in tokens:
            if _without_leading(tok.word) in self._self and previous not in _OBJECT_MARKERS:
                return True
            previous = tok.word
        return False

    # -- negation ------------------------------------------------------------

    def negated(self, start: int, clause: Clause, tokens: list[Token], text: str) -> bool:
        """A negator token shortly before ``start`` in the same clause cancels the match."""
        window_start = max(clause.start, start - 6)
        first = bisect_left(tokens, window_start, key=lambda t: t.start)
        if not any(t.word in self.negators for t in tokens[first:] if t.end <= start):
            return False
        return not self._negation_exceptions.search(text, window_start, start)


_NEVER = re.compile(r"(?!)")
_PAST = frozenset("了过")


def _cue_at(pattern: re.Pattern[str], piece: str, word_starts: set[int]) -> int | None:
    """Where a cue begins a word and is not followed by a past marker: 要是 is not in 主要是, and
    我准备了 is something done, not planned."""
    return next((m.start() for m in pattern.finditer(piece)
                 if m.start() in word_starts and piece[m.end() : m.end() + 1] not in _PAST), None)


def _first_word(tokens: list[Token], clause: Clause) -> int:
    """Offset in the clause of its first word that is not a linking word (然后, 但是)."""
    return next((t.start - clause.start for t in tokens if t.word not in _LEADING), 0)


def _cue_re(cues: list[str]) -> re.Pattern[str]:
    """One regular expression for a cue list (``#`` in a cue is the number mark)."""
    return alternation(set(cues)) or _NEVER


def _without_leading(word: str) -> str:
    """但我 → 我, 那我们 → 我们: a leading conjunction glued to the subject."""
    if len(word) > 1 and word[0] in _LEADING and word[1:] in ("我", "我们", "咱", "咱们", "他", "他们"):
        return word[1:]
    return word


def _is_person_title(word: str) -> bool:
    """王总, 张姐, 李哥, 老陈: someone other than the speaker."""
    if len(word) == 2 and word[1] in "总姐哥叔姨经理" and word[0] not in "我你他她老总":
        return True
    return len(word) == 2 and word[0] == "老" and word[1] in "王张李刘陈杨黄赵周吴徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万钱严赖覃洪武莫孔"
