"""``bei export``: JSON, CSV, XLSX, Markdown and HTML reports, and REFI-QDA (qdpx)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import exporting
from .. import sessions as svc
from ..coding import build_engine
from ..storage.db import open_database
from .output import fail, print_json, warn_all


def register_export(sub: Any) -> argparse.ArgumentParser:
    help_text = "导出访谈：json、csv、xlsx、md、html 报告或 qdpx (export sessions)"
    p = sub.add_parser("export", help=help_text, description=help_text)
    p.set_defaults(handler=run_export)
    p.add_argument("session", nargs="?", type=int, metavar="SESSION", help="the session's id")
    p.add_argument("--all", action="store_true", help="every session")
    p.add_argument("--format", required=True, choices=exporting.FORMATS)
    p.add_argument("-o", "--output", type=Path, metavar="PATH",
                   help="the file to write (standard output for text formats without it; a folder for html of several)")
    p.add_argument("--pseudonymise", "--pseudonymize", action="store_true",
                   help="replace names with stable pseudonyms and mask them in the text")
    p.add_argument("--blind", action="store_true", help="csv: leave out coders' decisions (for a second coder)")
    p.add_argument("--json", action="store_true", help="with -o: print what was written as JSON")
    return p


def run_export(args: argparse.Namespace) -> int:
    if (args.session is None) == (not args.all):
        fail("bei export: give a SESSION or --all, not both", code=2)
    if args.format in exporting.BINARY and args.output is None:
        fail(f"bei export: --format {args.format} needs -o PATH", code=2)
    db = open_database(args.db)
    ids = svc.session_ids(db, only=None if args.all else args.session)
    records = exporting.load_for_export(db, ids, args.pseudonymise)
    engine, problems = build_engine(args.rules)
    warn_all(problems)
    try:
        if args.output is None:
            sys.stdout.write(exporting.render_text(args.format, records, engine.rules, args.pseudonymise, args.blind))
            return 0
        written = exporting.write(args.format, records, engine.rules, args.output, args.pseudonymise, args.blind)
    except exporting.ExportError as exc:
        fail(f"bei export: {exc}", code=2)
    if args.json:
        print_json({"sessions": ids, "format": args.format, "files": [str(p.resolve()) for p in written]})
    else:
        for path in written:
            print(path.resolve())
    return 0
