"""The story's key facts, stated as assertions on the built graph.

If the dataset or the loader regresses (a relation lost, a tally flipped, a
disagreement between articles silently resolved), these fail. Each
expectation is read off the articles in ../shared/seeds, not off the YAML.
"""

from __future__ import annotations

import re

import pytest

import graph
from conftest import SEEDS
from loaders import ReferenceNotFound
from loaders.quotes import normalise

AMENDMENT = "lopez-tabares-amendment"


def ends(core, type: str, *, to: str | None = None, frm: str | None = None) -> set[str]:
    """The other end of every relation of ``type`` into ``to`` or out of ``frm``."""
    out = set()
    for r in graph.relations(core, type=type):
        if to is not None and r.target == to:
            out.add(r.source)
        if frm is not None and r.source == frm:
            out.add(r.target)
    return out


def cited(rel) -> set[str]:
    return {c["source"] for c in rel.citations}


def test_lopez_and_tabares_sponsor_the_amendment(core):
    assert ends(core, "sponsors", to=AMENDMENT) == {"raymond-lopez", "silvana-tabares"}
    lopez = next(r for r in graph.relations(core, type="sponsors") if r.source == "raymond-lopez")
    assert cited(lopez) == {"s-000", "s-001", "s-003", "s-004"}


def test_who_stands_against_the_amendment(core):
    against = ends(core, "opposes", to=AMENDMENT) | ends(core, "criticizes", to=AMENDMENT)
    assert {
        "brandon-johnson", "chicago-mayors-office", "chicago-police-department",
        "jessie-fuentes", "jordan-kelly", "andre-vasquez", "chicago-city-council",
        "activist-groups",
    } == against
    assert not against & ends(core, "sponsors", to=AMENDMENT)


def test_the_police_were_against_it_in_two_articles(core):
    (rel,) = [r for r in graph.relations(core, type="opposes")
              if (r.source, r.target) == ("chicago-police-department", AMENDMENT)]
    assert cited(rel) == {"s-001", "s-004"}


def test_the_council_vote_keeps_both_accounts(core):
    accounts = {r.key: r.attrs for r in graph.relations(core, type="votes_on") if r.target == AMENDMENT}
    assert set(accounts) == {"council-vote-2025-blocked", "council-vote-2025-tabled"}
    blocked, tabled = accounts["council-vote-2025-blocked"], accounts["council-vote-2025-tabled"]
    # 002 and 004: blocked, 39 against and 11 in favour.
    assert (blocked["result"], blocked["yes"], blocked["no"]) == ("blocked", 11, 39)
    assert {c["source"] for c in blocked["citations"]} == {"s-002", "s-004"}
    # 003: a motion to table, 39 yeas to 11 nays.
    assert (tabled["result"], tabled["yes"], tabled["no"]) == ("tabled", 39, 11)
    assert {c["source"] for c in tabled["citations"]} == {"s-003"}
    assert blocked["date"] == tabled["date"] == "2025-01"


def test_the_2021_amendment_passed_41_to_8(core):
    (rel,) = [r for r in graph.relations(core, type="votes_on") if r.target == "lightfoot-2021-amendment"]
    assert (rel.attrs["result"], rel.attrs["yes"], rel.attrs["no"]) == ("passed", 41, 8)
    assert ends(core, "amends", frm=AMENDMENT) == {"welcoming-city-ordinance", "lightfoot-2021-amendment"}


def test_homan_threatens_to_prosecute_the_mayor(core):
    (rel,) = [r for r in graph.relations(core, type="threatens") if r.source == "tom-homan"]
    assert rel.target == "brandon-johnson"
    assert "prosecut" in rel.attrs["action"]
    assert cited(rel) == {"s-000", "s-002"}
    assert any("I will prosecute him" in c["quote"] for c in rel.citations)


def test_which_laws_restrict_whom(core):
    restricts = {(r.source, r.target): r for r in graph.relations(core, type="restricts")}
    assert set(restricts) == {
        ("welcoming-city-ordinance", "chicago-police-department"),
        ("illinois-trust-act", "chicago-police-department"),
    }
    # Every one of the five articles states what the ordinance forbids.
    assert cited(restricts["welcoming-city-ordinance", "chicago-police-department"]) == {
        "s-000", "s-001", "s-002", "s-003", "s-004"}
    # A symmetric relation is stored once, its ends in sorted order.
    conflicts = ends(core, "conflicts_with", frm=AMENDMENT) | ends(core, "conflicts_with", to=AMENDMENT)
    assert conflicts == {"illinois-trust-act"}


def test_the_articles_disagree_on_when_the_amendment_was_first_proposed(core):
    dates = {r.attrs["date"] for r in graph.relations(core, type="proposes") if r.target == AMENDMENT}
    assert dates == {"2023", "2025-01"}


def test_the_two_lopezes_are_told_apart(core):
    assert graph.resolve(core, "Ray Lopez") == "raymond-lopez"
    assert graph.resolve(core, "Raymond López") == "raymond-lopez"
    assert graph.resolve(core, "Bryon Sigcho Lopez") == "byron-sigcho-lopez"
    with pytest.raises(ReferenceNotFound) as info:
        graph.resolve(core, "Lopez")
    assert {"raymond-lopez", "byron-sigcho-lopez"} <= set(info.value.candidates)


def test_no_date_is_more_precise_than_the_articles(core):
    # No article gives a day of the month for anything in this story.
    dated = [(n, a.get("date")) for n, a in core.nodes(data=True)]
    dated += [(k, a.get(f)) for _, _, k, a in core.edges(keys=True, data=True) for f in ("date", "start", "end")]
    assert [(what, d) for what, d in dated if d and re.fullmatch(r"\d{4}-\d\d-\d\d", d)] == []


# Entities whose names the coder had to give because the articles describe
# them without a proper name ("the amendment", "your governor"...).
NAMED_BY_THE_CODER = {
    "lopez-tabares-amendment", "lightfoot-2021-amendment", "trump-2017-executive-order",
    "illinois-governor", "council-vote-2025", "council-meeting-2025", "council-vote-2021",
    "lopez-tabares-statement", "federal-bill-on-immigrants-accused-of-crimes",
}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_every_other_entity_is_named_as_an_article_names_it(core):
    texts = normalise(" ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))).casefold()
    named = {
        node for node, attrs in core.nodes(data=True)
        if any(normalise(n).casefold() in texts for n in (attrs["name"], *attrs["aliases"]))
    }
    assert set(core) - named == NAMED_BY_THE_CODER


def test_every_source_backs_relations(core):
    backed = {c["source"] for _, _, a in core.edges(data=True) for c in a["citations"]}
    assert backed == set(core.graph["sources"]) == {f"s-00{i}" for i in range(5)}
