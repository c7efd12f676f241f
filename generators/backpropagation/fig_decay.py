"""What weight decay does: the same small digits network trained with and without lam,
for several seeds.

Compute: for each of ``seeds`` seeds (seed, seed + 1, ...): ``n_train`` digits drawn from
the training set (a small set, so the network can overfit it), a [64, 30, 10] sigmoid
network with large N(0, 1) initial weights, the quadratic cost, minibatch gradient
descent; once with lam = 0 and once with the penalty lam/2 sum W^2 (``L2(lam)``), the
same digits, initial weights and minibatches. ``EpochMetrics`` records training and test
accuracy on the 450 test digits each epoch; the final weights are kept. Results: mean and
standard deviation (ddof=1) over the seeds of the final accuracies, of the weights' RMS
and of the paired gap (decay minus no decay), and the gap split by whether the run
without decay ended on a plateau (some of its own training digits still wrong).
Draw: mean accuracy curves with a one-standard-deviation band; histograms of all final
weights, counted per network.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import (L2, Dense, EpochMetrics, GradientDescent, QuadraticCost, Sequential,
                           Sigmoid, data, train)
from generators.seeds import mean_sd


def run(p: Params, lam: float) -> tuple[EpochMetrics, np.ndarray]:
    """Train one network (same seed, same data, same initial weights); return its metrics
    and all its final weights as one flat array."""
    rng = np.random.default_rng(p["seed"])
    X, Y, X_test, Y_test = data.digits()
    pick = rng.choice(len(X), p["n_train"], replace=False)
    X, Y = X[pick], Y[pick]
    model = Sequential([Dense(64, p["hidden"], init="normal"), Sigmoid(),
                        Dense(p["hidden"], 10, init="normal"), Sigmoid()], rng=rng)
    cost = QuadraticCost()
    metrics = EpochMetrics(X, Y, cost, X_test, Y_test)
    train(model, X, Y, cost=cost, optimizer=GradientDescent(eta=p["eta"]), epochs=p["epochs"],
          batch_size=p["batch_size"], rng=rng, penalty=L2(lam) if lam > 0 else None,
          callbacks=[metrics])
    return metrics, np.concatenate([W.ravel() for W in model.weights().values()])


# Quoted as mean and standard deviation over the seeds: result <name> and <name>_sd.
STATS = ("test_accuracy_plain", "test_accuracy_decay", "train_accuracy_plain",
         "train_accuracy_decay", "weight_rms_plain", "weight_rms_decay", "gap", "gap_both_fit",
         "gap_stuck")


def fit_epoch(train_accuracy: list[float]) -> int | None:
    """First epoch at which every training digit is classified correctly; None: never."""
    hits = np.flatnonzero(np.asarray(train_accuracy) >= 1.0)
    return int(hits[0]) if hits.size else None


def compute(p: Params) -> dict:
    """Both runs for each of ``seeds`` seeds (seed, seed + 1, ...): curves, final numbers."""
    seeds = [p["seed"] + i for i in range(p["seeds"])]
    curves = {key: {k: [] for k in ("accuracy", "test_accuracy")} for key in ("plain", "decay")}
    final = {k: [] for k in ("test_plain", "test_decay", "train_plain", "train_decay",
                             "rms_plain", "rms_decay")}
    w_all = {"plain": [], "decay": []}
    rms = lambda w: float(np.sqrt(np.mean(w * w)))  # noqa: E731
    for seed in seeds:
        for key, lam in (("plain", 0.0), ("decay", p["lam"])):
            metrics, w = run({**p, "seed": seed}, lam)
            for k in curves[key]:
                curves[key][k].append(getattr(metrics, k))
            final[f"test_{key}"].append(metrics.test_accuracy[-1])
            final[f"train_{key}"].append(metrics.accuracy[-1])
            final[f"rms_{key}"].append(rms(w))
            w_all[key].append(w)
    gap = np.subtract(final["test_decay"], final["test_plain"])
    # A run "on a plateau" at the end: some of its own training digits still wrong (a whole
    # class, typically, whose saturated output unit learns only slowly; see the page).
    stuck = {key: np.array(final[f"train_{key}"]) < 1.0 for key in ("plain", "decay")}
    both_fit = ~stuck["plain"] & ~stuck["decay"]
    out = {
        "seed_list": seeds, "epochs_axis": np.arange(p["epochs"] + 1),
        **{f"{key}_{k}": np.array(v) for key, c in curves.items() for k, v in c.items()},
        "w_plain": np.concatenate(w_all["plain"]), "w_decay": np.concatenate(w_all["decay"]),
        "gaps": gap, "stuck_plain": stuck["plain"], "stuck_decay": stuck["decay"],
        "decay_seeds": len(seeds),
        "n_weights": int(w_all["plain"][0].size),
        "lam": p["lam"], "n_train": p["n_train"], "n_test": len(data.digits().X_test),
        "epochs": p["epochs"], "eta": p["eta"], "batch_size": p["batch_size"],
        "n_decay_better": int(np.sum(gap > 0)), "n_decay_worse": int(np.sum(gap < 0)),
        "n_stuck_plain": int(stuck["plain"].sum()), "n_stuck_decay": int(stuck["decay"].sum()),
        "n_both_fit": int(both_fit.sum()),
    }
    values = {"test_accuracy_plain": final["test_plain"], "test_accuracy_decay": final["test_decay"],
              "train_accuracy_plain": final["train_plain"],
              "train_accuracy_decay": final["train_decay"],
              "weight_rms_plain": final["rms_plain"], "weight_rms_decay": final["rms_decay"],
              "gap": gap, "gap_both_fit": gap[both_fit], "gap_stuck": gap[stuck["plain"]]}
    for name in STATS:  # an empty group (no seed stuck, say) is quoted as 0 ± 0
        out[name], out[f"{name}_sd"] = mean_sd(values[name]) if len(values[name]) else (0.0, 0.0)
    return out


def draw_accuracy(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 3.8) if theme.narrow else (6.0, 3.5),
                           layout="constrained")
    runs = (("plain", "no decay", theme.palette[1]),
            ("decay", rf"$\lambda$ = {d['lam']:g}", theme.palette[0]))
    x = d["epochs_axis"]
    for key, label, color in runs:
        ax.plot(x, d[f"{key}_accuracy"].mean(axis=0), color=color, lw=1.4, ls="--",
                label=f"{label}, training")
        test = d[f"{key}_test_accuracy"]  # the band: one standard deviation over the seeds
        mean, sd = test.mean(axis=0), test.std(axis=0, ddof=1)
        ax.fill_between(x, mean - sd, np.minimum(mean + sd, 1.0), color=color, alpha=0.25, lw=0)
        ax.plot(x, mean, color=color, lw=2.0, label=f"{label}, test")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"accuracy, mean of {d['decay_seeds']} seeds")
    ax.set_xlim(0, d["epochs"])
    ax.set_ylim(0.5, 1.01)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if theme.narrow:  # under the plot, and fewer epoch ticks
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2,
                   frameon=False, fontsize=9, columnspacing=1.0)
        ax.xaxis.set_major_locator(MultipleLocator(50))
    else:
        ax.legend(frameon=False, loc="lower right", ncols=2, fontsize=9)
    return fig


def draw_weights(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 2.9) if theme.narrow else (6.0, 3.0),
                           layout="constrained")
    lim = np.abs(d["w_plain"]).max()
    bins = np.linspace(-lim, lim, 61)
    per_network = np.full(d["w_plain"].size, 1.0 / d["decay_seeds"])  # counts per network
    ax.hist(d["w_plain"], bins=bins, weights=per_network, color=theme.palette[1], alpha=0.75,
            label="no decay")
    ax.hist(d["w_decay"], bins=bins, weights=per_network, histtype="step", lw=2,
            color=theme.palette[0], label=rf"$\lambda$ = {d['lam']:g}")
    ax.set_xlabel(r"weight value $W^{(l)}_{ji}$ (all layers)")
    ax.set_ylabel("weights per network")
    # In a narrow plot the right-hand corner would touch the central peak.
    ax.legend(frameon=False, loc="upper left" if theme.narrow else "best")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(1, "first seed of the runs (seed, seed + 1, ...): digits drawn, weights, batches", min=0),
        "seeds": Param(10, "seeds: each is trained twice, without and with weight decay", min=2),
        "n_train": Param(200, "training digits drawn from the 1347 (few, so the network overfits)",
                         min=1, max=1347),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(2.0, "learning rate η of minibatch gradient descent", min=1e-6),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "epochs": Param(200, "training epochs", min=1),
        "lam": Param(3e-4, "weight decay λ of the second run, penalty λ/2 Σ W² (0: no decay)", min=0.0),
    },
    results=(*(f"{name}{sd}" for name in STATS for sd in ("", "_sd")),
             "decay_seeds", "n_decay_better", "n_decay_worse", "n_stuck_plain", "n_stuck_decay",
             "n_both_fit", "n_weights", "lam", "n_train", "n_test", "epochs", "eta", "batch_size"),
    figures=(
        Figure(
            "decay-accuracy", draw_accuracy,
            caption=(
                "Accuracy of the same small digits network at every epoch, trained without "
                "weight decay and with it, on its training digits (dashed) and "
                "on held-out test digits (solid): the mean over several seeds, each drawing "
                "other training digits, initial weights and minibatches; the band is one "
                "standard deviation of the test accuracy over the seeds. The gap between a "
                "dashed line and the solid line of the same colour is the part of the fit to "
                "the training digits that does not carry over to new digits. The wide orange "
                "band and the steps in the orange dashed line come from runs without decay "
                "that sat on a plateau, some training digits still wrong."
            ),
            alt=(
                "A line chart of mean accuracy in percent against epoch, 0 to 200. Both dashed "
                "training-accuracy curves rise quickly towards 100 percent, the one without "
                "weight decay in steps and ending just below. The two solid test-accuracy "
                "curves rise more slowly and level off below 100 percent, the one with weight "
                "decay about two points higher, with a narrow band; the one without has a "
                "wide band."
            ),
        ),
        Figure(
            "decay-weights", draw_weights,
            caption=(
                "Histogram of all final weights of the networks of every seed, counted per "
                "network. Without weight decay (filled bars) the weights stay spread out as "
                "widely as their large random start; with weight decay (outline) most are "
                "pulled close to zero and only some stay large: those the data needed."
            ),
            alt=(
                "A histogram of weight values from about minus 5 to 5. The filled histogram for"
                " the networks without weight decay is a wide, low bell. The outlined histogram "
                "for the networks with weight decay is a tall, narrow peak at zero with thin "
                "tails."
            ),
        ),
    ),
)
