"""The wheel carries the default rules and banks, and an installed ``bei`` finds them without a checkout."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    if build.returncode != 0:
        pytest.fail(build.stderr[-2000:])
    return next(out.glob("bei_assistant-*.whl"))


def test_wheel_holds_rules_and_banks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ["cues.yaml", "profiles.yaml", "competencies/RISK.yaml"]:
        assert f"bei_assistant/_data/coding_rules/{name}" in names
    for bank in ["corporate", "retail", "microloan"]:
        assert f"bei_assistant/_data/question_banks/{bank}.yaml" in names
    assert "bei_assistant/samples/answers.jsonl" in names


def test_installed_package_finds_its_own_rules(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    env.pop("BEI_HOME", None)
    code = "from bei_assistant.io.paths import default_rules, default_banks; print(default_rules()); print(default_banks())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True)
    rules, banks = out.stdout.split()
    assert rules == str(tmp_path / "site" / "bei_assistant" / "_data" / "coding_rules")
    assert banks.endswith("_data/question_banks")
    validate = subprocess.run([sys.executable, "-m", "bei_assistant", "validate"], capture_output=True, text=True,
                              env=env, cwd=tmp_path)
    assert validate.returncode == 0, validate.stderr
    assert "13 competency" in validate.stdout
    # the schema migrations travel with the package: a new database is created under ./sessions
    listed = subprocess.run([sys.executable, "-m", "bei_assistant", "sessions", "--json"], capture_output=True,
                            text=True, env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "[]" and (tmp_path / "sessions" / "bei.sqlite3").exists()


def test_bei_home_overrides(tmp_path):
    (tmp_path / "coding_rules").mkdir()
    env = {**os.environ, "BEI_HOME": str(tmp_path)}
    code = "from bei_assistant.io.paths import default_rules; print(default_rules())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == str(tmp_path / "coding_rules")
