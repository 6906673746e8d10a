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

Importing this package reads no file and starts nothing.
"""

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
