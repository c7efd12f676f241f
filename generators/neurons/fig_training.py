"""One sigmoid neuron learns to separate two clouds of points, by gradient descent.

Compute: the Playground's "gauss" set (two overlapping Gaussian clouds), one neuron
a = sigmoid(W x + b), the quadratic cost C = 1/(2n) sum ||y - a||^2, full-batch
gradient descent. Snapshots of (W, b) each epoch give the decision boundary (a = 1/2,
the line W x + b = 0) at several points of training.
The figures show one draw (``seed``: data and initial weights). Whether its gap between
training and test is typical is checked on ``draws`` draws (seed, seed + 1, ...), trained
the same way in the same job: how many have a test accuracy that peaked before the last
epoch, and how far the test cost ended above its minimum (mean and standard deviation).
Draw: the neuron's output over the plane at those epochs; cost and accuracy curves.
"""

from __future__ import annotations

import math

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import (Dense, EpochMetrics, GradientDescent, ParameterSnapshots,
                           QuadraticCost, Sequential, Sigmoid, data, train)

EXTENT = 6.0  # the plane is drawn over [-6, 6]^2, as in the TensorFlow Playground
SYMLOG_LINEAR_TO = 1.0  # the epoch axis is linear from 0 to this epoch and logarithmic beyond
EPOCH_AXIS = f"epoch (linear to {SYMLOG_LINEAR_TO:g}, logarithmic beyond)"


def train_one(p: Params, seed: int) -> tuple:
    """One draw of the data and one neuron trained on it: data, snapshots, metrics."""
    rng = np.random.default_rng(seed)
    X_train, Y_train, X_test, Y_test = data.playground(
        "gauss", rng=rng, n_samples=p["n_samples"], noise=p["noise"])
    model = Sequential([Dense(2, 1), Sigmoid()], rng=rng)
    cost = QuadraticCost()
    metrics = EpochMetrics(X_train, Y_train, cost, X_test, Y_test)
    snapshots = ParameterSnapshots(every="epoch")
    train(model, X_train, Y_train, cost=cost, optimizer=GradientDescent(eta=p["eta"]),
          epochs=p["epochs"], callbacks=[metrics, snapshots])
    return X_train, Y_train, X_test, snapshots, metrics


def cost_rise(metrics) -> float:
    """How far the final test cost is above its minimum over training, as a fraction of it."""
    test_loss = np.asarray(metrics.test_loss)
    return float(test_loss[-1] / test_loss.min() - 1.0)


def compute(p: Params) -> dict:
    X_train, Y_train, X_test, snapshots, metrics = train_one(p, p["seed"])
    others = [metrics] + [train_one(p, p["seed"] + i)[-1] for i in range(1, p["draws"])]
    rises = np.array([cost_rise(m) for m in others])
    peaked = [max(m.test_accuracy) > m.test_accuracy[-1] for m in others]
    shown = sorted({min(e, p["epochs"]) for e in p["snapshot_epochs"]})
    return {
        "X_train": X_train, "Y_train": Y_train,
        "history": metrics.to_dict(),
        "shown": [(e, snapshots.snapshots[e]["dense1/W"][0], snapshots.snapshots[e]["dense1/b"][0])
                  for e in shown],
        "accuracy_at": [metrics.test_accuracy[e] for e in shown],
        "test_accuracy": metrics.test_accuracy[-1],
        "train_accuracy": metrics.accuracy[-1],
        "initial_test_accuracy": metrics.test_accuracy[0],
        "best_test_accuracy": max(metrics.test_accuracy),
        "best_epoch": int(np.argmax(metrics.test_accuracy)),
        "final_cost": metrics.loss[-1],
        "epochs": p["epochs"],
        "eta": p["eta"],
        "n_train": len(X_train),
        "n_test": len(X_test),
        "draws": p["draws"], "draws_rises": rises,
        "n_draws_peaked_early": int(np.sum(peaked)),
        "test_cost_rise": cost_rise(metrics),
        "draws_cost_rise": float(rises.mean()), "draws_cost_rise_sd": float(rises.std(ddof=1)),
        # draws whose test cost rose at least as far as the drawn run's (1: it is the extreme)
        "n_draws_rise_as_large": int(np.sum(rises >= cost_rise(metrics))),
        "draws_train_cost_falls": int(sum(np.all(np.diff(m.loss[-20:]) < 0) for m in others)),
    }


def draw_boundaries(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = len(d["shown"])
    # A 2 x 2 grid on desktops; on a phone two columns with the colour bar underneath.
    cols = 2 if n % 2 == 0 or theme.narrow else n
    rows = math.ceil(n / cols)
    size = ((NARROW_WIDTH, 2.0 * rows + 0.9) if theme.narrow
            else (2.3 * cols + 0.7, 2.45 * rows))
    fig, axes = plt.subplots(rows, cols, figsize=size, sharex=True, sharey=True,
                             layout="constrained", squeeze=False)
    if theme.narrow:  # room between the columns' tick labels "6" and "-6"
        fig.get_layout_engine().set(wspace=0.12)
    for ax in axes.ravel()[n:]:
        ax.remove()
    axes = axes.ravel()[:n]
    grid = np.linspace(-EXTENT, EXTENT, 121)
    gx, gy = np.meshgrid(grid, grid)
    y = d["Y_train"][:, 0]
    for ax, (epoch, W, b), acc in zip(axes, d["shown"], d["accuracy_at"]):
        a = 1.0 / (1.0 + np.exp(-(W[0] * gx + W[1] * gy + b)))
        im = ax.imshow(a, extent=(-EXTENT, EXTENT, -EXTENT, EXTENT), origin="lower",
                       cmap=theme.class_cmap(), vmin=0, vmax=1, alpha=0.45, interpolation="bilinear")
        ax.contour(gx, gy, a, levels=[0.5], colors=[theme.fg], linewidths=1.6)
        for label, color, marker in ((0, theme.class_colors[0], "o"), (1, theme.class_colors[1], "s")):
            pts = d["X_train"][y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=9, c=color, marker=marker,
                       edgecolors=theme.bg, linewidths=0.3)
        ax.set_title(f"epoch {epoch}\ntest acc. {acc:.0%}", fontsize=10)
        ax.set_xlim(-EXTENT, EXTENT)
        ax.set_ylim(-EXTENT, EXTENT)
        ax.set_xticks([-6, 0, 6])
        ax.set_yticks([-6, 0, 6])
        ax.set_aspect("equal")
    for ax in axes[-cols:]:
        ax.set_xlabel("$x_1$")
    for ax in axes[::cols]:
        ax.set_ylabel("$x_2$")
    bar = (fig.colorbar(im, ax=axes, orientation="horizontal", shrink=0.9, aspect=25)
           if theme.narrow else fig.colorbar(im, ax=axes, shrink=0.8, pad=0.02))
    bar.set_label("neuron output $a$", fontsize=10)
    bar.outline.set_visible(False)
    return fig


def draw_curves(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    h = d["history"]
    # Side by side on desktops, one above the other on a phone.
    fig, (ax_c, ax_a) = subplots(theme, 2, height=2.7, narrow_height=2.5, layout="constrained")
    ax_c.plot(h["epochs"], h["loss"], color=theme.palette[0], label="training")
    ax_c.plot(h["epochs"], h["test_loss"], color=theme.palette[1], ls="--", label="test")
    for ax in (ax_c, ax_a):  # the early epochs are where things happen: linear to 1, log beyond
        ax.set_xscale("symlog", linthresh=SYMLOG_LINEAR_TO, linscale=0.4)
        ax.set_xlim(0, h["epochs"][-1])
        ax.xaxis.set_major_formatter(plt.matplotlib.ticker.ScalarFormatter())
    ax_c.set_xlabel(EPOCH_AXIS)
    ax_c.set_ylabel("quadratic cost $C$")
    ax_c.set_ylim(bottom=0)
    ax_c.legend(frameon=False)
    ax_a.plot(h["epochs"], h["accuracy"], color=theme.palette[0], label="training")
    ax_a.plot(h["epochs"], h["test_accuracy"], color=theme.palette[1], ls="--", label="test")
    for epoch, *_ in d["shown"]:
        ax_a.axvline(epoch, color=theme.grid, lw=1, zorder=0)
    ax_a.set_xlabel(EPOCH_AXIS)
    ax_a.set_ylabel("accuracy")
    ax_a.set_ylim(0, 1.02)
    ax_a.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(7, "random seed for the data and the initial weights of the drawn run", min=0),
        "draws": Param(10, "draws of data and weights (seed, seed + 1, ...) on which the "
                       "train/test gap is checked", min=2),
        "n_samples": Param(400, "points of the gauss set, half for training, half for testing", min=2),
        "noise": Param(0.25, "spread of the two clouds (the Playground's noise slider / 100)",
                       min=0.0, max=0.5),
        "eta": Param(3.0, "learning rate η of full-batch gradient descent", min=1e-6),
        "epochs": Param(150, "training epochs", min=1),
        "snapshot_epochs": Param((0, 3, 15, 150),
                                 "epochs whose decision boundary is drawn (two or more; capped at epochs)",
                                 min=0),
    },
    results=("test_accuracy", "train_accuracy", "initial_test_accuracy", "best_test_accuracy",
             "best_epoch", "final_cost",
             "epochs", "eta", "n_train", "n_test", "draws", "n_draws_peaked_early",
             "test_cost_rise", "draws_cost_rise", "draws_cost_rise_sd", "draws_train_cost_falls",
             "n_draws_rise_as_large"),
    figures=(
        Figure(
            "neuron-boundary", draw_boundaries,
            caption=(
                "One sigmoid neuron during training. The shading is its output $a$ at each "
                "point of the plane; the line is where $a = 1/2$, the decision boundary "
                "$W x + b = 0$. Watch the line turn and slide until it runs between "
                "the two clouds: a single neuron can only ever draw a straight line."
            ),
            alt=(
                "Four square panels in a two by two grid, each the plane from -6 to 6 on both "
                "axes, at increasing "
                "training epochs. Orange circles cluster at the lower left and blue squares at "
                "the upper right, overlapping in the middle. A straight boundary line starts "
                "at a poor angle and ends up running diagonally between the two clusters; "
                "the shading changes from one colour to the other across it."
            ),
        ),
        Figure(
            "neuron-curves", draw_curves,
            caption=(
                "Cost and accuracy of the same neuron at every epoch of gradient descent, on "
                "the training points (solid) and on held-out test points (dashed), against "
                "epochs on an axis that is linear up to epoch 1 and logarithmic beyond; the "
                "grey lines mark the epochs drawn above. Look at where the solid and dashed curves "
                "part: gradient descent keeps improving the fit to the points it trains on, "
                "which is not the same as doing better on new points. This draw of the data "
                "shows the parting more plainly than most; the text says how typical it is."
            ),
            alt=(
                "Two line charts against epoch, on an axis linear up to epoch 1 and logarithmic "
                "beyond. First, the quadratic cost on training and test "
                "points falls steeply in the first epochs and then levels off near zero, the "
                "two curves slightly apart. Second, training and test accuracy jump up within "
                "the first epochs and then stay nearly level, with vertical grey lines at the "
                "snapshot epochs."
            ),
        ),
    ),
)
