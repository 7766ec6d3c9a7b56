"""Learning indicators from a small coded set."""

from bei_assistant.coding import evaluate, learn_from, read_gold, with_learned
from bei_assistant.core.engine import Engine
from bei_assistant.core.learn import LearnSettings, candidate_phrases
from bei_assistant.io.learned import learned_yaml
from bei_assistant.io.rules import load_rules
from conftest import FIXTURES


def test_candidates_skip_stopwords():
    found = candidate_phrases([["我", "查", "了", "电表"], ["然后", "我们"]])
    assert "电表" in found and "了电表" in found
    assert "我" not in found and "然后我们" not in found


def test_learn_finds_what_marks_a_competency(small_engine, tmp_path):
    gold, problems = read_gold([FIXTURES / "gold_small.jsonl"], set(small_engine.rules.competencies))
    assert not problems and len(gold) == 12
    learned = learn_from(small_engine, gold, LearnSettings(min_support=2, scale=3.0))
    by_phrase = {(p.competency, p.phrase): p for p in learned.phrases}
    assert ("INFO", "电表") in by_phrase  # said in three INFO answers, in no other
    assert ("ACH", "目标") in by_phrase
    assert by_phrase[("ACH", "目标")].level == 4
    # said only in a habit or a hypothetical: never learned
    assert not any(p.phrase == "打电话" for p in learned.phrases)
    assert learned.default_levels["INFO"] == 2
    assert all(0 < p.weight <= 1 for p in learned.phrases)

    # the learned file is an ordinary rules file that loads beside the others
    path = tmp_path / "learned.yaml"
    path.write_text(learned_yaml(learned, ["gold_small.jsonl"], 12), encoding="utf-8")
    rules, problems = load_rules([FIXTURES / "rules", path])
    assert not [p for p in problems if p.path == str(path)]
    assert any(i.learned and i.label == "电表" for i in rules.learned)
    engine = Engine(rules)
    result = engine.code("那次我又查了电表，看了用电量。")
    info = [c for c in result.codes if c.competency == "INFO"]
    assert info and any("电表" in e.matched for e in info[0].evidence)


def test_learning_raises_agreement_on_its_own_wording(small_engine):
    gold, _ = read_gold([FIXTURES / "gold_small.jsonl"], set(small_engine.rules.competencies))
    learned = learn_from(small_engine, gold, LearnSettings(min_support=2, scale=2.0))
    engine = Engine(with_learned(small_engine.rules, learned))
    assert evaluate(engine, gold).ca > evaluate(small_engine, gold).ca
    # new wording that only the learned phrases know
    assert small_engine.code("那次我查了电表，电表数字对得上。").codes == []
    assert [c.competency for c in engine.code("那次我查了电表，电表数字对得上。").codes] == ["INFO"]


def test_residual_learning_only_learns_from_missed_codes(small_engine):
    gold, _ = read_gold([FIXTURES / "gold_small.jsonl"], set(small_engine.rules.competencies))
    found = {a.id for a in gold if "INFO" in a.codes
             and "INFO" in {c.competency for c in small_engine.code(a.text, a.question).codes}}
    missed = [a for a in gold if "INFO" in a.codes and a.id not in found]
    assert found and missed
    learned = learn_from(small_engine, gold, LearnSettings(min_support=1, residual=True, threshold_folds=0))
    info = [p.phrase for p in learned.phrases if p.competency == "INFO"]
    assert info
    assert all(any(p in small_engine.normaliser.normalise(a.text).text for a in missed) for p in info)


def test_folds_follow_the_groups_of_the_ids():
    from bei_assistant.coding import folds_of, group_of
    from bei_assistant.io.answers import Answer

    def answer(i):
        return Answer(i, "那次我上门看了。")

    grouped = folds_of([answer(i) for i in ("north-1", "north-2", "south-1")])
    assert {k: [a.id for a in v] for k, v in grouped.items()} == {"north": ["north-1", "north-2"], "south": ["south-1"]}
    plain = folds_of([answer(str(n)) for n in range(10)], k=5)
    assert len(plain) == 5 and sorted(a.id for f in plain.values() for a in f) == sorted(map(str, range(10)))
    assert group_of("tr1-031") == "tr1" and group_of("x") == ""


def test_a_phrase_of_one_group_only_is_not_learned_when_groups_are_asked_for():
    from bei_assistant.core.learn import Coded, learn

    def coded(phrases, group, comp=True):
        return Coded(frozenset(phrases), {"INFO": 2} if comp else {}, group=group)

    answers = [coded({"电表", "上门"}, "a"), coded({"电表", "上门"}, "a"), coded({"上门"}, "b"),
               coded({"上门"}, "b"), coded({"喝茶"}, "a", False), coded({"喝茶"}, "b", False)]
    everywhere = {p.phrase for p in learn(answers, settings=LearnSettings(threshold_folds=0)).phrases}
    across = {p.phrase for p in learn(answers, settings=LearnSettings(threshold_folds=0, min_groups=2)).phrases}
    assert {"电表", "上门"} <= everywhere
    assert "上门" in across and "电表" not in across


def test_rules_can_be_loaded_without_learned_files(tmp_path, small_engine):
    gold, _ = read_gold([FIXTURES / "gold_small.jsonl"], set(small_engine.rules.competencies))
    path = tmp_path / "learned.yaml"
    path.write_text(learned_yaml(learn_from(small_engine, gold), ["gold_small.jsonl"], 12), encoding="utf-8")
    with_file, _ = load_rules([FIXTURES / "rules", path])
    without, _ = load_rules([FIXTURES / "rules", path], learned=False)
    assert with_file.learned and not without.learned
    assert without.version == small_engine.rules.version


def test_a_small_coded_set_is_learned_from_conservatively():
    from bei_assistant.core.learn import SMALL_SET, settings_for

    small, large = settings_for(SMALL_SET - 1), settings_for(SMALL_SET)
    assert large == LearnSettings()
    assert small.min_support > large.min_support and small.min_precision > large.min_precision
    assert small.adjust_prior > large.adjust_prior and small.threshold_folds == 0
    assert settings_for(10, min_support=1, residual=None).min_support == 1  # what the user gives wins
