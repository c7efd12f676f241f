"""Sigmoid, tanh and ReLU with their derivatives, evaluated by the course library.

The curves are not formulas typed into the plot: each activation's ``forward`` gives
f(z), and its ``backward`` with an upstream gradient of 1 gives f'(z), exactly what
backpropagation will use later.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.neurons import saturation
from generators.nn import ReLU, Sigmoid, Tanh

ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh, "ReLU": ReLU}


def compute(p: Params) -> dict:
    z = np.linspace(-p["z_max"], p["z_max"], p["points"])
    curves = {}
    for name, cls in ACTIVATIONS.items():
        layer = cls()
        a, cache = layer.forward(z[:, None])
        da, _ = layer.backward(np.ones_like(a), cache)
        curves[name] = (a[:, 0], da[:, 0])
    sig_slope = curves["sigmoid"][1]
    return {"z": z, "curves": curves, "sigmoid_max_slope": float(sig_slope.max()),
            "saturated_low": saturation.LOW, "saturated_high": saturation.HIGH,
            "saturated_slope": saturation.max_slope()}


def draw(data: dict, p: Params, theme) -> object:
    z = data["z"]
    # A row of three panels; on a phone a column of three (generators/layout.py).
    fig, axes = subplots(theme, 3, height=2.7, narrow_height=2.3, sharex=True)
    for ax, (name, (a, da)) in zip(axes, data["curves"].items()):
        ax.axhline(0, color=theme.grid, lw=0.8, zorder=0)
        ax.axvline(0, color=theme.grid, lw=0.8, zorder=0)
        ax.plot(z, a, color=theme.palette[0], label="$f(z)$")
        ax.plot(z, da, color=theme.palette[1], ls="--", label="$f'(z)$")
        ax.set_title(name)
        ax.set_xlabel("$z$")
        ax.set_xticks([-p["z_max"], 0, p["z_max"]])
        ax.set_ylim(-1.15, 1.6) if name != "ReLU" else ax.set_ylim(-0.6, p["z_max"] + 0.2)
    axes[0].legend(loc="upper left", frameon=False)
    fig.tight_layout(w_pad=1.5, h_pad=1.0)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "z_max": Param(5.0, "the curves are drawn for z from -z_max to z_max", min=1e-6),
        "points": Param(401, "points on each curve (odd puts one at z = 0)", min=2),
    },
    results=("sigmoid_max_slope", "saturated_low", "saturated_high", "saturated_slope"),
    figures=(
        Figure(
            "activations", draw,
            caption=(
                "Three activation functions $f$ (solid) and their derivatives $f'$ (dashed), "
                "computed by the course library's layers. Look at the derivatives: the "
                "sigmoid's is never larger than 1/4 and both sigmoid and tanh flatten out "
                "for large $|z|$, while ReLU's is exactly 1 for every positive $z$."
            ),
            alt=(
                "Three panels over z from -5 to 5. Sigmoid rises in an S from 0 to 1 with a "
                "bell-shaped derivative peaking at 0.25 at z = 0. Tanh rises in an S from -1 "
                "to 1 with a bell-shaped derivative peaking at 1. ReLU is 0 for negative z and "
                "equals z for positive z; its derivative is a step from 0 to 1."
            ),
        ),
    ),
)
