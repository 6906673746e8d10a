"""The README, the JSON Schema and the CLI agree with the code."""

from __future__ import annotations

import json
import re

import click
import pytest

from conftest import DATASET, ROOT
from graph.cli import main
from loaders import load_vocabulary
from loaders.jsonschema import render
from loaders.vocabdoc import vocabulary_markdown


def all_commands(group: click.Group = main, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names += all_commands(command, f"{full} ")
        else:
            names.append(full)
    return names


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_vocabulary_is_generated_from_schema():
    block = re.search(r"<!-- vocabulary:start -->\n(.*)<!-- vocabulary:end -->", readme(), re.S)
    assert block, "README lacks the vocabulary markers"
    assert block.group(1) == vocabulary_markdown(load_vocabulary()), "run: python -m loaders.vocabdoc"


@pytest.mark.parametrize("command", all_commands())
def test_every_command_is_documented_and_has_help(command, runner):
    assert f"actorgraph {command}" in readme()
    result = runner.invoke(main, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_shipped_json_schema_is_in_sync():
    shipped = (ROOT / "schema" / "factfile.schema.json").read_text(encoding="utf-8")
    assert shipped == render(load_vocabulary()), "run: python -m loaders.jsonschema > schema/factfile.schema.json"


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read(path):
    from loaders.yamlread import read_yaml

    diagnostics = []
    doc = read_yaml(str(path), path.read_bytes(), diagnostics)
    assert not diagnostics
    return _plain(doc)


def test_dataset_files_satisfy_the_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schema" / "factfile.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(DATASET.rglob("*.yaml"))
    assert files
    for path in files:
        errors = list(validator.iter_errors(_read(path)))
        assert not errors, f"{path}: {errors[0].message}"


def test_json_schema_rejects_what_the_loader_rejects(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schema" / "factfile.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    bad = [
        {"entities": [{"id": "x", "kind": "person", "name": "A", "descripton": "typo"}]},
        {"entities": [{"id": "x", "kind": "persn", "name": "A"}]},
        {"relations": [{"type": "sponsors", "from": "a", "to": "b", "cite": []}]},
        {"relations": [{"type": "sponsors", "from": "a", "to": "b", "yes": 3, "cite": [{"source": "s"}]}]},
        {"sources": [{"id": "Not A Slug"}]},
    ]
    for doc in bad:
        assert list(validator.iter_errors(doc)), doc
    good = {"relations": [{"type": "votes_on", "from": "a", "to": "b", "yes": "27", "cite": [{"source": "s"}]}]}
    assert not list(validator.iter_errors(good))


def test_readme_demo_session_is_real_output(runner):
    """Every `$ actorgraph ...` line of the README's demo prints what follows it."""
    import shlex

    from conftest import SEEDS

    block = re.search(r"<!-- demo:start -->\n.*?```console\n(.*?)```", readme(), re.S)
    assert block, "README lacks the demo session"
    sessions = re.split(r"^\$ ", block.group(1), flags=re.M)[1:]
    assert sessions
    for session in sessions:
        command, _, expected = session.partition("\n")
        argv = shlex.split(command)
        assert argv[0] == "actorgraph"
        if "--texts" in argv and not SEEDS.is_dir():
            continue
        result = runner.invoke(main, argv[1:])
        assert result.exit_code == 0, result.output
        assert result.output == expected, f"README demo out of date for: {command} (run: python tests/update_readme_demo.py)"
