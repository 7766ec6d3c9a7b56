from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Compiled engines of the tests go to a folder of their own, never the user's cache.
os.environ.setdefault("BEI_CACHE_DIR", tempfile.mkdtemp(prefix="bei-test-cache-"))

from bei_assistant.coding import build_engine

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def small_engine():
    """An engine on the small test rules (INFO, ACH, RB and the shipped cues)."""
    engine, problems = build_engine([FIXTURES / "rules"])
    assert not [p for p in problems if "profiles" not in str(p)], problems
    return engine


@pytest.fixture(scope="session")
def shipped_engine():
    engine, problems = build_engine(None)
    assert not problems, problems
    return engine


def codes(result) -> dict[str, int]:
    return {c.competency: c.level for c in result.codes}
