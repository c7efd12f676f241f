"""Vanishing gradients: per-layer gradient norms at initialisation, sigmoid against ReLU.

Compute: deep networks [64, 30, 30, 30, 30, 30, 10] (six weight layers) on a batch of
digits, once with sigmoid hidden units ("scaled" N(0, 1/n_in) weights) and once with
ReLU hidden units ("he" N(0, 2/n_in) weights), both with a sigmoid output and the
quadratic cost. One forward and one backward pass per network, no training;
``gradient_norms`` gives ||dJ/dW^(l)|| for every layer l, for several random seeds.
Draw: the norms against the layer number on a logarithmic axis.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import Dense, QuadraticCost, ReLU, Sequential, Sigmoid, data, gradient_norms

HIDDEN = {"sigmoid": (Sigmoid, "scaled"), "ReLU": (ReLU, "he")}


def norms_at_init(kind: str, sizes: tuple[int, ...], X: np.ndarray, Y: np.ndarray,
                  seed: int) -> np.ndarray:
    """||dJ/dW^(l)|| for l = 1 .. L-1 of a freshly initialised network."""
    act, init = HIDDEN[kind]
    layers = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        last = l == len(sizes) - 1
        layers += [Dense(n_in, n_out, init=init), Sigmoid() if last else act()]
    model = Sequential(layers, rng=np.random.default_rng(seed))
    _, dJ_da = QuadraticCost().value_and_grad(model.forward(X), Y)
    model.backward(dJ_da)
    return np.array(list(gradient_norms(model).values()))


def compute(p: Params) -> dict:
    X, Y = data.digits().X_train[:p["batch"]], data.digits().Y_train[:p["batch"]]
    sizes = (64,) + (p["width"],) * p["hidden_layers"] + (10,)
    norms = {kind: np.array([norms_at_init(kind, sizes, X, Y, p["seed"] + s)
                             for s in range(p["seeds"])]) for kind in HIDDEN}
    geo = {kind: np.exp(np.log(n).mean(axis=0)) for kind, n in norms.items()}  # geometric mean
    return {
        "norms": norms, "geo": geo,
        "n_weight_layers": len(sizes) - 1,
        "sigmoid_ratio": float(geo["sigmoid"][-1] / geo["sigmoid"][0]),
        "relu_ratio": float(geo["ReLU"][-1] / geo["ReLU"][0]),
        "sigmoid_per_layer": float((geo["sigmoid"][-1] / geo["sigmoid"][0]) ** (1 / (len(sizes) - 2))),
        "seeds": p["seeds"],
    }


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 3.6) if theme.narrow else (5.6, 3.4),
                           layout="constrained")
    layers = np.arange(1, d["n_weight_layers"] + 1)
    styles = {"sigmoid": (theme.palette[0], "o", "-"), "ReLU": (theme.palette[1], "s", "--")}
    for kind, (color, marker, ls) in styles.items():
        for run in d["norms"][kind]:
            ax.plot(layers, run, color=color, lw=0.8, alpha=0.35)
        ax.plot(layers, d["geo"][kind], color=color, marker=marker, ls=ls,
                label=f"{kind} hidden units")
    ax.set_yscale("log")
    ax.set_xticks(layers, [f"$W^{{({l})}}$" for l in layers])
    ax.set_xlabel("weight matrix, from the input (left)" + ("\n" if theme.narrow else " ")
                  + "to the output (right)")
    ax.set_ylabel(r"$\| \partial C / \partial W^{(l)} \|$ (logarithmic)")
    if theme.narrow:  # under the plot: in a narrow one the sigmoid line runs through its corner
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", frameon=False)
    else:
        ax.legend(frameon=False, loc="lower right")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed of the first initialisation (the others use seed + 1, ...)",
                      min=0),
        "seeds": Param(5, "random initialisations drawn per kind of hidden unit", min=1),
        "batch": Param(200, "training digits in the batch the gradients are computed on",
                       min=1, max=1347),
        "hidden_layers": Param(5, "hidden layers of the deep network", min=1),
        "width": Param(30, "units in each hidden layer", min=1),
    },
    results=("sigmoid_ratio", "relu_ratio", "sigmoid_per_layer", "n_weight_layers", "seeds"),
    figures=(
        Figure(
            "vanishing", draw,
            caption=(
                "Size of the gradient $\\lVert \\partial C / \\partial W^{(l)} \\rVert$ of each "
                "weight matrix of a deep network on a batch of digits, before any training, on "
                "a logarithmic axis. Thin lines are single random initialisations, thick lines "
                "their geometric mean. Compare the slopes: with sigmoid hidden units the "
                "gradient falls steadily from the output back to the input, with ReLU hidden "
                "units it stays roughly level."
            ),
            alt=(
                "A line chart with the weight matrices W1 to W6 on the horizontal axis and the "
                "gradient norm on a logarithmic vertical axis. The sigmoid line climbs steeply "
                "and almost straight from lower left to upper right, several orders of "
                "magnitude. The ReLU line stays nearly flat near the top, ending close to the "
                "sigmoid line at W6. Thin lines for individual initialisations surround each "
                "thick line."
            ),
        ),
    ),
)
