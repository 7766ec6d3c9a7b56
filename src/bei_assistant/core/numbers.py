"""Numbers in answers and the ``{数}`` placeholder of indicator phrases.

Quantities are what separate an ACH 4 goal (三个月新增50户) from ACH 3, so every run of a
number (Arabic or Chinese numerals, percentages) is collapsed into one ``#`` before
matching, and ``{数}`` in a phrase becomes the same ``#``.
"""

from __future__ import annotations

import re

NUMBER_MARK = "#"
PLACEHOLDER = "{数}"

_CN = "零一二两三四五六七八九十百千万亿点"
NUMBER_RE = re.compile(
    r"[0-9][0-9.,]*(?:%|[十百千万亿]+)?"
    rf"|百分之[{_CN}0-9]+"
    rf"|[零一二两三四五六七八九十几][{_CN}]*[十百千万亿][{_CN}]*"
    rf"|十[{_CN}]*"
    r"|[一二两三四五六七八九几]成"
)


def mask_numbers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Collapse number runs into ``#``.

    Returns the masked text and, per masked character, the ``[start, end)`` it covers in ``text``.
    """
    out: list[str] = []
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in NUMBER_RE.finditer(text):
        out.append(text[pos : m.start()])
        bounds.extend((k, k + 1) for k in range(pos, m.start()))
        out.append(NUMBER_MARK)
        bounds.append((m.start(), m.end()))
        pos = m.end()
    out.append(text[pos:])
    bounds.extend((k, k + 1) for k in range(pos, len(text)))
    return "".join(out), bounds


def mask_phrase(phrase: str) -> str:
    """Mask a phrase as answers are masked; ``{数}`` becomes the number mark."""
    parts = phrase.split(PLACEHOLDER)
    return NUMBER_MARK.join(mask_numbers(p)[0] for p in parts)
