"""Two things to watch while training: the gap between training and test, and the cost
under too large a learning rate.

Compute: the digits network [64, 30, 10] (sigmoid hidden units, softmax output,
cross-entropy cost) trained by minibatch SGD on only ``n_train`` training images, with
the cost and accuracy on those images and on the 450 test images after every epoch
(overfitting); then the same network from the same start with each learning rate of
``etas`` for ``lr_epochs`` epochs, recording the training cost per epoch.
Draw: training and test cost and accuracy against epochs; the cost for each rate.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import CrossEntropy, EpochMetrics, GradientDescent, data, train
from generators.training_dynamics import digits_mlp, log_ticks

COST = CrossEntropy()


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    X, Y = X[:p["n_train"]], Y[:p["n_train"]]
    rng = np.random.default_rng(p["seed"])
    metrics = EpochMetrics(X, Y, COST, X_test, Y_test)
    train(digits_mlp(rng, p["hidden"]), X, Y, cost=COST, optimizer=GradientDescent(eta=p["eta"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[metrics])
    h = metrics.to_dict()
    best = int(np.argmin(h["test_loss"]))
    rates = {}
    for eta in p["etas"]:
        rng = np.random.default_rng(p["seed"])                  # same start for every rate
        m = EpochMetrics(X, Y, COST)
        train(digits_mlp(rng, p["hidden"]), X, Y, cost=COST, optimizer=GradientDescent(eta=eta),
              epochs=p["lr_epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[m])
        rates[eta] = np.array(m.loss)
    out = {
        "history": h, "rates": rates,
        "n_train": len(X), "n_test": len(X_test), "epochs": p["epochs"], "eta": p["eta"],
        "batch_size": p["batch_size"], "best_test_epoch": best,
        "best_test_cost": h["test_loss"][best], "final_test_cost": h["test_loss"][-1],
        "final_train_cost": h["loss"][-1], "final_train_accuracy": h["accuracy"][-1],
        "final_test_accuracy": h["test_accuracy"][-1],
        "best_test_accuracy": max(h["test_accuracy"]), "lr_epochs": p["lr_epochs"],
    }
    for i, eta in enumerate(p["etas"]):
        out[f"lr_eta_{i}"], out[f"lr_cost_{i}"] = eta, float(rates[eta][-1])
    out["lr_start_cost"] = float(rates[p["etas"][0]][0])
    return out


def draw_overfitting(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import PercentFormatter

    h = d["history"]
    # Cost beside accuracy; on a phone cost above accuracy (generators/layout.py).
    fig, (ax_c, ax_a) = subplots(theme, 2, height=2.9, narrow_height=2.5, layout="constrained")
    for ax, key, label in ((ax_c, "loss", "cost $C$ (logarithmic)"),
                           (ax_a, "accuracy", "accuracy")):
        ax.plot(h["epochs"], h[key], color=theme.palette[0], label="training")
        ax.plot(h["epochs"], h[f"test_{key}"], color=theme.palette[1], ls="--", label="test")
        ax.axvline(d["best_test_epoch"], color=theme.muted, lw=1, ls=":")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_xlim(0, h["epochs"][-1])
    ax_c.set_yscale("log")
    log_ticks(ax_c.yaxis)
    ax_c.plot(d["best_test_epoch"], d["best_test_cost"], "o", color=theme.palette[1], ms=6)
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
    for (eta, cost), color, ls in zip(d["rates"].items(), theme.palette, styles):
        ax.plot(np.arange(len(cost)), cost, color=color, ls=ls, label=f"$\\eta$ = {eta:g}")
    ax.set_yscale("log")
    log_ticks(ax.yaxis)
    ax.set_xlim(0, p["lr_epochs"])
    ax.set_xlabel("epoch")
    ax.set_ylabel("training cost $C$ (logarithmic)")
    if theme.narrow:
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
    else:
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights (the same in every run) and minibatches",
                      min=0),
        "n_train": Param(200, "training digits used (the first ones of the 1347)", min=1, max=1347),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(1.0, "learning rate η of the overfitting run", min=1e-6),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "epochs": Param(120, "training epochs of the overfitting run", min=1),
        "etas": Param((0.1, 1.0, 10.0, 30.0), "four learning rates η compared, rising", min=1e-6),
        "lr_epochs": Param(30, "training epochs of each learning-rate run", min=1),
    },
    results=("n_train", "n_test", "epochs", "eta", "batch_size", "best_test_epoch",
             "best_test_cost", "final_test_cost", "final_train_cost", "final_train_accuracy",
             "final_test_accuracy", "best_test_accuracy", "lr_epochs",
             "lr_eta_0", "lr_eta_1", "lr_eta_2", "lr_eta_3",
             "lr_cost_0", "lr_cost_1", "lr_cost_2", "lr_cost_3", "lr_start_cost"),
    figures=(
        Figure(
            "overfitting", draw_overfitting,
            caption=(
                "The digits network trained on a small training set: cost "
                "(logarithmic) and accuracy on its training images (solid) and on the "
                "test images (dashed) after every epoch; the dot and the dotted line mark the "
                "epoch of lowest test cost. Look at the gap: the training cost keeps falling "
                "towards zero while the test cost stops improving and creeps back up, and the "
                "test accuracy levels off well below the training accuracy."
            ),
            alt=(
                "Two line charts against epoch. First, cost on a logarithmic axis: the training "
                "curve falls steadily by about three orders of magnitude; the test curve falls "
                "at first, reaches its lowest point early, marked with a dot and a dotted "
                "vertical line, and then rises slowly. Second, accuracy: the training curve "
                "climbs to 100 percent within a few epochs; the test curve climbs to just "
                "below 90 percent and stays flat."
            ),
        ),
        Figure(
            "learning-rates", draw_rates,
            caption=(
                "Training cost of the same network from the same start with four learning "
                "rates $\\eta$ (legend), after every epoch, on a logarithmic axis. The smallest "
                "rate is safe but slow, the second learns fast. With the two largest the "
                "cost makes no lasting progress: it jumps up and down around, or far above, "
                "where it started."
            ),
            alt=(
                "Line chart of training cost on a logarithmic axis against epoch for four "
                "learning rates. The smallest rate's curve falls slowly and smoothly; the "
                "second falls fast, by about two orders of magnitude; the third wobbles "
                "around its starting value; the largest jumps up by more than a factor of "
                "ten in the first epochs and keeps jumping at that level."
            ),
        ),
    ),
)
