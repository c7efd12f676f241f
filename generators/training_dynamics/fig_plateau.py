"""A plateau: training that starts next to a saddle point sits still, then suddenly learns.

Compute: the Playground's "xor" set (inputs divided by 5, into about [-1, 1]), a tanh
network [2, 8, 8, 1] with a sigmoid output and the binary cross-entropy cost, trained by
full-batch gradient descent twice from the same random directions: once with all
parameters scaled down to ``small`` (next to theta = 0, a saddle point: there every
hidden unit outputs 0 and the gradients of all but the last layer's bias vanish), once
scaled to ``large``. ``GradientNorms`` records ||dC/dW|| of every layer after each epoch.
Both scales are trained for ``seeds`` seeds of the random directions (seed, seed + 1, ...);
results are the mean and standard deviation (ddof=1) over the seeds.
Draw: the cost and the gradient norm sqrt(sum_l ||dC/dW^(l)||^2) against epochs for every
seed, the median seed bold; the escape epoch's mean with a span of ± one standard deviation.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import (BinaryCrossEntropy, Dense, EpochMetrics, GradientDescent, GradientNorms,
                           Sequential, Sigmoid, Tanh, data, train)
from generators.training_dynamics import log_ticks

COST = BinaryCrossEntropy()


def mean_sd(values) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1) of ``values``."""
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(v.std(ddof=1))


def run(X: np.ndarray, Y: np.ndarray, scale: float, p: Params, seed: int) -> dict:
    """Train from ``seed``'s random directions scaled by ``scale``; cost and gradient norm."""
    rng = np.random.default_rng(seed)
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
    """Both scales for each of ``seeds`` seeds (seed, seed + 1, ...: the initial directions,
    the same for both scales; the xor set is drawn once, from ``seed``). Rows of ``runs[scale]``
    are seeds; ``typical`` is the seed whose small-start escape is the median one."""
    rng = np.random.default_rng(p["seed"])
    X, Y, _, _ = data.playground("xor", rng=rng, n_samples=p["n_samples"], noise=0.0)
    X = X / 5.0
    seeds = [p["seed"] + i for i in range(p["seeds"])]
    runs = {}
    for scale in (p["small"], p["large"]):
        per_seed = [run(X, Y, scale, p, s) for s in seeds]
        runs[scale] = {k: np.array([r[k] for r in per_seed]) for k in per_seed[0]}
    small, large = runs[p["small"]], runs[p["large"]]
    typical = int(np.argsort(small["escape"])[len(seeds) // 2])
    half = small["escape"] // 2                      # the middle of each plateau
    out = {
        "runs": runs, "typical": typical, "small": p["small"], "large": p["large"],
        "plateau_seeds": len(seeds), "plateau_eta": p["eta"], "plateau_epochs": p["epochs"],
        "plateau_n_train": len(X), "typical_seed": seeds[typical],
        "accuracy_small": float(small["accuracy"].min()),
        "accuracy_large": float(large["accuracy"].min()),
        # how far the gradient grows from its start to its peak, in the seed where least
        "grad_growth_small": float(np.min(small["grad"].max(axis=1) / small["grad"][:, 0])),
    }
    for key, values in (("escape_small", small["escape"]), ("escape_large", large["escape"]),
                        ("plateau_cost", small["cost"][np.arange(len(seeds)), half]),
                        ("grad_start_small", small["grad"][:, 0]),
                        ("grad_peak_epoch_small", np.argmax(small["grad"], axis=1) + 1)):
        out[key], out[f"{key}_sd"] = mean_sd(values)
    return out


def draw(d: dict, p: Params, theme) -> object:
    # Cost beside gradient; on a phone cost above gradient (generators/layout.py).
    fig, (ax_c, ax_g) = subplots(theme, 2, height=3.0, narrow_height=2.5, layout="constrained")
    for (scale, r), color, ls in zip(d["runs"].items(), theme.palette, ("-", "--")):
        label = f"weights scaled to {scale:g}"
        t = d["typical"]
        for ax, rows, x in ((ax_c, r["cost"], np.arange(r["cost"].shape[1])),
                            (ax_g, r["grad"], np.arange(1, r["grad"].shape[1] + 1))):
            for i, row in enumerate(rows):          # every seed thin, the typical one bold
                if i != t:
                    ax.plot(x, row, color=color, ls=ls, lw=0.6, alpha=0.45)
            ax.plot(x, rows[t], color=color, ls=ls, lw=1.8, label=label)
            # When the cost first halves: mean, and a band of ± one sd over the seeds.
            mean, sd = r["escape"].mean(), r["escape"].std(ddof=1)
            ax.axvspan(mean - sd, mean + sd, color=color, alpha=0.15, lw=0)
            ax.axvline(mean, color=color, lw=1, ls=":")
    ax_c.set_ylim(0, d["runs"][d["small"]]["cost"][:, 0].max() * 1.1)
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
        "seed": Param(0, "seed of the data, and first seed of the initial weights' directions: "
                      "seed, seed + 1, ...", min=0),
        "seeds": Param(5, "seeds (initial directions) each scale is trained with", min=2),
        "n_samples": Param(200, "points of the xor set, half for training", min=2),
        "hidden": Param(8, "tanh units in each of the two hidden layers", min=1),
        "eta": Param(0.5, "learning rate η of full-batch gradient descent", min=1e-6),
        "epochs": Param(1400, "training epochs", min=1),
        "small": Param(0.05, "scale of the initial parameters near the saddle point θ = 0", min=0.0),
        "large": Param(0.2, "scale of the initial parameters of the comparison run", min=0.0),
    },
    results=("small", "large", "plateau_seeds", "plateau_eta", "plateau_epochs", "plateau_n_train",
             "typical_seed", "accuracy_small", "accuracy_large", "grad_growth_small",
             *(f"{k}{sd}" for k in ("escape_small", "escape_large", "plateau_cost",
                                    "grad_start_small", "grad_peak_epoch_small")
               for sd in ("", "_sd"))),
    figures=(
        Figure(
            "plateau", draw,
            caption=(
                "A tanh network learning the xor problem from two starts: random weights, "
                "scaled down to two sizes (legend), from several seeds: the cost, and the length "
                "of the gradient, logarithmic. Thin lines: every seed; bold: the seed with "
                "the median escape from the smaller start. Dotted lines and shaded spans: the "
                "first epoch with the cost below half its starting value, mean ± one standard "
                "deviation over the seeds. Started close to $\\theta = 0$, a saddle point, the "
                "network sits on a plateau at the cost of guessing, with a tiny gradient that "
                "grows steadily, until it gets away and the cost drops."
            ),
            alt=(
                "Two line charts against epoch, a bundle of thin lines per start with one bold. "
                "First, cost: the runs with larger initial weights fall from about 0.69 to near "
                "zero within the first one to two hundred epochs; the runs with smaller weights "
                "stay flat at 0.69 for about seven to nine hundred epochs, then drop, "
                "mostly in two steps, to near zero (one thin line spikes up once on the way). Second, gradient norm on a logarithmic axis: "
                "for the small start it begins very low and rises along a nearly straight line "
                "while the cost is flat, peaks as the cost drops, then falls; for the larger "
                "start it peaks early and then falls."
            ),
        ),
    ),
)
