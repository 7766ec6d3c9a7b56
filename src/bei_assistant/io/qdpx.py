"""Export coded interviews to REFI-QDA (.qdpx), the exchange format of MAXQDA, ATLAS.ti, NVivo and QualCoder.

A .qdpx is a zip of ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``, Project.xsd of QDA-XML 1.0)
and ``sources/<guid>.txt``.  Each session becomes one text source, its transcript::

    问：{question}\\n答：{answer}\\n\\n      (one block per turn, in turn order)

Line breaks are written as ``\\n`` only (``\\r\\n`` and ``\\r`` become ``\\n``), since QDA programs
count a line break as one character.  Selection offsets are Unicode code points into that text
(Python ``str`` indices), end exclusive.

The codebook has one code per competency and a sub-code per level ("INFO-3"), so a segment is
coded with competency and level in one.  Who coded what is kept apart by user: one user per coder,
one for the engine's suggestions and one for the session's final (agreed or reconciled) codes, so
a QDA program can compare them.  GUIDs are derived from the data (uuid5), so exporting the same
data twice gives the same file except for creation dates.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..core.model import LEVELS
from ..core.records import STAGE_CODE, STAGE_RECONCILE, DecisionRecord, SessionRecord, TurnRecord
from ..core.review import FINAL, RECONCILED, coder_view, final_codes
from .private import write_private

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = "bei-assistant"
ENGINE_USER = "bei-assistant 自动编码"
FINAL_USER = "最终编码"
QUESTION_MARK, ANSWER_MARK = "问：", "答："

# Never change: every GUID of every export derives from it, and re-imports match items by GUID.
_GUID_ROOT = uuid.UUID("6f1c0a52-3f7e-4c1b-9a55-2d0b8e4c7a91")
_ENGINE, _FINAL = "engine", "final"  # user keys; coders are keyed "coder:<name>"
_STATUS_NAMES = {FINAL: "一致", RECONCILED: "协商"}
_NAME_LENGTH = 60
# Characters XML 1.0 cannot carry at all (control characters other than tab, LF and CR).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member dates, so the zip depends on the data only


def write_qdpx(records: Sequence[SessionRecord], codebook: Mapping[str, tuple[str, str]], path: Path, *,
               project_name: str = "BEI 编码项目") -> None:
    """Write ``records`` as one REFI-QDA project; ``codebook`` maps a competency code to (name, definition).

    The file holds personal data: it is created 0600 and replaces ``path`` whole or not at all.
    """
    now = datetime.now(UTC)
    guids = _Guids()
    sources = [_source(record, guids, now) for record in records]
    project = _project(project_name, codebook, sources, guids, now)
    write_private(path, _zip(project, sources))


# -- what is exported --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """One code one user gave to a stretch of the transcript."""

    user: str
    competency: str
    level: int
    start: int
    end: int
    when: datetime
    note: str


@dataclass
class _Source:
    guid: str
    key: str
    name: str
    text: str
    when: datetime
    description: str
    segments: list[_Segment]
    coders: list[str]


class _Guids:
    """GUIDs from stable keys: the same data gives the same GUIDs, and no key is handed out twice."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, *key: object) -> str:
        base = "/".join(str(part) for part in key)
        name, n = base, 1
        while name in self._used:
            n += 1
            name = f"{base}#{n}"
        self._used.add(name)
        return str(uuid.uuid5(_GUID_ROOT, name))


def _source(record: SessionRecord, guids: _Guids, now: datetime) -> _Source:
    key = f"session:{record.id}" if record.id is not None else f"session:{record.candidate}"
    turns = _in_turn_order(record.turns)
    text, starts = _transcript(turns)
    when = record.started_at or now
    segments: list[_Segment] = []
    finals = [c for c in final_codes(record) if c.status in (FINAL, RECONCILED)]
    for turn, start in zip(turns, starts, strict=True):
        fallback = turn.answered_at or when
        found = _engine_segments(turn, fallback)
        found += [s for coder in record.independent_coders() for s in _coder_segments(turn, coder, fallback)]
        found += [_final_segment(turn, c.competency, c.level, c.status, fallback)
                  for c in finals if c.turn == turn.order and c.level is not None]
        segments += [placed for s in found if (placed := _placed(s, turn.answer, start)) is not None]
    suffix = f"（会话 {record.id}）" if record.id is not None else ""
    return _Source(guids("source", key), key, f"{record.candidate}{suffix}", text, when,
                   _source_description(record), segments, record.coders)


def _in_turn_order(turns: Iterable[TurnRecord]) -> list[TurnRecord]:
    return sorted(turns, key=lambda t: t.order)


def _transcript(turns: Sequence[TurnRecord]) -> tuple[str, list[int]]:
    """The source text, and where each turn's answer begins in it (in code points)."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for turn in turns:
        head = f"{QUESTION_MARK}{_one_break(turn.question)}\n{ANSWER_MARK}"
        starts.append(length + len(head))
        block = f"{head}{_one_break(turn.answer)}\n\n"
        parts.append(block)
        length += len(block)
    return "".join(parts), starts


def _one_break(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_break_offset(text: str, offset: int) -> int:
    """An offset into ``text`` moved to the same place in ``_one_break(text)``."""
    return offset - text.count("\r\n", 0, offset + 1)


def _placed(segment: _Segment, answer: str, answer_start: int) -> _Segment | None:
    """The segment moved from answer offsets to transcript offsets; None when it covers nothing."""
    start = max(0, min(segment.start, len(answer)))
    end = max(start, min(segment.end, len(answer)))
    if start == end:
        start, end = 0, len(answer)
    if start == end:
        return None
    return _Segment(segment.user, segment.competency, segment.level,
                    answer_start + _one_break_offset(answer, start), answer_start + _one_break_offset(answer, end),
                    segment.when, segment.note)


def _engine_segments(turn: TurnRecord, fallback: datetime) -> list[_Segment]:
    segments = []
    for s in turn.suggestions:
        start, end = s.span if s.evidence else (0, len(turn.answer))
        matched = "、".join(dict.fromkeys(m for e in s.evidence for m in e.matched))
        note = f"置信度 {s.confidence:.2f}" + (f"；指标：{matched}" if matched else "")
        segments.append(_Segment(_ENGINE, s.competency, s.level, start, end, fallback, note))
    return segments


def _coder_segments(turn: TurnRecord, coder: str, fallback: datetime) -> list[_Segment]:
    mine = _in_order(d for d in turn.decisions if d.coder == coder and d.stage == STAGE_CODE)
    codes = coder_view(turn, coder).codes()
    return [_Segment(f"coder:{coder}", comp, level, *_span(turn, comp, mine), _when(comp, mine, fallback),
                     _memo(comp, mine))
            for comp, level in sorted(codes.items())]


def _final_segment(turn: TurnRecord, comp: str, level: int, status: str, fallback: datetime) -> _Segment:
    """A final code, placed where reconciliation marked it, else where a coder did."""
    coded = _in_order(d for d in turn.decisions if d.stage == STAGE_CODE)
    settled = _in_order(d for d in turn.decisions if d.stage == STAGE_RECONCILE)
    decisions = coded + settled  # the latest counts, and reconciliation comes after coding
    memo = _memo(comp, decisions)
    note = _STATUS_NAMES.get(status, status) + (f"：{memo}" if memo else "")
    return _Segment(_FINAL, comp, level, *_span(turn, comp, decisions), _when(comp, decisions, fallback), note)


def _in_order(decisions: Iterable[DecisionRecord]) -> list[DecisionRecord]:
    return sorted(decisions, key=lambda d: (d.decided_at is None, d.decided_at))


def _span(turn: TurnRecord, comp: str, decisions: Sequence[DecisionRecord]) -> tuple[int, int]:
    """Answer offsets of a code: the span a coder marked, else the evidence of the suggestion it
    came from (possibly under another competency), else the whole answer."""
    about = [d for d in decisions if d.result_competency == comp]
    marked = [d for d in about if d.start is not None and d.end is not None]
    if marked:
        last = marked[-1]
        return int(last.start or 0), int(last.end or 0)
    for origin in [comp, *(d.competency for d in reversed(about))]:
        suggestion = turn.suggestion(origin)
        if suggestion is not None and suggestion.evidence:
            return suggestion.span
    return 0, len(turn.answer)


def _when(comp: str, decisions: Sequence[DecisionRecord], fallback: datetime) -> datetime:
    times = [d.decided_at for d in decisions if d.result_competency == comp and d.decided_at is not None]
    return max(times, key=_utc) if times else fallback


def _memo(comp: str, decisions: Sequence[DecisionRecord]) -> str:
    memos = [d.memo for d in decisions if d.result_competency == comp and d.memo.strip()]
    return memos[-1].strip() if memos else ""


def _source_description(record: SessionRecord) -> str:
    parts = [("岗位", record.role), ("职级", record.grade), ("题库", record.bank), ("面试官", record.interviewer),
             ("备注", record.note)]
    return "；".join(f"{label}：{value}" for label, value in parts if value)


# -- project.qde -------------------------------------------------------------------------------


def _sub(parent: ET.Element, name: str, attributes: Mapping[str, str] | None = None, text: str | None = None
         ) -> ET.Element:
    element = ET.SubElement(parent, name, {k: _xml_text(v) for k, v in (attributes or {}).items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _xml_time(moment: datetime) -> str:
    """xsd:dateTime in UTC; naive datetimes are UTC, as storage keeps them."""
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _project(name: str, codebook: Mapping[str, tuple[str, str]], sources: Sequence[_Source], guids: _Guids,
             now: datetime) -> bytes:
    """The XML, its elements in Project.xsd's order: Users, CodeBook, Sources, Description."""
    users = _users(sources, guids)
    # Plain tags under an xmlns attribute: ElementTree's default_namespace refuses unprefixed attributes.
    root = ET.Element("Project", {"xmlns": NAMESPACE, "name": _xml_text(name), "origin": ORIGIN,
                                  "creatingUserGUID": users[_ENGINE][0], "creationDateTime": _xml_time(now)})
    users_element = _sub(root, "Users")
    for guid, user_name in users.values():
        _sub(users_element, "User", {"guid": guid, "name": user_name})
    codes = _codebook(root, codebook, sources, guids)
    if sources:
        sources_element = _sub(root, "Sources")
        for source in sources:
            _text_source(sources_element, source, users, codes, guids)
    _sub(root, "Description", text=f"由 {ORIGIN} 导出。用户“{ENGINE_USER}”是自动编码的建议，“{FINAL_USER}”是"
                                   "一致或协商后的最终编码，其余用户是各编码者的独立编码。代码“能力-等级”记录能力及其等级。")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _users(sources: Sequence[_Source], guids: _Guids) -> dict[str, tuple[str, str]]:
    """User key -> (guid, name): the engine, the final codes, then every coder in order of appearance."""
    users = {_ENGINE: (guids("user", _ENGINE), ENGINE_USER), _FINAL: (guids("user", _FINAL), FINAL_USER)}
    for source in sources:
        for coder in source.coders:
            key = f"coder:{coder}"
            if key not in users:
                users[key] = (guids("user", key), coder)
    return users


def _codebook(root: ET.Element, codebook: Mapping[str, tuple[str, str]], sources: Sequence[_Source],
              guids: _Guids) -> dict[tuple[str, int], str]:
    """Write the CodeBook; return (competency, level) -> GUID of the level code.

    Competencies or levels that the data uses but the codebook lacks still get a code, so that
    every coding has a code to point at.
    """
    levels: dict[str, set[int]] = {comp: set(LEVELS) for comp in codebook}
    for segment in (s for source in sources for s in source.segments):
        levels.setdefault(segment.competency, set(LEVELS)).add(segment.level)
    if not levels:
        return {}
    codes_element = _sub(_sub(root, "CodeBook"), "Codes")
    found: dict[tuple[str, int], str] = {}
    for comp in [*codebook, *sorted(c for c in levels if c not in codebook)]:
        title, definition = codebook.get(comp, ("", ""))
        code = _sub(codes_element, "Code", {"guid": guids("code", comp), "name": f"{comp} {title}".strip(),
                                            "isCodable": "true"})
        if definition:
            _sub(code, "Description", text=definition)
        for level in sorted(levels[comp]):
            found[comp, level] = guids("code", comp, level)
            child = _sub(code, "Code", {"guid": found[comp, level], "name": f"{comp}-{level}", "isCodable": "true"})
            _sub(child, "Description", text=f"{title or comp} 等级 {level}")
    return found


def _text_source(parent: ET.Element, source: _Source, users: Mapping[str, tuple[str, str]],
                 codes: Mapping[tuple[str, int], str], guids: _Guids) -> None:
    element = _sub(parent, "TextSource", {
        "guid": source.guid, "name": source.name, "plainTextPath": f"internal://{source.guid}.txt",
        "creatingUser": users[_ENGINE][0], "creationDateTime": _xml_time(source.when)})
    if source.description:
        _sub(element, "Description", text=source.description)
    for segment in source.segments:
        _selection(element, source, segment, users[segment.user][0], codes[segment.competency, segment.level], guids)


def _selection(parent: ET.Element, source: _Source, segment: _Segment, user: str, code: str, guids: _Guids) -> None:
    key = (source.key, segment.user, segment.competency, segment.level, segment.start, segment.end)
    when = _xml_time(segment.when)
    selection = _sub(parent, "PlainTextSelection", {
        "guid": guids("selection", *key), "name": _short(source.text[segment.start:segment.end]),
        "startPosition": str(segment.start), "endPosition": str(segment.end),
        "creatingUser": user, "creationDateTime": when})
    if segment.note:
        _sub(selection, "Description", text=segment.note)
    coding = _sub(selection, "Coding", {"guid": guids("coding", *key), "creatingUser": user, "creationDateTime": when})
    _sub(coding, "CodeRef", {"targetGUID": code})


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _NAME_LENGTH else flat[:_NAME_LENGTH - 1] + "…"


# -- the zip -----------------------------------------------------------------------------------


def _zip(project: bytes, sources: Sequence[_Source]) -> bytes:
    """project.qde at the root and each transcript under ``sources/`` (lowercase, as the standard names it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _member(archive, "project.qde", project)
        for source in sources:
            _member(archive, f"sources/{source.guid}.txt", source.text.encode("utf-8"))
    return buffer.getvalue()


def _member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16  # owner-only when unpacked, as the file itself
    archive.writestr(info, data)
