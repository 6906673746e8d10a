"""The shipped dataset's quotes are verbatim, and a changed quote is caught."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import DATASET, SEEDS
from loaders import FactError, load_factbase

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")


def test_every_relation_has_a_verified_quote():
    fb = load_factbase([DATASET], texts=SEEDS)
    for relation in fb.relations.values():
        quoted = [c for c in relation.citations if c.quote and fb.sources[c.source].text]
        assert quoted, f"{relation.loc}: relation {relation.id} has no quote that can be verified"


def test_every_source_names_its_text():
    fb = load_factbase([DATASET])
    texts = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sorted(s.text for s in fb.sources.values()) == texts


def test_a_changed_quote_fails(tmp_path):
    copy = tmp_path / "facts"
    shutil.copytree(DATASET, copy)
    fb = load_factbase([copy])
    for relation in fb.relations.values():
        for citation in relation.citations:
            words = re.findall(r"[A-Za-z]{5,}", citation.quote or "")
            path = citation.loc.path
            text = open(path, encoding="utf-8").read()
            if words and (citation.quote or "") in text:
                break
        else:
            continue
        break
    else:
        pytest.fail("no quote found to change")
    changed = citation.quote.replace(words[0], words[0][::-1], 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace(citation.quote, changed, 1))
    with pytest.raises(FactError) as info:
        load_factbase([copy], texts=SEEDS)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.path, diagnostic.line) == (path, citation.loc.line)
    assert "quote not found" in diagnostic.message and "closest passage" in diagnostic.message
