"""Exports of stored sessions in every format, for the CLI and the terminal UI alike."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine as Database

from . import sessions as svc
from .core.model import RuleSet
from .core.pseudonym import pseudonymise
from .core.records import SessionRecord
from .io import session_json, tables
from .io.formats import FORMATS
from .io.private import write_private


class ExportError(ValueError):
    """An export that cannot be made as asked (said in one line)."""


def load_for_export(db: Database, ids: Sequence[int], pseudonymised: bool = False) -> list[SessionRecord]:
    records = svc.load_many(db, ids)
    if pseudonymised:
        secret = svc.pseudonym_secret(db)
        records = [pseudonymise(r, secret) for r in records]
    return records


def render_text(fmt: str, records: Sequence[SessionRecord], rules: RuleSet, pseudonymised: bool = False,
                blind: bool = False) -> str:
    """json, csv or md of any number of sessions; html of one."""
    names = rules.names()
    if fmt == "json":
        return session_json.dumps(records)
    if fmt == "csv":
        return tables.to_csv(records, names, blind=blind)
    from .io import report

    inputs = [report_input(r, rules, pseudonymised) for r in records]
    if fmt == "md":
        return "\n\n---\n\n".join(report.render_markdown(r) for r in inputs)
    if fmt == "html":
        if len(inputs) != 1:
            raise ExportError("an html report is of one session: give a folder for several")
        return report.render_html(inputs[0])
    raise ExportError(f"{fmt} is not a text format")


def write(fmt: str, records: Sequence[SessionRecord], rules: RuleSet, path: Path, pseudonymised: bool = False,
          blind: bool = False) -> list[Path]:
    """Write the export to ``path`` (a folder for html of several sessions); returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "xlsx":
        tables.write_xlsx(path, [(r, svc.score_record(r, rules).score) for r in records], rules.names())
    elif fmt == "qdpx":
        from .io import qdpx

        codebook = {code: (comp.name, comp.definition) for code, comp in rules.competencies.items()}
        qdpx.write_qdpx(records, codebook, path)
    elif fmt == "html" and len(records) > 1:
        return _html_per_session(path, records, rules, pseudonymised)
    else:
        write_private(path, render_text(fmt, records, rules, pseudonymised, blind))
    return [path]


def _html_per_session(folder: Path, records: Sequence[SessionRecord], rules: RuleSet, pseudonymised: bool
                      ) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for record in records:
        path = folder / f"session-{record.id}.html"
        write_private(path, render_text("html", [record], rules, pseudonymised))
        written.append(path)
    return written


def report_input(record: SessionRecord, rules: RuleSet, pseudonymised: bool = False):  # type: ignore[no-untyped-def]
    from .io.report import ReportInput

    scored = svc.score_record(record, rules)
    return ReportInput(record, scored.score, scored.codes, rules.names(),
                       rules.profiles.roles.get(record.role, record.role), pseudonymised)


def default_path(folder: Path, session_ids: Sequence[int], fmt: str) -> Path:
    name = f"session-{session_ids[0]}" if len(session_ids) == 1 else "sessions"
    return folder / (name if fmt == "html" and len(session_ids) > 1 else f"{name}.{fmt}")
