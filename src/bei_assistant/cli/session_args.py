"""The arguments of the commands on stored sessions.

Kept apart from their handlers (``session_cmds``, ``export_cmd``) so that ``bei code`` and the
other engine commands start without loading the database layer.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..io.formats import FORMATS

Handler = Callable[[argparse.Namespace], int]


def _deferred(module: str, name: str) -> Handler:
    """The handler ``name`` of ``module``, imported when the command runs."""

    def run(args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module(f"{__package__}.{module}"), name)
        return handler(args)

    run.__name__ = name
    return run


def _add(sub: Any, name: str, help_text: str, handler: str, json_form: bool = True) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=_deferred("session_cmds", handler))
    if json_form:
        parser.add_argument("--json", action="store_true", help="machine-readable output for scripts")
    return parser


def _session_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", type=_session_id, metavar="SESSION", help="the session's id (see bei sessions)")


def _session_id(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a session id is a number from 1 (got {value!r})")
    return int(value)


def register_sessions(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "sessions", "列出访谈 (list sessions)", "run_sessions")
    p.add_argument("--role", help="only this role (corporate, retail, microloan or a Chinese name)")
    p.add_argument("--candidate", help="only candidates whose name contains this")
    p.add_argument("--status", choices=["open", "finished"], help="only open or finished sessions")
    p.add_argument("--limit", type=int, help="at most this many")
    return p


def register_show(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "show", "显示一次访谈：逐字稿、建议编码和决定 (show a session)", "run_show")
    _session_arg(p)
    return p


def register_score(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "score", "按目标画像给访谈评分 (score a session against its target profile)", "run_score")
    _session_arg(p)
    return p


def register_compare(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "compare", "比较同一岗位的候选人 (rank the candidates of one role)", "run_compare")
    p.add_argument("--role", required=True, help="corporate, retail, microloan or a Chinese name")
    return p


def register_agreement(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "agreement", "编码员之间及与引擎的一致性 (agreement between coders and the engine)",
             "run_agreement")
    _session_arg(p)
    return p


def register_review(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "review", "编码员审核建议编码 (a coder reviews the suggested codes)", "run_review")
    _session_arg(p)
    p.add_argument("--coder", required=True, help="the coder's name")
    p.add_argument("--apply", type=Path, metavar="FILE",
                   help="decisions as JSON Lines, or the CSV export with the decision and level columns filled in")
    p.add_argument("--reconcile", action="store_true",
                   help="these decisions settle the coders' disagreements and become the final codes")
    return p


def register_import(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "import", "导入外部访谈记录并编码 (import a transcript as a session, coded)", "run_import")
    p.add_argument("file", type=Path, metavar="FILE",
                   help="JSON Lines turns, a 问/答 (Q/A) text transcript, or a JSON export of this tool")
    p.add_argument("--candidate", help="the candidate's name (else from the file)")
    p.add_argument("--role", help="corporate, retail, microloan or a Chinese name (else from the file)")
    p.add_argument("--grade", help="见习, 初级, 中级, 高级 or 资深 (else from the file)")
    p.add_argument("--interviewer", help="the interviewer's name")
    p.add_argument("--question-bank", default="", metavar="ID", help="the id of the question bank used (corporate, retail, microloan)")
    p.add_argument("--progress", action="store_true", help="print 'saved N' as each turn N is committed")
    return p


def register_recode(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "recode", "用当前规则重新生成建议编码，保留编码员的决定 (recode with the current rules)",
             "run_recode")
    p.add_argument("session", nargs="?", type=_session_id, metavar="SESSION")
    p.add_argument("--all", action="store_true", help="every session")
    return p


def register_delete(sub: Any) -> argparse.ArgumentParser:
    p = _add(sub, "delete-candidate", "删除候选人及其全部数据 (delete a candidate and everything about them)",
             "run_delete")
    p.add_argument("candidate", metavar="CANDIDATE", help="the candidate's id or exact name")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return p


def register_export(sub: Any) -> argparse.ArgumentParser:
    help_text = "导出访谈：json、csv、xlsx、md、html 报告或 qdpx (export sessions)"
    p = sub.add_parser("export", help=help_text, description=help_text)
    p.set_defaults(handler=_deferred("export_cmd", "run_export"))
    p.add_argument("session", nargs="?", type=int, metavar="SESSION", help="the session's id")
    p.add_argument("--all", action="store_true", help="every session")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", type=Path, metavar="PATH",
                   help="the file to write (standard output for text formats without it; a folder for html of several)")
    p.add_argument("--pseudonymise", "--pseudonymize", action="store_true",
                   help="replace names with stable pseudonyms and mask them in the text")
    p.add_argument("--blind", action="store_true", help="csv: leave out coders' decisions (for a second coder)")
    p.add_argument("--json", action="store_true", help="with -o: print what was written as JSON")
    return p


REGISTER = [register_sessions, register_show, register_score, register_agreement, register_compare,
            register_export, register_import, register_review, register_recode, register_delete]
