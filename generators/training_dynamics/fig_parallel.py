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
``every`` updates. Each set-up runs for ``seeds`` seeds (seed, seed + 1, ...: initial
weights and minibatches, the same for every set-up of a seed); results are the mean and
standard deviation (ddof=1) over the seeds of each final cost, and each synchronous
set-up's ``jaggedness``. No real parallelism: the point is what averaging and staleness
do to the updates. Draw: mean cost against updates for each k and each delay, with a
band of one standard deviation.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import CrossEntropy, GradientDescent, data
from generators.seeds import mean_sd
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


def jaggedness(costs: np.ndarray) -> float:
    """How jagged cost curves are: the mean absolute second difference of log C between
    successive measurements (0 for a curve that falls at a steady rate), over all rows."""
    return float(np.mean(np.abs(np.diff(np.log(costs), n=2, axis=-1))))


def compute(p: Params) -> dict:
    """Every set-up for each of ``seeds`` seeds (seed, seed + 1, ...): cost curves, and the
    mean and standard deviation over the seeds of each final cost."""
    X, Y, _, _ = data.digits()
    k = p["workers"][-1]                        # the same workers, with k times the rate
    setups = {**{f"$n_\\mathrm{{w}}$ = {w}": (w, 0, p["eta"]) for w in p["workers"]},
              f"$n_\\mathrm{{w}}$ = {k}, {k}$\\eta$": (k, 0, k * p["eta"])}
    stale_setups = {f"$d$ = {d}": (1, d, p["eta"]) for d in p["delays"]}
    seeds = [p["seed"] + i for i in range(p["seeds"])]

    def runs(spec: dict) -> dict:
        return {label: np.array([simulate({**p, "seed": s}, X, Y, *args) for s in seeds])
                for label, args in spec.items()}
    sync, stale = runs(setups), runs(stale_setups)
    scaled = sync[f"$n_\\mathrm{{w}}$ = {k}, {k}$\\eta$"]
    out = {"sync": sync, "stale": stale, "updates": p["updates"], "every": p["every"],
           "par_eta": p["eta"], "par_batch_size": p["batch_size"], "probe": p["probe"],
           "par_seeds": len(seeds), "start_cost": float(scaled[:, 0].mean()),
           "scaled_eta": k * p["eta"]}
    out["scaled_cost"], out["scaled_cost_sd"] = mean_sd(scaled[:, -1])
    for i, (w, cost) in enumerate(zip(p["workers"], sync.values())):
        out[f"workers_{i}"] = w
        out[f"sync_cost_{i}"], out[f"sync_cost_{i}_sd"] = mean_sd(cost[:, -1])
        out[f"sync_jagged_{i}"] = jaggedness(cost)
    for i, (d, cost) in enumerate(zip(p["delays"], stale.values())):
        out[f"delay_{i}"] = d
        out[f"stale_cost_{i}"], out[f"stale_cost_{i}_sd"] = mean_sd(cost[:, -1])
    return out


def draw(d: dict, p: Params, theme) -> object:
    # Synchronous beside asynchronous; on a phone one above the other (generators/layout.py).
    fig, axes = subplots(theme, 2, height=3.2, narrow_height=2.8, layout="constrained", sharey=True)
    styles = ("-", "--", "-.", ":")
    floor = 0.01 if theme.narrow else 0.05       # the axis' bottom, room for the legend
    for ax, runs, title, corner in ((axes[0], d["sync"], "synchronous, $n_\\mathrm{w}$ workers", "lower left"),
                                    (axes[1], d["stale"], "asynchronous, delay $d$", "lower left")):
        for (label, costs), color, ls in zip(runs.items(), theme.palette, styles):
            x = np.arange(costs.shape[1]) * p["every"]
            mean, sd = costs.mean(axis=0), costs.std(axis=0, ddof=1)
            ax.fill_between(x, np.maximum(mean - sd, floor), mean + sd, color=color, alpha=0.2, lw=0)
            ax.plot(x, mean, color=color, ls=ls, lw=1.6, label=label)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("update")
        ax.set_xlim(0, p["updates"])
        ax.legend(frameon=False, loc=corner, fontsize=9, ncols=2 if theme.narrow else 1)
    axes[0].set_yscale("log")
    axes[0].set_ylim(bottom=floor)
    log_ticks(axes[0].yaxis, subs=(1, 2, 5))
    for ax in axes if theme.narrow else axes[:1]:    # stacked, each panel has its own y axis
        ax.set_ylabel(f"training cost $C$ (logarithmic),\nmean of {d['par_seeds']} seeds")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "first random seed (initial weights, minibatches); the runs use seed, "
                      "seed + 1, ...", min=0),
        "seeds": Param(8, "seeds each set-up is simulated with", min=2),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(0.5, "learning rate η of each update", min=1e-6),
        "batch_size": Param(4, "minibatch size of each worker (workers x batch_size <= 1347)", min=1),
        "updates": Param(200, "updates of each simulated run", min=1),
        "every": Param(5, "the cost is measured every this many updates", min=1),
        "probe": Param(300, "training digits the cost is measured on", min=1, max=1347),
        "workers": Param((1, 4, 8), "three numbers of synchronous workers k, rising", min=1),
        "delays": Param((0, 4, 8, 16), "four staleness delays d, in updates", min=0),
    },
    results=("updates", "par_eta", "par_batch_size", "probe", "par_seeds", "start_cost",
             "scaled_eta", "scaled_cost", "scaled_cost_sd",
             "workers_0", "workers_1", "workers_2",
             *(f"sync_{what}_{i}{sd}" for i in range(3) for what, sd in
               (("cost", ""), ("cost", "_sd"), ("jagged", ""))),
             "delay_0", "delay_1", "delay_2", "delay_3",
             *(f"stale_cost_{i}{sd}" for i in range(4) for sd in ("", "_sd"))),
    figures=(
        Figure(
            "parallel", draw,
            caption=(
                "Simulated data-parallel SGD on the digits network: training cost against "
                "updates, logarithmic, the mean over several seeds (each its own initial "
                "weights and minibatches) with a band of one standard deviation; all with the "
                "same learning rate $\\eta$ unless the legend says otherwise. Synchronous: "
                "updates that average the minibatch gradients of $n_\\mathrm{w}$ workers; the dotted curve "
                "also multiplies $\\eta$ by $n_\\mathrm{w}$. Asynchronous: updates, each from one worker's "
                "gradient computed on parameters $d$ updates old. At the same $\\eta$ averaging "
                "helps a little, and four workers as much as eight; a larger $\\eta$ helps much "
                "more. Stale gradients slow training down, and a long delay stalls it."
            ),
            alt=(
                "Two line charts of mean training cost on a logarithmic axis against update, 0 "
                "to 200, each curve with a shaded band. First, synchronous: the curves for 1, 4 "
                "and 8 workers fall together from about 2.4, the one for a single worker ending "
                "highest, near 0.64, those for 4 and 8 workers on top of each other near 0.48; "
                "the curve for 8 workers with 8 times the learning rate falls much faster, to "
                "about 0.15, with a wide band. Second, asynchronous: with delay 0 the cost falls "
                "steadily; with delay 4 it falls more slowly, to about 1.2; with delays 8 and 16 "
                "it jumps up at the start and then stays near its starting value."
            ),
        ),
    ),
)
