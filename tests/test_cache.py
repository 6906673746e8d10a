"""Loading again after an edit gives the graph a load from scratch gives.

In one process (kept state) and across processes (the on-disk file parts),
after edits of every kind; a corrupt, foreign or tampered cache is ignored,
never loaded; the cache lives where the user says and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import stat

import pytest

import graph
from broken_cases import BASE
from graph.cache import clear_memory
from loaders import FactError
from test_fastpath import snapshot

REL = """\
relations:
  - type: sponsors
    from: raymond-lopez
    to: amendment
    date: 2025-01
    cite:
      - source: s1
        quote: "first words"
  - type: opposes
    from: Byron Sigcho Lopez
    to: amendment
    cite:
      - source: s2
        quote: "other words"
  - type: meets_with
    from: raymond-lopez
    to: byron-sigcho-lopez
    cite:
      - source: s1
"""
MORE = """\
relations:
  - type: supports
    from: council
    to: amendment
    cite:
      - source: s2
        quote: "council words"
  - type: sponsors
    from: raymond-lopez
    to: amendment
    date: 2025-01
    cite:
      - source: s2
        quote: "a second account"
"""

EDITS = {
    "a quote": ("rel.yaml", lambda t: t.replace("first words", "first words, corrected")),
    "a date (a new relation id)": ("rel.yaml", lambda t: t.replace("date: 2025-01", "date: 2025-02")),
    "a relation added": ("rel.yaml", lambda t: t + "  - type: supports\n    from: byron-sigcho-lopez\n"
                         "    to: council\n    cite:\n      - source: s2\n"),
    "a relation removed": ("rel.yaml", lambda t: t[: t.index("  - type: meets_with")]),
    "a citation added": ("rel.yaml", lambda t: t.replace('        quote: "other words"\n',
                                                         '        quote: "other words"\n      - source: s1\n')),
    "lines inserted above": ("rel.yaml", lambda t: "# a comment\n\n" + t),
    "relations reordered": ("rel.yaml", lambda t: "relations:\n" + t[t.index("  - type: meets_with"):]
                            + t[len("relations:\n"):t.index("  - type: meets_with")]),
    "an entity added": ("rel.yaml", lambda t: t + "entities:\n  - id: newcomer\n    kind: person\n    name: New Comer\n"),
    "a merge undone": ("rel.yaml", lambda t: t.replace("to: amendment\n    date: 2025-01",
                                                       "to: amendment\n    id: own-account\n    date: 2025-01")),
    "a merged account edited": ("more.yaml", lambda t: t.replace("a second account", "a third account")),
    "an entity described": ("base.yaml", lambda t: t.replace("name: City Council", "name: City Council\n    description: The council")),
    "an alias changed": ("base.yaml", lambda t: t.replace("Ray Lopez", "R. Lopez")),
    "a source described": ("base.yaml", lambda t: t.replace("  - id: s2\n", "  - id: s2\n    publisher: Somebody\n")),
}


@pytest.fixture
def base(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTORGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "base.yaml").write_text(BASE, encoding="utf-8")
    (facts / "rel.yaml").write_text(REL, encoding="utf-8")
    (facts / "more.yaml").write_text(MORE, encoding="utf-8")
    clear_memory()
    yield facts
    clear_memory()


def cold(facts):
    return graph.load(facts, cache=False)


#: edits that change the names or ids the whole base resolves against: a full load
RENAMES = {"an entity added", "an alias changed"}


def age(facts, seconds=3600):
    """Date the files back, as files edited long before a load are."""
    for path in facts.iterdir():
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns - seconds * 10**9, info.st_mtime_ns - seconds * 10**9))


def count_reads(monkeypatch):
    import loaders.incremental

    reads = []
    read = loaders.incremental._read_bytes
    monkeypatch.setattr(loaders.incremental, "_read_bytes", lambda path, *a: reads.append(os.path.basename(path)) or read(path, *a))
    return reads


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
@pytest.mark.parametrize("same_process", [True, False], ids=["same process", "new process"])
@pytest.mark.parametrize("aged", [False, True], ids=["just written", "written long ago"])
def test_reload_after_an_edit_equals_a_fresh_load(base, edit, same_process, aged, monkeypatch):
    import loaders.incremental

    if aged:
        age(base)
    first = graph.load(base)
    full_loads = []
    full = loaders.incremental._full
    monkeypatch.setattr(loaders.incremental, "_full", lambda *a, **k: full_loads.append(1) or full(*a, **k))
    before = snapshot(first)
    name, change = EDITS[edit]
    path = base / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    if not same_process:
        clear_memory()
    again = graph.load(base)
    assert bool(full_loads) == (edit in RENAMES), "only renames need a full load"
    assert snapshot(again) == snapshot(cold(base))
    assert snapshot(first) == before, "the earlier graph must not change"


def test_files_not_changed_since_the_last_load_are_not_read_again(base, monkeypatch):
    age(base)
    G = graph.load(base)
    reads = count_reads(monkeypatch)
    assert graph.load(base) is G
    assert reads == []
    path = base / "rel.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("first words", "first words, again"), encoding="utf-8")
    again = graph.load(base)
    assert reads == ["rel.yaml"]
    assert snapshot(again) == snapshot(cold(base))


def test_a_file_changed_just_before_a_load_is_read_again(base, monkeypatch):
    # Written within the file system's timestamp resolution of the read, a
    # file could change again with the same size and times: such a file is
    # known by its content until it is older.
    G = graph.load(base)
    reads = count_reads(monkeypatch)
    assert graph.load(base) is G
    assert sorted(reads) == ["base.yaml", "more.yaml", "rel.yaml"]


@pytest.mark.parametrize("how", ["same size and times put back", "mode changed", "replaced by a copy"])
def test_a_rewrite_that_keeps_size_and_mtime_is_seen(base, monkeypatch, how):
    age(base)
    graph.load(base)
    path = base / "rel.yaml"
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    if how == "mode changed":
        path.chmod(0o600)
        expected_reads = ["rel.yaml"]
    else:
        changed = text.replace("first words", "FIRST WORDS")  # same length
        if how == "replaced by a copy":
            (base / "tmp").write_text(changed, encoding="utf-8")
            os.replace(base / "tmp", path)
        else:
            path.write_text(changed, encoding="utf-8")
        expected_reads = ["rel.yaml"]
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    reads = count_reads(monkeypatch)
    again = graph.load(base)
    assert reads == expected_reads
    assert snapshot(again) == snapshot(cold(base))


def test_unchanged_reload_is_the_same_graph(base):
    G = graph.load(base)
    assert graph.load(base) is G
    clear_memory()
    assert snapshot(graph.load(base)) == snapshot(G)


def test_an_edit_that_breaks_the_facts_reports_as_a_fresh_load(base):
    graph.load(base)
    (base / "rel.yaml").write_text(REL.replace("to: amendment", "to: amendmnt", 1), encoding="utf-8")
    with pytest.raises(FactError) as cached:
        graph.load(base)
    with pytest.raises(FactError) as fresh:
        cold(base)
    assert [str(d) for d in cached.value.diagnostics] == [str(d) for d in fresh.value.diagnostics]
    (base / "rel.yaml").write_text(REL, encoding="utf-8")
    assert snapshot(graph.load(base)) == snapshot(cold(base))


def _entries(cache_dir):
    return [p for p in (cache_dir / "parts").rglob("*") if p.is_file()]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "emptied", "foreign"])
def test_a_damaged_cache_is_ignored(base, tmp_path, damage):
    expected = snapshot(graph.load(base))
    entries = _entries(tmp_path / "cache")
    assert len(entries) == 3
    for entry in entries:
        blob = entry.read_bytes()
        if damage == "truncated":
            entry.write_bytes(blob[: len(blob) // 2])
        elif damage == "flipped":
            entry.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:])
        elif damage == "emptied":
            entry.write_bytes(b"")
        else:  # a well-formed entry signed with another key
            entry.write_bytes(blob[:8] + bytes(32) + blob[40:])
    clear_memory()
    assert snapshot(graph.load(base)) == expected
    assert all(e.read_bytes()[:8] == b"AGPART1\n" for e in _entries(tmp_path / "cache"))


def test_a_tampered_entry_is_never_unpickled(base, tmp_path):
    import pickle

    graph.load(base)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    for entry in _entries(tmp_path / "cache"):
        entry.write_bytes(b"AGPART1\n" + os.urandom(32) + pickle.dumps(Exploit()))
    clear_memory()
    assert snapshot(graph.load(base)) == snapshot(cold(base))
    assert not marker.exists()


def test_the_cache_key_covers_the_vocabulary_and_the_code(base, tmp_path, monkeypatch):
    import loaders.cache

    graph.load(base)
    assert len(_entries(tmp_path / "cache")) == 3
    clear_memory()
    monkeypatch.setattr(loaders.cache, "code_version", lambda: "a newer actorgraph")
    graph.load(base)
    assert len(_entries(tmp_path / "cache")) == 6, "a new code version must not read old entries"


def test_an_unsafe_cache_folder_is_not_used(base, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o777)
    G = graph.load(base)
    assert not (folder / "parts").exists()
    assert snapshot(G) == snapshot(cold(base))


def test_the_cache_can_be_turned_off_or_moved(base, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTORGRAPH_CACHE", "off")
    graph.load(base)
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv("ACTORGRAPH_CACHE")
    clear_memory()
    # Without a setting nothing goes to disk, not even to the user's cache folder.
    monkeypatch.delenv("ACTORGRAPH_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    graph.load(base)
    assert not (tmp_path / "home").exists()
    clear_memory()
    graph.load(base, cache=tmp_path / "elsewhere")
    assert len(_entries(tmp_path / "elsewhere")) == 3
    key = tmp_path / "elsewhere" / "hmac.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not any(p.name.startswith(".") or p.suffix == ".pickle" for p in base.iterdir())


def test_a_moved_fact_folder_is_loaded_afresh(base, tmp_path):
    graph.load(base)
    moved = tmp_path / "moved"
    shutil.copytree(base, moved)
    G = graph.load(moved)
    assert all(attrs["origin"].startswith(str(moved)) for _, _, attrs in G.edges(data=True))
    assert snapshot(G) == snapshot(cold(moved))
