"""What weight decay does: the same small digits network trained with and without lam.

Compute: ``n_train`` digits drawn from the training set (a small set, so the network can
overfit it), a [64, 30, 10] sigmoid network with large N(0, 1) initial weights, the
quadratic cost, minibatch gradient descent; once with lam = 0 and once with the penalty
lam/2 sum W^2 (``L2(lam)``). ``EpochMetrics`` records training and test accuracy on the
450 test digits each epoch; the final weights of both networks are kept.
Draw: accuracy curves of both runs; histograms of their final weights.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import (L2, Dense, EpochMetrics, GradientDescent, QuadraticCost, Sequential,
                           Sigmoid, data, train)


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


def compute(p: Params) -> dict:
    plain, w_plain = run(p, 0.0)
    decay, w_decay = run(p, p["lam"])
    rms = lambda w: float(np.sqrt(np.mean(w * w)))  # noqa: E731
    return {
        "plain": plain.to_dict(), "decay": decay.to_dict(),
        "w_plain": w_plain, "w_decay": w_decay,
        "test_accuracy_plain": plain.test_accuracy[-1],
        "test_accuracy_decay": decay.test_accuracy[-1],
        "train_accuracy_plain": plain.accuracy[-1],
        "train_accuracy_decay": decay.accuracy[-1],
        "weight_rms_plain": rms(w_plain), "weight_rms_decay": rms(w_decay),
        "n_weights": int(w_plain.size),
        "lam": p["lam"], "n_train": p["n_train"], "n_test": len(data.digits().X_test),
        "epochs": p["epochs"], "eta": p["eta"], "batch_size": p["batch_size"],
    }


def draw_accuracy(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 3.6) if theme.narrow else (6.0, 3.4),
                           layout="constrained")
    runs = (("plain", "no decay", theme.palette[1]),
            ("decay", rf"$\lambda$ = {d['lam']:g}", theme.palette[0]))
    for key, label, color in runs:
        h = d[key]
        ax.plot(h["epochs"], h["accuracy"], color=color, lw=1.6, ls="--",
                label=f"{label}, training")
        ax.plot(h["epochs"], h["test_accuracy"], color=color, lw=2.2, label=f"{label}, test")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
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
    ax.hist(d["w_plain"], bins=bins, color=theme.palette[1], alpha=0.75, label="no decay")
    ax.hist(d["w_decay"], bins=bins, histtype="step", lw=2, color=theme.palette[0],
            label=rf"$\lambda$ = {d['lam']:g}")
    ax.set_xlabel(r"weight value $W^{(l)}_{ji}$ (all layers)")
    ax.set_ylabel("number of weights")
    # In a narrow plot the right-hand corner would touch the central peak.
    ax.legend(frameon=False, loc="upper left" if theme.narrow else "best")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(1, "random seed for the training digits drawn, initial weights and minibatches",
                      min=0),
        "n_train": Param(200, "training digits drawn from the 1347 (few, so the network overfits)",
                         min=1, max=1347),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(2.0, "learning rate η of minibatch gradient descent", min=1e-6),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "epochs": Param(200, "training epochs", min=1),
        "lam": Param(3e-4, "weight decay λ of the second run, penalty λ/2 Σ W² (0: no decay)", min=0.0),
    },
    results=("test_accuracy_plain", "test_accuracy_decay", "train_accuracy_plain",
             "train_accuracy_decay", "weight_rms_plain", "weight_rms_decay", "n_weights",
             "lam", "n_train", "n_test", "epochs", "eta", "batch_size"),
    figures=(
        Figure(
            "decay-accuracy", draw_accuracy,
            caption=(
                "Accuracy of the same small digits network at every epoch, trained without "
                "weight decay and with it, on its training digits (dashed) and "
                "on held-out test digits (solid). Look at the gap between each dashed line and "
                "the solid line of the same colour: it is the part of the fit to the training "
                "digits that does not carry over to new digits."
            ),
            alt=(
                "A line chart of accuracy in percent against epoch. Both dashed training-"
                "accuracy curves rise quickly to 100 percent. The two solid test-accuracy "
                "curves rise more slowly and level off below 100 percent; the curve for the "
                "network with weight decay levels off higher than the one without."
            ),
        ),
        Figure(
            "decay-weights", draw_weights,
            caption=(
                "Histogram of all final weights of the two networks. Without weight decay "
                "(filled bars) the weights stay spread out as widely as their large random "
                "start; with weight decay (outline) most are pulled close to zero and only some"
                " stay large: those the data needed."
            ),
            alt=(
                "A histogram of weight values from about minus 4 to 4. The filled histogram for"
                " the network without weight decay is a wide, low bell. The outlined histogram "
                "for the network with weight decay is a tall, narrow peak at zero with thin "
                "tails."
            ),
        ),
    ),
)
