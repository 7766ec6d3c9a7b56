"""Sample answers shipped for the demo and the benchmark (written for this project)."""

from __future__ import annotations

from importlib import resources

from ..io.answers import Answer, read_answers


def sample_path():
    return resources.files(__name__).joinpath("answers.jsonl")


def sample_answers() -> list[Answer]:
    with sample_path().open(encoding="utf-8") as stream:
        return [a for a in read_answers(stream, "answers.jsonl") if isinstance(a, Answer)]
