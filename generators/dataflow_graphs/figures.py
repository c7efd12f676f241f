"""Drawings and numbers shared by the MLP and CNN generators (``fig_mlp``, ``fig_cnn``).

``draw_*`` return SVG bytes laid out by Graphviz at most 7.2 in wide (dot compresses the
layout; fonts keep their size), or, when ``theme.narrow``, re-laid for a phone's column;
``stats`` returns the counts the lesson quotes.

The phone layout: the page shrinks a drawing W px wide into a 288-px column, so what
counts is W over the smallest font size. The narrow drawings are therefore not squeezed
to a size (dot would shrink their text) but re-arranged to be narrow at full size: small
text a point larger, nodes packed closer, the side area as a row under the graph, each
bundled edge's label written in the box the edge enters (labels beside parallel edges
would sit side by side), the raw graph above the overview, and the expanded graph's
groups one under another in the order the data flows through them.
"""
from __future__ import annotations

from collections import Counter

from generators.dataflow_graphs import Analysis
from generators.dataflow_graphs.auxiliary import aux_boxes, degree_bounds, degrees, split_stubs
from generators.dataflow_graphs.hierarchy import ROOT, Hierarchy, all_groups, bundle, visible
from generators.dataflow_graphs.overlay import OVERLAYS, log_scale, overlay_colours
from generators.dataflow_graphs.render import (NARROW_SMALL, SMALL, add_raw, add_state, flow_order,
                                               graph, svg)

WIDTH = "7.2,60"        # inches: the widest a course figure should be
NARROW_NODESEP = "0.02"  # inches between nodes of a rank in the phone layout (0.12 wide)
RAW_NODESEP = "0.08"    # the raw graph beside the overview: dot shrinks it less (text >= 9 px)


def _graph(theme, **attrs) -> object:
    """An empty graph: compressed to at most a column's width, or packed for a phone."""
    if not theme.narrow:
        return graph(theme, ratio="compress", size=WIDTH, **attrs)
    G = graph(theme, **attrs)
    G.graph_attr.update(nodesep=NARROW_NODESEP, searchsize="100")  # a longer search: narrower
    G.edge_attr.update(fontsize=str(NARROW_SMALL))
    return G


def draw_overview(a: Analysis, theme, *, series: bool = False, overlay: str | None = None) -> bytes:
    """The top level: one box per namespace, bundled edges, bookkeeping to the side."""
    G = _graph(theme)
    colours = None
    h, aux = (a.hs, a.aux_series) if series else (a.h, a.aux)
    if overlay is not None:
        values = (a.values_series if series else a.values)[overlay]
        colours = overlay_colours(values, log_scale(values.values()), theme)
        _legend(G, a, values, overlay, theme)
    add_state(G, a, set(), theme, series=series, colours=colours, narrow=theme.narrow)
    if overlay is not None and theme.narrow:     # the legend on a row of its own, on top
        for box in _main_order(a, h, aux)[:1]:
            G.add_edge("legend", box, style="invis")
    return svg(G)


def draw_expanded(a: Analysis, theme) -> bytes:
    """Every group of the main graph open; shapes written on the ops."""
    G = _graph(theme)
    add_state(G, a, all_groups(a.h), theme, shapes_on_ops=True, narrow=theme.narrow)
    if theme.narrow:
        _stack_groups(G, a)
    return svg(G)


def _main_order(a: Analysis, h: Hierarchy, aux: dict) -> list[str]:
    """The main graph's top-level boxes in the order the data flows through them."""
    side = aux_boxes(h, aux, visible(h, set())[0])
    main = split_stubs(bundle(a.graph, h, set())[0], side)[0]
    return flow_order([b for b in h.children[ROOT] if b not in side], main)


def _stack_groups(G, a: Analysis) -> None:
    """Phone layout of the expanded graph: the top-level groups one under another in the
    order the data flows through them (each group's first ops below the previous group's
    last ones, by invisible edges), and the last group's ops (the updates) in a column."""
    h = a.h
    groups = _main_order(a, h, a.aux)
    inner = [(m.src, m.dst) for m in bundle(a.graph, h, all_groups(h))[0]]
    for upper, lower in zip(groups, groups[1:]):
        ops_u, ops_l = h.leaves(upper), h.leaves(lower)
        sinks = [o for o in ops_u if not any(s == o and d in ops_u for s, d in inner)]
        sources = [o for o in ops_l if not any(d == o and s in ops_l for s, d in inner)]
        for u in sinks:
            for v in sources:
                G.add_edge(u, v, style="invis")
    updates = h.leaves(groups[-1])
    for upper, lower in zip(updates, updates[1:]):
        G.add_edge(upper, lower, style="invis")


def draw_raw_and_overview(a: Analysis, theme) -> bytes:
    """The raw graph (every op, every edge) beside the simplified overview; above it on a phone."""
    G = _graph(theme, **({} if theme.narrow else {"nodesep": RAW_NODESEP}))
    raw = G.add_subgraph(name="cluster_raw", label=f"raw: {len(a.graph.nodes)} ops, "
                         f"{len(a.graph.edges)} edges", color=theme.grid, style="rounded")
    add_raw(raw, a, theme, tight=True)
    simple = G.add_subgraph(name="cluster_simple", label="simplified overview",
                            color=theme.grid, style="rounded")
    add_state(simple, a, set(), theme, prefix="top:", narrow=theme.narrow)
    if theme.narrow:   # invisible edges from the raw graph's last ops hold the overview under it
        sinks = [n for n in raw.nodes() if G.out_degree(n) == 0]
        sources = [n for n in simple.nodes() if G.in_degree(n) == 0]
        for upper in sinks:
            for lower in sources:
                G.add_edge(upper, lower, style="invis", weight="0")
    return svg(G)


def _legend(G, a: Analysis, values: dict, overlay: str, theme) -> None:
    """A colour strip from the smallest to the largest value, on the overlay's scale:
    logarithmic in 1 + value (so a box with value 0 has a colour), and labelled so."""
    scale = log_scale(values.values())
    lo, hi = min(values.values()), max(values.values())
    steps = [10 ** (scale[0] + (scale[1] - scale[0]) * i / 7) - 1 for i in range(8)]
    colours = overlay_colours({str(i): v for i, v in enumerate(steps)}, scale, theme)
    cells = "".join(f'<TD BGCOLOR="{colours[str(i)][0]}" WIDTH="14" HEIGHT="10"></TD>'
                    for i in range(8))
    label = (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD COLSPAN="8">'
             f'{OVERLAYS[overlay]}, colour by log(1 + value)</TD></TR><TR>{cells}</TR><TR>'
             f'<TD COLSPAN="4" ALIGN="LEFT">{lo:,.0f}</TD>'
             f'<TD COLSPAN="4" ALIGN="RIGHT">{hi:,.0f}</TD>'
             f'</TR></TABLE>>')
    G.add_node("legend", label=label, shape="plaintext",
               fontsize=str(NARROW_SMALL if theme.narrow else SMALL))


def stats(a: Analysis, net: str) -> dict[str, float]:
    """Counts the lesson quotes, prefixed with ``net`` ("mlp", "cnn")."""
    g, h = a.graph, a.h
    kinds = Counter(e.kind for e in g.edges)
    boxes, _ = visible(h, set())
    side = aux_boxes(h, a.aux, boxes)
    main, stubs, _ = split_stubs(bundle(g, h, set())[0], side)
    flat = bundle(g, h, all_groups(h))[0]
    ins, outs = degrees([n.name for n in g.nodes], flat)
    max_in, max_out = degree_bounds(ins.values(), outs.values())
    out = {"ops": len(g.nodes), "edges": len(g.edges), "data_edges": kinds["data"],
           "reference_edges": kinds["reference"], "control_edges": kinds["control"],
           "groups": len(h.groups()),
           "largest_level": max(len(h.children[g]) for g in ["", *h.groups()]),
           "top_boxes": len(boxes) - len(side),
           "aux_boxes": len(side), "overview_edges": len(main), "stubs": len(stubs),
           "bundled_edges": sum(m.count for m in main),
           "templates": len(set(a.templates.values())),
           "templated_groups": len(a.templates), "series": len(a.series),
           "params": int(sum(a.values["params"][b] for b in h.children[""])),
           "max_in_degree": max(ins.values()), "max_out_degree": max(outs.values()),
           "in_bound": float(max_in), "out_bound": float(max_out)}
    return {f"{net}_{k}": v for k, v in out.items()}
