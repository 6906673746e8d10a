"""actorgraph's graph core and everything drawn from it.

The one-call API::

    import graph
    G = graph.load("facts/chicago-sanctuary")     # validated, frozen MultiDiGraph
    graph.resolve(G, "Ray Lopez")                 # -> 'raymond-lopez'
    for r in graph.relations(G, type="sponsors"):  # relations with citations
        ...
    print(graph.shortest_paths(G, "Tom Homan", "TRUST Act"))   # cited chains
    graph.stances(G, "Lopez-Tabares amendment")      # supporters / opponents
    graph.alignment(G).congruence                     # coalition network
    graph.as_of(G, "2025-01")                         # the graph then (a view)
    graph.write_html(G, "map.html")                  # the interactive map
    graph.write_html(graph.alignment_graph(graph.alignment(G)), "coalitions.html")
    graph.run_query(G, "MATCH (a)-[:OPPOSES]->(p:Policy) RETURN a.name, p.name")  # Cypher, no server
    graph.push(G, runner)                             # into Neo4j (graph.neo4j_bolt.Neo4jRunner)

Importing this package reads no file, starts nothing and imports nothing
else: each name is imported on first use (PEP 562), so the ``actorgraph``
command can start without networkx when a daemon runs the command
(:mod:`graph.entry`).
"""

from __future__ import annotations

import sys

# Set by type checkers (mypy treats this name as true), never at run time:
# the names below are then seen with their real types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from graph.alignment import Alignment, alignment, conflict_network, congruence_network, write_alignment
    from graph.alignment_map import alignment_graph
    from graph.asof import as_of
    from graph.core import CitedRelation, build, interval, load, relations, resolve
    from graph.cypher_query import run_query
    from graph.export_csv import write_csv
    from graph.export_cypher import generate_cypher, write_cypher
    from graph.export_gephi import generate_gexf, generate_graphml, write_gexf, write_graphml
    from graph.export_json import generate_json, write_json
    from graph.neighbourhood import Neighbourhood, ego_graph, neighbourhood
    from graph.neo4j_push import PushSummary, plan_push, push
    from graph.paths import Path, PathSet, shortest_paths
    from graph.stances import Stance, StanceReport, positions, stances
    from graph.stats import Stats, stats
    from graph.timeline import Timeline, timeline
    from graph.view import generate_html, notebook_map, write_html
    from types import ModuleType
else:
    ModuleType = type(sys)

#: public name -> the module that defines it
_HOME = {
    "Alignment": "graph.alignment",
    "alignment": "graph.alignment",
    "conflict_network": "graph.alignment",
    "congruence_network": "graph.alignment",
    "write_alignment": "graph.alignment",
    "alignment_graph": "graph.alignment_map",
    "as_of": "graph.asof",
    "CitedRelation": "graph.core",
    "build": "graph.core",
    "interval": "graph.core",
    "load": "graph.core",
    "relations": "graph.core",
    "resolve": "graph.core",
    "run_query": "graph.cypher_query",
    "write_csv": "graph.export_csv",
    "generate_cypher": "graph.export_cypher",
    "write_cypher": "graph.export_cypher",
    "generate_gexf": "graph.export_gephi",
    "generate_graphml": "graph.export_gephi",
    "write_gexf": "graph.export_gephi",
    "write_graphml": "graph.export_gephi",
    "generate_json": "graph.export_json",
    "write_json": "graph.export_json",
    "Neighbourhood": "graph.neighbourhood",
    "ego_graph": "graph.neighbourhood",
    "neighbourhood": "graph.neighbourhood",
    "PushSummary": "graph.neo4j_push",
    "plan_push": "graph.neo4j_push",
    "push": "graph.neo4j_push",
    "Path": "graph.paths",
    "PathSet": "graph.paths",
    "shortest_paths": "graph.paths",
    "Stance": "graph.stances",
    "StanceReport": "graph.stances",
    "positions": "graph.stances",
    "stances": "graph.stances",
    "Stats": "graph.stats",
    "stats": "graph.stats",
    "Timeline": "graph.timeline",
    "timeline": "graph.timeline",
    "generate_html": "graph.view",
    "notebook_map": "graph.view",
    "write_html": "graph.view",
}

__all__ = [
    "CitedRelation", "Stats", "build", "generate_json", "interval", "load", "relations",
    "resolve", "stats", "write_json",
    # queries (paths, neighbourhood, stances, alignment, time)
    "Alignment", "Neighbourhood", "Path", "PathSet", "Stance", "StanceReport", "Timeline",
    "alignment", "as_of", "conflict_network", "congruence_network", "ego_graph", "neighbourhood",
    "positions", "shortest_paths", "stances", "timeline", "write_alignment",
    # the map
    "alignment_graph", "generate_html", "notebook_map", "write_html",
    # Neo4j, Cypher, Gephi
    "PushSummary", "generate_cypher", "generate_gexf", "generate_graphml", "plan_push", "push", "run_query",
    "write_csv", "write_cypher", "write_gexf", "write_graphml",
]


def __getattr__(name: str) -> object:
    import importlib

    home = _HOME.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # looked up once
        return value
    # `import graph; graph.io.atomic_write(...)`: submodules by attribute, as
    # before, when the package imported them all
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    # Some functions share their module's name (graph.stats.stats): importing
    # the submodule must not replace the function the package exports.
    def __setattr__(self, name: str, value: object) -> None:
        if name in _HOME and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
