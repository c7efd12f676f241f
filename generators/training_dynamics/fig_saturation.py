"""Saturated units: how many sigmoid activations sit at the flat ends of the curve.

Compute: the digits network [64, 30, 10] with sigmoid hidden and output units and the
quadratic cost (the lecture's network), trained by minibatch SGD twice from the same
seed: with Nielsen's first initialisation, weights and biases N(0, 1), and with weights
N(0, 1/n_in) and zero biases. After every epoch a ``Record`` callback counts the hidden
activations a (over ``probe`` training images and all 30 units) that are saturated as
``generators/neurons/saturation.py`` defines it for every page (a < 0.05 or a > 0.95,
where sigma'(z) = a (1 - a) is below 0.0475); ``EpochMetrics`` gives the test accuracy.
Draw: the saturated fraction and the test accuracy against epochs.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.neurons import saturation
from generators.nn import EpochMetrics, GradientDescent, QuadraticCost, Record, data, train
from generators.training_dynamics import digits_mlp

COST = QuadraticCost()
INITS = {"normal": ("normal", "normal"), "scaled": ("scaled", 0.0)}   # weights, biases
LABELS = {"normal": "weights $N(0, 1)$", "scaled": "weights $N(0, 1/n_{in})$"}


def saturated(model, X: np.ndarray) -> float:
    """Fraction of the first hidden layer's activations on ``X`` that are saturated."""
    a = model.layers[1].forward(model.layers[0].forward(X)[0])[0]
    return float(np.mean(saturation.saturated(a)))


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    probe = X[:p["probe"]]
    runs = {}
    for name, (init, bias) in INITS.items():
        rng = np.random.default_rng(p["seed"])
        model = digits_mlp(rng, p["hidden"], output="sigmoid", init=init, bias=bias)
        frac = Record(lambda s: saturated(s.model, probe))
        metrics = EpochMetrics(X_test, Y_test, COST)         # only the test set is measured
        frac.values.append(saturated(model, probe))   # epoch 0
        train(model, X, Y, cost=COST, optimizer=GradientDescent(eta=p["eta"]), epochs=p["epochs"],
              batch_size=p["batch_size"], rng=rng, callbacks=[frac, metrics])
        runs[name] = {"saturated": np.array(frac.values), "accuracy": np.array(metrics.accuracy)}
    n, s = runs["normal"], runs["scaled"]
    k = p["compare_epoch"]
    return {
        "runs": runs, "sat_epochs": p["epochs"], "sat_eta": p["eta"],
        "sat_batch_size": p["batch_size"],
        "sat_low": saturation.LOW, "sat_high": saturation.HIGH, "sat_probe": p["probe"], "sat_compare_epoch": k,
        "saturated_start_normal": float(n["saturated"][0]),
        "saturated_start_scaled": float(s["saturated"][0]),
        "saturated_end_normal": float(n["saturated"][-1]),
        "saturated_end_scaled": float(s["saturated"][-1]),
        "accuracy_at_normal": float(n["accuracy"][k]), "accuracy_at_scaled": float(s["accuracy"][k]),
        "accuracy_end_normal": float(n["accuracy"][-1]),
        "accuracy_end_scaled": float(s["accuracy"][-1]),
    }


def draw(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # Saturation beside accuracy; on a phone one above the other (generators/layout.py).
    fig, (ax_s, ax_a) = subplots(theme, 2, height=3.0, narrow_height=2.5, layout="constrained")
    for (name, r), color, ls in zip(d["runs"].items(), theme.palette, ("-", "--")):
        epochs = np.arange(len(r["saturated"]))
        ax_s.plot(epochs, r["saturated"], color=color, ls=ls, label=LABELS[name])
        ax_a.plot(epochs, r["accuracy"], color=color, ls=ls, label=LABELS[name])
    ax_a.axvline(d["sat_compare_epoch"], color=theme.muted, lw=1, ls=":")
    ax_s.set_ylabel("saturated activations")
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
        "seed": Param(0, "random seed for the initial weights and the minibatches", min=0),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(1.0, "learning rate η of minibatch gradient descent", min=1e-6),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "epochs": Param(15, "training epochs", min=1),
        "probe": Param(300, "training digits whose activations are counted", min=1, max=1347),
        "compare_epoch": Param(5, "epoch whose test accuracies the text compares (0 to epochs)", min=0),
    },
    results=("sat_epochs", "sat_eta", "sat_batch_size", "sat_low", "sat_high", "sat_probe",
             "sat_compare_epoch",
             "saturated_start_normal", "saturated_start_scaled", "saturated_end_normal",
             "saturated_end_scaled", "accuracy_at_normal", "accuracy_at_scaled",
             "accuracy_end_normal", "accuracy_end_scaled"),
    figures=(
        Figure(
            "saturation", draw,
            caption=(
                "The lecture's digits network (sigmoid units, quadratic cost) trained from "
                "two initialisations (legend): the share of its hidden activations $a$ "
                "on training images that are saturated, below 0.05 or above 0.95, and its "
                "test accuracy, with the epoch quoted in the text dotted. With large initial "
                "weights a big share of the hidden units start saturated and stay so, and the "
                "network learns more slowly at first."
            ),
            alt=(
                "Two line charts against epoch. First, percentage of saturated hidden "
                "activations: with weights N(0, 1) it starts around 45 percent and stays "
                "near 50 percent; with weights N(0, 1/n_in) it starts at zero and creeps up "
                "to under 10 percent. Second, test accuracy: the N(0, 1/n_in) run climbs above "
                "90 percent within a few epochs; the N(0, 1) run climbs more slowly and "
                "catches up only after about a dozen epochs."
            ),
        ),
    ),
)
