"""Two things to watch while training: the gap between training and test, and the cost
under too large a learning rate.

Compute: the digits network [64, 30, 10] (sigmoid hidden units, softmax output,
cross-entropy cost) trained by minibatch SGD on only ``n_train`` training images, with
the cost and accuracy on those images and on the 450 test images after every epoch
(overfitting); then the same network from the same start with each learning rate of
``etas`` for ``lr_epochs`` epochs, recording the training cost per epoch. Both are run for
``seeds`` seeds (seed, seed + 1, ...: initial weights and minibatches); results are the mean
and standard deviation (ddof=1) over the seeds.
Draw: mean training and test cost and accuracy against epochs, the mean cost for each rate,
with bands of ± one standard deviation.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import CrossEntropy, EpochMetrics, GradientDescent, data, train
from generators.seeds import mean_sd
from generators.training_dynamics import digits_mlp, log_ticks

COST = CrossEntropy()
SCALARS = ("best_test_epoch", "best_test_cost", "final_test_cost", "final_train_cost",
           "final_train_accuracy", "final_test_accuracy", "best_test_accuracy")


def overfit(p: Params, X, Y, X_test, Y_test, seed: int) -> dict:
    """One overfitting run from ``seed``: the per-epoch history and its scalars."""
    rng = np.random.default_rng(seed)
    metrics = EpochMetrics(X, Y, COST, X_test, Y_test)
    train(digits_mlp(rng, p["hidden"]), X, Y, cost=COST, optimizer=GradientDescent(eta=p["eta"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[metrics])
    h = {k: np.asarray(v) for k, v in metrics.to_dict().items()}
    best = int(np.argmin(h["test_loss"]))
    return {"history": h, "best_test_epoch": best, "best_test_cost": float(h["test_loss"][best]),
            "final_test_cost": float(h["test_loss"][-1]), "final_train_cost": float(h["loss"][-1]),
            "final_train_accuracy": float(h["accuracy"][-1]),
            "final_test_accuracy": float(h["test_accuracy"][-1]),
            "best_test_accuracy": float(h["test_accuracy"].max())}


def rate_costs(p: Params, X, Y, seed: int) -> np.ndarray:
    """Training cost per epoch (epoch 0 first) for each rate of ``etas``, all from the same
    start and minibatches of ``seed``: one row per rate."""
    rows = []
    for eta in p["etas"]:
        rng = np.random.default_rng(seed)                       # same start for every rate
        m = EpochMetrics(X, Y, COST)
        train(digits_mlp(rng, p["hidden"]), X, Y, cost=COST, optimizer=GradientDescent(eta=eta),
              epochs=p["lr_epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[m])
        rows.append(m.loss)
    return np.array(rows)


def compute(p: Params) -> dict:
    """Both experiments for each of ``seeds`` seeds (seed, seed + 1, ...; initial weights and
    minibatches): curves per seed, and the mean and standard deviation of every number."""
    X, Y, X_test, Y_test = data.digits()
    X, Y = X[:p["n_train"]], Y[:p["n_train"]]
    seeds = [p["seed"] + i for i in range(p["seeds"])]
    fits = [overfit(p, X, Y, X_test, Y_test, s) for s in seeds]
    history = {k: np.array([f["history"][k] for f in fits]) for k in fits[0]["history"]}
    history["epochs"] = history["epochs"][0]
    rates = np.array([rate_costs(p, X, Y, s) for s in seeds])      # seed x rate x epoch
    out = {
        "history": history, "rates": rates, "per_seed": {k: np.array([f[k] for f in fits]) for k in SCALARS},
        "mon_seeds": len(seeds), "n_train": len(X), "n_test": len(X_test), "epochs": p["epochs"],
        "eta": p["eta"], "batch_size": p["batch_size"], "lr_epochs": p["lr_epochs"],
    }
    for k in SCALARS:
        out[k], out[f"{k}_sd"] = mean_sd(out["per_seed"][k])
    for i, eta in enumerate(p["etas"]):
        out[f"lr_eta_{i}"] = eta
        out[f"lr_cost_{i}"], out[f"lr_cost_{i}_sd"] = mean_sd(rates[:, i, -1])
    out["lr_start_cost"], out["lr_start_cost_sd"] = mean_sd(rates[:, 0, 0])
    return out


def band(ax, x, rows: np.ndarray, color, ls: str, label: str, floor: float = 0.0) -> None:
    """Mean of ``rows`` (one per seed) against ``x``, with a band of ± one standard deviation
    (its bottom at least ``floor``, for logarithmic axes)."""
    mean, sd = rows.mean(axis=0), rows.std(axis=0, ddof=1)
    ax.fill_between(x, np.maximum(mean - sd, floor), mean + sd, color=color, alpha=0.2, lw=0)
    ax.plot(x, mean, color=color, ls=ls, label=label)


def draw_overfitting(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import PercentFormatter

    h = d["history"]
    # Cost beside accuracy; on a phone cost above accuracy (generators/layout.py).
    fig, (ax_c, ax_a) = subplots(theme, 2, height=2.9, narrow_height=2.5, layout="constrained")
    for ax, key, label in ((ax_c, "loss", "cost $C$ (logarithmic)"),
                           (ax_a, "accuracy", "accuracy")):
        floor = 0.5 * h[key].min() if key == "loss" else 0.0
        band(ax, h["epochs"], h[key], theme.palette[0], "-", "training", floor)
        band(ax, h["epochs"], h[f"test_{key}"], theme.palette[1], "--", "test", floor)
        ax.axvline(d["best_test_epoch"], color=theme.muted, lw=1, ls=":")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_xlim(0, h["epochs"][-1])
    ax_c.set_yscale("log")
    log_ticks(ax_c.yaxis)
    # The lowest test cost, mean ± one sd over the seeds in both its epoch and its value.
    ax_c.errorbar(d["best_test_epoch"], d["best_test_cost"], xerr=d["best_test_epoch_sd"],
                  yerr=d["best_test_cost_sd"], fmt="o", color=theme.palette[1], ms=5, capsize=3)
    # On a phone the cost panel is too narrow for the legend: it goes where accuracy is empty.
    (ax_a if theme.narrow else ax_c).legend(frameon=False, loc="lower right" if theme.narrow else "lower left")
    ax_a.set_ylim(0, 1.02)
    ax_a.yaxis.set_major_formatter(PercentFormatter(1.0))
    return fig


def draw_rates(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # The legend at the right; on a phone under the plot.
    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 3.6) if theme.narrow else (6.0, 3.0),
                           layout="constrained")
    styles = ("-", "-", "--", ":")
    rates = d["rates"]                                          # seed x rate x epoch
    floor = 0.5 * rates.min()
    for i, (eta, color, ls) in enumerate(zip(p["etas"], theme.palette, styles)):
        band(ax, np.arange(rates.shape[2]), rates[:, i], color, ls, f"$\\eta$ = {eta:g}", floor)
    ax.set_yscale("log")
    log_ticks(ax.yaxis)
    ax.set_xlim(0, p["lr_epochs"])
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"training cost $C$ (logarithmic),\nmean of {d['mon_seeds']} seeds")
    if theme.narrow:
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
    else:
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "first seed (initial weights, shared by the rates, and minibatches): seed, "
                      "seed + 1, ...", min=0),
        "seeds": Param(5, "seeds every run is repeated with", min=2),
        "n_train": Param(200, "training digits used (the first ones of the 1347)", min=1, max=1347),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(1.0, "learning rate η of the overfitting run", min=1e-6),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "epochs": Param(120, "training epochs of the overfitting run", min=1),
        "etas": Param((0.1, 1.0, 10.0, 30.0), "four learning rates η compared, rising", min=1e-6),
        "lr_epochs": Param(30, "training epochs of each learning-rate run", min=1),
    },
    results=("mon_seeds", "n_train", "n_test", "epochs", "eta", "batch_size", "lr_epochs",
             *(f"{k}{sd}" for k in SCALARS for sd in ("", "_sd")),
             *(f"lr_eta_{i}" for i in range(4)),
             *(f"lr_cost_{i}{sd}" for i in range(4) for sd in ("", "_sd")),
             "lr_start_cost", "lr_start_cost_sd"),
    figures=(
        Figure(
            "overfitting", draw_overfitting,
            caption=(
                "The digits network trained on a small training set from several seeds: cost "
                "(logarithmic) and accuracy on its training images (solid) and on the "
                "test images (dashed) after every epoch, the mean over the seeds with a band of "
                "± one standard deviation; the dot marks the lowest test cost and its epoch, "
                "with error bars of ± one standard deviation in both, the dotted line that "
                "epoch. Look at the gap: the training cost keeps falling towards zero while "
                "the test cost stops improving and creeps back up, and the test accuracy "
                "levels off well below the training accuracy."
            ),
            alt=(
                "Two line charts against epoch, each curve with a narrow shaded band. First, "
                "cost on a logarithmic axis: the training curve falls steadily by about three "
                "orders of magnitude; the test curve falls at first, reaches its lowest point "
                "near epoch 30, marked with a dot with error bars and a dotted vertical line, "
                "and then rises slowly. Second, accuracy: the training curve climbs to 100 "
                "percent within a few epochs; the test curve climbs to just below 90 percent "
                "and stays flat."
            ),
        ),
        Figure(
            "learning-rates", draw_rates,
            caption=(
                "Training cost of the same network from the same start with four learning "
                "rates $\\eta$ (legend), after every epoch, on a logarithmic axis: the mean "
                "over several seeds (each its own start, shared by the four rates) with a band "
                "of ± one standard deviation. The smallest rate is safe but slow, the second "
                "learns fast. With the two largest the "
                "cost makes no lasting progress: it jumps up and down around, or far above, "
                "where it started."
            ),
            alt=(
                "Line chart of mean training cost on a logarithmic axis against epoch for four "
                "learning rates, each with a shaded band. The smallest rate's curve falls slowly and smoothly; the "
                "second falls fast, by about two orders of magnitude; the third wobbles "
                "around its starting value; the largest jumps up by about a factor of "
                "ten in the first epochs and stays at that level, with a wide band."
            ),
        ),
    ),
)
