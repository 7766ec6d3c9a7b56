"""A compiled engine kept on disk, so that a command starts faster than jieba alone.

The key is a digest of the program's version and of every rule file's path and bytes: any
edit of a rule file builds a new engine.  A cache that cannot be read or written is simply
not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

import jieba

from .. import __version__
from ..core.engine import Engine
from .rules import yaml_files
from .yamlfile import Problem

_FORMAT = 2  # 2: the engine carries jieba's dictionary with the registered phrases


def cache_dir() -> Path:
    if os.environ.get("BEI_CACHE_DIR"):
        return Path(os.environ["BEI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bei-assistant"


def _code_stamp() -> str:
    """The engine's own code, by file size and time: a changed engine never loads a stale pickle."""
    core = Path(__file__).resolve().parent.parent / "core"
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(core.glob("*.py")))


def cache_key(paths: Sequence[Path]) -> str | None:
    files, _ = yaml_files(paths)
    digest = hashlib.sha256(f"{__version__}/{_FORMAT}/{_code_stamp()}/jieba {jieba.__version__}".encode())
    for path in files:
        try:
            digest.update(str(path.resolve()).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            return None  # an unreadable file: build without the cache and report it
    return digest.hexdigest()[:24]


def load(key: str) -> tuple[Engine, list[Problem]] | None:
    try:
        with (cache_dir() / f"engine-{key}.pickle").open("rb") as stream:
            engine, problems = pickle.load(stream)  # noqa: S301 - our own file, in the user's cache
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return (engine, problems) if isinstance(engine, Engine) else None


def save(key: str, engine: Engine, problems: list[Problem]) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".engine-")  # created 0600
        with os.fdopen(fd, "wb") as stream:
            pickle.dump((engine, problems), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"engine-{key}.pickle")
        for old in folder.glob("engine-*.pickle"):
            if old.name != f"engine-{key}.pickle" and old.stat().st_mtime < (folder / f"engine-{key}.pickle").stat().st_mtime - 86400 * 30:
                old.unlink(missing_ok=True)
    except OSError:
        return
