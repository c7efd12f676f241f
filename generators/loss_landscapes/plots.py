"""Drawing the digits network's landscape: the line from theta_0 to theta*, and the planes.

Draw functions only (``fig_landscape`` computes what they draw); matplotlib is imported
inside them, as in every figure generator.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Params
from generators.layout import subplots


def draw_line(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import PercentFormatter

    from generators.style import decade_label

    # Cost beside accuracy; on a phone cost above accuracy (generators/layout.py).
    fig, (ax_c, ax_a) = subplots(theme, 2, height=2.9, narrow_height=2.6, layout="constrained")
    for split, color, ls in (("train", theme.palette[0], "-"), ("test", theme.palette[1], "--")):
        ax_c.plot(d["ts"], d["line"][split][:, 0], color=color, ls=ls,
                  label="training" if split == "train" else "test")
        ax_a.plot(d["ts"], d["line"][split][:, 1], color=color, ls=ls)
    for ax in (ax_c, ax_a):
        for a in (0, 1):
            ax.axvline(a, color=theme.muted, lw=1, ls=":", zorder=0)
        ax.set_xlabel(r"$t$ in $(1-t)\,\theta_0 + t\,\theta^*$")
        ax.set_xlim(d["ts"][0], d["ts"][-1])
        ax.set_xticks([-0.5, 0, 0.5, 1, 1.5])
    ax_c.set_yscale("log")
    ax_c.yaxis.set_major_formatter(decade_label)
    ax_c.set_ylabel("cost $C$ (logarithmic)")
    ax_c.legend(frameon=False, loc="lower left")
    top = ax_c.get_ylim()[1]
    for a, name in ((0, r"$\theta_0$"), (1, r"$\theta^*$")):
        ax_c.text(a, top, name, ha="center", va="bottom", color=theme.fg, fontsize=10)
    ax_a.set_ylabel("accuracy")
    ax_a.set_ylim(0, 1.02)
    ax_a.yaxis.set_major_formatter(PercentFormatter(1.0))
    return fig


def _plane(ax, a, b, costs, path, levels, theme, title: str, xlabel: str, ylabel: str):
    import matplotlib.pyplot as plt

    filled = ax.contourf(a, b, costs, levels=levels, cmap=theme.sequential,
                         norm=plt.matplotlib.colors.LogNorm(levels[0], levels[-1]), extend="both")
    ax.contour(a, b, costs, levels=levels[::2], colors=[theme.bg], linewidths=0.5, alpha=0.6)
    ax.plot(path[:, 0], path[:, 1], color=theme.fg, lw=1.6, marker="o", ms=3.5,
            markerfacecolor=theme.fg, markeredgecolor=theme.bg, markeredgewidth=0.5,
            label="path, one dot per epoch")
    ax.plot(*path[0], "s", color=theme.palette[1], ms=8, markeredgecolor=theme.fg,
            label=r"start $\theta_0$")
    ax.plot(0, 0, "*", color=theme.palette[3], ms=13, markeredgecolor=theme.fg,
            label=r"trained $\theta^*$")
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return filled


def draw_planes(d: dict, p: Params, theme) -> object:
    lo = min(d["rand_costs"].min(), d["pca_costs"].min())
    hi = max(d["rand_costs"].max(), d["pca_costs"].max())
    levels = np.geomspace(lo, hi, 15)
    # Two maps beside each other, the colour bar at the right; on a phone one above the
    # other with the colour bar under them. Both to the same scale on their two axes (a
    # path's bends are the real ones), so the principal plane is wider than tall.
    wide_tall = np.ptp(d["pca_a"]) / np.ptp(d["pca_b"])
    ratios = ({"height_ratios": (1, 1 / wide_tall)} if theme.narrow
              else {"width_ratios": (1, wide_tall)})
    fig, (ax_r, ax_p) = subplots(theme, 2, height=2.75, narrow_height=2.5, layout="constrained",
                                 gridspec_kw=ratios)
    _plane(ax_r, d["grid"], d["grid"], d["rand_costs"], d["rand_path"], levels, theme,
           "two random directions", r"$a$ (along $\delta_1$)", r"$b$ (along $\delta_2$)")
    filled = _plane(ax_p, d["pca_a"], d["pca_b"], d["pca_costs"], d["pca_path"], levels, theme,
                    "two principal directions", f"1st principal direction ({d['pc1_variance']:.0%})",
                    # on a phone the flat map is too short for the long label
                    f"2nd ({d['pc2_variance']:.0%})" if theme.narrow
                    else f"2nd principal direction ({d['pc2_variance']:.0%})")
    fig.legend(*ax_p.get_legend_handles_labels(), loc="outside lower center",
               ncols=1 if theme.narrow else 3, frameon=False, fontsize=10)
    bar = fig.colorbar(filled, ax=[ax_r, ax_p], shrink=0.85, pad=0.02,
                       location="bottom" if theme.narrow else "right")
    ticks = [t for t in (0.03, 0.1, 0.3, 1, 3, 10, 30) if levels[0] <= t <= levels[-1]]
    bar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
    bar.minorticks_off()
    bar.set_label("training cost $C$ (logarithmic)")
    bar.outline.set_visible(False)
    return fig
