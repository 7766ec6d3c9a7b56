"""``bei export``: JSON, CSV, XLSX, Markdown and HTML reports, and REFI-QDA (qdpx)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import sessions as svc
from ..coding import build_engine
from ..core.model import RuleSet
from ..core.pseudonym import pseudonymise
from ..core.records import SessionRecord
from ..io import session_json, tables
from ..io.private import write_private
from ..storage.db import open_database
from .output import fail, warn_all

if TYPE_CHECKING:
    from ..io.report import ReportInput

FORMATS = ("json", "csv", "xlsx", "md", "html", "qdpx")
BINARY = ("xlsx", "qdpx")


def register_export(sub: Any) -> argparse.ArgumentParser:
    help_text = "导出访谈：json、csv、xlsx、md、html 报告或 qdpx (export sessions)"
    p = sub.add_parser("export", help=help_text, description=help_text)
    p.set_defaults(handler=run_export)
    p.add_argument("session", nargs="?", type=int, metavar="SESSION", help="the session's id")
    p.add_argument("--all", action="store_true", help="every session")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", type=Path, metavar="PATH",
                   help="the file to write (standard output for text formats without it)")
    p.add_argument("--pseudonymise", "--pseudonymize", action="store_true",
                   help="replace names with stable pseudonyms and mask them in the text")
    p.add_argument("--blind", action="store_true", help="csv: leave out coders' decisions (for a second coder)")
    return p


def run_export(args: argparse.Namespace) -> int:
    if (args.session is None) == (not args.all):
        fail("bei export: give a SESSION or --all, not both", code=2)
    if args.format in BINARY and args.output is None:
        fail(f"bei export: --format {args.format} needs -o PATH", code=2)
    db = open_database(args.db)
    records = svc.load_many(db, svc.session_ids(db, only=None if args.all else args.session))
    if args.pseudonymise:
        secret = svc.pseudonym_secret(db)
        records = [pseudonymise(r, secret) for r in records]
    engine, problems = build_engine(args.rules)
    warn_all(problems)
    _write(args, records, engine.rules)
    return 0


def _write(args: argparse.Namespace, records: list[SessionRecord], rules: RuleSet) -> None:
    names = {code: comp.name for code, comp in rules.competencies.items()}
    fmt, out = args.format, args.output
    if fmt == "xlsx":
        tables.write_xlsx(out, [(r, svc.score_record(r, rules).score) for r in records], names)
    elif fmt == "qdpx":
        from ..io import qdpx

        codebook = {code: (comp.name, comp.definition) for code, comp in rules.competencies.items()}
        qdpx.write_qdpx(records, codebook, out)
    elif fmt == "html" and len(records) > 1:
        _html_per_session(out, records, rules, args.pseudonymise)
        return
    else:
        _emit(out, _text(fmt, records, rules, names, args))
        return
    print(out.resolve(), file=sys.stderr)


def _text(fmt: str, records: list[SessionRecord], rules: RuleSet, names: dict[str, str],
          args: argparse.Namespace) -> str:
    if fmt == "json":
        return session_json.dumps(records)
    if fmt == "csv":
        return tables.to_csv(records, names, blind=args.blind)
    from ..io import report

    reports = [_report_input(r, rules, args.pseudonymise) for r in records]
    if fmt == "md":
        return "\n\n---\n\n".join(report.render_markdown(r) for r in reports)
    return report.render_html(reports[0]) if reports else ""


def _report_input(record: SessionRecord, rules: RuleSet, pseudonymised: bool) -> ReportInput:
    from ..io import report

    scored = svc.score_record(record, rules)
    return report.ReportInput(record, scored.score, scored.codes,
                              {c: comp.name for c, comp in rules.competencies.items()},
                              rules.profiles.roles.get(record.role, record.role), pseudonymised)


def _html_per_session(out: Path | None, records: list[SessionRecord], rules: RuleSet, pseudonymised: bool) -> None:
    if out is None:
        fail("bei export: html of several sessions needs -o FOLDER (one report per session)", code=2)
    from ..io import report

    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    for record in records:
        path = out / f"session-{record.id}.html"
        write_private(path, report.render_html(_report_input(record, rules, pseudonymised)))
        print(path.resolve(), file=sys.stderr)


def _emit(out: Path | None, content: str) -> None:
    if out is None:
        sys.stdout.write(content)
        return
    write_private(out, content)
    print(out.resolve(), file=sys.stderr)
