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
    pos = rng.random((n, 2)) * side
    # ~8 nodes per cell keeps the far field cheap and still local enough.
    cells = max(1, min(48, int(math.sqrt(n / 8))))
    gravity = 0.6 / side
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    src, dst = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.empty(0, int), np.empty(0, int))
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
    disp = np.empty_like(pos)
    own_column = np.searchsorted(occupied, cell)
    chunk = max(1, 2_000_000 // max(len(occupied), 1))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        rows = np.arange(stop - start)
        dx = pos[start:stop, 0, None] - cx[None, :]
        dy = pos[start:stop, 1, None] - cy[None, :]
        m = np.broadcast_to(mass, dx.shape).copy()
        # The node's own cell: the centre of mass of the others in it.
        own = own_column[start:stop]
        others = m[rows, own] - 1
        safe = np.maximum(others, 1)
        ox = (cx[own] * m[rows, own] - pos[start:stop, 0]) / safe
        oy = (cy[own] * m[rows, own] - pos[start:stop, 1]) / safe
        dx[rows, own] = pos[start:stop, 0] - ox
        dy[rows, own] = pos[start:stop, 1] - oy
        m[rows, own] = others
        d2 = np.maximum(dx * dx + dy * dy, 1e-4)
        weight = m / d2
        disp[start:stop, 0] = (dx * weight).sum(axis=1)
        disp[start:stop, 1] = (dy * weight).sum(axis=1)
    return disp
