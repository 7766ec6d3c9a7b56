"""Normalisation keeps offsets into what the interviewer typed."""

import pytest

from bei_assistant.core.numbers import mask_numbers
from bei_assistant.core.text import Normaliser, split_clauses

NORMALISER = Normaliser({"代款": "贷款", "征心": "征信"}, ["那个那个", "就是说"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ，１２３", "abc,#"),  # full-width letters, comma and digits
        ("他們說：好的", "他们说:好的"),  # traditional → simplified
        ("我我我去了", "我去了"),  # stutter
        ("就是就是我去了", "就是我去了"),  # repeated unit
        ("嗯，我查了征心", ",我查了征信"),  # filler and homophone typo
        ("他放了代款", "他放了贷款"),
        ("看看谢谢", "看看谢谢"),  # reduplicated words stay
        ("唔抵", "唔抵"),  # Cantonese 唔 is a negation, not a filler
    ],
)
def test_normalise(raw, expected):
    assert NORMALISER.normalise(raw).text == expected


def test_offsets_point_into_the_original():
    raw = "嗯，那次我我去他廠裡，看了３０多台設備。"
    norm = NORMALISER.normalise(raw)
    start = norm.text.index("去他厂里")
    a, b = norm.span(start, start + 4)
    assert raw[a:b] == "去他廠裡"
    k = norm.text.index("#")
    a, b = norm.span(k, k + 1)
    assert raw[a:b] == "３０"


@pytest.mark.parametrize(
    ("text", "masked"),
    [("三个月新增50户", "三个月新增#户"), ("万一他跑了", "万一他跑了"), ("百分之二十", "#"), ("一下", "一下"), ("两千万", "#")],
)
def test_numbers(text, masked):
    assert mask_numbers(text)[0] == masked


def test_clauses_split_on_punctuation_and_transcript_spaces():
    text = "我去了他厂里,看了设备。他说没问题 我又查了电表"
    pieces = [c.slice(text) for c in split_clauses(text)]
    assert pieces == ["我去了他厂里", "看了设备", "他说没问题", "我又查了电表"]
    sentences = [c.sentence for c in split_clauses(text)]
    assert sentences == [0, 0, 1, 1]


def test_phrase_placeholder():
    assert NORMALISER.phrase("要做到{数}户") == "要做到#户"
