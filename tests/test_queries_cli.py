"""The query commands as a user runs them: text, --json, files, errors."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from conftest import DATASET
from graph.cli import main

D = str(DATASET)


def run(runner, *args, code=0):
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    if code == 1:
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    return result


def test_path_prints_cited_chains(runner, core):
    out = run(runner, "path", D, "Tom Homan", "TRUST Act").stdout
    assert "Tom Homan —threatens" in out and "Illinois TRUST Act" in out
    quotes = [c["quote"] for c in core.edges["tom-homan", "brandon-johnson", "threatens:tom-homan:brandon-johnson"]["citations"]]
    assert all(q in out for q in quotes)


def test_path_json(runner):
    doc = json.loads(run(runner, "path", D, "tom-homan", "illinois-trust-act", "--k", "3", "--max-hops", "3",
                         "--types", "threatens,opposes", "--types", "conflicts_with,criticizes", "--json").stdout)
    assert doc["from"] == "tom-homan" and doc["to"] == "illinois-trust-act" and doc["k"] == 3
    assert 1 <= len(doc["paths"]) <= 3
    for path in doc["paths"]:
        assert path["hops"] <= 3 and path["nodes"][0] == "tom-homan"
        for step in path["steps"]:
            for rel in step["relations"]:
                assert rel["type"] in {"threatens", "opposes", "conflicts_with", "criticizes"}
                assert rel["citations"]


@pytest.mark.parametrize("args, message", [
    (["Tom Homan", "TRUST Act", "--max-hops", "2"], "no path"),
    (["Lopez", "TRUST Act"], "ambiguous"),
    (["Tom Homan", "Nobody at all"], "names no entity"),
    (["Tom Homan", "TRUST Act", "--as-of", "Jan 2025"], "is not a date"),
    (["Tom Homan", "TRUST Act", "--kinds", "persn"], "did you mean person"),
])
def test_path_errors(runner, args, message):
    assert message in run(runner, "path", D, *args, code=1).stderr


def test_stances_lists_sponsors_opponents_and_both_vote_accounts(runner, core):
    out = run(runner, "stances", D, "Lopez-Tabares amendment").stdout
    assert "Support (2)" in out and "Raymond Lopez" in out and "Oppose (" in out
    assert "council-vote-2025-blocked" in out and "council-vote-2025-tabled" in out
    for key in ("council-vote-2025-blocked", "council-vote-2025-tabled"):
        for c in core.edges["council-vote-2025", "lopez-tabares-amendment", key]["citations"]:
            assert c["quote"] in out


def test_stances_json_on_and_by(runner):
    doc = json.loads(run(runner, "stances", D, "Brandon Johnson", "--json").stdout)
    assert doc["target"] == "brandon-johnson"
    assert {s["id"] for s in doc["on"]["oppose"]} >= {"tom-homan", "raymond-lopez"}
    assert "welcoming-city-ordinance" in {s["id"] for s in doc["by"]["support"]}
    assert all(r["citations"] for s in doc["on"]["oppose"] for r in s["relations"])


def test_alignment_outputs(runner, tmp_path):
    text = run(runner, "alignment", D).stdout
    assert "agree (" in text and "conflict (" in text and "Raymond Lopez" in text
    doc = json.loads(run(runner, "alignment", D, "--normalize", "cosine", "--direct", "--json").stdout)
    assert doc["normalize"] == "cosine" and doc["congruence"]["edges"] and doc["conflict"]["edges"]
    out = tmp_path / "coalitions.graphml"
    run(runner, "alignment", D, "--network", "congruence", "-o", str(out))
    N = nx.read_graphml(out)
    fresh = json.loads(run(runner, "alignment", D, "--json").stdout)
    assert N.number_of_edges() == len(fresh["congruence"]["edges"])
    assert "<graphml" in run(runner, "alignment", D, "-o", "-").stdout
    assert run(runner, "alignment", D, "--json", "-o", str(out), code=2)


def test_neighbours_and_timeline(runner, core):
    doc = json.loads(run(runner, "neighbours", D, "ICE", "--json").stdout)
    assert sum(len(g["relations"]) for g in doc["groups"]) == core.degree("ice")
    out = run(runner, "timeline", D, "Raymond Lopez").stdout
    assert out.index("2023") < out.index("2025-01") < out.index("undated")
    doc = json.loads(run(runner, "timeline", D, "Raymond Lopez", "--as-of", "2024", "--dated-only", "--json").stdout)
    assert [r["date"] for r in doc["dated"]] == ["2023"] and doc["undated"] == []
