"""Draw functions of ``fig_valley.py``: they plot its computed data and train nothing."""

from __future__ import annotations

import numpy as np

from generators.figure import Params
from generators.layout import NARROW_WIDTH, subplots
from generators.style import decade_label

RATE_NAMES = ("too small", "good", "too large")


def _contours(ax, d: dict, theme, *, labels: bool = True) -> None:
    """Contours of C(w, b) at logarithmically spaced levels, and the minimum as a cross."""
    levels = d["cost_min"] * np.geomspace(1.25, d["C"].max() / d["cost_min"], 9)
    cs = ax.contour(d["ws"], d["bs"], d["C"], levels=levels, colors=[theme.muted], linewidths=0.9)
    if labels:
        for label in ax.clabel(cs, cs.levels[::2], fmt="%.2g", fontsize=9, colors=[theme.fg]):
            # on the page colour and above the arrows, which would otherwise cross the digits
            label.set(zorder=4, bbox={"facecolor": theme.bg, "linewidth": 0, "pad": 0.6})
    ax.plot(d["w_min"], d["b_min"], "x", ms=9, mew=2.2, color=theme.fg, zorder=6)
    ax.set_xlim(d["ws"][0], d["ws"][-1])
    ax.set_ylim(d["bs"][0], d["bs"][-1])
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")
    ax.set_aspect("equal")


def _examples(d: dict) -> list[tuple[float, float]]:
    """Three (w, b): the start, halfway to the minimum, the minimum."""
    w0, b0, w1, b1 = d["w0"], d["b0"], d["w_min"], d["b_min"]
    return [(w0, b0), ((w0 + w1) / 2, (b0 + b1) / 2), (w1, b1)]


def _until_outside(path: np.ndarray, d: dict) -> np.ndarray:
    """The path up to its first point outside the map (kept, so the line runs off the edge)."""
    inside = ((path[:, 0] >= d["ws"][0]) & (path[:, 0] <= d["ws"][-1])
              & (path[:, 1] >= d["bs"][0]) & (path[:, 1] <= d["bs"][-1]))
    out = np.flatnonzero(~inside)
    return path if out.size == 0 else path[:out[0] + 1]


def draw_surface(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Side by side on desktops; on a phone the map (as wide as the column) under the data
    # and the legend at the bottom.
    if theme.narrow:
        fig, (ax_d, ax_c) = plt.subplots(2, 1, figsize=(NARROW_WIDTH, 7.8), layout="constrained",
                                         height_ratios=[2.8, 4.1])
    else:
        fig, (ax_d, ax_c) = plt.subplots(1, 2, figsize=(7.2, 4.1), layout="constrained")
    ax_d.plot(d["x"], d["y"], "o", ms=5, color=theme.fg, mfc=theme.bg, mew=1.1, label="data")
    xs = np.array([0.0, p["x_max"]])
    for i, ((w, b), name) in enumerate(zip(_examples(d), ("start", "halfway", "lowest cost"))):
        color = theme.palette[i + 1]
        label = f"{name}: $w$={w:.2f}, $b$={b:.2f}".replace("-", "\u2212")
        ax_d.plot(xs, w * xs + b, color=color, label=label)
        ax_c.plot(w, b, "o", ms=7, color=color, zorder=5)
    ax_d.set_xlabel("input $x$")
    ax_d.set_ylabel("output $y$ or $a$")
    fig.legend(*ax_d.get_legend_handles_labels(), loc="outside lower center",
               ncols=1 if theme.narrow else 2, frameon=False, fontsize=10)
    _contours(ax_c, d, theme)
    g = d["arrows"]
    norm = np.linalg.norm(g, axis=2, keepdims=True)
    u = -g / np.maximum(norm, 1e-12)            # direction only: lengths would swamp the map
    ax_c.quiver(d["aw"], d["ab"], u[..., 0], u[..., 1], color=theme.palette[0], angles="xy",
                scale_units="xy", scale=2.0, width=0.007, zorder=3)
    ax_c.set_title("contours of $C(w, b)$," + ("\n" if theme.narrow else " ")
                   + "arrows $-\\nabla C$", fontsize=11)
    return fig


def draw_first_step(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    from matplotlib.ticker import MultipleLocator

    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 3.6) if theme.narrow else (6.0, 3.2),
                           layout="constrained")
    e = d["step_etas"]
    ax.axhline(0, color=theme.grid, lw=1, zorder=0)
    ax.plot(e, d["step_change"], color=theme.palette[0], label="real change $\\Delta C$")
    ax.plot(e, d["step_predicted"], color=theme.palette[1], ls="--",
            label="prediction $-\\eta\\,\\Vert\\nabla C\\Vert^2$")
    low = d["step_change"].min()
    best = int(np.argmin(d["step_change"]))
    ax.plot(e[best], low, "o", ms=7, color=theme.palette[0])
    # On a phone below right of the point: above it the text would cross the dashed line.
    ax.annotate("best single step", (e[best], low), xytext=(6, -6) if theme.narrow else (0, 10),
                textcoords="offset points", ha="left" if theme.narrow else "center",
                va="top" if theme.narrow else "bottom", fontsize=10)
    ax.set_ylim(2.4 * low, -1.4 * low)
    ax.set_xlim(0, e[-1])
    ax.set_xlabel("learning rate $\\eta$")
    ax.set_ylabel("change of cost in one step")
    if theme.narrow:  # under the plot: a narrow plot's upper left meets the rising curve
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", frameon=False)
        ax.xaxis.set_major_locator(MultipleLocator(0.5))
    else:
        ax.legend(frameon=False, loc="upper left")
    return fig


def draw_paths(d: dict, p: Params, theme) -> object:
    """A 2 x 2 grid (a column on a phone): the three descent paths on the cost map, then
    their costs per step."""
    import matplotlib.pyplot as plt

    if theme.narrow:  # on a phone one column: three maps, then the costs
        fig, axes = subplots(theme, 4, height=3.3, narrow_height=2.8, layout="constrained")
        maps, costs = axes[:3], axes[3]
    else:
        fig, axes = plt.subplots(2, 2, figsize=(7.0, 6.6), layout="constrained")
        maps, costs = [axes[0, 0], axes[0, 1], axes[1, 0]], axes[1, 1]
    for i, (ax, run) in enumerate(zip(maps, d["runs"])):
        _contours(ax, d, theme, labels=False)
        path, color = _until_outside(run["path"], d), theme.palette[i]
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, ms=3.2, lw=1.0, zorder=3)
        ax.plot(*path[0], "o", ms=9, fillstyle="none", mec=theme.fg, mew=1.4, zorder=5)
        name = f" ({RATE_NAMES[i]})" if i < len(RATE_NAMES) else ""
        ax.set_title(f"$\\eta$ = {run['eta']:g}{name}", fontsize=11)
    _cost_panel(costs, d, theme)
    return fig


def _cost_panel(ax, d: dict, theme) -> None:
    """Cost after every step of each run, logarithmic, with the lowest possible cost."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    for i, run in enumerate(d["runs"]):
        flag = ", diverges" if run["diverged"] else ""
        ax.plot(np.arange(len(run["cost"])), run["cost"], color=theme.palette[i],
                label=f"$\\eta$ = {run['eta']:g}{flag}")
    ax.axhline(d["cost_min"], color=theme.fg, ls=":", lw=1.4, label="lowest cost")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_major_formatter(FuncFormatter(decade_label))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(0, len(d["runs"][0]["cost"]) - 1)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost $C$ (logarithmic)")
    ax.set_title("cost after each step", fontsize=11)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
