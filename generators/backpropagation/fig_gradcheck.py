"""Gradient check: backpropagation against central differences, for every parameter.

Compute: a small sigmoid network (``sizes``, e.g. [4, 5, 3]) on a few random examples,
with the quadratic cost plus weight decay, J = 1/m sum_i 1/2 ||h(x_i) - y_i||^2
+ lam/2 sum W^2. Backpropagation (``Sequential.backward`` plus the penalty's
``lam W``) gives dJ/dtheta; ``numerical_gradient`` perturbs each parameter by
+-h and gives (J(theta + h) - J(theta - h)) / 2h. ``relative_error`` compares them.
A deliberately broken backpropagation that forgets the ``lam W`` term shows what a bug
looks like.
Draw: one point per parameter, numerical against backpropagated, on the identity line;
and each parameter's relative error, for the correct and the broken gradient.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import (L2, Dense, QuadraticCost, Sequential, Sigmoid, numerical_gradient,
                           relative_error)


def build(p: Params) -> tuple[Sequential, np.ndarray, np.ndarray]:
    """The network and its m random examples (inputs in [-1, 1], targets in [0, 1])."""
    rng = np.random.default_rng(p["seed"])
    sizes = p["sizes"]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [Dense(n_in, n_out, init="normal", bias="normal"), Sigmoid()]
    model = Sequential(layers, rng=rng)
    X = rng.uniform(-1, 1, (p["m"], sizes[0]))
    Y = rng.uniform(0, 1, (p["m"], sizes[-1]))
    return model, X, Y


def compute(p: Params) -> dict:
    model, X, Y = build(p)
    cost, penalty = QuadraticCost(), L2(p["lam"])

    def J() -> float:
        return cost(model.predict(X), Y) + penalty.value(model.weights().values())

    _, dJ_da = cost.value_and_grad(model.forward(X), Y)
    model.backward(dJ_da)
    weights = model.weights()
    backprop = {name: g + (penalty.grad(weights[name]) if name in weights else 0.0)
                for name, g in model.grads.items()}
    numeric = {name: numerical_gradient(J, param) for name, param in model.params().items()}
    names = list(model.params())
    errors = {name: relative_error(backprop[name], numeric[name]) for name in names}
    flat = lambda grads: np.concatenate([grads[n].ravel() for n in names])  # noqa: E731
    kinds = np.concatenate([np.full(numeric[n].size, n.endswith("/W")) for n in names])
    bp, num, broken = flat(backprop), flat(numeric), flat(model.grads)  # broken: no lam W
    each = lambda a: np.abs(a - num) / np.maximum(np.abs(a) + np.abs(num), 1e-8)  # noqa: E731
    return {
        "backprop": bp, "numeric": num, "broken": broken, "is_weight": kinds,
        "errors_each": each(bp), "broken_errors_each": each(broken),
        "max_relative_error": max(errors.values()),
        "broken_max_relative_error": relative_error(broken, num),
        "n_params": model.n_params(),
        "n_examples": p["m"],
        "gradcheck_lam": p["lam"],
    }


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    if theme.narrow:  # on a phone the errors under the scatter plot
        fig, (ax, ax_e) = plt.subplots(2, 1, figsize=(NARROW_WIDTH, 6.6), layout="constrained",
                                       gridspec_kw={"height_ratios": (1.2, 1)})
    else:
        fig, (ax, ax_e) = plt.subplots(1, 2, figsize=(7.2, 3.5), layout="constrained",
                                       gridspec_kw={"width_ratios": (1, 1.15)})
    bp, num, broken, w = d["backprop"], d["numeric"], d["broken"], d["is_weight"]
    lim = 1.08 * max(np.abs(bp).max(), np.abs(num).max(), np.abs(broken).max())
    ax.plot([-lim, lim], [-lim, lim], color=theme.muted, lw=1, zorder=0)
    ax.scatter(broken[w], num[w], s=26, color=theme.palette[3], marker="x", lw=1.4,
               label=r"without $\lambda W$")
    ax.scatter(bp[w], num[w], s=22, color=theme.palette[0], marker="o", label="weights $W$")
    ax.scatter(bp[~w], num[~w], s=26, color=theme.palette[1], marker="s", label="biases $b$")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"backpropagated $\partial C / \partial \theta$")
    ax.set_ylabel(r"central difference $\partial C / \partial \theta$")
    ax.legend(frameon=False, loc="upper left", fontsize=9, handletextpad=0.1,
              borderaxespad=0.1)
    idx = np.arange(1, len(bp) + 1)
    ax_e.scatter(idx, np.maximum(d["broken_errors_each"], 1e-16), s=20, marker="x", lw=1.4,
                 color=theme.palette[3], label=r"without $\lambda W$")
    ax_e.scatter(idx, np.maximum(d["errors_each"], 1e-16), s=16, color=theme.palette[0],
                 label="backpropagation")
    ax_e.axhline(1e-6, color=theme.muted, lw=1, ls="--", zorder=0)
    ax_e.text(idx[-1], 1.6e-6, "$10^{-6}$ threshold", ha="right", va="bottom", fontsize=9,
              color=theme.muted)
    ax_e.set_yscale("log")
    ax_e.set_ylim(1e-13, 3)
    ax_e.set_xlabel("parameter number")
    ax_e.set_ylabel("relative error (logarithmic)")
    ax_e.legend(frameon=False, loc="center right", bbox_to_anchor=(1, 0.68), fontsize=9)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(1, "random seed for the weights, biases and the random examples", min=0),
        "sizes": Param((4, 5, 3), "units per layer, input to output (at least two layers)", min=1),
        "m": Param(5, "number of random examples in the cost", min=1),
        "lam": Param(0.1, "weight decay λ in the cost, penalty λ/2 Σ W² (0: the broken check agrees)",
                     min=0.0),
    },
    results=("max_relative_error", "broken_max_relative_error", "n_params", "n_examples", "gradcheck_lam"),
    figures=(
        Figure(
            "gradcheck", draw,
            caption=(
                "First panel: every parameter of a small sigmoid network with weight decay, its "
                "backpropagated derivative against the central-difference estimate; correct "
                "gradients lie exactly on the identity line. The crosses are a broken "
                "backpropagation that forgets the $\\lambda W$ term: its weights fall off the "
                "line. Second panel: the relative error of each parameter, on a logarithmic axis. Look"
                " at the gap: correct derivatives agree far below the dashed $10^{-6}$ line, "
                "the broken ones far above it (its biases are still right)."
            ),
            alt=(
                "Two panels. First: a square scatter plot of central-difference derivatives "
                "against backpropagated derivatives; round weight points and square bias points"
                " lie on the diagonal line, while crosses for the broken version scatter away "
                "from it near the vertical axis. Second: relative error against parameter number"
                " on a logarithmic axis; the round points for correct backpropagation lie far "
                "below a dashed threshold line, the crosses for weights of the broken version "
                "lie near 1, far above it."
            ),
        ),
    ),
)
