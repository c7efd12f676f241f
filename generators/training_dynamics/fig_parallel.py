"""Data-parallel SGD, simulated: k workers averaged in step, or one worker's stale gradient.

Compute: the digits network [64, 30, 10] (softmax output, cross-entropy cost) trained by
SGD for ``updates`` updates from the same start, in two simulated set-ups:

- synchronous: each of k workers computes the gradient on its own minibatch of
  ``batch_size`` examples at the current parameters; the update uses their average
  (what k machines with an all-reduce do);
- asynchronous: each update uses one worker's gradient computed at the parameters of
  ``delay`` updates ago, since other workers changed them while it was computing
  (a parameter server with delay-d staleness; d is about the number of other workers).

Every update is the library's ``GradientDescent`` step; gradients come from the model's
forward and backward passes. The training cost on ``probe`` examples is recorded every
``every`` updates. No real parallelism: the point is what averaging and staleness do to
the updates. Draw: cost against updates for each k and each delay.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import CrossEntropy, GradientDescent, data
from generators.training_dynamics import digits_mlp, log_ticks

COST = CrossEntropy()


def simulate(p: Params, X: np.ndarray, Y: np.ndarray, workers: int, delay: int,
             eta: float) -> np.ndarray:
    """Training cost on the probe set every ``every`` updates (and after the last)."""
    model = digits_mlp(np.random.default_rng(p["seed"]), p["hidden"])  # the same start
    rng = np.random.default_rng(p["seed"] + 1)                          # the same minibatches
    params, opt = model.params(), GradientDescent(eta=eta)
    past = deque([{k: v.copy() for k, v in params.items()}], maxlen=delay + 1)
    probe, costs = slice(0, p["probe"]), []
    for t in range(p["updates"] + 1):
        if t % p["every"] == 0:
            costs.append(COST(model.predict(X[probe]), Y[probe]))
        if t == p["updates"]:
            break
        now = {k: v.copy() for k, v in params.items()}
        for k, v in params.items():                  # where the worker(s) read theta:
            v[...] = past[0][k]                      # `delay` updates ago (0: now)
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        for batch in rng.choice(len(X), size=(workers, p["batch_size"]), replace=False):
            _, dC_da = COST.value_and_grad(model.forward(X[batch]), Y[batch])
            model.backward(dC_da, need_dx=False)
            for k in grads:
                grads[k] += model.grads[k] / workers
        for k, v in params.items():
            v[...] = now[k]
        opt.step(params, grads)
        past.append({k: v.copy() for k, v in params.items()})
    return np.array(costs)


def compute(p: Params) -> dict:
    X, Y, _, _ = data.digits()
    sync = {f"$k$ = {k}": simulate(p, X, Y, k, 0, p["eta"]) for k in p["workers"]}
    k = p["workers"][-1]                        # the same workers, with k times the rate
    sync[f"$k$ = {k}, {k}$\\eta$"] = scaled = simulate(p, X, Y, k, 0, k * p["eta"])
    stale = {f"$d$ = {d}": simulate(p, X, Y, 1, d, p["eta"]) for d in p["delays"]}
    out = {"sync": sync, "stale": stale, "updates": p["updates"], "every": p["every"],
           "par_eta": p["eta"], "par_batch_size": p["batch_size"], "probe": p["probe"],
           "start_cost": float(scaled[0]), "scaled_eta": k * p["eta"],
           "scaled_cost": float(scaled[-1])}
    for i, (k, cost) in enumerate(zip(p["workers"], sync.values())):
        out[f"workers_{i}"], out[f"sync_cost_{i}"] = k, float(cost[-1])
    for i, (d, cost) in enumerate(zip(p["delays"], stale.values())):
        out[f"delay_{i}"], out[f"stale_cost_{i}"] = d, float(cost[-1])
    return out


def draw(d: dict, p: Params, theme) -> object:
    # Synchronous beside asynchronous; on a phone one above the other (generators/layout.py).
    fig, axes = subplots(theme, 2, height=3.2, narrow_height=2.8, layout="constrained", sharey=True)
    styles = ("-", "--", "-.", ":")
    for ax, runs, title, corner in ((axes[0], d["sync"], "synchronous, $k$ workers", "upper right"),
                                    (axes[1], d["stale"], "asynchronous, delay $d$", "lower left")):
        for (label, cost), color, ls in zip(runs.items(), theme.palette, styles):
            ax.plot(np.arange(len(cost)) * p["every"], cost, color=color, ls=ls, lw=1.6,
                    label=label)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("update")
        ax.set_xlim(0, p["updates"])
        ax.legend(frameon=False, loc=corner, fontsize=9)
    axes[0].set_yscale("log")
    log_ticks(axes[0].yaxis, subs=(1, 2, 5))
    for ax in axes if theme.narrow else axes[:1]:    # stacked, each panel has its own y axis
        ax.set_ylabel("training cost $C$ (logarithmic)")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights and the minibatches", min=0),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(0.5, "learning rate η of each update", min=1e-6),
        "batch_size": Param(4, "minibatch size of each worker (workers x batch_size <= 1347)", min=1),
        "updates": Param(200, "updates of each simulated run", min=1),
        "every": Param(5, "the cost is measured every this many updates", min=1),
        "probe": Param(300, "training digits the cost is measured on", min=1, max=1347),
        "workers": Param((1, 4, 8), "three numbers of synchronous workers k, rising", min=1),
        "delays": Param((0, 4, 8, 16), "four staleness delays d, in updates", min=0),
    },
    results=("updates", "par_eta", "par_batch_size", "probe", "start_cost", "scaled_eta",
             "scaled_cost",
             "workers_0", "workers_1", "workers_2", "sync_cost_0", "sync_cost_1", "sync_cost_2",
             "delay_0", "delay_1", "delay_2", "delay_3",
             "stale_cost_0", "stale_cost_1", "stale_cost_2", "stale_cost_3"),
    figures=(
        Figure(
            "parallel", draw,
            caption=(
                "Simulated data-parallel SGD on the digits network: training cost against "
                "updates, logarithmic, all with the same learning rate $\\eta$ unless the legend "
                "says otherwise. Synchronous: updates that average the minibatch "
                "gradients of $k$ workers; the dotted curve also multiplies $\\eta$ by $k$. "
                "Asynchronous: updates, each from one worker's gradient computed on "
                "parameters $d$ updates old. Averaging smooths the curve but barely speeds it "
                "up at the same $\\eta$; a larger $\\eta$ does. Stale gradients slow training "
                "down, and a long delay stalls it."
            ),
            alt=(
                "Two line charts of training cost on a logarithmic axis against update, 0 to "
                "200. First, synchronous: the curves for 1, 4 and 8 workers fall together from "
                "about 2.4 to about 0.45 to 0.6, the one for a single worker the most jagged; the "
                "curve for 8 workers with 8 times the learning rate falls much faster, to below "
                "0.1. Second, asynchronous: with delay 0 the cost falls steadily; with delay 4 it "
                "falls more slowly and unevenly; with delays 8 and 16 it jumps up at the start and then "
                "stays near its starting value."
            ),
        ),
    ),
)
