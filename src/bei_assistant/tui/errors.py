"""Database and file errors in the UI become one clear message, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from ..storage.db import StorageError
from ..storage.repo import NotFound

F = TypeVar("F", bound=Callable[..., Any])
EXPECTED = (SQLAlchemyError, StorageError, NotFound, OSError)


def explain(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, SQLAlchemyError):
        return f"数据库出错（{type(exc).__name__}）：{first}"
    if isinstance(exc, NotFound):
        return f"找不到：{first}"
    return first


def _reporting(method: F, close: bool) -> F:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except EXPECTED as exc:
            self.notify(explain(exc), severity="error", timeout=10)
            if close:
                self.app.call_later(self.app.pop_screen)
            return None

    return wrapper  # type: ignore[return-value]


def guarded(method: F) -> F:
    """For methods of screens and the app: report what went wrong and carry on."""
    return _reporting(method, close=False)


def closes_on_error(method: F) -> F:
    """For a screen's ``on_mount``: a session that has gone (deleted, database away) closes the
    screen with a message instead of a traceback."""
    return _reporting(method, close=True)
