"""Saturated units: how many sigmoid activations sit at the flat ends of the curve.

Compute: the digits network [64, 30, 10] with sigmoid hidden and output units and the
quadratic cost (the lecture's network), trained by minibatch SGD twice from the same
seed: with Nielsen's first initialisation, weights and biases N(0, 1), and with weights
N(0, 1/n_in) and zero biases. After every epoch a ``Record`` callback counts the hidden
activations a (over ``probe`` training images and all 30 units) that are saturated as
``generators/neurons/saturation.py`` defines it for every page (a < 0.05 or a > 0.95,
where sigma'(z) = a (1 - a) is below 0.0475); ``EpochMetrics`` gives the test accuracy.
Each initialisation is trained for ``seeds`` seeds (seed, seed + 1, ...); results are the
mean and standard deviation (ddof=1) over the seeds.
Draw: the mean saturated fraction and test accuracy against epochs, with bands of ± one
standard deviation.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.neurons import saturation
from generators.nn import EpochMetrics, GradientDescent, QuadraticCost, Record, data, train
from generators.seeds import mean_sd
from generators.training_dynamics import digits_mlp

COST = QuadraticCost()
INITS = {"normal": ("normal", "normal"), "scaled": ("scaled", 0.0)}   # weights, biases
LABELS = {"normal": "weights $N(0, 1)$", "scaled": "weights $N(0, 1/n_{in})$"}


def saturated(model, X: np.ndarray) -> float:
    """Fraction of the first hidden layer's activations on ``X`` that are saturated."""
    a = model.layers[1].forward(model.layers[0].forward(X)[0])[0]
    return float(np.mean(saturation.saturated(a)))


def run(p: Params, X, Y, X_test, Y_test, init: str, bias, seed: int) -> dict:
    """One training run from ``seed``: saturated share and test accuracy after every epoch
    (epoch 0 first)."""
    rng = np.random.default_rng(seed)
    probe = X[:p["probe"]]
    model = digits_mlp(rng, p["hidden"], output="sigmoid", init=init, bias=bias)
    frac = Record(lambda s: saturated(s.model, probe))
    metrics = EpochMetrics(X_test, Y_test, COST)             # only the test set is measured
    frac.values.append(saturated(model, probe))   # epoch 0
    train(model, X, Y, cost=COST, optimizer=GradientDescent(eta=p["eta"]), epochs=p["epochs"],
          batch_size=p["batch_size"], rng=rng, callbacks=[frac, metrics])
    return {"saturated": np.array(frac.values), "accuracy": np.array(metrics.accuracy)}


def compute(p: Params) -> dict:
    """Both initialisations for each of ``seeds`` seeds (seed, seed + 1, ...; the same for
    both): curves per seed (rows), and mean and standard deviation of every number."""
    X, Y, X_test, Y_test = data.digits()
    seeds = [p["seed"] + i for i in range(p["seeds"])]
    runs = {}
    for name, (init, bias) in INITS.items():
        per_seed = [run(p, X, Y, X_test, Y_test, init, bias, s) for s in seeds]
        runs[name] = {k: np.array([r[k] for r in per_seed]) for k in per_seed[0]}
    k = p["compare_epoch"]
    out = {
        "runs": runs, "sat_seeds": len(seeds), "sat_epochs": p["epochs"], "sat_eta": p["eta"],
        "sat_batch_size": p["batch_size"],
        "sat_low": saturation.LOW, "sat_high": saturation.HIGH, "sat_probe": p["probe"], "sat_compare_epoch": k,
    }
    for name, r in runs.items():
        for key, values in ((f"saturated_start_{name}", r["saturated"][:, 0]),
                            (f"saturated_end_{name}", r["saturated"][:, -1]),
                            (f"accuracy_at_{name}", r["accuracy"][:, k]),
                            (f"accuracy_end_{name}", r["accuracy"][:, -1])):
            out[key], out[f"{key}_sd"] = mean_sd(values)
    return out


def draw(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # Saturation beside accuracy; on a phone one above the other (generators/layout.py).
    fig, (ax_s, ax_a) = subplots(theme, 2, height=3.0, narrow_height=2.5, layout="constrained")
    for (name, r), color, ls in zip(d["runs"].items(), theme.palette, ("-", "--")):
        epochs = np.arange(r["saturated"].shape[1])
        for ax, rows in ((ax_s, r["saturated"]), (ax_a, r["accuracy"])):
            mean, sd = rows.mean(axis=0), rows.std(axis=0, ddof=1)
            ax.fill_between(epochs, mean - sd, mean + sd, color=color, alpha=0.2, lw=0)
            ax.plot(epochs, mean, color=color, ls=ls, label=LABELS[name])
    ax_a.axvline(d["sat_compare_epoch"], color=theme.muted, lw=1, ls=":")
    ax_s.set_ylabel(f"saturated activations,\nmean of {d['sat_seeds']} seeds")
    ax_s.set_ylim(0, max(0.5, 1.1 * d["runs"]["normal"]["saturated"].max()))
    ax_a.set_ylabel("test accuracy")
    ax_a.set_ylim(0, 1.02)
    for ax in (ax_s, ax_a):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("epoch")
        ax.set_xlim(0, d["sat_epochs"])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(*ax_s.get_legend_handles_labels(), loc="outside lower center",
               ncols=1 if theme.narrow else 2, frameon=False)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "first random seed (initial weights and minibatches); the runs use "
                      "seed, seed + 1, ...", min=0),
        "seeds": Param(5, "seeds each initialisation is trained with", min=2),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(1.0, "learning rate η of minibatch gradient descent", min=1e-6),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "epochs": Param(15, "training epochs", min=1),
        "probe": Param(300, "training digits whose activations are counted", min=1, max=1347),
        "compare_epoch": Param(5, "epoch whose test accuracies the text compares (0 to epochs)", min=0),
    },
    results=("sat_seeds", "sat_epochs", "sat_eta", "sat_batch_size", "sat_low", "sat_high",
             "sat_probe", "sat_compare_epoch",
             *(f"{what}_{name}{sd}" for what in ("saturated_start", "saturated_end",
                                                  "accuracy_at", "accuracy_end")
               for name in INITS for sd in ("", "_sd"))),
    figures=(
        Figure(
            "saturation", draw,
            caption=(
                "The lecture's digits network (sigmoid units, quadratic cost) trained from "
                "two initialisations (legend), each from several seeds: the share of its hidden "
                "activations $a$ on training images that are saturated, below 0.05 or above "
                "0.95, and its test accuracy, the mean over the seeds with a band of ± one "
                "standard deviation; the epoch quoted in the text is dotted. With large initial "
                "weights a big share of the hidden units start saturated and stay so, and the "
                "network learns more slowly, in every seed."
            ),
            alt=(
                "Two line charts against epoch, each curve with a shaded band. First, "
                "percentage of saturated hidden activations: with weights N(0, 1) it starts "
                "around 45 percent and rises to about 55 percent; with weights N(0, 1/n_in) "
                "it starts at zero and creeps up to under 10 percent. Second, test accuracy: "
                "the N(0, 1/n_in) run climbs to 90 percent within about five epochs, with a "
                "narrow band; the N(0, 1) run climbs more slowly, to about 90 percent at the "
                "end, with a wide band: some seeds are still well behind."
            ),
        ),
    ),
)
