"""``bei export``: JSON, CSV, XLSX, Markdown and HTML reports, and REFI-QDA (qdpx)."""

from __future__ import annotations

import argparse
import sys

from .. import exporting
from .. import sessions as svc
from ..coding import build_engine
from ..io.formats import BINARY
from ..storage.db import open_database
from .output import fail, print_json, warn_all


def run_export(args: argparse.Namespace) -> int:
    if (args.session is None) == (not args.all):
        fail("bei export: give a SESSION or --all, not both", code=2)
    if args.format in BINARY and args.output is None:
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
