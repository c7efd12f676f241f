"""Auxiliary-node extraction: which boxes move to a side area, and the stubs they leave.

TensorBoard's graph visualizer keeps the main picture for the path the data takes and
moves two kinds of nodes aside (Wongsuphasawat et al. 2018):

- *high-degree* nodes: at each level of the hierarchy with at least 15 boxes, a box whose
  in-degree exceeds max(Q3 + IQR, 4), or whose out-degree exceeds max(Q3 + 4 IQR, 4),
  where Q1, Q3 are the quartiles of that level's degrees and IQR = Q3 - Q1. A degree
  counts distinct neighbours joined by data or reference edges (control edges only for
  a box that has no other edges), as TensorBoard does;
- *bookkeeping* nodes: boxes made only of initialisation, logging or do-nothing ops
  (``BOOKKEEPING_OPS``), e.g. ``init``, ``summaries`` and the ``train`` NoOp.

An edge between a main box and an extracted one is not drawn across the picture; it
becomes a small stub on the main box, labelled with the extracted box's name.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from generators.dataflow_graphs.hierarchy import ROOT, Hierarchy, MetaEdge, bundle
from generators.nn import Graph

BOOKKEEPING_OPS = frozenset({"NoOp", "Assign", "ScalarSummary", "HistogramSummary",
                             "MergeSummary"})
MIN_NODES = 15        # smaller levels keep every node: nothing is cluttered yet
MIN_BOUND = 4         # a degree of 4 or less is never "high"


def level_edges(graph: Graph, h: Hierarchy, group: str) -> list[MetaEdge]:
    """The metaedges between the children of ``group`` (its own level of the hierarchy)."""
    opened = set() if group == ROOT else set(h.path(group))
    kids = set(h.children[group])
    return [m for m in bundle(graph, h, opened)[0] if m.src in kids and m.dst in kids]


def degrees(boxes: Collection[str], edges: list[MetaEdge]) -> tuple[dict, dict]:
    """(in-degree, out-degree) of each box: distinct neighbours, control edges only as a
    fallback for a box without data or reference edges on that side."""
    ins: dict[str, tuple[set, set]] = {b: (set(), set()) for b in boxes}
    outs: dict[str, tuple[set, set]] = {b: (set(), set()) for b in boxes}
    for m in edges:
        control_only = m.kind == "control"
        ins[m.dst][control_only].add(m.src)
        outs[m.src][control_only].add(m.dst)
    pick = lambda regular, control: len(regular) or len(control)  # noqa: E731
    return ({b: pick(*ins[b]) for b in boxes}, {b: pick(*outs[b]) for b in boxes})


def degree_bounds(in_deg: Collection[int], out_deg: Collection[int]) -> tuple[float, float]:
    """(max in-degree, max out-degree) a box may have and stay in the main picture."""
    q1_in, q3_in = np.percentile(list(in_deg), [25, 75])
    q1_out, q3_out = np.percentile(list(out_deg), [25, 75])
    return (max(q3_in + (q3_in - q1_in), MIN_BOUND),
            max(q3_out + 4 * (q3_out - q1_out), MIN_BOUND))


def is_bookkeeping(graph: Graph, h: Hierarchy, name: str) -> bool:
    """True if every op in ``name`` initialises, logs or does nothing."""
    ops = {n.name: n.op for n in graph.nodes}
    return all(ops[leaf] in BOOKKEEPING_OPS for leaf in h.leaves(name))


def extract_auxiliary(graph: Graph, h: Hierarchy) -> dict[str, str]:
    """{box: reason} for every box that goes to the side area, at every level."""
    aux: dict[str, str] = {}
    for group in [ROOT, *h.groups()]:
        kids = h.children[group]
        for kid in kids:
            if is_bookkeeping(graph, h, kid):
                aux[kid] = "bookkeeping"
        if len(kids) < MIN_NODES:
            continue
        ins, outs = degrees(kids, level_edges(graph, h, group))
        max_in, max_out = degree_bounds(ins.values(), outs.values())
        for kid in kids:
            if kid in aux:
                continue
            if ins[kid] > max_in:
                aux[kid] = f"high in-degree ({ins[kid]} > {max_in:g})"
            elif outs[kid] > max_out:
                aux[kid] = f"high out-degree ({outs[kid]} > {max_out:g})"
    return aux


@dataclass(frozen=True)
class Stub:
    """An edge to or from a side-area box, drawn as a stub on the main box ``node``."""

    node: str
    other: str                              # the box in the side area
    direction: str                          # "in": other -> node; "out": node -> other
    edge: MetaEdge


def split_stubs(metaedges: list[MetaEdge], is_aux: Collection[str]) -> tuple[list, list, list]:
    """(main metaedges, stubs on main boxes, metaedges between two side-area boxes)."""
    main, stubs, aside = [], [], []
    for m in metaedges:
        src_aux, dst_aux = m.src in is_aux, m.dst in is_aux
        if src_aux and dst_aux:
            aside.append(m)
        elif src_aux:
            stubs.append(Stub(m.dst, m.src, "in", m))
        elif dst_aux:
            stubs.append(Stub(m.src, m.dst, "out", m))
        else:
            main.append(m)
    return main, stubs, aside


def aux_boxes(h: Hierarchy, aux: dict[str, str], boxes: Collection[str]) -> set[str]:
    """The visible boxes drawn in the side area: extracted ones and any box inside them."""
    return {b for b in boxes if any(node in aux for node in h.path(b))}
