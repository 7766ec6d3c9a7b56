"""Where the shipped question banks and coding rules are, and where user data goes."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
# A checkout keeps them at the top of the repository; a wheel carries them in the package.
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent.parent)


def home() -> Path | None:
    value = os.environ.get("BEI_HOME")
    return Path(value).expanduser() if value else None


def shipped(name: str) -> Path:
    """The folder ``name`` (``coding_rules`` or ``question_banks``): BEI_HOME's, else the shipped one."""
    user = home()
    if user is not None and (user / name).is_dir():
        return user / name
    for base in _CANDIDATES:
        if (base / name).is_dir():
            return base / name
    return _CANDIDATES[0] / name


def default_rules() -> Path:
    return shipped("coding_rules")


def default_banks() -> Path:
    return shipped("question_banks")


def sessions_dir() -> Path:
    """User data: BEI_HOME/sessions, else ./sessions of the working folder."""
    user = home()
    return (user / "sessions") if user is not None else Path.cwd() / "sessions"
