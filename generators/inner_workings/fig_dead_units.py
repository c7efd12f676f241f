"""Dead ReLU units: a too-large learning rate switches hidden units off for good.

Compute: the same [64, n_hidden, 10] ReLU network (same seed, so the same initial weights)
trained with each learning rate eta of ``etas``. After every minibatch step, the fraction
of hidden units that are never active (a_j = 0 for every test digit) and, after every
epoch, the test accuracy. A unit that is zero for every input has ReLU'(z) = 0 everywhere,
so no gradient ever reaches its weights again: it is dead.
Draw: the dead fraction against training time (logarithmic), and the test accuracy.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.inner_workings import hidden_activations, mlp
from generators.layout import subplots
from generators.nn import Callback, CrossEntropy, GradientDescent, Record, accuracy, data, train


class DeadAt(Callback):
    """Dead fraction after each step in ``at`` (log-spaced: a figure needs no more)."""

    def __init__(self, X: np.ndarray, at: np.ndarray) -> None:
        self.X, self.at, self.steps, self.values = X, set(at.tolist()), [], []

    def on_step_end(self, state) -> None:
        if state.global_step in self.at:
            self.steps.append(state.global_step)
            self.values.append(dead_fraction(state.model, self.X))


def dead_fraction(model, X: np.ndarray) -> float:
    """Fraction of hidden units whose activation is 0 for every row of ``X``."""
    a = hidden_activations(model, X)[0]
    return float(np.mean(a.max(axis=0) <= 0.0))


def run(eta: float, p: Params, X, Y, X_test, Y_test) -> dict:
    rng = np.random.default_rng(p["seed"])
    model = mlp((64, p["n_hidden"], 10), "ReLU", rng)
    total = p["epochs"] * -(-len(X) // p["batch_size"])
    dead = DeadAt(X_test, np.unique(np.geomspace(1, total, p["points"]).round().astype(int)))
    acc = Record(lambda s: accuracy(s.model, X_test, Y_test), every="epoch")
    start = (dead_fraction(model, X_test), accuracy(model, X_test, Y_test))
    train(model, X, Y, cost=CrossEntropy(), optimizer=GradientDescent(eta=eta),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[dead, acc])
    return {"eta": eta, "dead": np.array([start[0]] + dead.values), "steps": np.array([0] + dead.steps),
            "accuracy": np.array([start[1]] + acc.values)}


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    runs = [run(eta, p, X, Y, X_test, Y_test) for eta in p["etas"]]
    steps_per_epoch = -(-len(X) // p["batch_size"])
    sane, large = runs[0], runs[-1]
    return {
        "runs": runs, "steps_per_epoch": steps_per_epoch, "epochs": p["epochs"],
        "dead_start": sane["dead"][0],
        "dead_sane": sane["dead"][-1], "dead_large": large["dead"][-1],
        "dead_large_epoch1": float(np.interp(steps_per_epoch, large["steps"], large["dead"])),
        "acc_sane": sane["accuracy"][-1], "acc_large": large["accuracy"][-1],
        "eta_sane": sane["eta"], "eta_large": large["eta"],
        "dead_n_hidden": p["n_hidden"], "dead_epochs": p["epochs"],
    }


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    from generators.style import decade_label

    # Two panels in a row; on a phone one above the other (generators/layout.py).
    fig, (ax_d, ax_a) = subplots(theme, 2, height=3.2, narrow_height=2.7, layout="constrained")
    styles = ("-", "--", ":", "-.")
    for i, r in enumerate(d["runs"]):
        color, ls = theme.palette[i % len(theme.palette)], styles[i % len(styles)]
        steps = r["steps"][1:] / d["steps_per_epoch"]                  # step 0 is not on a log axis
        ax_d.plot(steps, r["dead"][1:], color=color, ls=ls, label=f"$\\eta$ = {r['eta']:g}")
        ax_a.plot(np.arange(len(r["accuracy"])), r["accuracy"], color=color, ls=ls)
    ax_d.set_xscale("log")
    ax_d.xaxis.set_major_formatter(decade_label)
    ax_d.xaxis.set_minor_formatter(plt.NullFormatter())
    ax_d.set_xlabel("epoch (logarithmic scale)")
    ax_d.set_ylabel("dead hidden units")
    ax_d.set_ylim(0, 1)
    ax_d.legend(frameon=False, loc="upper left")
    ax_a.set_xlabel("epoch")
    ax_a.set_ylabel("test accuracy")
    ax_a.set_xlim(0, d["epochs"])
    ax_a.set_ylim(0, 1.02)
    for ax in (ax_d, ax_a):
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights (the same for every η) and minibatches",
                      min=0),
        "n_hidden": Param(30, "ReLU hidden units", min=1),
        "etas": Param((0.1, 0.5, 1.0), "learning rates η, rising: the first sane, the last too large",
                      min=1e-6),
        "epochs": Param(20, "training epochs", min=1),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "points": Param(60, "steps at which the dead fraction is measured (log-spaced)", min=1),
    },
    results=("dead_start", "dead_sane", "dead_large", "dead_large_epoch1", "acc_sane", "acc_large",
             "eta_sane", "eta_large", "dead_n_hidden", "dead_epochs"),
    figures=(
        Figure(
            "dead-units", draw,
            caption=(
                "The same ReLU network trained with different learning rates $\\eta$. First "
                "panel: the share of hidden units that are dead, i.e. zero for every test digit, "
                "against training time on a logarithmic axis. Second panel: test accuracy after "
                "each epoch. Look at the largest rate: units die within the first epoch, do not "
                "come back, and the accuracy stays far below the others."
            ),
            alt=(
                "Two line charts, one line per learning rate. First: share of "
                "dead hidden units against epoch on a logarithmic axis; for the smaller "
                "rates it stays low and almost flat, for the largest it climbs steeply "
                "during the first epoch until most units are dead. Second: test accuracy "
                "against epoch; the smaller rates rise close to 100 percent within an "
                "epoch, the largest stays far below them."
            ),
        ),
    ),
)
