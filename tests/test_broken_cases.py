"""Every broken input gives its exact diagnostics, exit 1, and writes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from broken_cases import BASE, CASES, TREE_CASES, TreeCase
from cli_process import can_drop_permission_bypass, run_cli
from graph.cli import main


def _tree(root: Path) -> list[str]:
    """Every path under ``root`` (links not followed): what a run may not change."""
    found = []
    for folder, dirs, names in os.walk(root):
        found += [os.path.relpath(os.path.join(folder, n), root) for n in dirs + names]
    return sorted(found)


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_broken_case(name, text, expected, runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "case.yaml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    result = runner.invoke(main, ["validate", "base.yaml", "case.yaml"])
    assert result.exit_code == 1
    assert _errors(result.stderr) == expected
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)

    before = _tree(tmp_path)
    result = runner.invoke(main, ["export", "json", "base.yaml", "case.yaml", "-o", "out.json"])
    assert result.exit_code == 1
    assert _errors(result.stderr) == expected
    assert _tree(tmp_path) == before, "nothing may be written for invalid input"


@pytest.mark.parametrize("case", TREE_CASES, ids=[c.name for c in TREE_CASES])
def test_broken_tree(case: TreeCase, runner, tmp_path, monkeypatch):
    if case.obey_file_modes and not can_drop_permission_bypass():
        pytest.skip("running as root without CAP_SETPCAP: cannot make a child obey file modes")
    monkeypatch.chdir(tmp_path)
    case.build(tmp_path)
    before = _tree(tmp_path)
    args = ["export", "json", *case.args, "-o", "out.json"]
    if case.bounded or (case.obey_file_modes and os.geteuid() == 0):
        # A child process under memory and CPU limits: an exploding or
        # hanging loader fails here instead of taking the machine with it.
        run = run_cli(args, cwd=tmp_path, env=case.env, obey_file_modes=case.obey_file_modes)
        code, stderr, output = run.returncode, run.stderr, run.stdout + run.stderr
    else:
        result = runner.invoke(main, args, env=dict(case.env))
        code, stderr, output = result.exit_code, result.stderr, result.output + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
    expected = [line.replace("{root}", os.path.realpath(tmp_path)) for line in case.expected]
    assert code == 1, output[-2000:]
    assert _errors(stderr) == expected
    assert "Traceback" not in output
    assert _tree(tmp_path) == before, "nothing may be written for invalid input"


def test_json_diagnostics(runner, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "case.yaml").write_text("entities:\n  - id: x\n    kind: persn\n    name: A\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "base.yaml", "case.yaml", "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["valid"] is False
    assert doc["diagnostics"] == [{"path": "case.yaml", "line": 3, "col": 11, "severity": "error",
                                   "message": "unknown kind 'persn'; did you mean 'person'?"}]


def test_a_bad_limit_setting_is_a_sentence(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    result = runner.invoke(main, ["validate", "base.yaml"], env={"ACTORGRAPH_MAX_DEPTH": "deep"})
    assert result.exit_code == 1
    assert result.stderr == ("Error: ACTORGRAPH_MAX_DEPTH='deep' is not a positive whole number; "
                             "set it like ACTORGRAPH_MAX_DEPTH=32 or unset it\n")


def test_a_raised_limit_lets_a_big_file_through(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE + "    description: " + "d" * 3000 + "\n", encoding="utf-8")
    small = runner.invoke(main, ["validate", "base.yaml"], env={"ACTORGRAPH_MAX_FILE_BYTES": "2K"})
    assert small.exit_code == 1 and "over the limit of 2 KiB" in small.stderr
    big = runner.invoke(main, ["validate", "base.yaml"], env={"ACTORGRAPH_MAX_FILE_BYTES": "4K"})
    assert big.exit_code == 0, big.stderr


def test_a_file_named_twice_or_linked_is_read_once(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "facts" / "sub").mkdir(parents=True)
    (tmp_path / "facts" / "base.yaml").write_text(BASE, encoding="utf-8")
    os.symlink("../base.yaml", tmp_path / "facts" / "sub" / "same.yaml")
    for paths in (["facts", "facts/base.yaml"], ["facts"]):  # named twice; one folder, a link inside
        result = runner.invoke(main, ["validate", *paths])
        assert result.exit_code == 0, result.stderr
        assert "4 entities" in result.stdout


def test_corpus_size():
    assert len(CASES) + len(TREE_CASES) >= 60
