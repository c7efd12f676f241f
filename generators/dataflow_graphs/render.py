"""Graphviz drawings of a dataflow graph in one expansion state, in a theme's colours.

``add_state`` puts one state into a pygraphviz graph: open groups become clusters,
closed groups rounded boxes (in their template's colour, or the overlay's), ops
ellipses, series stacked boxes; the side area is a dashed cluster of its own and the
edges to it are stubs written under the boxes they leave ("→ init"). Metaedges carry
their count and tensor shape as a label and get wider with the numbers they carry
(logarithmic); in the phone layout (``narrow``) the label is written in the box the
edge enters instead ("from dense1: (10, 30)") and the side area is a row underneath.
``add_raw`` draws the unsimplified graph: every op and every edge.
``svg`` lays out with dot and returns SVG bytes. Nothing here computes the graph.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from html import escape

from generators.dataflow_graphs import Analysis
from generators.dataflow_graphs.auxiliary import aux_boxes, split_stubs
from generators.dataflow_graphs.hierarchy import ROOT, Hierarchy, MetaEdge, bundle, visible
from generators.dataflow_graphs.overlay import log_scale, position
from generators.style import graphviz_svg

FONT = "DejaVu Sans"
SMALL = 9               # points: second lines in boxes (shapes, op counts, stubs)
NARROW_SMALL = 10       # the same in the phone layout (a drawing about 4 in wide shown in 3 in)
TIGHT_OP_MARGIN = "0.02,0.01"  # inches around an op's text in a tight ellipse (default 0.06,0.03)
NARROW_BOX_MARGIN = "0.14,0.05"  # around a box's text: browsers set it ~4% wider than dot measures
EDGE_STYLE = {"data": "solid", "reference": "dashed", "control": "dotted"}


def mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from hex colour ``a`` to ``b``."""
    ca, cb = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))


def shape_text(shape: tuple[int, ...]) -> str:
    return "scalar" if shape == () else "(" + ", ".join(map(str, shape)) + ")"


def edge_label(m: MetaEdge) -> str:
    """"(10, 30)" for one tensor; "3 tensors" over up to two shapes (then "…") for a bundle."""
    if not m.shapes:
        return "control" if m.count == 1 else f"{m.count} × control"
    if m.count == 1:
        return shape_text(m.shapes[0])
    lines = [f"{m.count} tensors"] + [shape_text(s) for s in m.shapes[:2]]
    return "\n".join(lines) + (" …" if len(m.shapes) > 2 else "")


def box_label_rows(source: str, label: str) -> list[str]:
    """An edge's label as rows for the box it enters: "from dense1: 2 tensors", then its shapes."""
    first, *shapes = label.split("\n")
    rows = [f"from {source}: {first}"]
    return rows + [", ".join(shapes)] if shapes else rows


def flow_order(boxes: list[str], edges: list[MetaEdge]) -> list[str]:
    """``boxes`` in the order the data flows through them: by the longest path from a
    source along ``edges`` (a cycle stops counting), ties in the given order."""
    depth = dict.fromkeys(boxes, 0)
    for _ in boxes:
        for m in edges:
            if m.src in depth and m.dst in depth:
                depth[m.dst] = max(depth[m.dst], min(depth[m.src] + 1, len(boxes)))
    return sorted(boxes, key=depth.get)


def graph(theme, **attrs) -> object:
    """An empty directed pygraphviz graph with the course's fonts and the theme's ink
    (``attrs``: graph attributes, over the defaults)."""
    import pygraphviz as pgv

    G = pgv.AGraph(directed=True, strict=False, **{
        "rankdir": "TB", "bgcolor": "transparent", "fontname": FONT, "fontcolor": theme.fg,
        "fontsize": "11", "nodesep": "0.12", "ranksep": "0.32", "newrank": "true", **attrs})
    G.node_attr.update(fontname=FONT, fontsize="11", fontcolor=theme.fg, color=theme.muted,
                       margin="0.06,0.03", height="0.3")
    G.edge_attr.update(fontname=FONT, fontsize="9", fontcolor=theme.muted, arrowsize="0.6")
    return G


def template_of(a: Analysis, name: str) -> int | None:
    """The template of a group, or of the members of a series box (all built alike); else None."""
    if name in a.templates:
        return a.templates[name]
    members = next((s.members for s in a.series if s.name == name), ())
    return a.templates.get(members[0]) if members else None


def fill_of(a: Analysis, h: Hierarchy, name: str, theme, colours: Mapping | None) -> tuple[str, str]:
    """(fill, text colour) of a box: the overlay's colour, else its template's (a series box
    takes its members' template), else neutral."""
    if colours is not None:
        return colours[name]
    tid = template_of(a, name)
    if tid is None:
        return (mix(theme.muted, theme.bg, 0.82) if h.is_group(name) else theme.bg), theme.fg
    return mix(theme.palette[tid % len(theme.palette)], theme.bg, 0.55), theme.fg


def add_state(G, a: Analysis, expanded: Collection[str], theme, *, series: bool = False,
              colours: Mapping | None = None, prefix: str = "", shapes_on_ops: bool = False,
              narrow: bool = False) -> None:
    """Draw ``a`` in expansion state ``expanded`` into ``G`` (node ids get ``prefix``).

    ``shapes_on_ops``: write each op's output shape under its name and label only the
    bundled edges (an edge from an op carries that op's output): a narrower drawing.
    ``narrow``: the layout for a phone: the side area as one row under the graph, not a
    column beside it, and each edge's label written in the box it enters ("from dense1:
    (10, 30)"), not beside the edge, where labels of parallel edges would sit side by side."""
    h, aux = (a.hs, a.aux_series) if series else (a.h, a.aux)
    expanded = closed_aside(h, aux, expanded)
    boxes, _ = visible(h, expanded)
    side = aux_boxes(h, aux, boxes)
    metaedges, _ = bundle(a.graph, h, expanded)
    main, stubs, aside = split_stubs(metaedges, side)
    top_aux = {b: next(n for n in h.path(b) if n in aux) for b in side}
    notes: dict[str, dict[str, set]] = {}
    for s in stubs:
        notes.setdefault(s.node, {"in": set(), "out": set()})[s.direction].add(h.labels[top_aux[s.other]])
    labels = {id(m): edge_label(m) if m.count > 1 or not shapes_on_ops else ""
              for m in main + aside}
    entering: dict[str, list[str]] = {}     # box -> rows naming the labelled edges into it
    if narrow:
        order = flow_order(boxes, main + aside)
        for m in sorted(main + aside, key=lambda m: order.index(m.src)):
            if labels[id(m)]:
                rows = box_label_rows(h.labels[m.src], labels[id(m)])
                entering.setdefault(m.dst, []).extend(rows)
                labels[id(m)] = ""
    aux_cluster = G.add_subgraph(name=f"cluster_{prefix}aux", label="auxiliary nodes",
                                 style="rounded,dashed", color=theme.muted, fontsize="11",
                                 fontcolor=theme.muted, labeljust="l", margin="8")
    index = iter(range(10**6))
    stack: list[str] = []

    def walk(group: str, container) -> None:
        for kid in h.children[group]:
            here = aux_cluster if kid in aux else container
            if kid in aux:
                stack.append(prefix + kid)
            if h.is_group(kid) and kid in expanded:
                tid = a.templates.get(kid)
                edge = theme.muted if tid is None else theme.palette[tid % len(theme.palette)]
                sub = here.add_subgraph(name=f"cluster_{prefix}{next(index)}", label=h.labels[kid],
                                        style="rounded", color=edge, penwidth="1.4",
                                        fontcolor=theme.fg, labeljust="l", margin="6")
                walk(kid, sub)
            else:
                _add_box(here, a, h, kid, theme, colours, notes.get(kid), prefix, shapes_on_ops,
                         narrow, entering.get(kid, ()))

    walk(ROOT, G)
    if narrow:          # the side area as one row under the main graph's last boxes
        aux_cluster.add_subgraph(stack, name=f"{prefix}aside_row", rank="same")
        last = {m.dst for m in main} - {m.src for m in main}
        bottom = prefix + max(last, key=boxes.index)    # the last box drawn
        for box in stack:
            G.add_edge(bottom, box, style="invis")
    else:
        for upper, lower in zip(stack, stack[1:]):  # the side area as one column
            G.add_edge(upper, lower, style="invis")
    scale = log_scale(m.size for m in metaedges if m.size)
    for m in main + aside:
        G.add_edge(prefix + m.src, prefix + m.dst, label=labels[id(m)], style=EDGE_STYLE[m.kind],
                   color=theme.palette[1] if m.kind == "reference" else
                   theme.fg if m.kind == "data" else theme.muted,
                   penwidth=f"{0.8 + 2.0 * position(m.size, scale) if m.size else 0.9:.2f}")


def closed_aside(h: Hierarchy, aux: Collection[str], expanded: Collection[str]) -> set[str]:
    """``expanded`` without the groups in the side area: those stay closed boxes."""
    return {g for g in expanded if not any(n in aux for n in h.path(g))}


def _add_box(container, a: Analysis, h: Hierarchy, name: str, theme, colours, notes, prefix,
             shapes_on_ops: bool, narrow: bool, entering: Collection[str]) -> None:
    """One closed group (rounded box), series (stacked box) or op (ellipse) with its rows:
    name, shape or op count, the labels of the edges entering it (``entering``), stubs."""
    small = NARROW_SMALL if narrow else SMALL
    fill, ink = fill_of(a, h, name, theme, colours)
    rows = [f"<B>{escape(h.labels[name])}</B>" if h.is_group(name) else escape(h.labels[name])]
    if shapes_on_ops and not h.is_group(name) and a.graph.node(name).shapes:
        rows.append(f'<FONT POINT-SIZE="{small}">{shape_text(a.graph.node(name).shapes[0])}</FONT>')
    if h.is_group(name):
        n = len(h.leaves(name))
        rows.append(f'<FONT POINT-SIZE="{small}">{n} op{"s" if n > 1 else ""}</FONT>')
    rows += [f'<FONT POINT-SIZE="{small}">{escape(r)}</FONT>' for r in entering]
    for direction, arrow in (("in", "\u2190"), ("out", "\u2192")):
        if notes and notes[direction]:
            rows.append(f'<FONT POINT-SIZE="{small}">{arrow} {escape(", ".join(sorted(notes[direction])))}</FONT>')
    label = "<" + "<BR/>".join(f'<FONT COLOR="{ink}">{r}</FONT>' for r in rows) + ">"
    is_series = h.is_group(name) and name not in a.h.children
    shape = "box3d" if is_series else "box" if h.is_group(name) else "ellipse"
    style = "rounded,filled" if h.is_group(name) and not is_series else "filled"
    margin = ({"margin": TIGHT_OP_MARGIN if shape == "ellipse" else NARROW_BOX_MARGIN}
              if narrow else {})
    container.add_node(prefix + name, label=label, shape=shape, style=style, fillcolor=fill,
                       **margin, color=theme.fg if h.is_group(name) else theme.muted,
                       penwidth="1.3" if h.is_group(name) else "1")


def add_raw(G, a: Analysis, theme, prefix: str = "raw:", tight: bool = False) -> None:
    """Every op (labelled by its op type) and every raw edge, with no simplification.

    ``tight``: ellipses closer around their text (a narrower drawing)."""
    margin = {"margin": TIGHT_OP_MARGIN} if tight else {}
    for n in a.graph.nodes:
        G.add_node(prefix + n.name, label=n.op, shape="ellipse", style="filled",
                   fillcolor=theme.bg, fontsize="10", **margin)
    for e in a.graph.edges:
        G.add_edge(prefix + e.src, prefix + e.dst, style=EDGE_STYLE[e.kind], penwidth="0.9",
                   color=theme.palette[1] if e.kind == "reference" else
                   theme.fg if e.kind == "data" else theme.muted)


def svg(G) -> bytes:
    """Lay out with dot and return the SVG document."""
    return graphviz_svg(G)
