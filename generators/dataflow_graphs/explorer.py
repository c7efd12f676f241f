"""The JSON the page's explorer draws (site_config/assets/js/dataflow.js).

Everything the simplifications found is computed here, once, by the tested Python
functions: the hierarchy, templates, series, side-area boxes and overlay values and
colours. The explorer only bundles edges for the expansion state the reader chooses
(the same rule as ``hierarchy.bundle``) and lays the boxes out with dagre.
"""
from __future__ import annotations

from generators.dataflow_graphs import Analysis
from generators.dataflow_graphs.figures import stats
from generators.dataflow_graphs.hierarchy import ROOT
from generators.dataflow_graphs.overlay import OVERLAYS, log_scale, overlay_colours


def ramp(cmap: str, steps: int = 8) -> list[str]:
    """Evenly spaced colours of a matplotlib colormap, for the explorer's legend."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    return [to_hex(colormaps[cmap](i / (steps - 1))) for i in range(steps)]


def explorer_data(a: Analysis, title: str, theme) -> dict:
    """JSON-ready description of one traced step for the explorer.

    One file serves both page themes: overlay colours and the ink on them come from
    ``theme`` (the light one: its inks are near-black and white, readable on the fills
    whatever the page colour around them)."""
    g, h = a.graph, a.h
    overlays = {}
    for key, values in a.values.items():
        merged = {**values, **a.values_series[key]}
        colours = overlay_colours(merged, log_scale(merged.values()), theme)
        overlays[key] = {"label": OVERLAYS[key], "values": merged,
                         "colors": {k: list(v) for k, v in colours.items()},
                         "min": min(merged.values()), "max": max(merged.values())}
    return {
        "title": title,
        "ops": [{"name": n.name, "op": n.op, "parent": h.parent[n.name],
                 "shapes": [list(s) for s in n.shapes]} for n in g.nodes],
        "edges": [[e.src, e.dst, e.kind, None if e.shape is None else list(e.shape)]
                  for e in g.edges],
        "groups": {name: {"label": h.labels[name], "parent": h.parent[name],
                          "children": list(h.children[name]), "template": a.templates.get(name)}
                   for name in h.groups()},
        "top": list(h.children[ROOT]),
        "series": [{"name": s.name, "label": s.label, "parent": s.parent,
                    "members": list(s.members)} for s in a.series],
        "aux": a.aux, "auxSeries": a.aux_series,
        "overlays": overlays,
        "ramp": ramp(theme.sequential),
        "stats": {k.split("_", 1)[1]: v for k, v in stats(a, "x").items()},
    }
