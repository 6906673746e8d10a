"""The CLI as a user meets it, through click's CliRunner."""

from __future__ import annotations

import json

import networkx as nx

from conftest import DATASET, SEEDS
from graph.cli import main


def test_validate_dataset(runner):
    result = runner.invoke(main, ["validate", str(DATASET)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_validate_dataset_quotes_against_seeds(runner):
    import pytest

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    result = runner.invoke(main, ["validate", str(DATASET), "--texts", str(SEEDS)])
    assert result.exit_code == 0, result.stderr
    assert "(quotes verified)" in result.stdout


def test_stats_json_is_one_document(runner, core):
    result = runner.invoke(main, ["stats", str(DATASET), "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["entities"] == core.number_of_nodes()
    assert doc["relations"] == core.number_of_edges()
    assert set(doc["relations_by_source"]) == set(core.graph["sources"])


def test_stats_text(runner):
    result = runner.invoke(main, ["stats", str(DATASET)])
    assert result.exit_code == 0
    assert "relations citing each source:" in result.stdout


def test_export_json_round_trips_through_networkx(runner, tmp_path, core):
    out = tmp_path / "g.json"
    result = runner.invoke(main, ["export", "json", str(DATASET), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    for node in doc["nodes"]:
        assert {"id", "kind", "name", "aliases"} <= set(node)
    for edge in doc["edges"]:
        assert {"source", "target", "key", "type", "polarity", "date", "start", "end", "citations"} <= set(edge)
        assert edge["citations"] and all(set(c) == {"source", "quote"} for c in edge["citations"])
    back = nx.node_link_graph(doc, edges="edges")
    assert back.number_of_nodes() == core.number_of_nodes()
    assert back.number_of_edges() == core.number_of_edges()
    assert {k for *_, k in back.edges(keys=True)} == {k for *_, k in core.edges(keys=True)}


def test_export_json_to_stdout(runner):
    result = runner.invoke(main, ["export", "json", str(DATASET), "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["directed"] is True


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["export", "json", str(DATASET)]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2


def test_missing_path_is_a_diagnostic(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'nope'}:1:1: error: no such file or directory")


def test_unwritable_output_is_an_error_not_a_traceback(runner, tmp_path):
    result = runner.invoke(main, ["export", "json", str(DATASET), "-o", str(tmp_path / "no" / "such" / "dir.json")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")
    assert "Traceback" not in result.stderr


def test_a_closed_pipe_is_not_reported_as_an_error():
    """`actorgraph stats ... | head -1`: the reader going away is not an error to print."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: EPIPE, every time
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "from graph.cli import main; main()", "stats", str(DATASET)],
            stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)
    err = proc.stderr.decode()
    assert "Traceback" not in err and "Error" not in err and "Exception" not in err, err
    assert proc.returncode == 1


def test_a_run_stopped_at_the_error_limit_says_so_last(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTORGRAPH_MAX_ERRORS", "2")
    facts = tmp_path / "bad.yaml"
    facts.write_text("entities:\n" + "".join(f"  - id: e{i}\n    kind: nope\n    name: X\n" for i in range(4)),
                     encoding="utf-8")
    result = runner.invoke(main, ["validate", str(facts)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": error: ")[0] for line in lines[:2]] == [f"{facts}:3:11", f"{facts}:6:11"]
    assert lines[2:] == ["stopped after 2 errors; fix these first (or raise ACTORGRAPH_MAX_ERRORS to see more)",
                         "2 errors shown; nothing was written"]
    result = runner.invoke(main, ["validate", str(facts), "--format", "json"])
    doc = json.loads(result.stdout)
    assert (doc["errors"], doc["note"].startswith("stopped after 2 errors")) == (2, True)


def test_view_writes_nothing_but_the_file_asked_for(runner, tmp_path, monkeypatch):
    """No cache, no lib/ folder, nothing in the user's home: one file."""
    monkeypatch.delenv("ACTORGRAPH_CACHE_DIR", raising=False)
    monkeypatch.delenv("ACTORGRAPH_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    from graph.cache import clear_memory

    clear_memory()
    result = runner.invoke(main, ["view", str(DATASET), "-o", "map.html"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["map.html", "work"]
