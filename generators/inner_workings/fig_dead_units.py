"""Dead ReLU units: a too-large learning rate switches hidden units off for good.

Compute: for each of ``seeds`` seeds (seed, seed + 1, ...), the same [64, n_hidden, 10]
ReLU network (the seed's initial weights, the same for every eta) trained with each
learning rate eta of ``etas``. At log-spaced minibatch steps, which
hidden units are dead: a_j = 0 for every *training* digit, so ReLU'(z_j) = 0 on every
minibatch and no gradient ever reaches the unit's weights again. Such a unit cannot come
back, and the generator checks it: ``revived`` counts units dead at one measured step and
alive at a later one (it must be 0, summed over every run). After every epoch, the test
accuracy. The numbers the page compares are means and standard deviations over the seeds
(results <name> and <name>_sd); ``per_seed`` keeps each seed's value for the tests.
Draw: the dead fraction against training time (logarithmic), and the test accuracy: the
mean over the seeds with a band of ± one standard deviation.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.inner_workings import band, hidden_activations, mean_sd, mlp, seed_list
from generators.layout import subplots
from generators.nn import Callback, CrossEntropy, GradientDescent, Record, accuracy, data, train


class DeadAt(Callback):
    """Which units are dead after each step in ``at`` (log-spaced: a figure needs no more)."""

    def __init__(self, X: np.ndarray, at: np.ndarray) -> None:
        self.X, self.at, self.steps, self.masks = X, set(at.tolist()), [], []

    def on_step_end(self, state) -> None:
        if state.global_step in self.at:
            self.steps.append(state.global_step)
            self.masks.append(dead_units(state.model, self.X))


def dead_units(model, X: np.ndarray) -> np.ndarray:
    """``(n_hidden,)`` bool: the hidden units whose activation is 0 for every row of ``X``."""
    return hidden_activations(model, X)[0].max(axis=0) <= 0.0


def dead_fraction(model, X: np.ndarray) -> float:
    """Fraction of hidden units whose activation is 0 for every row of ``X``."""
    return float(np.mean(dead_units(model, X)))


def revived(masks: np.ndarray) -> int:
    """Units dead in some row of ``masks`` (measurements in time order) and alive in a later one."""
    dead_before = np.logical_or.accumulate(masks, axis=0)
    return int(np.sum(np.any(dead_before[:-1] & ~masks[1:], axis=0)))


def run(eta: float, seed: int, p: Params, X, Y, X_test, Y_test) -> dict:
    """Train the network from ``seed`` with learning rate ``eta``; dead units and accuracy."""
    rng = np.random.default_rng(seed)
    model = mlp((64, p["n_hidden"], 10), "ReLU", rng)
    total = p["epochs"] * -(-len(X) // p["batch_size"])
    at = np.unique(np.geomspace(1, total, p["points"]).round().astype(int))
    dead, silent = DeadAt(X, at), DeadAt(X_test, at)   # silent: zero on every test digit
    acc = Record(lambda s: accuracy(s.model, X_test, Y_test), every="epoch")
    start = (dead_units(model, X), accuracy(model, X_test, Y_test), dead_units(model, X_test))
    train(model, X, Y, cost=CrossEntropy(), optimizer=GradientDescent(eta=eta),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[dead, silent, acc])
    masks = np.array([start[0]] + dead.masks)
    return {"eta": eta, "dead": masks.mean(axis=1), "steps": np.array([0] + dead.steps),
            "accuracy": np.array([start[1]] + acc.values), "revived": revived(masks),
            "revived_test": revived(np.array([start[2]] + silent.masks))}


# Quoted as mean and standard deviation over the seeds: result <name> and <name>_sd.
STATS = ("dead_start", "dead_sane", "dead_large", "dead_large_epoch1", "acc_sane", "acc_large")


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    seeds = seed_list(p)
    by_seed = [[run(eta, s, p, X, Y, X_test, Y_test) for eta in p["etas"]] for s in seeds]
    steps_per_epoch = -(-len(X) // p["batch_size"])
    runs = [{"eta": eta, "steps": by_seed[0][i]["steps"],      # the same steps for every seed
             "dead": np.array([rs[i]["dead"] for rs in by_seed]),           # (seeds, points)
             "accuracy": np.array([rs[i]["accuracy"] for rs in by_seed])}    # (seeds, epochs + 1)
            for i, eta in enumerate(p["etas"])]
    sane, large = runs[0], runs[-1]
    per_seed = {
        "dead_start": sane["dead"][:, 0],
        "dead_sane": sane["dead"][:, -1], "dead_large": large["dead"][:, -1],
        "dead_large_epoch1": np.array([np.interp(steps_per_epoch, large["steps"], d)
                                       for d in large["dead"]]),
        "acc_sane": sane["accuracy"][:, -1], "acc_large": large["accuracy"][:, -1],
    }
    out = {
        "runs": runs, "per_seed": per_seed, "steps_per_epoch": steps_per_epoch,
        "epochs": p["epochs"], "dead_seeds": len(seeds),
        "revived": sum(r["revived"] for rs in by_seed for r in rs), "dead_n_train": len(X),
        "revived_test": sum(r["revived_test"] for rs in by_seed for r in rs),
        "eta_sane": sane["eta"], "eta_large": large["eta"],
        "dead_n_hidden": p["n_hidden"], "dead_epochs": p["epochs"],
    }
    for name in STATS:
        out[name], out[f"{name}_sd"] = mean_sd(per_seed[name])
    return out


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    from generators.style import decade_label

    # Two panels in a row; on a phone one above the other (generators/layout.py).
    fig, (ax_d, ax_a) = subplots(theme, 2, height=3.2, narrow_height=2.7, layout="constrained")
    styles = ("-", "--", ":", "-.")
    for i, r in enumerate(d["runs"]):
        color, ls = theme.palette[i % len(theme.palette)], styles[i % len(styles)]
        steps = r["steps"][1:] / d["steps_per_epoch"]                  # step 0 is not on a log axis
        band(ax_d, steps, r["dead"][:, 1:], color, top=1.0, ls=ls, label=f"$\\eta$ = {r['eta']:g}")
        band(ax_a, np.arange(r["accuracy"].shape[1]), r["accuracy"], color, top=1.0, ls=ls)
    ax_d.set_xscale("log")
    ax_d.xaxis.set_major_formatter(decade_label)
    ax_d.xaxis.set_minor_formatter(plt.NullFormatter())
    ax_d.set_xlabel("epoch (logarithmic scale)")
    ax_d.set_ylabel(f"dead hidden units, mean of {d['dead_seeds']} seeds")
    ax_d.set_ylim(0, 1)
    ax_d.legend(frameon=False, loc="upper left")
    ax_a.set_xlabel("epoch")
    ax_a.set_ylabel(f"test accuracy, mean of {d['dead_seeds']} seeds")
    ax_a.set_xlim(0, d["epochs"])
    ax_a.set_ylim(0, 1.02)
    for ax in (ax_d, ax_a):
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "first random seed for the initial weights (the same for every η) and "
                      "minibatches", min=0),
        "seeds": Param(5, "seeds: each trains the network once per learning rate", min=2),
        "n_hidden": Param(30, "ReLU hidden units", min=1),
        "etas": Param((0.1, 0.5, 1.0), "learning rates η, rising: the first sane, the last too large",
                      min=1e-6),
        "epochs": Param(20, "training epochs", min=1),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "points": Param(60, "steps at which the dead fraction is measured (log-spaced)", min=1),
    },
    results=(*(f"{name}{sd}" for name in STATS for sd in ("", "_sd")),
             "dead_seeds", "eta_sane", "eta_large", "dead_n_hidden", "dead_epochs", "revived",
             "dead_n_train", "revived_test"),
    figures=(
        Figure(
            "dead-units", draw,
            caption=(
                "The same ReLU network trained with different learning rates $\\eta$, from "
                "several seeds: lines are the mean over the seeds, bands ± one standard "
                "deviation. First "
                "panel: the share of hidden units that are dead, i.e. zero for every training "
                "digit (so no gradient reaches them), against training time on a logarithmic "
                "axis. Second panel: test accuracy after each epoch. Look at the largest rate: "
                "units start dying within the first epoch and keep dying, no curve ever falls "
                "(a dead unit never comes back), and the accuracy stays far below the others."
            ),
            alt=(
                "Two line charts, one line with a shaded band per learning rate. First: share of "
                "dead hidden units against epoch on a logarithmic axis, in steps that never "
                "go down; for the smaller rates it stays low and almost flat, for the largest "
                "it climbs from the first epoch on until most units are dead. Second: test accuracy "
                "against epoch; the smaller rates rise close to 100 percent within an "
                "epoch, the largest stays far below them."
            ),
        ),
    ),
)
