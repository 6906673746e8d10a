"""A dense synthetic core: every ordered pair of people joined by a relation.

Built from loader records through ``graph.build``, so it is a real core
(frozen, every attribute of the contract). Between two nodes of a complete
graph of n nodes there are (n-2)(n-3)(n-4) simple paths of 4 hops alone:
enumerating them is what a bounded search must not do.
"""

from __future__ import annotations

from loaders import Citation, Entity, FactBase, Location, Relation, Source, load_vocabulary

TYPES = ("supports", "opposes", "criticizes")


def dense_core(n: int):
    import graph

    loc = Location("synthetic.yaml", 1, 1)
    cite = (Citation("s-0", loc, "synthetic"),)
    entities = {f"p{i}": Entity(f"p{i}", "person", f"Person {i}", loc, (), None, {}) for i in range(n)}
    relations = {}
    for i in range(n):
        for j in range(n):
            if i != j:
                rtype = TYPES[(i + j) % len(TYPES)]
                rid = f"{rtype}:p{i}:p{j}"
                relations[rid] = Relation(rid, rtype, f"p{i}", f"p{j}", loc, cite, properties={})
    return graph.build(FactBase(
        name=f"dense-{n}", paths=(), files=(), vocabulary=load_vocabulary(),
        sources={"s-0": Source("s-0", loc)}, entities=entities, relations=relations,
    ))


def simple_paths_of(n: int, hops: int) -> int:
    """Simple paths of exactly ``hops`` hops between two given nodes of K_n."""
    count = 1
    for i in range(hops - 1):
        count *= n - 2 - i
    return count
