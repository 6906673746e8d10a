"""actorgraph's graph core and everything drawn from it.

The one-call API::

    import graph
    G = graph.load("facts/chicago-sanctuary")     # validated, frozen MultiDiGraph
    graph.resolve(G, "Ray Lopez")                 # -> 'raymond-lopez'
    for r in graph.relations(G, type="sponsors"):  # relations with citations
        ...

Importing this package reads no file and starts nothing.
"""

from graph.core import CitedRelation, build, interval, load, relations, resolve
from graph.export_json import generate_json, write_json
from graph.stats import Stats, stats

__all__ = [
    "CitedRelation", "Stats", "build", "generate_json", "interval", "load", "relations",
    "resolve", "stats", "write_json",
]
