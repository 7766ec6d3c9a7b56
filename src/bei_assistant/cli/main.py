"""The ``bei`` command: a bare ``bei`` opens the interview assistant, subcommands do the rest."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..io.yamlfile import LoadError
from ..storage.errors import NotFound, StorageError
from . import coding_cmds, session_args
from .output import fail


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        fail(f"{self.prog}: {message}", code=2)


def _common(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument("--rules", action="append", type=Path, metavar="PATH", default=default,
                        help="coding rules: a file or folder, may be repeated (default: the shipped rules)")
    parser.add_argument("--db", metavar="URL", default=default,
                        help="sessions database: sqlite:///FILE or postgresql://user@host:port/db "
                             "(default: BEI_DATABASE_URL, else sessions/bei.sqlite3)")
    parser.add_argument("--bank", action="append", type=Path, metavar="PATH", default=default,
                        help="question banks: a file or folder, may be repeated (default: the shipped banks)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bei", description="行为事件访谈（BEI）助手 — bank customer manager competency interviews")
    _common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for register in [*coding_cmds.REGISTER, *session_args.REGISTER]:
        cmd = register(sub)
        # SUPPRESS: a subcommand without --rules keeps what was given before it (bei --rules X code)
        _common(cmd, argparse.SUPPRESS)
    return parser


def _open_ui(args: argparse.Namespace) -> int:
    """A bare ``bei`` opens the interview assistant (the terminal UI)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("bei: the interview assistant needs a terminal; see bei --help for the commands", code=2)
    from ..tui.app import run

    return run(args.db, args.rules, args.bank)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _open_ui
    try:
        return int(handler(args) or 0)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except (StorageError, NotFound) as exc:
        print(f"bei: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (bei code … | head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the last guard: one line, never a traceback
        if os.environ.get("BEI_DEBUG"):
            raise
        print(f"bei: unexpected error: {type(exc).__name__}: {exc} (set BEI_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
