"""The lecture's network, 3 inputs, 3 hidden sigmoid units and 1 output, and one forward pass.

Compute: a ``Sequential`` with random weights and biases (as before training), and the
activations it gives for one input x, twice: unit by unit in scalar form,
a_j = f(sum_i W_ji x_i + b_j), and layer by layer in matrix form, a = f(W x + b), by the
library's ``forward``. Both are returned so the tests can check that they agree.
Draw: the diagram of that model object (``drawing.draw_network``) with the activations
written under the units.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.networks.drawing import describe, draw_network, weight_legend
from generators.nn import Dense, Sequential, Sigmoid


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + np.exp(-z))


def scalar_forward(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray,
                   x: np.ndarray) -> tuple[list[float], float]:
    """Forward propagation written out unit by unit, exactly as the lesson's equations."""
    a2 = [sigmoid(W1[j, 0] * x[0] + W1[j, 1] * x[1] + W1[j, 2] * x[2] + b1[j]) for j in range(3)]
    h = sigmoid(W2[0, 0] * a2[0] + W2[0, 1] * a2[1] + W2[0, 2] * a2[2] + b2[0])
    return a2, h


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p["seed"])
    model = Sequential([Dense(3, 3, init="normal", bias="normal"), Sigmoid(),
                        Dense(3, 1, init="normal", bias="normal"), Sigmoid()], rng=rng)
    x = np.array(p["x"], dtype=float)
    net = describe(model)
    a2_scalar, h_scalar = scalar_forward(net["W"][0], net["b"][0], net["W"][1], net["b"][1], x)
    hidden = model.layers[1].forward(model.layers[0].forward(x[None, :])[0])[0][0]  # a^(2)
    h = float(model.predict(x[None, :])[0, 0])                                       # a^(3)
    return {
        "net": net, "x_vec": x, "a2": hidden, "a2_scalar": np.array(a2_scalar),
        "h_scalar": h_scalar,
        "x1": float(x[0]), "x2": float(x[1]), "x3": float(x[2]),
        "a2_1": float(hidden[0]), "a2_2": float(hidden[1]), "a2_3": float(hidden[2]), "h": h,
        "n_weights": int(sum(W.size for W in net["W"])),
        "n_biases": int(sum(b.size for b in net["b"])),
        "n_params": model.n_params(),
    }


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # On a phone: columns closer together, the output's name above it, the legend below.
    size, dx = ((NARROW_WIDTH, 4.3), 2.0) if theme.narrow else ((6.4, 3.9), 2.4)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    labels = [["$x_1$", "$x_2$", "$x_3$"], [f"$a^{{(2)}}_{j}$" for j in (1, 2, 3)],
              ["$a^{(3)}_1$"]]
    values = [d["x_vec"], d["a2"], [d["h"]]]
    info = draw_network(ax, d["net"], theme, labels=labels, values=values, dx=dx)
    x_out, y_out = info["units"][-1][0]
    arrow = {"arrowstyle": "-", "color": theme.muted, "lw": 1.0}
    if theme.narrow:
        weight_legend(ax, theme, info["w_max"], loc="upper center", bbox_to_anchor=(0.5, 0.0),
                      ncols=2)
        ax.annotate("$h_{W,b}(x)$", (x_out, y_out + 0.36), xytext=(x_out, y_out + 0.95),
                    ha="center", va="bottom", fontsize=11, arrowprops=arrow)
        return fig
    weight_legend(ax, theme, info["w_max"], loc="center right", bbox_to_anchor=(1.0, 0.3))
    ax.annotate("$h_{W,b}(x)$", (x_out + 0.36, y_out), xytext=(x_out + 0.75, y_out + 1.0),
                ha="left", va="center", fontsize=11, arrowprops=arrow)
    ax.set_xlim(right=x_out + 2.6)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(3, "random seed for the network's weights and biases", min=0),
        "x": Param((1.0, 0.5, -1.0), "the input (x1, x2, x3) whose forward pass is written in"),
    },
    results=("x1", "x2", "x3", "a2_1", "a2_2", "a2_3", "h", "n_weights", "n_biases", "n_params"),
    figures=(
        Figure(
            "network-diagram", draw,
            caption=(
                "The lecture's network, drawn from the model object the build created: "
                "every line is one weight $W^{(l)}_{ji}$, thicker for larger $|W^{(l)}_{ji}|$, "
                "blue when positive and orange when negative; the dashed $+1$ units carry the "
                "biases. The grey numbers are one forward pass: the input $x$ under layer 1, "
                "then the activation each unit computes from the layer before it."
            ),
            alt=(
                "A network diagram with three columns of circles: inputs x1, x2, x3 on the "
                "left, hidden units a1, a2, a3 of layer 2 in the middle, and one output unit "
                "a1 of layer 3, labelled h_W,b(x), on the right. Every input connects to every "
                "hidden unit and every hidden unit to the output, by lines of varying "
                "thickness in blue or orange. Dashed +1 circles under the first two "
                "columns connect to the units of the next layer. Small numbers under each "
                "circle give its value for one input."
            ),
        ),
    ),
)
