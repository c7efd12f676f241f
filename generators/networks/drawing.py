"""Draw a fully connected network as a diagram, from a ``Sequential`` model object.

``describe(model)`` reads the model: the number of units in each layer, each Dense
layer's ``W: (n_out, n_in)`` and ``b: (n_out,)``, and the activation after it. It is a
pure function returning plain data, so a figure generator can call it in ``compute``
and draw later. ``draw_network(ax, model_or_description, theme)`` draws units as
circles in columns (layer 1, the input, on the left), one line per weight W_ji from
unit i to unit j, its width growing with |W_ji| and its colour ``theme.positive`` or ``theme.negative``
giving the sign, and optionally the "+1" intercept units whose lines are the biases.

Other lessons can reuse it: ``from generators.networks.drawing import draw_network``.
Deliberately left out: convolutional layers, more than ~10 units per layer (a diagram
of hundreds of lines says nothing), arrows (the flow is always left to right).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.nn import Dense, Sequential



def describe(model: Sequential) -> dict[str, Any]:
    """Layer sizes, weights, biases and activation names of a stack of Dense layers."""
    dense = [(i, l) for i, l in enumerate(model.layers) if isinstance(l, Dense)]
    if not dense:
        raise ValueError(f"{model!r} has no Dense layer to draw")
    acts = []
    for k, (i, layer) in enumerate(dense):
        nxt = dense[k + 1][0] if k + 1 < len(dense) else len(model.layers)
        acts.append(", ".join(l.kind for l in model.layers[i + 1:nxt]) or "identity")
    return {"sizes": [dense[0][1].n_in] + [l.n_out for _, l in dense],
            "W": [l.params["W"].copy() for _, l in dense],
            "b": [l.params["b"].copy() for _, l in dense],
            "activations": acts}


def default_labels(sizes: list[int]) -> list[list[str]]:
    """The course's names: x_i for inputs, a_j^(l) for the other layers (l counts from 1)."""
    labels = [[f"$x_{i + 1}$" for i in range(sizes[0])]]
    for l, n in enumerate(sizes[1:], start=2):
        labels.append([f"$a^{{({l})}}_{{{j + 1}}}$" for j in range(n)])
    return labels


def draw_network(ax: Any, net: Sequential | dict, theme: Any, *, labels: list | None = None,
                 values: list | None = None, show_bias: bool = True, radius: float = 0.34,
                 dx: float = 2.4, w_max: float | None = None) -> dict[str, Any]:
    """Draw ``net`` (a Sequential or ``describe``'s dict) on ``ax``; return positions.

    labels: per layer, one string per unit (default ``default_labels``); values: per
    layer, an array of activations written beside the units (e.g. a forward pass);
    w_max: |W| drawn at full width and colour (default: the largest |W| or |b| shown).
    """
    from matplotlib.patches import Circle

    d = describe(net) if isinstance(net, Sequential) else net
    sizes = d["sizes"]
    labels = labels or default_labels(sizes)
    tallest = max(sizes)
    pos = [[(l * dx, (n - 1) / 2 - j) for j in range(n)] for l, n in enumerate(sizes)]
    bias_y = -(tallest - 1) / 2 - 1.15
    bias_pos = [(l * dx, bias_y) for l in range(len(sizes) - 1)]
    shown = [*d["W"], *(d["b"] if show_bias else [])]
    w_max = w_max or max(float(np.abs(w).max()) for w in shown) or 1.0

    def edge(p, q, w):
        s = min(abs(w) / w_max, 1.0)
        # Colour gives the sign only (the theme's sign colours); width gives the size.
        ax.plot([p[0], q[0]], [p[1], q[1]], color=theme.positive if w >= 0 else theme.negative,
                lw=0.6 + 4.4 * s,
                solid_capstyle="round", zorder=1)

    for l, W in enumerate(d["W"]):
        for j, q in enumerate(pos[l + 1]):
            for i, p in enumerate(pos[l]):
                edge(p, q, W[j, i])
            if show_bias:
                edge(bias_pos[l], q, d["b"][l][j])
    for l, column in enumerate(pos):
        for j, (x, y) in enumerate(column):
            ax.add_patch(Circle((x, y), radius, facecolor=theme.bg, edgecolor=theme.fg,
                                lw=1.4, zorder=2))
            ax.text(x, y, labels[l][j], ha="center", va="center", fontsize=10, zorder=3)
            if values is not None:
                ax.text(x, y - radius - 0.08, f"{values[l][j]:.2f}".replace("-", "\u2212"),
                        ha="center", va="top",
                        fontsize=9, color=theme.muted, zorder=3)
    if show_bias:
        for x, y in bias_pos:
            ax.add_patch(Circle((x, y), radius * 0.8, facecolor=theme.bg, edgecolor=theme.muted,
                                lw=1.0, ls="--", zorder=2))
            ax.text(x, y, "+1", ha="center", va="center", fontsize=9, color=theme.muted, zorder=3)
    top = (tallest - 1) / 2 + radius + 0.15
    for l in range(len(sizes)):
        name = "input" if l == 0 else "output" if l == len(sizes) - 1 else "hidden"
        ax.text(l * dx, top, f"layer {l + 1}\n{name}", ha="center", va="bottom", fontsize=10)
    low = bias_y - radius - 0.15 if show_bias else -(tallest - 1) / 2 - radius - (
        0.45 if values is not None else 0.15)
    ax.set_xlim(-radius - 0.2, (len(sizes) - 1) * dx + radius + 0.2)
    ax.set_ylim(low, top + 0.75)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"units": pos, "bias": bias_pos, "w_max": w_max}


def weight_legend(ax: Any, theme: Any, w_max: float, **kwargs: Any) -> None:
    """A legend saying what edge colour and width mean, at |W| = w_max and w_max / 4."""
    from matplotlib.lines import Line2D

    rows = [(s, f) for s in (1, -1) for f in (1.0, 0.25)]
    handles = [Line2D([], [], color=theme.positive if s > 0 else theme.negative, lw=0.6 + 4.4 * f)
               for s, f in rows]
    names = [f"{s * f * w_max:+.1f}".replace("-", "\u2212") for s, f in rows]
    ax.legend(handles, names, title="weight", frameon=False, fontsize=9, title_fontsize=9,
              handlelength=2.2, **kwargs)
