"""The compiled-engine cache and batch coding give the same answers as a fresh engine."""

import json

from bei_assistant.batch import code_all
from bei_assistant.coding import build_engine
from bei_assistant.io import cache
from bei_assistant.io.answers import Answer
from conftest import FIXTURES

TEXTS = ["去年我上门看了他的仓库。", "如果他不还，我会上门。", "那次我查了征信，又问了邻居，看了水电。"]


def test_cache_is_used_and_invalidated_by_an_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("BEI_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    rules.mkdir()
    for f in (FIXTURES / "rules").iterdir():
        (rules / f.name).write_bytes(f.read_bytes())
    fresh, _ = build_engine([rules])
    files = list((tmp_path / "cache").glob("engine-*.pickle"))
    assert len(files) == 1
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    cached, _ = build_engine([rules])
    assert cached is not fresh
    assert [cached.code(t).to_dict() for t in TEXTS] == [fresh.code(t).to_dict() for t in TEXTS]

    # an edited rule file is a new key
    info = rules / "INFO.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("上门|", "登门|"), encoding="utf-8")
    assert cache.cache_key([rules]) != files[0].stem.removeprefix("engine-")
    edited, _ = build_engine([rules])
    assert edited.code(TEXTS[0]).codes == []


def test_a_broken_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("BEI_CACHE_DIR", str(tmp_path))
    key = cache.cache_key([FIXTURES / "rules"])
    (tmp_path / f"engine-{key}.pickle").write_bytes(b"not a pickle")
    engine, _ = build_engine([FIXTURES / "rules"])
    assert engine.code(TEXTS[0]).codes


def test_parallel_batch_keeps_order(small_engine):
    answers = [Answer(str(i), TEXTS[i % 3]) for i in range(250)]
    one = list(code_all(small_engine, answers, jobs=1))
    two = list(code_all(small_engine, answers, jobs=2))
    assert one == two
    assert [json.loads(line)["id"] for line in two] == [str(i) for i in range(250)]


def test_segmenter_survives_pickling_and_engines_do_not_share_words():
    import pickle

    from bei_assistant.core.segment import Segmenter

    text = "那次我三查到位了，没收到回款。"
    seg = Segmenter(["三查到位"], ["没|收到"])
    words = [t.word for t in seg.tokens(text)]
    assert {"三查到位", "收到"} <= set(words) and "没收" not in words
    assert [t.word for t in pickle.loads(pickle.dumps(seg)).tokens(text)] == words
    # the base dictionary is shared within a process, the registered phrases are not
    assert "三查到位" not in [t.word for t in Segmenter().tokens(text)]
