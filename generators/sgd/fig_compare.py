"""Full-batch gradient descent against minibatch and single-example SGD on the digits.

Compute: for each of ``seeds`` seeds (initial weights and example order), the same
[64, 30, 10] sigmoid network (the seed's initial weights) trained on ``n_train`` digits
with the quadratic cost and the same learning rate eta, three ways: one update per epoch
on the whole training set (batch_size=None), updates on minibatches of ``minibatch``
examples, and updates on single examples (batch_size=1). A small callback evaluates the
cost J on the whole training set at logarithmically spaced steps (the same steps for
every seed), so the curves can be drawn against examples processed and against updates.
Results are means and standard deviations over the seeds.
Draw: J against epochs (examples processed / n) and against parameter updates, mean over
the seeds with a band of ± one standard deviation.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import (Callback, Dense, GradientDescent, QuadraticCost, Sequential, Sigmoid,
                           TrainState, accuracy, data, train)
from generators.sgd import band, plain_log_ticks, spread


class CostAt(Callback):
    """Records the cost on (X, Y) before training and after each step listed in ``steps``."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, steps: set[int]) -> None:
        self.X, self.Y, self.when = X, Y, steps
        self.steps: list[int] = []
        self.cost: list[float] = []

    def on_train_begin(self, state: TrainState) -> None:
        self._record(state, 0)

    def on_step_end(self, state: TrainState) -> None:
        if state.global_step in self.when:
            self._record(state, state.global_step)

    def _record(self, state: TrainState, step: int) -> None:
        self.steps.append(step)
        self.cost.append(QuadraticCost()(state.model.predict(self.X), self.Y))


def train_three_ways(p: Params, X: np.ndarray, Y: np.ndarray, X_test: np.ndarray,
                     Y_test: np.ndarray, seed) -> dict:
    """Full batch, minibatches and single examples from the same initial weights (``seed``)."""
    n = len(X)
    runs = {}
    for key, batch, epochs in (("full", None, p["full_epochs"]), ("mini", p["minibatch"], p["epochs"]),
                               ("single", 1, p["epochs"])):
        rng = np.random.default_rng(seed)  # the same initial weights for every run
        model = Sequential([Dense(64, 30), Sigmoid(), Dense(30, 10), Sigmoid()], rng=rng)
        size = n if batch is None else batch
        updates = epochs * -(-n // size)  # ceil: the last minibatch may be smaller
        when = set(np.unique(np.geomspace(1, updates, 50).round().astype(int)).tolist())
        when.add(min(p["full_epochs"], updates))  # every run is measured after as many
        #                                           updates as full-batch descent makes
        recorder = CostAt(X, Y, when)
        train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=p["eta"]),
              epochs=epochs, batch_size=batch, rng=rng, callbacks=[recorder])
        steps = np.array(recorder.steps)
        same = recorder.cost[recorder.steps.index(min(p["full_epochs"], updates))]
        runs[key] = {"batch": size, "cost_same_updates": same, "updates": steps,
                     "examples": np.minimum(steps * size, epochs * n),
                     "cost": np.array(recorder.cost),
                     "test_accuracy": accuracy(model, X_test, Y_test)}
    return runs


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    X, Y = X[:p["n_train"]], Y[:p["n_train"]]
    seeds = [train_three_ways(p, X, Y, X_test, Y_test, [p["seed"], s]) for s in range(p["seeds"])]
    runs = {}
    for key, first in seeds[0].items():  # steps, batch and examples are the same for every seed
        runs[key] = {**first, **{m: np.array([r[key][m] for r in seeds])
                                 for m in ("cost", "cost_same_updates", "test_accuracy")}}
    out = {"runs": runs, "n_train": len(X), "epochs": p["epochs"], "full_epochs": p["full_epochs"],
           "eta": p["eta"], "minibatch": p["minibatch"], "compare_seeds": p["seeds"]}
    for key, r in runs.items():
        for name, values in (("cost", r["cost"][:, -1]), ("test_accuracy", r["test_accuracy"]),
                             ("cost_same_updates", r["cost_same_updates"])):
            out[f"{key}_{name}"], out[f"{key}_{name}_sd"] = spread(values)
        out[f"{key}_updates"] = int(r["updates"][-1])
    # in how many seeds each ordering the page states holds
    final = {k: r["cost"][:, -1] for k, r in runs.items()}
    out["seeds_work_order"] = int(np.sum((final["single"] < final["mini"]) & (final["mini"] < final["full"])))
    out["seeds_update_order"] = int(np.sum(runs["full"]["cost_same_updates"]
                                           < runs["single"]["cost_same_updates"]))
    return out


LABELS = {"full": "full batch", "mini": "minibatch of {m}", "single": "one example (SGD)"}


def draw(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import FuncFormatter

    # Two panels side by side sharing the cost axis; on a phone one above the other.
    fig, (ax_e, ax_u) = subplots(theme, 2, height=3.3, narrow_height=2.9, sharey=True,
                                 layout="constrained")
    styles = {"full": (theme.palette[0], "-"), "mini": (theme.palette[1], "--"),
              "single": (theme.palette[2], ":")}
    for key, r in d["runs"].items():
        color, ls = styles[key]
        label = LABELS[key].format(m=d["minibatch"])
        keep = r["updates"] > 0  # the starting point has no place on a logarithmic axis
        band(ax_e, r["examples"][keep] / d["n_train"], r["cost"][:, keep], color, log=True, ls=ls,
             label=label)
        band(ax_u, r["updates"][keep], r["cost"][:, keep], color, log=True, ls=ls)
    for ax in (ax_e, ax_u):
        ax.set_xscale("log")
        ax.set_yscale("log")
        plain_log_ticks(ax.yaxis)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.grid(True, which="major", lw=0.6)
    ax_e.set_xlabel("epochs = examples processed / $n$\n(logarithmic)")
    ax_u.set_xlabel("parameter updates\n(logarithmic)")
    for ax in (ax_e, ax_u) if theme.narrow else (ax_e,):  # stacked: each has its own cost axis
        ax.set_ylabel("training cost $C$ (logarithmic)")
    ax_e.legend(frameon=False, loc="lower left", fontsize=9)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights (the same in the three runs of a "
                      "seed) and the shuffling", min=0),
        "seeds": Param(5, "seeds (initial weights and example order) every comparison is run over",
                       min=2),
        "n_train": Param(400, "training digits used (the first ones of the 1347)", min=1, max=1347),
        "epochs": Param(10, "training epochs of minibatch and single-example SGD", min=1),
        "full_epochs": Param(100, "training epochs (= updates) of full-batch gradient descent", min=1),
        "eta": Param(3.0, "learning rate η, the same for all three runs", min=1e-6),
        "minibatch": Param(10, "minibatch size: training digits per update", min=1),
    },
    results=tuple(f"{k}_{m}{sd}" for k in ("full", "mini", "single")
                  for m in ("cost", "test_accuracy", "cost_same_updates") for sd in ("", "_sd"))
    + ("full_updates", "mini_updates", "single_updates", "n_train", "epochs", "full_epochs", "eta",
       "minibatch", "compare_seeds", "seeds_work_order", "seeds_update_order"),
    figures=(
        Figure(
            "compare", draw,
            caption=(
                "Training cost of the same digits network trained by full-batch gradient "
                "descent, by minibatch SGD and by single-example SGD, with the same learning "
                "rate and, within each seed, the same initial weights; both axes logarithmic. "
                "Lines: mean over the seeds; bands: ± one standard deviation. First panel, "
                "against epochs, i.e. examples processed: for the same work, the methods that "
                "update more often get much further, and single examples vary most from seed "
                "to seed. Second panel, against parameter updates: per update, the full-batch "
                "gradient is the most reliable, but each of its updates costs a pass over the "
                "whole training set."
            ),
            alt=(
                "Two line charts sharing a logarithmic cost axis. First, against epochs on a "
                "logarithmic axis: the single-example curve drops first and lowest, with the "
                "widest band, the minibatch curve follows, and the full-batch curve stays on a plateau longest "
                "and ends highest even after ten times as many epochs. Second, against parameter"
                " updates on a logarithmic axis: the full-batch curve leaves the plateau first,"
                " the minibatch curve next, and the noisy single-example curve last, but it "
                "continues to far more updates and ends lowest."
            ),
        ),
    ),
)
