"""The coding engine on a parametrised corpus of tricky inputs (small test rules)."""

import pytest

from conftest import codes
from tricky import TRICKY_ANSWERS


def code(engine, text, question=None):
    return engine.code(text, question)


# (answer, expected codes) — each case is one BEI rule the engine must keep.
CASES = [
    # plain past, first-person behaviour
    ("去年我上门看了他的仓库。", {"INFO": 2}),
    # fuzzy: one typo in a long phrase, an inserted word, traditional characters, full width
    ("那次我實地查看了他的廠房。", {"INFO": 2}),
    ("那次我去现场仔细看了。", {"INFO": 2}),
    ("那次我 跑到 他们那个厂里 看了一圈", {"INFO": 2}),
    # A…B across a clause
    ("那次我跑到他们家，又去厂里看了。", {"INFO": 2}),
    # negation cancels; 不仅 is not a negation
    ("那次我没有上门，就在电话里问了问。", {"INFO": 1}),
    ("那次我不仅上门了，还打听了一下邻居。", {"INFO": 2}),
    # hypothetical, habitual and opinion are not coded
    ("如果客户不配合，我会上门看看。", {}),
    ("我一般都会先上门，平时就是这样。", {}),
    # only "we" is not the speaker's behaviour; 我们 then the speaker's own action is
    ("我们团队上门看了，我们行很重视。", {}),
    ("那次我们两个一起去的，我上门看了他的仓库。", {"INFO": 2}),
    # what the client did is not the speaker's behaviour
    ("那次客户上门来找我。", {}),
    # count rule: several channels; one channel twice is still one
    ("那次我查了他的征信，又问了邻居，看了水电。", {"INFO": 4}),
    ("那次我查了征信，后来又查了一次征信。", {}),
    # numbers: a quantified goal is ACH 4
    ("去年我给自己定了一个年底要做到50户的目标。", {"ACH": 4}),
    ("去年我给自己定了一个年底要做到五十户的目标。", {"ACH": 4}),
    # weights: half-weight evidence alone is not enough, with another cue it is
    ("那次我想了想投入和产出。", {}),
    ("那次我算了一笔账，投入和产出都算了。", {"ACH": 5}),
    # actor: any — what the client did for the speaker
    ("那次王总给我介绍了他的两个朋友。", {"RB": 5}),
    # exclusion: a false friend cancels its clause
    ("那次我上门看了客户自己提供的材料。", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_tricky_inputs(small_engine, text, expected):
    assert codes(code(small_engine, text)) == expected


def test_evidence_points_at_the_answer(small_engine):
    text = "嗯，去年我我上門看了他的倉庫。"
    result = code(small_engine, text)
    (info,) = result.codes
    ev = info.evidence[0]
    assert text[ev.start : ev.end] == ev.text == "上門"
    assert ev.matched == ["上门"]
    assert 0 < info.confidence < 1


def test_highest_supported_level_wins(small_engine):
    result = code(small_engine, "那次我上门看了，又交叉核实了一遍。")
    assert codes(result) == {"INFO": 4}
    assert set(result.codes[0].level_support) == {2, 4}


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("如果遇到这种客户，我会先上门看看，再查查征信。", "hypothetical"),
        ("我一般都是先打电话，平时客户有事也会找我。", "generic"),
        ("我们团队上门看了，我们又查了征信。", "collective"),
    ],
)
def test_flags(small_engine, text, flag):
    result = code(small_engine, text)
    assert flag in result.flags
    assert result.codes == []
    assert result.probes and result.flag_evidence[flag]


def test_a_real_event_is_not_flagged(small_engine):
    result = code(small_engine, "去年三月我上门看了他的仓库，发现货不多。")
    assert result.flags == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("去年领导让我去核实，我上门看了他的仓库，最后批了三十万。", ""),
        ("我上门看了他的仓库。", "STR"),
        ("去年有个客户，想贷款。", "TAR"),
    ],
)
def test_star(small_engine, text, missing):
    result = code(small_engine, text)
    assert "".join(result.missing_star) == missing
    assert len(result.probes) == len(missing)


def test_negated_segment_of_mei_shou_dao(small_engine):
    """没收到 is 没 + 收到: the speaker's 我 stays its own token, 没 negates."""
    tokens = [t.word for t in small_engine.segmenter.tokens("我没收到回复")]
    assert tokens[:2] == ["我", "没"]


def test_question_gives_a_boost_only_with_evidence(small_engine):
    plain = code(small_engine, "那次我算了一笔账。").codes[0].score
    asked = code(small_engine, "那次我算了一笔账。", "讲一次你做得更好的经历").codes[0].score
    assert asked > plain
    assert codes(code(small_engine, "那天天气很好。", "讲一次你做得更好的经历")) == {}


def test_output_format(small_engine):
    data = small_engine.code("去年我上门看了。", None, "a-1").to_dict()
    assert set(data) == {"id", "codes", "flags", "star"}
    assert set(data["codes"][0]) == {"competency", "level", "confidence", "evidence"}
    assert set(data["codes"][0]["evidence"][0]) == {"start", "end", "text", "matched"}
    assert set(data["star"]) == set("STAR")


@pytest.mark.parametrize("text", ["", "   ", "。。。", "？", "a" * 5000, "😀" * 20, "\x00\x01", "……"])
def test_odd_inputs_do_not_crash(small_engine, text):
    result = small_engine.code(text)
    assert result.codes == [] or all(c.evidence for c in result.codes)


def test_registered_phrases_keep_speaker_and_negator_tokens(small_engine):
    """Registered indicator phrases never swallow 我 or 没, which the actor and negation rules need."""
    from bei_assistant.core.segment import registrable

    assert registrable("我感觉") == "感觉"
    assert registrable("没跟他争") is None  # nothing worth a word before the person
    assert registrable("第二次我就") == "第二次"  # a person inside stays a word of its own
    assert registrable("约了他") == "约了"
    assert registrable("{数}户") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("那次我查了一下，主要是上门看了他的仓库。", {"INFO": 2}),  # 要是 inside 主要是 is no hypothetical
        ("那次我准备了材料，上门看了他的仓库。", {"INFO": 2}),  # 准备了: done, not planned
        ("那次我原来打算打电话，结果还是上门看了。", {"INFO": 2}),  # an intention does not hold the sentence
    ],
)
def test_cues_respect_words_and_aspect(small_engine, text, expected):
    assert codes(code(small_engine, text)) == expected


@pytest.mark.parametrize("answer", TRICKY_ANSWERS)
def test_tricky_answers_code_without_error(shipped_engine, answer):
    result = shipped_engine.code(answer, "请讲一件具体的事。")
    for code in result.codes:
        for e in code.evidence:
            assert 0 <= e.start < e.end <= len(answer) and answer[e.start:e.end] == e.text


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        # what someone is quoted as saying does not make the speaker's story hypothetical or a habit
        ("那次客户说“如果批不下来我就换一家”，我上门看了他的仓库。", None, {"INFO": 2}),
        ("那次他说'我每次都按时还'，我上门看了他的仓库。", None, {"INFO": 2}),
        # asked for a view, but the speaker tells what they did: an event, not an opinion
        ("我上门看了他的仓库，货比报表上少一半。", "你觉得问题出在哪？", {"INFO": 2}),
        # a probe about the event already told (你当时怎么看) is not a question of opinion
        ("我上门看了他的仓库。", "你当时是怎么看出来的？", {"INFO": 2}),
        # no subject, someone else the object: the speaker acts (跟他约了), not the client
        ("那次客户一直不肯来，跟他约了时间，上门看了他的仓库。", None, {"INFO": 2}),
        # 但我 glued into one word is still the speaker
        ("那次我们组里去了三个人，但我上门看了他的仓库。", None, {"INFO": 2}),
        # what the speaker found out (我一查，他…) is his evidence, though the client is its subject
        ("那次我一查，他征信有三笔逾期，水电费也欠了两个月。", None, {"INFO": 4}),
        # ... of his looking into things (INFO), not of his relating to people (RB)
        ("那次我一看，他正跟隔壁老板拉家常，征信和水电都有问题。", None, {"INFO": 4}),
        # a registered phrase holding the speaker (第二次我就) does not hide him
        ("第二次我就上门看了他的仓库。", None, {"INFO": 2}),
        # a habit of someone else (他们总是…) does not make the speaker's next act a habit
        ("那次他们总是拖着不签，我就上门看了他的仓库。", None, {"INFO": 2}),
        # a worry the speaker had then (担心万一…) is no hypothetical, nor what he did about it
        ("我当时担心万一他报表有假，就上门看了他的仓库。", None, {"INFO": 2}),
    ],
)
def test_reading_the_speaker_and_the_event(small_engine, text, question, expected):
    result = code(small_engine, text, question)
    assert result.flags == []
    assert codes(result) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the boss or mentor just named goes on acting on the client: not the speaker's behaviour
        "那次我们行长亲自出来，跟他问了问情况，又带他上门看了仓库。",
        "那次师傅出来，跟他打听了一下，又带他上门看了仓库。",
        # a time marker before the subject (去年他…) does not hide that someone else acts
        "去年他们上门看了我们的仓库。",
        # 我师傅 is the speaker's mentor, not the speaker
        "那次我师傅上门看了他的仓库，又实地查看了他们的厂子。",
    ],
)
def test_what_someone_else_does_is_not_coded(small_engine, text):
    assert codes(code(small_engine, text)) == {}


def test_a_plan_is_not_behaviour_until_a_turn_in_the_sentence(small_engine):
    planned = "那次我想着上门看看他的仓库，再去实地查看一下他们的厂子，但后来太忙就算了。"
    assert codes(code(small_engine, planned)) == {}
    done = "那次我本来想打个电话算了，结果还是上门看了他的仓库，又实地查看了他们的厂子。"
    assert codes(code(small_engine, done)) == {"INFO": 2}


@pytest.mark.parametrize("text", ["如果他报表有假，我会上门看他的仓库。", "哪怕万一他报表有假，我也会上门看他的仓库。"])
def test_a_hypothetical_without_a_worry_stays_hypothetical(small_engine, text):
    result = code(small_engine, text)
    assert result.flags == ["hypothetical"] and codes(result) == {}


def test_view_question_without_any_event_is_still_generic(small_engine):
    result = code(small_engine, "上门看仓库很重要，要看得仔细。", "你觉得怎样做好贷前调查？")
    assert result.flags == ["generic"]


@pytest.mark.parametrize(
    ("support", "level"),
    [
        # (the test cues count a level as supported from 0.75, the floor is 0.3)
        ({2: 0.7, 4: 0.5}, 4),  # nothing supported: the highest level with some weight
        ({2: 0.7, 4: 0.2}, 2),  # a whisper of level 4 is ignored
        ({1: 0.1, 3: 0.2}, 3),  # all whispers: the strongest
        ({2: 1.0, 5: 0.4}, 2),  # a supported level wins over weaker higher ones
    ],
)
def test_level_choice_without_full_support(small_engine, support, level):
    assert small_engine._choose_level(support, "INFO") == level
