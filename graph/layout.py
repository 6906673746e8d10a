"""A fast force-directed layout for maps too big for the browser's physics.

vis-network's own physics needs a long stabilisation on large graphs
(measured in ``benchmarks/map_threshold.py``), so above a threshold the map
is laid out here and starts with physics off. ``networkx.spring_layout`` is
quadratic in memory and loops over nodes in Python on sparse graphs (tens
of seconds at 5,000 nodes), so this is Fruchterman–Reingold with the
repulsion of far nodes taken from the centres of mass of a coarse grid:
O(nodes × cells + edges) per iteration, vectorised with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence

import numpy as np


def force_layout(
    nodes: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable]],
    *,
    iterations: int = 60,
    scale: float = 40.0,
    seed: int = 0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions ``{node: (x, y)}`` for a graph, deterministic for a seed.

    Parameters
    ----------
    nodes : sequence
        The nodes; positions come back for each.
    edges : iterable of (u, v)
        Pairs of nodes (parallel edges pull harder; self-loops are ignored).
    iterations : int
        Cooling steps.
    scale : float
        Roughly the distance, in output units, between neighbours.
    seed : int
        Seed of the initial placement.

    Examples
    --------
    >>> pos = force_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"]
    True
    >>> force_layout(["a", "b"], [("a", "b")]) == force_layout(["a", "b"], [("a", "b")])
    True
    """
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(
        [(index[u], index[v]) for u, v in edges if u != v], dtype=np.int64
    ).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    src, dst = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.empty(0, int), np.empty(0, int))
    # Tiny graphs have no large-scale shape to find (and too few eigenvectors).
    pos = (_spectral(n, src, dst, rng) if n >= 10 else rng.random((n, 2))) * side
    # ~8 nodes per cell keeps the far field cheap and still local enough.
    cells = max(1, min(48, int(math.sqrt(n / 8))))
    gravity = 0.6 / side
    temperature = side / 16
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos, cells)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-6)
            pull = delta * dist[:, None]  # |d|^2 / k with k = 1, along d / |d|
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(src, pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(dst, pull[:, axis], minlength=n)
        disp -= (pos - pos.mean(axis=0)) * gravity * np.sqrt(n)
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature - cooling, 0.01)
    pos -= pos.mean(axis=0)
    pos *= scale
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}


def _repulsion(pos: np.ndarray, cells: int) -> np.ndarray:
    """FR repulsion (k^2 / d), every node against every grid cell's centre of mass.

    A node's own cell counts without the node itself, so nodes that share a
    cell still push apart.
    """
    n = len(pos)
    low = pos.min(axis=0)
    span = np.maximum(pos.max(axis=0) - low, 1e-9)
    cell_xy = np.minimum((pos - low) / span * cells, cells - 1).astype(np.int64)
    cell = cell_xy[:, 0] * cells + cell_xy[:, 1]
    count = np.bincount(cell, minlength=cells * cells).astype(float)
    sum_x = np.bincount(cell, pos[:, 0], minlength=cells * cells)
    sum_y = np.bincount(cell, pos[:, 1], minlength=cells * cells)
    occupied = np.nonzero(count)[0]
    mass = count[occupied]
    cx = sum_x[occupied] / mass
    cy = sum_y[occupied] / mass
    own = np.searchsorted(occupied, cell)
    own_mass, own_x, own_y = mass[own], cx[own], cy[own]
    # The node's own cell counts without the node: the others' centre of mass.
    others = own_mass - 1
    safe = np.maximum(others, 1)
    ox = (own_x * own_mass - pos[:, 0]) / safe
    oy = (own_y * own_mass - pos[:, 1]) / safe
    disp = np.empty_like(pos)
    chunk = max(1, 4_000_000 // max(len(occupied), 1))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        dx = pos[start:stop, 0, None] - cx[None, :]
        dy = pos[start:stop, 1, None] - cy[None, :]
        weight = mass / np.maximum(dx * dx + dy * dy, 1e-4)
        disp[start:stop, 0] = (dx * weight).sum(axis=1)
        disp[start:stop, 1] = (dy * weight).sum(axis=1)
    # Replace the own cell's term (with the node in it) by the others' term.
    fx, fy = pos[:, 0] - own_x, pos[:, 1] - own_y
    full = own_mass / np.maximum(fx * fx + fy * fy, 1e-4)
    gx, gy = pos[:, 0] - ox, pos[:, 1] - oy
    part = others / np.maximum(gx * gx + gy * gy, 1e-4)
    disp[:, 0] += gx * part - fx * full
    disp[:, 1] += gy * part - fy * full
    return disp


def _spectral(n: int, src: np.ndarray, dst: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A starting placement that already shows the graph's large-scale shape.

    Koren's degree-normalised eigenvectors by power iteration (a few hundred
    sparse products): force layouts from random starts fold long structures
    and never unfold them. Scaled to the unit square.
    """
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    weight = np.maximum(degree, 1).astype(float)
    x = rng.random((n, 3)) - 0.5
    x[:, 0] = 1.0  # the trivial eigenvector, kept to orthogonalise against
    for _ in range(200):
        for col in (1, 2):
            v = x[:, col]
            neighbours = np.bincount(src, v[dst], minlength=n) + np.bincount(dst, v[src], minlength=n)
            v = 0.5 * (v + neighbours / weight)
            for prev in range(col):
                u = x[:, prev]
                v = v - (v * weight @ u) / (u * weight @ u) * u
            x[:, col] = v / max(np.linalg.norm(v), 1e-12)
    pos = x[:, 1:]
    low, high = pos.min(axis=0), pos.max(axis=0)
    pos = (pos - low) / np.maximum(high - low, 1e-12)
    # Isolated nodes and tiny components collapse to a point: spread them a little.
    return pos + rng.random((n, 2)) * 0.02
