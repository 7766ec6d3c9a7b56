"""What the terminal UI works on: the database, the engine and the question banks.

Plain Python, loaded off the UI thread; the screens read it and call the session services.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine as Database

from ..coding import build_engine
from ..core.bank import Bank
from ..core.engine import Engine
from ..core.model import RuleSet
from ..io.banks import load_banks
from ..io.paths import default_banks, sessions_dir
from ..io.yamlfile import LoadError
from ..storage.db import StorageError, database_url, normalise_url, open_database, shown


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workspace:
    db_url: str | None = None
    rule_paths: Sequence[Path] | None = None
    bank_paths: Sequence[Path] | None = None
    clock: Callable[[], float] = time.monotonic  # for timers; tests pass a fixed one
    db: Database | None = None
    engine: Engine | None = None
    banks: dict[str, Bank] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    exports: Path = field(default_factory=lambda: sessions_dir() / "exports")

    @property
    def rules(self) -> RuleSet:
        assert self.engine is not None, "rules are read after the workspace has loaded"
        return self.engine.rules

    @property
    def ready(self) -> bool:
        return self.db is not None and self.engine is not None

    def where(self) -> str:
        try:
            return shown(normalise_url(database_url(self.db_url)))
        except StorageError as exc:
            return str(exc)

    def load(self) -> None:
        """Open the database, then the rules and banks; a failure is kept as one message."""
        try:
            self.db = open_database(self.db_url)
        except StorageError as exc:
            self.error = f"数据库无法使用：{exc}"
            return
        try:
            self.engine, problems = build_engine(self.rule_paths)
        except LoadError as exc:
            self.error = "编码规则无法加载：\n" + "\n".join(map(str, exc.problems[:10]))
            return
        self.warnings += [str(p) for p in problems]
        banks, problems = load_banks(list(self.bank_paths or [default_banks()]), set(self.rules.competencies),
                                     set(self.rules.profiles.roles) or None)
        self.banks = banks
        self.warnings += [str(p) for p in problems]

    def bank_for(self, role: str) -> Bank | None:
        return next((b for b in self.banks.values() if b.role == role), None)

    def names(self) -> dict[str, str]:
        return self.rules.names()
