"""The playground's overview: the opening network on the six problems.

Compute: the opening setting (``config.DEFAULT``: x1 and x2 into 4 then 2 tanh units,
η = 0.03, minibatches of 10, half the 500 points for training) on each of the four
classification sets and the two regression sets, trained by ``config.run`` (the live
playground's maths) from seeds 0 .. seeds-1. Draw: each problem's median run (by test
loss), its output over the plane with the test points; the classification sets in one
figure, the regression sets in another.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, WIDE_WIDTH
from generators.playground import config, runs

PROBLEMS = config.CLASSIFICATION   # circle, xor, gauss, spiral
REGRESSIONS = config.REGRESSION    # reg-plane, reg-gauss
EXTENT = (-config.EXTENT, config.EXTENT, -config.EXTENT, config.EXTENT)


def key(name: str) -> str:
    """A problem's name as it appears in result names: reg-plane -> reg_plane."""
    return name.replace("-", "_")


def setting(name: str) -> dict[str, Any]:
    """The opening setting on problem ``name``."""
    if name in REGRESSIONS:
        return config.check({"problem": "regression", "regDataset": name})
    return config.check({"dataset": name})


def compute(p: Params) -> dict[str, Any]:
    shown, results = {}, {}
    for name in (*PROBLEMS, *REGRESSIONS):
        sweep = runs.sweep(setting(name), p["epochs"], p["seeds"])
        run = sweep[runs.median_seed(sweep)]
        ds = run["data"]
        shown[name] = {"output": run["output"], "X": ds.X_test, "Y": ds.Y_test[:, 0],
                       "accuracy": run["accuracy"], "test_loss": run["test_loss"]}
        k = key(name)
        results[f"{k}_test_loss_mean"], results[f"{k}_test_loss_sd"] = runs.summary(sweep, "test_loss")
        if name in PROBLEMS:
            results[f"{k}_accuracy_mean"], results[f"{k}_accuracy_sd"] = runs.summary(sweep, "accuracy")
            results[f"{k}_solved"] = sum(r["accuracy"] >= 0.95 for r in sweep)
        else:  # the cost of answering 0 everywhere: what "small" is measured against
            results[f"{k}_zero_loss"] = float(np.mean([np.mean(r["data"].Y_test ** 2) / 2 for r in sweep]))
    return {"shown": shown, "overview_epochs": p["epochs"], "overview_seeds": p["seeds"], **results}


def _axes_labels(axes: np.ndarray) -> None:
    for ax in axes[-1]:
        ax.set_xlabel("$x_1$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$x_2$")


def draw_classification(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Two by two either way; on a phone smaller panels, each title on two lines.
    size = (NARROW_WIDTH, 4.3) if theme.narrow else (5.6, 5.9)
    fig, axes = plt.subplots(2, 2, figsize=size, sharex=True, sharey=True, layout="constrained")
    for ax, name in zip(axes.ravel(), PROBLEMS):
        run = d["shown"][name]
        ax.imshow(run["output"], extent=EXTENT, cmap=theme.class_cmap(), vmin=-1, vmax=1,
                  alpha=0.55, interpolation="bilinear")
        for label, marker, color in ((-1, "o", theme.class_colors[0]), (1, "s", theme.class_colors[1])):
            pts = run["X"][run["Y"] == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=5 if theme.narrow else 8, marker=marker, c=color,
                       edgecolors=theme.fg, linewidths=0.3)
        sep = "\n" if theme.narrow else ": "
        ax.set_title(f"{name}{sep}test accuracy {run['accuracy']:.0%}", fontsize=9 if theme.narrow else 10)
        ax.set(xlim=EXTENT[:2], ylim=EXTENT[2:], aspect="equal", xticks=[-4, 0, 4], yticks=[-4, 0, 4])
    _axes_labels(axes)
    return fig


def draw_regression(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    rows, cols = (2, 1) if theme.narrow else (1, 2)
    size = (NARROW_WIDTH, 6.2) if theme.narrow else (WIDE_WIDTH * 0.8, 3.2)
    fig, axes = plt.subplots(rows, cols, figsize=size, sharex=True, sharey=True,
                             layout="constrained", squeeze=False)
    for ax, name in zip(axes.ravel(), REGRESSIONS):
        run = d["shown"][name]
        image = ax.imshow(run["output"], extent=EXTENT, cmap=theme.diverging, vmin=-1, vmax=1,
                          interpolation="bilinear")
        ax.scatter(run["X"][:, 0], run["X"][:, 1], s=16, c=run["Y"], cmap=theme.diverging,
                   vmin=-1, vmax=1, edgecolors=theme.fg, linewidths=0.4)
        ax.set_title(f"{name}: test loss {run['test_loss']:.2g}", fontsize=10)
        ax.set(xlim=EXTENT[:2], ylim=EXTENT[2:], aspect="equal", xticks=[-4, 0, 4], yticks=[-4, 0, 4])
    _axes_labels(axes)
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="output (map) and target (points)",
                 orientation="horizontal" if theme.narrow else "vertical")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={"epochs": Param(300, "epochs of every run (the opening setting's, fig_start)", min=1),
            "seeds": Param(5, "seeds per problem; the figure shows the median run", min=1)},
    results=("overview_epochs", "overview_seeds",
             *(f"{key(n)}_{m}" for n in PROBLEMS
               for m in ("test_loss_mean", "test_loss_sd", "accuracy_mean", "accuracy_sd", "solved")),
             *(f"{key(n)}_{m}" for n in REGRESSIONS for m in ("test_loss_mean", "test_loss_sd", "zero_loss"))),
    figures=(
        Figure(
            "overview", draw_classification,
            caption=(
                "The opening network (inputs $x_1, x_2$, hidden layers of 4 and 2 tanh units, "
                "learning rate 0.03) on the four classification problems, over the "
                "plane from −6 to 6 with the held-out test points: orange circles are class −1, "
                "blue squares class +1. The shading is the network's output: orange where it "
                "answers −1, blue where it answers +1, the page's colour where it is unsure. Each "
                "panel is the median of the build's runs from several seeds. Circles and blobs are easy; the spiral's arms "
                "are not."
            ),
            alt=(
                "Four square panels in a two by two grid: circle, xor, gauss and spiral. Each shows "
                "orange circles (y = −1) and blue squares (y = +1) over a map of the network's "
                "output shaded orange where it answers −1 and blue where it answers +1, with the "
                "test accuracy in the panel's title. The spiral's map does not follow its arms."
            ),
        ),
        Figure(
            "regression", draw_regression,
            caption=(
                "The same network with a linear output unit on the two regression problems: the "
                "target is a number, drawn in colour (blue positive, orange negative, the page's "
                "colour at 0) both for the test points and for the network's output behind them. "
                "Where the map and the points have the same colour, the network predicts well."
            ),
            alt=(
                "Two square maps. reg-plane: the output rises smoothly from orange at the lower "
                "left to blue at the upper right, like the points' targets. reg-gauss: blue and "
                "orange blobs where the points' targets are positive and negative."
            ),
        ),
    ),
    notebook=False,
)
