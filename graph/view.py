"""The interactive map: one self-contained HTML file drawn with pyvis.

The page embeds vis-network (from the pyvis wheel) and its own script, so it
opens from ``file://`` and makes no network request at all. It is built from
whitelisted attributes of the core, every string travelling as JSON data and
set as text in the page; pyvis's own habits are avoided (no ``from_nx``, no
``show``/``write_html``/``save_graph``, no ``lib/`` folder, no CDN): its
``Network`` holds the nodes and edges and ``generate_html()`` renders them
through our template.

Functions
---------
:func:`select`          the part of the core a map shows (focus, kinds, types, as of)
:func:`generate_html`   the map as a string
:func:`write_html`      the map written atomically to a file, with its figures
:func:`notebook_map`    the map shown inline in Jupyter
"""

from __future__ import annotations

import functools
import html as _html
import json
from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from graph.asof import as_of as _as_of
from graph.core import interval, resolve
from graph.mapstyle import (
    POLARITY,
    TIE_POLARITY,
    date_range,
    degree_size,
    entity_summary,
    kind_styles,
    relation_summary,
    tie_summary,
    when,
    written_date,
)
from loaders import ActorgraphError, PartialDate
from loaders.names import closest

#: Above this many nodes + edges the layout is computed in Python and the map
#: opens with physics off. Measured by ``benchmarks/map_threshold.py``: see
#: the README's map section for the figures.
PHYSICS_LIMIT = 1000

_LAYOUTS = ("auto", "browser", "python")
_NODE_KEYS = frozenset({"kind", "kinds", "name", "aliases", "description", "origin"})
_EDGE_KEYS = frozenset({"id", "type", "label", "inverse", "polarity", "symmetric", "date", "start",
                        "end", "description", "citations", "origin"})
# A coalition tie's own attributes (graph.alignment_map): drawn, not listed.
_TIE_KEYS = _EDGE_KEYS | {"weight", "count", "targets", "basis"}
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                  ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


class MapOptionError(ActorgraphError):
    """An option of the map names something the fact base does not have."""


@dataclass(frozen=True)
class MapSummary:
    """What :func:`write_html` wrote."""

    path: str
    nodes: int
    edges: int
    bytes: int
    layout: str  # "browser" (vis-network physics) or "python" (precomputed)
    nouns: tuple[str, str] = ("entities", "relations")  # ("actors", "ties") on a coalition map

    def __str__(self) -> str:
        return (f"wrote {self.path}: {self.nodes} {self.nouns[0]}, {self.edges} {self.nouns[1]}, "
                f"{_size(self.bytes)} (layout: {'precomputed, physics off' if self.layout == 'python' else 'physics in the browser'})")


def _size(n: int) -> str:
    return f"{n} bytes" if n < 10_000 else f"{n / 1024:.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1048576:.1f} MB"


# --- selection -----------------------------------------------------------------

def _known(what: str, given: Iterable[str], known: Collection[str]) -> set[str]:
    chosen = set(given)
    for name in sorted(chosen - set(known)):
        near = closest(name, known)
        hint = f"; did you mean {', '.join(near)}?" if near else f"; known {what}s: {', '.join(sorted(known))}"
        raise MapOptionError(f"unknown {what} {name!r}{hint}")
    return chosen


def select(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | date | PartialDate | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The part of the core a map shows, as a read-only view of it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core (:func:`graph.load`).
    focus : str, optional
        An entity (id, name or alias): keep it and its ``hops``-neighbourhood,
        following relations in either direction.
    hops : int
        Radius of the focus, default 1.
    as_of : str or date, optional
        The graph as of this date, by the rules of :func:`graph.as_of`:
        relations whose dates cover it (a partial date such as
        ``"2025-01"`` counts as the interval it covers), undated relations,
        and the entities that existed by then.
    kinds : iterable of str, optional
        Entity kinds to keep; a kind keeps its sub-kinds
        (``"organization"`` keeps agencies).
    types : iterable of str, optional
        Relation types to keep.

    When relations are chosen by ``types`` or ``as_of``, the map shows the
    entities those relations link (and no others).

    Raises
    ------
    MapOptionError
        An unknown kind or type, a bad date, or a focus left out by the
        other options.
    loaders.ReferenceNotFound
        ``focus`` names no entity, or several.

    Examples
    --------
    >>> import graph
    >>> G = graph.load("facts/chicago-sanctuary")
    >>> H = select(G, focus="Ray Lopez", hops=1)
    >>> "lopez-tabares-amendment" in H, H.number_of_nodes() < G.number_of_nodes()
    (True, True)
    >>> {t for _, _, t in select(G, types=["sponsors"]).edges(data="type")}
    {'sponsors'}
    """
    vocabulary = G.graph.get("vocabulary")
    nodes = set(G)
    if kinds is not None:
        known = vocabulary.kinds if vocabulary else {k for _, ks in G.nodes(data="kinds") for k in ks}
        wanted = _known("kind", kinds, known)
        nodes = {n for n in nodes if wanted.intersection(G.nodes[n]["kinds"])}
    wanted_types = None
    if types is not None:
        # A coalition map's tie types are its own, beside the vocabulary's.
        present = {t for _, _, t in G.edges(data="type")}
        wanted_types = _known("relation type", types, set(vocabulary.relations) | present if vocabulary else present)
    # The date follows graph.as_of's rules, like every query.
    dated = _as_of(G, as_of) if as_of is not None else G
    nodes &= set(dated)
    edges = set()
    for u, v, k, kind in dated.edges(keys=True, data="type"):
        if u in nodes and v in nodes and (wanted_types is None or kind in wanted_types):
            edges.add((u, v, k))
    if wanted_types is not None or as_of is not None:
        nodes = {n for u, v, _ in edges for n in (u, v)}
    if focus is not None:
        centre = resolve(G, focus)
        if centre not in nodes:
            raise MapOptionError(
                f"the focus {G.nodes[centre]['name']!r} ({centre}) is left out by the other options; "
                "widen --kinds/--types/--as-of or choose another focus")
        around: dict[str, list[str]] = {}
        for u, v, _ in edges:
            around.setdefault(u, []).append(v)
            around.setdefault(v, []).append(u)
        reached = {centre: 0}
        queue = deque([centre])
        while queue:
            node = queue.popleft()
            if reached[node] >= hops:
                continue
            for other in around.get(node, ()):
                if other not in reached:
                    reached[other] = reached[node] + 1
                    queue.append(other)
        nodes = set(reached)
        edges = {(u, v, k) for u, v, k in edges if u in nodes and v in nodes}
    if len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges():
        return G
    return nx.subgraph_view(G, filter_node=nodes.__contains__,
                            filter_edge=lambda u, v, k: (u, v, k) in edges)


# --- the page's data -------------------------------------------------------------

def _property_rows(G: nx.MultiDiGraph, attrs: Mapping[str, Any], standard: frozenset[str],
                   spec: Mapping[str, Any] | None) -> list[list[str]]:
    rows = []
    for key, value in attrs.items():
        if key in standard or value is None:
            continue
        prop = spec.get(key) if spec else None
        if prop is not None and getattr(prop, "type", None) == "reference" and value in G:
            text = f"{G.nodes[value].get('name', value)} ({value})"
        elif prop is not None and getattr(prop, "type", None) == "date":
            text = f"{when({'date': value})} ({value})"
        elif isinstance(value, (list, tuple)):
            text = ", ".join(map(str, value))
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        else:
            text = str(value)
        rows.append([key.replace("_", " "), text])
    return rows


def _origin(origin: str | None, bases: list[Path]) -> str | None:
    """``path:line`` relative to the fact folder's parent: a shared map does
    not carry the author's home folder."""
    if not origin:
        return origin
    path, _, line = origin.rpartition(":")
    where = Path(path).resolve()
    for base in bases:
        if where.is_relative_to(base):
            return f"{where.relative_to(base).as_posix()}:{line}"
    return f"{where.name}:{line}"


def _source_label(source: Mapping[str, Any]) -> str:
    label = source.get("title") or source.get("publisher") or source.get("text")
    return f"{source['id']} · {label}" if label else str(source["id"])


@dataclass
class _Page:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    facts: dict[str, Any]
    options: dict[str, Any]
    layout: str


def _page_data(H: nx.MultiDiGraph, *, title: str | None, layout: str) -> _Page:
    vocabulary = H.graph.get("vocabulary")
    sources = H.graph.get("sources", {})
    # A coalition map (graph.alignment_map) draws ties: weight as width, their basis in the panel.
    ties = H.graph.get("alignment")
    polarity_names = TIE_POLARITY if ties else POLARITY
    noun = "tie" if ties else "relation"
    node_list = list(H.nodes(data=True))
    edge_list = list(H.edges(keys=True, data=True))
    degree: Counter[str] = Counter()
    for u, v, _, _ in edge_list:
        degree[u] += 1
        degree[v] += 1
    # Styles come from the whole vocabulary, so a kind looks the same in every map.
    lineages = {a["kind"]: tuple(a["kinds"]) for _, a in node_list}
    known = dict(lineages)
    if vocabulary is not None:
        known = {**{k: spec.lineage for k, spec in vocabulary.kinds.items()}, **lineages}
    styles = kind_styles(known)
    if layout == "auto":
        layout = "python" if len(node_list) + len(edge_list) > PHYSICS_LIMIT else "browser"
    positions: Mapping[str, tuple[float, float]] = {}
    if layout == "python":
        from graph.layout import force_layout

        positions = force_layout([n for n, _ in node_list],  # type: ignore[assignment]
                                 [(u, v) for u, v, _, _ in edge_list])
    big = layout == "python"
    spans = functools.lru_cache(maxsize=None)(_span)
    bases = [Path(p).resolve().parent for p in H.graph.get("paths") or ()]
    origin = functools.lru_cache(maxsize=None)(lambda o: _origin(o, bases))

    # vis ids are list positions: fact ids never become keys of a JavaScript
    # object in the page (an id such as "constructor" would meet a built-in).
    index = {node: i for i, (node, _) in enumerate(node_list)}
    nodes: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    dates: set[str] = set()
    kind_count: Counter[str] = Counter()
    for node, attrs in node_list:
        style = styles[attrs["kind"]]
        kind_count[attrs["kind"]] += 1
        item: dict[str, Any] = {
            "id": index[node], "label": attrs["name"], "shape": style["shape"], "color": style["color"],
            "size": degree_size(degree[node]), "title": entity_summary(attrs, degree[node], noun),
        }
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
        kind = vocabulary.kinds.get(attrs["kind"]) if vocabulary else None
        entity = {"id": node, "name": attrs["name"], "kind": attrs["kind"], "origin": origin(attrs.get("origin")),
                  "aliases": list(attrs.get("aliases") or ()), "description": attrs.get("description"),
                  "props": _property_rows(H, attrs, _NODE_KEYS, kind.properties if kind else None)}
        if attrs.get("date"):
            dates.add(attrs["date"])
            entity["when"], first, _ = spans(attrs["date"], None, None)
            entity["first"] = first
        entities.append({k: v for k, v in entity.items() if v not in (None, "", [])})

    # Parallel relations (either direction) fan out as curves instead of overlapping.
    bundles: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for u, v, k, _ in edge_list:
        bundles.setdefault((min(u, v), max(u, v)), []).append((u, k))
    curve: dict[str, dict[str, Any]] = {}
    for (low, _), members in bundles.items():
        for i, (u, k) in enumerate(members if len(members) > 1 else ()):
            side = 1 if i % 2 == 0 else -1
            if u != low:
                side = -side  # the same side of the pair, whichever way the edge points
            curve[k] = {"enabled": True, "type": "curvedCW" if side > 0 else "curvedCCW",
                        "roundness": round(0.18 + 0.16 * (i // 2), 2)}

    edges: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    types: dict[str, dict[str, Any]] = {}
    cited_by: Counter[str] = Counter()
    heaviest = (max((a["weight"] for *_, a in edge_list), default=0) if ties else 0) or 1
    for u, v, k, attrs in edge_list:
        kind_of_type = types.get(attrs["type"])
        if kind_of_type is None:
            name, color = polarity_names.get(attrs["polarity"], POLARITY[0])
            kind_of_type = types[attrs["type"]] = {
                "type": attrs["type"], "label": attrs["label"], "inverse": attrs.get("inverse"),
                "polarity": attrs["polarity"], "polarityName": name, "color": color,
                "symmetric": bool(attrs["symmetric"]), "count": 0, "index": len(types)}
        kind_of_type["count"] += 1
        item = {"id": len(edges), "from": index[u], "to": index[v], "label": attrs["label"],
                "title": relation_summary(H.nodes[u]["name"], H.nodes[v]["name"], attrs),
                "color": kind_of_type["color"]}
        if ties:
            # Raw counts are mostly 1: only a tie of several targets is labelled.
            raw = ties.get("normalize", "raw") == "raw"
            item["label"] = f"{attrs['weight']:.2g}" if not raw or attrs["count"] > 1 else ""
            item["title"] = tie_summary(H.nodes[u]["name"], H.nodes[v]["name"], attrs, ties.get("normalize", "raw"))
            item["width"] = round(1.2 + 4.8 * attrs["weight"] / heaviest, 2)
        if attrs["polarity"] < 0:
            item["dashes"] = True
        if attrs["symmetric"]:
            item["arrows"] = {"to": {"enabled": False}}
        if k in curve:
            item["smooth"] = curve[k]
        edges.append(item)
        dated, first, last = spans(attrs.get("date"), attrs.get("start"), attrs.get("end"))
        dates.update(d for d in (attrs.get("date"), attrs.get("start"), attrs.get("end")) if d)
        spec = vocabulary.relations.get(attrs["type"]) if vocabulary else None
        citations = [{"source": c["source"], "quote": c.get("quote")} for c in attrs["citations"]]
        cited_by.update({c["source"] for c in citations})
        relation = {"id": k, "from": index[u], "to": index[v], "t": kind_of_type["index"], "when": dated,
                    "first": first, "last": last, "description": attrs.get("description"),
                    "props": _property_rows(H, attrs, _TIE_KEYS if ties else _EDGE_KEYS,
                                            spec.properties if spec else None),
                    "citations": citations, "origin": origin(attrs.get("origin")),
                    "basis": list(attrs["basis"]) if ties else None}
        relations.append({k: v for k, v in relation.items() if v not in (None, "", [])})

    bounds = [d for r in relations for d in (r.get("first"), r.get("last")) if d]
    bounds += [e["first"] for e in entities if e.get("first")]
    name = str(H.graph.get("name") or "facts")
    facts = {
        "meta": {"title": title or H.graph.get("title") or "Who stands where", "name": name,
                 "range": date_range(sorted(dates)), "dateMin": min(bounds, default=None),
                 "dateMax": max(bounds, default=None), "layout": layout,
                 "words": ["actor", "actors", "tie", "ties"] if ties else ["entity", "entities", "relation", "relations"]},
        "kinds": [{"kind": k, "shape": styles[k]["shape"], "color": styles[k]["color"],
                   "lineage": list(lineages[k]), "count": kind_count[k]}
                  for k in styles if k in kind_count],  # families in a fixed order, root kind first
        "types": sorted(types.values(), key=lambda t: t["index"]),
        "polarities": [{"polarity": p, "name": polarity_names[p][0], "color": polarity_names[p][1]}
                       for p in (1, -1, 0) if p in polarity_names],
        "sources": [{"id": sid, "label": _source_label(s), "title": s.get("title"), "publisher": s.get("publisher"),
                     "author": s.get("author"), "published": s.get("published"),
                     "when": written_date(s["published"]) if s.get("published") else None,
                     "url": s.get("url"), "text": s.get("text"), "backs": cited_by.get(sid, 0)}
                    for sid, s in sources.items()],
        "entities": entities,
        "relations": relations,
    }
    options = {
        "autoResize": True,
        "nodes": {"borderWidth": 1.5, "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1f2328",
                                                "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"width": 1.6, "selectionWidth": 2.5, "smooth": False,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "font": {"size": 11, "face": "system-ui, sans-serif", "color": "#4b5058", "align": "middle",
                           "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "physics": {"enabled": not big, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 130, "avoidOverlap": 0.3},
                    "stabilization": {"enabled": not big, "iterations": 500, "updateInterval": 50, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "layout": {"randomSeed": 7, "improvedLayout": not big and len(node_list) <= 100},
    }
    return _Page(nodes, edges, facts, options, layout)


def _span(date_: str | None, start: str | None, end: str | None) -> tuple[str, str | None, str | None]:
    """Dates as words and the (first, last) ISO days they cover (cached per value)."""
    attrs = {"date": date_, "start": start, "end": end}
    first, last = interval(attrs)
    return when(attrs), first.isoformat() if first else None, last.isoformat() if last else None


# --- rendering -------------------------------------------------------------------

def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so no string
    can close the element or open a comment; U+2028/2029 are escaped too.

    Examples
    --------
    >>> script_json({"name": "</script><script>alert(1)</script>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    >>> json.loads(script_json(["a\\u2028b & c"])) == ["a\\u2028b & c"]
    True
    """
    return script_json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))


def script_json_text(text: str) -> str:
    """Make an existing JSON text safe inside ``<script>`` (see :func:`script_json`)."""
    # These characters can only occur inside JSON strings, where the escape means the same.
    for char, escape in _SCRIPT_UNSAFE:
        text = text.replace(char, escape)
    return text


def _asset(*parts: str) -> str:
    return resources.files("graph").joinpath("templates", *parts).read_text(encoding="utf-8")


def _vis_js() -> str:
    # The vis-network build pyvis ships (9.1.2), inlined rather than linked.
    path = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", "vis-network.min.js")
    return path.read_text(encoding="utf-8")


def _inline_script(code: str, what: str) -> str:
    if "</script" in code.lower() or "<!--" in code:
        raise ActorgraphError(f"{what} cannot be inlined: it contains </script or <!--")
    return code


def _render(G: nx.MultiDiGraph, *, title: str | None, layout: str, **choose: Any) -> tuple[str, _Page]:
    if layout not in _LAYOUTS:
        raise MapOptionError(f"unknown layout {layout!r}; choose one of {', '.join(_LAYOUTS)}")
    if choose.get("hops", 1) < 0:
        raise MapOptionError("--hops must be 0 or more")
    H = select(G, **choose)
    page = _page_data(H, title=title, layout=layout)

    from pyvis.edge import Edge
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for item in page.nodes:
        net.add_node(item["id"], **{k: v for k, v in item.items() if k != "id"})
    for item in page.edges:
        # Network.add_edge scans the node list for both ends (O(nodes) per edge,
        # 1.5 s at 5k/20k); the ends are known to exist here.
        net.edges.append(Edge(item["from"], item["to"], True,
                              **{k: v for k, v in item.items() if k not in ("from", "to")}).options)
    net.options = page.options
    net.set_template_dir(str(resources.files("graph").joinpath("templates")) + "/", "map.html")
    env = net.templateEnv
    env.filters["script_json"] = script_json
    env.filters["script_json_text"] = script_json_text
    env.globals.update(
        page_title=page.facts["meta"]["title"],
        facts=page.facts,
        app_css=_asset("map.css"),
        app_js=_inline_script(_asset("map.js"), "graph/templates/map.js"),
        vis_js=_inline_script(_vis_js(), "vis-network"),
    )
    return net.generate_html(name="map.html"), page


def generate_html(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | date | PartialDate | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    title: str | None = None,
    layout: str = "auto",
) -> str:
    """The interactive map of (part of) the core, as one self-contained HTML page.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The core; it is read, never changed.
    focus, hops, as_of, kinds, types
        What the map shows: see :func:`select`.
    title : str, optional
        The page's heading; defaults to the fact base's name.
    layout : {"auto", "browser", "python"}
        ``"browser"``: vis-network's physics lays the map out on opening;
        ``"python"``: positions are computed here and physics starts off;
        ``"auto"``: ``"python"`` above :data:`PHYSICS_LIMIT` nodes + edges.

    Examples
    --------
    >>> import graph
    >>> page = generate_html(graph.load("facts/chicago-sanctuary"), title="Chicago")
    >>> page.startswith("<!DOCTYPE html>"), "https://" in page.split("<script>")[0]
    (True, False)
    """
    return _render(G, focus=focus, hops=hops, as_of=as_of, kinds=kinds, types=types,
                   title=title, layout=layout)[0]


def write_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | date | PartialDate | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    title: str | None = None,
    layout: str = "auto",
) -> MapSummary:
    """Write the map (see :func:`generate_html`) to ``path``, atomically.

    Nothing else is written: no ``lib/`` folder, no temporary file left behind.

    Returns
    -------
    MapSummary
        The path, node and edge counts, the file size and the layout used.

    Examples
    --------
    >>> import graph, tempfile, os
    >>> G = graph.load("facts/chicago-sanctuary")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     s = write_html(G, os.path.join(tmp, "map.html"))
    ...     sorted(os.listdir(tmp))
    ['map.html']
    >>> (s.nodes, s.edges) == (G.number_of_nodes(), G.number_of_edges())
    True
    """
    from graph.io import atomic_write

    folder = Path(path).parent
    if not folder.is_dir():
        raise MapOptionError(f"cannot write {path}: the folder {folder} does not exist")
    page, data = _render(G, focus=focus, hops=hops, as_of=as_of, kinds=kinds, types=types,
                         title=title, layout=layout)
    encoded = page.encode("utf-8")
    atomic_write(path, encoded)
    words = data.facts["meta"]["words"]
    return MapSummary(str(path), len(data.nodes), len(data.edges), len(encoded), data.layout, (words[1], words[3]))


@dataclass(frozen=True)
class NotebookMap:
    """The map for Jupyter: displays inline, in a sandboxed iframe.

    The page goes in the iframe's ``srcdoc`` (HTML-escaped), sandboxed with
    scripts only: it cannot reach the notebook, and needs no file or server.
    """

    html: str
    height: int = 720

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #d0d7de;border-radius:6px" '
                'title="actorgraph map" loading="lazy"></iframe>')

    def write(self, path: str | Path) -> None:
        """Save the page to a file, atomically."""
        from graph.io import atomic_write

        atomic_write(path, self.html.encode("utf-8"))


def notebook_map(G: nx.MultiDiGraph, *, height: int = 720, **options: Any) -> NotebookMap:
    """The map, to show inline in Jupyter (the last expression of a cell).

    Takes the options of :func:`generate_html`.

    Examples
    --------
    >>> import graph
    >>> m = notebook_map(graph.load("facts/chicago-sanctuary"), focus="CPD", hops=1)
    >>> m._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    return NotebookMap(generate_html(G, **options), height)
