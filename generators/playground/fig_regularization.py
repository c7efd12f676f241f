"""What the regularisation rate λ does, on a setting that overfits without it.

Compute: ``SETTING``, noisy "gauss" data (noise 50), only 10 % of the 500 points for
training, two hidden layers of 8 tanh units, trained by ``config.run`` (the live
playground's maths) with L2 and with L1 at every rate λ the playground offers
(``config.REG_RATES``, 0 to 10), from seeds 0 .. seeds-1. For each run: the test loss
(without the penalty), Σ W² over every weight, and the share of weights within
``SMALL`` of zero. Draw: the median run's output map at four rates for each penalty
(``maps``), and the three measures against λ, mean ± sd over seeds (``rates``).

L1's subgradient λ·sign(w) moves every weight by ηλ towards zero at each step, whatever
its size; a weight does not stop at 0 but steps over it, so it ends within about ηλ of
0, not at 0. With ηλ above ``SMALL`` (η = 0.03, λ ≥ 1) the share below ``SMALL`` falls
again though the network has no useful weight left.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, WIDE_WIDTH
from generators.playground import config, runs

SETTING = config.check({"dataset": "gauss", "noise": 50, "percTrainData": 10,
                        "networkShape": [8, 8], "activation": "tanh", "learningRate": 0.03,
                        "batchSize": 10})
RATES = config.REG_RATES
PENALTIES = ("L2", "L1")
SHOWN = (0, 0.01, 0.1, 1)  # rates whose maps are drawn (all in RATES)
SMALL = 0.01               # |W| below this counts as "near zero"
ZERO_AT = 10 ** -4.4       # where λ = 0 sits on the log axis, apart from the rest
EXTENT = (-config.EXTENT, config.EXTENT, -config.EXTENT, config.EXTENT)


def rate_key(rate: float) -> str:
    """A rate as it appears in result names: 0.003 -> 0_003, 1 -> 1."""
    return f"{rate:g}".replace(".", "_")


def compute(p: Params) -> dict[str, Any]:
    base = runs.sweep(SETTING, p["epochs"], p["seeds"])  # λ = 0: the same runs for both
    table: dict[str, dict[float, list[dict]]] = {}
    results: dict[str, float] = {}
    for pen in PENALTIES:
        table[pen] = {}
        for rate in RATES:
            sweep = base if rate == 0 else runs.sweep(
                {**SETTING, "regularization": pen, "regularizationRate": rate}, p["epochs"], p["seeds"])
            for r in sweep:
                r["sumsq"] = float(np.sum(r["W"] ** 2))
                r["small"] = float(np.mean(np.abs(r["W"]) < SMALL))
            table[pen][rate] = sweep
            name = f"reg_{pen.lower()}_{rate_key(rate)}"
            results[f"{name}_test_loss_mean"], results[f"{name}_test_loss_sd"] = runs.summary(sweep, "test_loss")
            results[f"{name}_sumsq_mean"], _ = runs.summary(sweep, "sumsq")
            results[f"{name}_small_mean"], _ = runs.summary(sweep, "small")
        best = min((r for r in RATES if r > 0),
                   key=lambda r: results[f"reg_{pen.lower()}_{rate_key(r)}_test_loss_mean"])
        results[f"reg_{pen.lower()}_best_rate"] = best
        results[f"reg_{pen.lower()}_best_test_loss"] = results[f"reg_{pen.lower()}_{rate_key(best)}_test_loss_mean"]
        # Seed by seed (the same data, initial weights and minibatches): does the best rate win?
        results[f"reg_{pen.lower()}_best_wins"] = sum(
            a["test_loss"] < b["test_loss"] for a, b in zip(table[pen][best], base))
    results["reg_none_train_loss_mean"], _ = runs.summary(base, "train_loss")
    results["reg_train_points"] = len(base[0]["data"].X_train)
    results["reg_weights"] = len(base[0]["W"])
    return {"table": table, "reg_epochs": p["epochs"], "reg_seeds": p["seeds"], **results}


def _stats(d: dict, pen: str, key: str) -> tuple[np.ndarray, np.ndarray]:
    values = np.array([[r[key] for r in d["table"][pen][rate]] for rate in RATES])
    return values.mean(axis=1), values.std(axis=1, ddof=1) if values.shape[1] > 1 else 0 * values[:, 0]


def draw_rates(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    rows, cols = (3, 1) if theme.narrow else (1, 3)
    size = (NARROW_WIDTH, 7.2) if theme.narrow else (WIDE_WIDTH, 2.7)
    fig, axes = plt.subplots(rows, cols, figsize=size, layout="constrained", squeeze=False)
    x = np.array([ZERO_AT if r == 0 else r for r in RATES])
    panels = (("test_loss", "test loss"), ("sumsq", "Σ W² (all weights)"),
              ("small", f"share of |W| < {SMALL:g}"))
    colors = {"L2": theme.palette[0], "L1": theme.palette[1]}
    for ax, (key, label) in zip(axes.ravel(), panels):
        for pen in PENALTIES:
            mean, sd = _stats(d, pen, key)
            ax.fill_between(x[1:], (mean - sd)[1:], (mean + sd)[1:], color=colors[pen], alpha=0.2, lw=0)
            ax.plot(x[1:], mean[1:], "o-", ms=3, color=colors[pen], label=pen)
        mean, sd = _stats(d, "L2", key)  # λ = 0: no penalty, the same runs for L1 and L2
        ax.errorbar([ZERO_AT], mean[:1], yerr=sd[:1], fmt="o", ms=4, color=theme.fg, capsize=2)
        ax.set_xscale("log")
        # Every decade ticked, every other one labelled: six labels do not fit a third of the column.
        ax.set_xticks([ZERO_AT, 1e-3, 1e-2, 1e-1, 1, 10], ["0", "0.001", "", "0.1", "", "10"])
        ax.minorticks_off()
        ax.axvspan(10 ** -4.0, 10 ** -3.4, color=theme.grid, alpha=0.5, lw=0)  # the break
        ax.set_xlabel("regularisation rate λ")
        ax.set_ylabel(label)
    axes.ravel()[0].legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def draw_maps(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    if theme.narrow:  # one row per rate, L2 left and L1 right
        fig, axes = plt.subplots(len(SHOWN), 2, figsize=(NARROW_WIDTH, 7.4), layout="constrained")
        grid = {(pen, rate): axes[i, j] for i, rate in enumerate(SHOWN) for j, pen in enumerate(PENALTIES)}
    else:
        fig, axes = plt.subplots(2, len(SHOWN), figsize=(WIDE_WIDTH, 3.9), layout="constrained")
        grid = {(pen, rate): axes[i, j] for i, pen in enumerate(PENALTIES) for j, rate in enumerate(SHOWN)}
    for (pen, rate), ax in grid.items():
        sweep = d["table"][pen][rate]
        run = sweep[runs.median_seed(sweep)]
        ax.imshow(run["output"], extent=EXTENT, cmap=theme.class_cmap(), vmin=-1, vmax=1,
                  alpha=0.6, interpolation="bilinear")
        ds = run["data"]
        for label, marker, color in ((-1, "o", theme.class_colors[0]), (1, "s", theme.class_colors[1])):
            pts = ds.X_train[ds.Y_train[:, 0] == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=6, marker=marker, c=color, edgecolors=theme.fg,
                       linewidths=0.3)
        title = "no penalty" if rate == 0 else f"{pen}, λ = {rate:g}"
        ax.set_title(f"{title}\ntest loss {run['test_loss']:.2f}", fontsize=8)
        ax.set(xlim=EXTENT[:2], ylim=EXTENT[2:], aspect="equal", xticks=[], yticks=[])
    return fig


GENERATOR = Generator(
    compute=compute,
    params={"epochs": Param(400, "epochs of every run", min=1),
            "seeds": Param(5, "seeds per penalty and rate; the maps show the median run", min=2)},
    results=("reg_epochs", "reg_seeds", "reg_none_train_loss_mean", "reg_train_points", "reg_weights",
             *(f"reg_{pen.lower()}_{rate_key(r)}_{m}" for pen in PENALTIES for r in RATES
               for m in ("test_loss_mean", "test_loss_sd", "sumsq_mean", "small_mean")),
             *(f"reg_{pen.lower()}_best_{m}" for pen in PENALTIES for m in ("rate", "test_loss", "wins"))),
    figures=(
        Figure(
            "regularization-maps", draw_maps, format="png",
            caption=(
                "An overfitting setting: noisy \"gauss\" data, 10 % of the points for training "
                "(drawn here), two hidden layers of 8 tanh units. Each map is the network's "
                "output (the median of the seeds' runs by test loss) without a penalty and with "
                "L2 (top on a wide screen, left on a phone) or L1 at three rates λ. Without a "
                "penalty the boundary bends to take in single noisy points; a moderate λ smooths it; "
                "λ = 1 flattens the output to nearly 0 everywhere, the page's colour."
            ),
            alt=(
                "Eight square output maps with the training points. Without a penalty the "
                "boundary between the orange and blue regions wiggles around individual points; "
                "at λ = 0.01 and 0.1 it is a smoother curve between the two blobs; at λ = 1 the "
                "map is almost uniformly the page's colour."
            ),
        ),
        Figure(
            "regularization", draw_rates,
            caption=(
                "The same setting at every rate λ the playground offers, mean ± one standard "
                "deviation over the seeds (the grey stripe separates λ = 0, no penalty, from the "
                "logarithmic axis). Left: the test loss falls from no penalty to a moderate λ, "
                "then rises steeply once the penalty outweighs the data. Middle: both penalties "
                "shrink the weights. Right: L1 pushes most weights to near zero at rates where L2 "
                "only makes them smaller."
            ),
            alt=(
                "Three line plots against λ on a log axis, L2 and L1 with shaded bands. Test loss "
                "dips at λ between 0.01 and 0.1 and jumps to about 0.5 at large λ. The sum of "
                "squared weights falls from about 20 to 0. The share of weights near zero rises "
                "much earlier for L1 than for L2."
            ),
        ),
    ),
    notebook=False,
)
