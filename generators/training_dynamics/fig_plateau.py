"""A plateau: training that starts next to a saddle point sits still, then suddenly learns.

Compute: the Playground's "xor" set (inputs divided by 5, into about [-1, 1]), a tanh
network [2, 8, 8, 1] with a sigmoid output and the binary cross-entropy cost, trained by
full-batch gradient descent twice from the same random directions: once with all
parameters scaled down to ``small`` (next to theta = 0, a saddle point: there every
hidden unit outputs 0 and the gradients of all but the last layer's bias vanish), once
scaled to ``large``. ``GradientNorms`` records ||dC/dW|| of every layer after each epoch.
Draw: the cost and the gradient norm sqrt(sum_l ||dC/dW^(l)||^2) against epochs.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import (BinaryCrossEntropy, Dense, EpochMetrics, GradientDescent, GradientNorms,
                           Sequential, Sigmoid, Tanh, data, train)
from generators.training_dynamics import log_ticks

COST = BinaryCrossEntropy()


def run(X: np.ndarray, Y: np.ndarray, scale: float, p: Params) -> dict:
    """Train from the seed's random directions scaled by ``scale``; cost and gradient norm."""
    rng = np.random.default_rng(p["seed"])
    h = p["hidden"]
    model = Sequential([Dense(2, h, init="normal"), Tanh(), Dense(h, h, init="normal"), Tanh(),
                        Dense(h, 1, init="normal"), Sigmoid()], rng=rng)
    for value in model.params().values():
        value *= scale
    metrics, norms = EpochMetrics(X, Y, COST), GradientNorms(every="epoch")
    train(model, X, Y, cost=COST, optimizer=GradientDescent(eta=p["eta"]), epochs=p["epochs"],
          callbacks=[metrics, norms])
    cost = np.array(metrics.loss)
    grad = np.sqrt(np.sum([np.array(v) ** 2 for v in norms.norms.values()], axis=0))
    below = np.flatnonzero(cost < 0.5 * cost[0])
    return {"cost": cost, "grad": grad, "escape": int(below[0]) if below.size else -1,
            "accuracy": metrics.accuracy[-1]}


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p["seed"])
    X, Y, _, _ = data.playground("xor", rng=rng, n_samples=p["n_samples"], noise=0.0)
    X = X / 5.0
    runs = {scale: run(X, Y, scale, p) for scale in (p["small"], p["large"])}
    small, large = runs[p["small"]], runs[p["large"]]
    return {
        "runs": runs, "small": p["small"], "large": p["large"], "plateau_eta": p["eta"],
        "plateau_epochs": p["epochs"], "plateau_n_train": len(X),
        "escape_small": small["escape"], "escape_large": large["escape"],
        "plateau_cost": float(small["cost"][small["escape"] // 2]),
        "grad_start_small": float(small["grad"][0]),
        "grad_peak_small": float(small["grad"].max()),
        "grad_peak_epoch_small": int(np.argmax(small["grad"])) + 1,
        "accuracy_small": small["accuracy"], "accuracy_large": large["accuracy"],
    }


def draw(d: dict, p: Params, theme) -> object:
    # Cost beside gradient; on a phone cost above gradient (generators/layout.py).
    fig, (ax_c, ax_g) = subplots(theme, 2, height=3.0, narrow_height=2.5, layout="constrained")
    for (scale, r), color, ls in zip(d["runs"].items(), theme.palette, ("-", "--")):
        label = f"weights scaled to {scale:g}"
        ax_c.plot(np.arange(len(r["cost"])), r["cost"], color=color, ls=ls, label=label)
        ax_g.plot(np.arange(1, len(r["grad"]) + 1), r["grad"], color=color, ls=ls, label=label)
        for ax in (ax_c, ax_g):
            ax.axvline(r["escape"], color=color, lw=1, ls=":")
    ax_c.set_ylim(0, d["runs"][d["small"]]["cost"][0] * 1.1)
    ax_c.set_ylabel("cost $C$")
    ax_g.set_yscale("log")
    log_ticks(ax_g.yaxis)
    ax_g.set_ylabel(r"$\|\nabla C\|$ (logarithmic)")
    for ax in (ax_c, ax_g):
        ax.set_xlabel("epoch")
        ax.set_xlim(0, p["epochs"])
    fig.legend(*ax_c.get_legend_handles_labels(), loc="outside lower center",
               ncols=1 if theme.narrow else 2, frameon=False)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the data and the initial weights' directions", min=0),
        "n_samples": Param(200, "points of the xor set, half for training", min=2),
        "hidden": Param(8, "tanh units in each of the two hidden layers", min=1),
        "eta": Param(1.0, "learning rate η of full-batch gradient descent", min=1e-6),
        "epochs": Param(700, "training epochs", min=1),
        "small": Param(0.05, "scale of the initial parameters near the saddle point θ = 0", min=0.0),
        "large": Param(0.2, "scale of the initial parameters of the comparison run", min=0.0),
    },
    results=("small", "large", "plateau_eta", "plateau_epochs", "plateau_n_train", "escape_small",
             "escape_large",
             "plateau_cost", "grad_start_small", "grad_peak_small", "grad_peak_epoch_small",
             "accuracy_small", "accuracy_large"),
    figures=(
        Figure(
            "plateau", draw,
            caption=(
                "A tanh network learning the xor problem from two starts: the same random "
                "weights, scaled down to two sizes (legend): the cost, and the length "
                "of the gradient, logarithmic; dotted lines mark the first epoch with the cost "
                "below half its starting value. Started close to $\\theta = 0$, a saddle point, "
                "the network sits on a plateau at the cost of guessing, with a tiny gradient "
                "that grows steadily, until it gets away and the cost drops."
            ),
            alt=(
                "Two line charts against epoch. First, cost: the run with larger initial "
                "weights falls from about 0.69 to near zero within the first couple of "
                "hundred epochs; the run with smaller weights stays flat at 0.69 for several "
                "hundred epochs, then drops in two steps to near zero. Second, gradient norm on "
                "a logarithmic axis: for the small start it begins very low and rises along "
                "a nearly straight line while the cost is flat, peaks as the cost drops, then "
                "falls; for the larger start it peaks early and then falls."
            ),
        ),
    ),
)
