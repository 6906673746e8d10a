"""How the map reads: colours and shapes of kinds, edge colours, dates and summaries as text.

Everything here returns plain text or style values; nothing here is HTML.
The map's page sets every string with ``textContent``.
"""

from __future__ import annotations

import calendar
import colorsys
from collections.abc import Mapping, Sequence
from typing import Any

from loaders import PartialDate

# Shape by root kind: shapes whose label sits outside, so size can show degree.
ROOT_SHAPES = {"person": "dot", "organization": "square", "policy": "diamond",
               "event": "triangle", "place": "star"}
_SPARE_SHAPES = ("hexagon", "triangleDown", "dot", "square", "diamond")
# Hue (degrees) by root kind; sub-kinds are shades around it.
ROOT_HUES = {"person": 212, "organization": 26, "policy": 285, "event": 178, "place": 118}
_SPARE_HUES = (330, 55, 0, 250, 150)

POLARITY = {1: ("support", "#1b8a3a"), -1: ("opposition", "#c8302b"), 0: ("neutral", "#8a8f98")}
# Ties of a coalition map (graph.alignment_map): same side, opposite sides.
TIE_POLARITY = {1: ("congruence", "#1b8a3a"), -1: ("conflict", "#c8302b")}


def _hex(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb((hue % 360) / 360, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def kind_styles(lineages: Mapping[str, Sequence[str]]) -> dict[str, dict[str, str]]:
    """``{kind: {"root", "shape", "color"}}`` for kinds given by their lineages.

    Kinds of one root family share a shape and a hue; sub-kinds are shades
    of it, spread so that neighbours in the vocabulary differ.

    Examples
    --------
    >>> s = kind_styles({"person": ("person",), "police": ("organization", "agency", "police")})
    >>> s["person"]["shape"], s["police"]["shape"], s["police"]["root"]
    ('dot', 'square', 'organization')
    """
    families: dict[str, list[str]] = {root: [] for root in ROOT_HUES}
    for kind, lineage in lineages.items():
        families.setdefault(lineage[0], []).append(kind)
    styles: dict[str, dict[str, str]] = {}
    spare = 0
    for root, members in families.items():
        if not members:
            continue
        if root not in ROOT_HUES:
            spare += 1
        hue = ROOT_HUES.get(root, _SPARE_HUES[(spare - 1) % len(_SPARE_HUES)])
        shape = ROOT_SHAPES.get(root, _SPARE_SHAPES[(spare - 1) % len(_SPARE_SHAPES)])
        members = sorted(members, key=lambda k: (k != root, len(lineages[k]), k))
        count = len(members)
        for i, kind in enumerate(members):
            if i == 0 and kind == root:
                color = _hex(hue, 0.45, 0.65)
            else:
                # Shades stay near the root's hue (the family reads at a glance)
                # and differ in lightness and saturation.
                step = (i % 2) * 2 - 1
                shift = step * 16 * ((i + 1) // 2) / max(count, 2)
                lightness = (0.32, 0.58, 0.44, 0.68, 0.38, 0.52)[i % 6]
                color = _hex(hue + shift, lightness, (0.55, 0.75, 0.45)[i % 3])
            styles[kind] = {"root": root, "shape": shape, "color": color}
    return styles


def degree_size(degree: int) -> float:
    """Node size (px) growing with the square root of the degree, capped.

    >>> degree_size(0) < degree_size(4) < degree_size(100) <= 48
    True
    """
    return round(min(48.0, 10.0 + 5.0 * degree ** 0.5), 1)


def written_date(text: str | None) -> str:
    """A partial date as words: "2025", "January 2025", "15 January 2025".

    >>> written_date("2025-01"), written_date("2025-01-05"), written_date("2021")
    ('January 2025', '5 January 2025', '2021')
    """
    if not text:
        return ""
    d = PartialDate.parse(text)
    if d.precision == "year":
        return str(d.first.year)
    month = calendar.month_name[d.first.month]
    if d.precision == "month":
        return f"{month} {d.first.year}"
    return f"{d.first.day} {month} {d.first.year}"


def when(attrs: Mapping[str, Any]) -> str:
    """A relation's (or entity's) dates as words; "" when undated.

    >>> when({"date": "2025-01"}), when({"start": "2021", "end": None}), when({"start": "2021", "end": "2023-03"})
    ('January 2025', 'since 2021', '2021 – March 2023')
    """
    if attrs.get("date"):
        return written_date(attrs["date"])
    start, end = attrs.get("start"), attrs.get("end")
    if start and end:
        return f"{written_date(start)} – {written_date(end)}"
    if start:
        return f"since {written_date(start)}"
    if end:
        return f"until {written_date(end)}"
    return ""


def date_range(dates: Sequence[str]) -> str:
    """The span of partial dates as words: "2017 – January 2025"; "undated" if none.

    >>> date_range(["2025-01", "2017", "2024-12-03"])
    '2017 – January 2025'
    >>> date_range([])
    'undated'
    """
    parsed = [PartialDate.parse(d) for d in dates if d]
    if not parsed:
        return "undated"
    first = min(parsed, key=lambda d: (d.first, d.last))
    last = max(parsed, key=lambda d: (d.last, d.first))
    if first.text == last.text:
        return written_date(first.text)
    return f"{written_date(first.text)} – {written_date(last.text)}"


def relation_summary(source_name: str, target_name: str, attrs: Mapping[str, Any]) -> str:
    """One line of plain text for an edge's tooltip.

    >>> relation_summary("Raymond Lopez", "Lopez–Tabares amendment",
    ...     {"label": "sponsors", "symmetric": False, "date": "2025-01",
    ...      "citations": ({"source": "s-000"}, {"source": "s-001"}, {"source": "s-001"})})
    'Raymond Lopez — sponsors → Lopez–Tabares amendment, January 2025, 2 sources'
    """
    arrow = "—" if attrs.get("symmetric") else "→"
    sources = len({c["source"] for c in attrs.get("citations", ())})
    parts = [f"{source_name} — {attrs['label']} {arrow} {target_name}"]
    dated = when(attrs)
    if dated:
        parts.append(dated)
    parts.append(f"{sources} source{'s' if sources != 1 else ''}")
    return ", ".join(parts)


def entity_summary(attrs: Mapping[str, Any], degree: int, noun: str = "relation") -> str:
    """One line of plain text for a node's tooltip.

    >>> entity_summary({"name": "ICE", "kind": "agency"}, 3)
    'ICE (agency), 3 relations'
    """
    kind = str(attrs.get("kind", "")).replace("_", " ")
    return f"{attrs.get('name')} ({kind}), {degree} {noun}{'s' if degree != 1 else ''}"


def tie_summary(a_name: str, b_name: str, attrs: Mapping[str, Any], normalize: str = "raw") -> str:
    """One line of plain text for a coalition tie's tooltip.

    >>> tie_summary("Raymond Lopez", "Silvana Tabares", {"label": "agrees with", "weight": 1.0,
    ...     "basis": [{"name": "Lopez–Tabares amendment"}], "citations": [{"source": "s-000"}]})
    'Raymond Lopez — agrees with — Silvana Tabares, on Lopez–Tabares amendment, 1 source'
    """
    names = [b["name"] for b in attrs.get("basis", ())]
    on = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    sources = len({c["source"] for c in attrs.get("citations", ())})
    parts = [f"{a_name} — {attrs['label']} — {b_name}", f"on {on}"]
    if normalize != "raw":
        parts.append(f"weight {attrs['weight']:.2g} ({normalize})")
    parts.append(f"{sources} source{'s' if sources != 1 else ''}")
    return ", ".join(parts)
