"""Drawings and numbers shared by the MLP and CNN generators (``fig_mlp``, ``fig_cnn``).

``draw_*`` return SVG bytes laid out by Graphviz at most 7.2 in wide (dot compresses the
layout; fonts keep their size); ``stats`` returns the counts the lesson quotes.
"""
from __future__ import annotations

from collections import Counter

from generators.dataflow_graphs import Analysis
from generators.dataflow_graphs.auxiliary import aux_boxes, degree_bounds, degrees, split_stubs
from generators.dataflow_graphs.hierarchy import all_groups, bundle, visible
from generators.dataflow_graphs.overlay import OVERLAYS, log_scale, overlay_colours
from generators.dataflow_graphs.render import add_raw, add_state, graph, svg

WIDTH = "7.2,60"        # inches: the widest a course figure should be


def draw_overview(a: Analysis, theme, *, series: bool = False, overlay: str | None = None) -> bytes:
    """The top level: one box per namespace, bundled edges, bookkeeping to the side."""
    G = graph(theme, ratio="compress", size=WIDTH)
    colours = None
    if overlay is not None:
        values = (a.values_series if series else a.values)[overlay]
        colours = overlay_colours(values, log_scale(values.values()), theme.sequential)
        _legend(G, a, values, overlay, theme)
    add_state(G, a, set(), theme, series=series, colours=colours)
    return svg(G)


def draw_expanded(a: Analysis, theme) -> bytes:
    """Every group of the main graph open; shapes written on the ops."""
    G = graph(theme, ratio="compress", size=WIDTH)
    add_state(G, a, all_groups(a.h), theme, shapes_on_ops=True)
    return svg(G)


def draw_raw_and_overview(a: Analysis, theme) -> bytes:
    """The raw graph (every op, every edge) beside the simplified overview."""
    G = graph(theme, ratio="compress", size=WIDTH)
    raw = G.add_subgraph(name="cluster_raw", label=f"raw: {len(a.graph.nodes)} ops, "
                         f"{len(a.graph.edges)} edges", color=theme.grid, style="rounded")
    add_raw(raw, a, theme)
    simple = G.add_subgraph(name="cluster_simple", label="simplified overview",
                            color=theme.grid, style="rounded")
    add_state(simple, a, set(), theme, prefix="top:")
    return svg(G)


def _legend(G, a: Analysis, values: dict, overlay: str, theme) -> None:
    """A colour strip from the smallest to the largest value, marked as logarithmic."""
    scale = log_scale(values.values())
    lo, hi = min(values.values()), max(values.values())
    steps = [10 ** (scale[0] + (scale[1] - scale[0]) * i / 7) - 1 for i in range(8)]
    colours = overlay_colours({str(i): v for i, v in enumerate(steps)}, scale, theme.sequential)
    cells = "".join(f'<TD BGCOLOR="{colours[str(i)][0]}" WIDTH="14" HEIGHT="10"></TD>'
                    for i in range(8))
    label = (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD COLSPAN="8">'
             f'{OVERLAYS[overlay]} (logarithmic)</TD></TR><TR>{cells}</TR><TR>'
             f'<TD COLSPAN="4" ALIGN="LEFT">{lo:,.0f}</TD>'
             f'<TD COLSPAN="4" ALIGN="RIGHT">{hi:,.0f}</TD>'
             f'</TR></TABLE>>')
    G.add_node("legend", label=label, shape="plaintext", fontsize="9")


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
