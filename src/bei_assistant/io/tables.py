"""The CSV and XLSX exports: one row per coded span, with the answer text beside it.

The CSV doubles as a coding sheet: a coder fills in the ``decision`` and ``level`` columns in
Excel and brings it back with ``bei review SESSION --coder NAME --apply FILE``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.records import SessionRecord, SuggestionRecord, TurnRecord
from ..core.result import FLAG_NAMES
from ..core.review import FinalCode, final_codes
from ..core.scoring import SessionScore
from .private import write_private

CODE_COLUMNS = ["session", "candidate", "turn", "question", "answer", "competency", "name", "suggested_level",
                "confidence", "final_level", "status", "start", "end", "evidence", "matched",
                "decision", "level", "new_competency", "memo"]


@dataclass
class CodeRow:
    values: dict[str, object]

    def cells(self) -> list[object]:
        return [_inert(self.values.get(c, "")) for c in CODE_COLUMNS]


def _inert(value: object) -> object:
    """Text that Excel would run as a formula (=, +, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@"):
        return "'" + value
    return value


def code_rows(record: SessionRecord, names: Mapping[str, str], blind: bool = False) -> list[CodeRow]:
    """A row per (turn, competency) the engine suggested or the coders settled on.

    ``blind`` leaves out what coders decided, for a second coder who codes independently.
    """
    finals: dict[tuple[int, str], FinalCode] = {} if blind else {
        (c.turn, c.competency): c for c in final_codes(record)}
    rows = []
    for turn in record.turns:
        comps = [s.competency for s in turn.suggestions]
        comps += sorted(c for t, c in finals if t == turn.order and c not in comps)
        rows += [_row(record, turn, comp, finals.get((turn.order, comp)), names) for comp in comps]
    return rows


def _row(record: SessionRecord, turn: TurnRecord, comp: str, final: FinalCode | None,
         names: Mapping[str, str]) -> CodeRow:
    suggestion = turn.suggestion(comp)
    start, end = suggestion.span if suggestion else _added_span(turn, comp)
    return CodeRow({
        "session": record.id, "candidate": record.candidate, "turn": turn.order, "question": turn.question,
        "answer": turn.answer, "competency": comp, "name": names.get(comp, ""),
        "suggested_level": suggestion.level if suggestion else "",
        "confidence": round(suggestion.confidence, 2) if suggestion else "",
        "final_level": final.level if final and final.level is not None else "",
        "status": final.status if final else _status_without_code(turn, comp, suggestion),
        "start": start, "end": end, "evidence": turn.answer[start:end] if end > start else "",
        "matched": "；".join(m for e in (suggestion.evidence if suggestion else []) for m in e.matched),
        "decision": "", "level": _prefilled_level(final, suggestion),
        "new_competency": "", "memo": "",
    })


def _status_without_code(turn: TurnRecord, comp: str, suggestion: SuggestionRecord | None) -> str:
    if suggestion is None:
        return ""
    return "rejected" if any(d.competency == comp for d in turn.decisions) else "unreviewed"


def _prefilled_level(final: FinalCode | None, suggestion: SuggestionRecord | None) -> int | str:
    if final and final.level:
        return final.level
    return suggestion.level if suggestion else ""


def _added_span(turn: TurnRecord, comp: str) -> tuple[int, int]:
    for d in reversed(turn.decisions):
        if d.result_competency == comp and d.start is not None and d.end is not None:
            return d.start, d.end
    return 0, 0


def to_csv(records: Sequence[SessionRecord], names: Mapping[str, str], blind: bool = False) -> str:
    """UTF-8 with a BOM, so that Excel shows the Chinese text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CODE_COLUMNS)
    for record in records:
        writer.writerows(row.cells() for row in code_rows(record, names, blind))
    return "\ufeff" + out.getvalue()


def write_xlsx(path: Path, scored: Sequence[tuple[SessionRecord, SessionScore]], names: Mapping[str, str]) -> None:
    """Sheets for the transcript, the codes and the scores."""
    from openpyxl import Workbook  # imported only for this export: it is slow to load

    book = Workbook()
    transcript = book.active
    transcript.title = "逐字稿"
    transcript.append(["session", "candidate", "turn", "question", "answer", "flags", "S", "T", "A", "R", "note"])
    codes = book.create_sheet("编码")
    codes.append(CODE_COLUMNS)
    scores = book.create_sheet("评分")
    scores.append(["session", "candidate", "role", "grade", "competency", "name", "frequency", "max_level",
                   "mean_level", "unreviewed", "disputed", "target", "gap", "weight"])
    for record, score in scored:
        for turn in record.turns:
            transcript.append([record.id, record.candidate, turn.order, _inert(turn.question), _inert(turn.answer),
                               "、".join(FLAG_NAMES.get(f, f) for f in turn.flags),
                               *("✓" if turn.star.get(k) else "" for k in "STAR"), turn.note])
        for row in code_rows(record, names):
            codes.append(row.cells())
        for r in score.rows:
            scores.append([record.id, record.candidate, score.role, score.grade, r.competency,
                           names.get(r.competency, ""), r.frequency, r.max_level,
                           None if r.mean_level is None else round(r.mean_level, 2), r.unreviewed, r.disputed,
                           r.target, r.gap, r.weight])
    buffer = io.BytesIO()
    book.save(buffer)
    write_private(path, buffer.getvalue())
