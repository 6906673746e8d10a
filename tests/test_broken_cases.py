"""Every broken fact file gives its exact diagnostics, exit 1, and writes nothing."""

from __future__ import annotations

import os

import pytest

from broken_cases import BASE, CASES
from graph.cli import main


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_broken_case(name, text, expected, runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "case.yaml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    result = runner.invoke(main, ["validate", "base.yaml", "case.yaml"])
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert result.exit_code == 1
    assert errors == expected
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)

    before = sorted(os.listdir(tmp_path))
    result = runner.invoke(main, ["export", "json", "base.yaml", "case.yaml", "-o", "out.json"])
    assert result.exit_code == 1
    assert sorted(os.listdir(tmp_path)) == before, "nothing may be written for invalid input"


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


def test_cases_cover_at_least_25_rules():
    assert len(CASES) >= 25
