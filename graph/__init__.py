"""actorgraph's graph core and everything drawn from it.

The one-call API::

    import graph
    G = graph.load("facts/chicago-sanctuary")     # validated, frozen MultiDiGraph
    graph.resolve(G, "Ray Lopez")                 # -> 'raymond-lopez'
    for r in graph.relations(G, type="sponsors"):  # relations with citations
        ...
    graph.write_html(G, "map.html")                # the interactive map

Importing this package reads no file and starts nothing.
"""

from graph.core import CitedRelation, build, interval, load, relations, resolve
from graph.export_json import generate_json, write_json
from graph.stats import Stats, stats
from graph.view import generate_html, notebook_map, write_html

__all__ = [
    "CitedRelation", "Stats", "build", "generate_html", "generate_json", "interval", "load",
    "notebook_map", "relations", "resolve", "stats", "write_html", "write_json",
]
