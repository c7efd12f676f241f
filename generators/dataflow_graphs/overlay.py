"""Quantitative overlays: a number for every op and group, measured on the traced step.

- ``params``: numbers stored in the variables inside (a Variable op holds its own);
- ``output``: numbers the ops inside produce during the step (the sizes of their
  output tensors), a measure of the memory the step's activations and gradients take;
- ``time`` (only if the step was traced with a timer): seconds spent in each
  namespace the tracer timed (a layer's forward or backward, the cost, the update).

A group's value is the sum over what it contains. Colours come from the theme's
sequential colormap on a logarithmic scale of 1 + value, since values span several
decades and some are 0; text on a coloured box takes the theme's ink that reads best on it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import log10

from generators.dataflow_graphs.hierarchy import Hierarchy, tensor_size
from generators.nn import Graph

OVERLAYS = {"params": "parameters", "output": "output numbers", "time": "time (\u00b5s)"}


def overlay_values(graph: Graph, h: Hierarchy) -> dict[str, dict[str, float]]:
    """{overlay: {op or group: value}}; ``time`` only when the graph has timings."""
    params = {n.name: float(tensor_size(n.shapes[0])) if n.op == "Variable" else 0.0
              for n in graph.nodes}
    output = {n.name: float(sum(tensor_size(s) for s in n.shapes)) for n in graph.nodes}
    out = {"params": _sum_up(h, params), "output": _sum_up(h, output)}
    if graph.seconds:
        micro = {name: 1e6 * s for name, s in graph.seconds.items()}
        out["time"] = _sum_up(h, {**{n.name: 0.0 for n in graph.nodes}, **micro})
    return out


def _sum_up(h: Hierarchy, measured: Mapping[str, float]) -> dict[str, float]:
    """Each measured value (of an op, or of a group the tracer timed) added to its own
    box and to every group above it."""
    total = {name: 0.0 for name in h.parent}
    for name, value in measured.items():
        node = name
        while node in total:
            total[node] += value
            node = h.parent[node]
    return total


def log_scale(values: Iterable[float]) -> tuple[float, float]:
    """(lo, hi) of log10(1 + v) over ``values``, for mapping a value to [0, 1]."""
    logs = [log10(1.0 + v) for v in values] or [0.0]
    return min(logs), max(logs)


def position(value: float, scale: tuple[float, float]) -> float:
    """Where ``value`` sits on a log ``scale`` from ``log_scale``, in [0, 1]."""
    lo, hi = scale
    return 0.0 if hi <= lo else (log10(1.0 + value) - lo) / (hi - lo)


def overlay_colours(values: Mapping[str, float], scale: tuple[float, float],
                    theme) -> dict[str, tuple[str, str]]:
    """{name: (fill, text colour)}: the theme's sequential colormap at the value, and
    whichever of the theme's two inks (``fg``, ``bg``: one dark, one light) reads better on it."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps[theme.sequential]
    out = {}
    for name, v in values.items():
        fill = to_hex(cmap(position(v, scale))[:3])
        out[name] = (fill, ink_on(fill, theme))
    return out


def ink_on(fill: str, theme) -> str:
    """The theme's ``fg`` or ``bg``, whichever has the larger WCAG contrast ratio on ``fill``."""
    return max((theme.fg, theme.bg), key=lambda ink: contrast(ink, fill))


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a colour matplotlib understands (e.g. a hex string)."""
    from matplotlib.colors import to_rgb

    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
