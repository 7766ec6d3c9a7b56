"""Stable pseudonyms for exports: the same person gets the same pseudonym in every export.

A keyed hash (HMAC) of the name with a secret kept in the database: stable, and not
reversible by someone who only has the export.
"""

from __future__ import annotations

import hashlib
import hmac
from copy import deepcopy

from .records import SessionRecord

PREFIXES = {"candidate": "候选人", "interviewer": "面试官", "coder": "编码员"}


def pseudonym(name: str, kind: str, secret: str) -> str:
    if not name:
        return name
    digest = hmac.new(secret.encode(), f"{kind}:{name}".encode(), hashlib.sha256).hexdigest()
    return f"{PREFIXES.get(kind, kind)}-{digest[:6].upper()}"


def _masked(text: str, names: list[str]) -> str:
    # same length, so that evidence offsets into the answer stay right
    for name in names:
        text = text.replace(name, "某" * len(name))
    return text


def pseudonymise(record: SessionRecord, secret: str) -> SessionRecord:
    """A copy with names replaced by pseudonyms, and their mentions in the text masked."""
    out = deepcopy(record)
    people = [record.candidate, record.interviewer, *record.coders]
    names = sorted({n for n in people if len(n) >= 2}, key=len, reverse=True)
    out.candidate = pseudonym(record.candidate, "candidate", secret)
    out.interviewer = pseudonym(record.interviewer, "interviewer", secret)
    out.note = _masked(out.note, names)
    for turn in out.turns:
        turn.question, turn.answer, turn.note = (_masked(t, names) for t in (turn.question, turn.answer, turn.note))
        for s in turn.suggestions:
            for e in s.evidence:
                e.text = _masked(e.text, names)
        for d in turn.decisions:
            d.coder = pseudonym(d.coder, "coder", secret)
            d.memo = _masked(d.memo, names)
    return out
