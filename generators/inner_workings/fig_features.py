"""What the hidden units of a trained digit classifier respond to, and what they look for.

Compute: a [64, n_hidden, 10] network (sigmoid hidden units, softmax output, cross-entropy
cost) trained by minibatch gradient descent on the 8x8 digits; then the hidden activations
a^(2) for every test digit, their mean per class, and the first layer's weights W^(1).
Draw: a heat map of a^(2) for one test digit of each class; the mean a^(2) per class; each
hidden unit's 64 incoming weights as an 8x8 image (its "feature"), diverging around 0.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.inner_workings import hidden_activations, mlp
from generators.layout import NARROW_WIDTH
from generators.nn import CrossEntropy, GradientDescent, accuracy, data, train


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    rng = np.random.default_rng(p["seed"])
    n = p["n_hidden"]
    model = mlp((64, n, 10), "sigmoid", rng)
    train(model, X, Y, cost=CrossEntropy(), optimizer=GradientDescent(eta=p["eta"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng)
    a = hidden_activations(model, X_test)[0]                      # a^(2): (n_test, n)
    labels = Y_test.argmax(axis=1)
    shown = np.array([np.flatnonzero(labels == k)[0] for k in range(10)])  # first of each class
    means = np.array([a[labels == k].mean(axis=0) for k in range(10)])
    spread = means.max(axis=0) - means.min(axis=0)               # how class-selective each unit is
    return {
        "images": X_test[shown].reshape(-1, 8, 8), "a_shown": a[shown], "means": means,
        "W": model.layers[0].params["W"].reshape(n, 8, 8).copy(),
        "test_accuracy": accuracy(model, X_test, Y_test), "n_hidden": n, "epochs": p["epochs"],
        "eta": p["eta"], "batch_size": p["batch_size"], "n_params": model.n_params(),
        "n_train": len(X), "n_test": len(X_test),
        "mean_activation": float(a.mean()),
        "selective_units": int(np.sum(spread > 0.5)),
        "min_spread": float(spread.min()),                            # the least selective unit's
        "classes_on_min": int((means > 0.5).sum(axis=0).min()),
        "classes_on_max": int((means > 0.5).sum(axis=0).max()),
        "units_on": float(np.mean((a > 0.5).sum(axis=1))),          # per test digit, of n
        "classes_per_unit": float(np.mean((means > 0.5).sum(axis=0))),  # classes a unit is "on" for
        "w_max": float(np.abs(model.layers[0].params["W"]).max()),
        # colour scale: 99% of the weights; the few larger ones show at full colour
        "w_clip": float(np.percentile(np.abs(model.layers[0].params["W"]), 99)),
    }


def _units_axis(ax, n: int, axis: str = "x") -> None:
    """Label hidden units 1, 5, 10, ... along ``axis`` ("y" when a phone's layout is transposed)."""
    ticks = [0] + list(range(4, n, 5))
    getattr(ax, f"set_{axis}ticks")(ticks, [str(t + 1) for t in ticks])
    getattr(ax, f"set_{axis}label")("hidden unit $j$")


def _classes_by_units(fig, ax, values: np.ndarray, theme, label: str, top: float) -> object:
    """A phone's heat map: one column per class (ticks 0-9), one row per hidden unit,
    the colour bar under it. ``values`` is (10, n) as the wide figure shows it; ``top``
    leaves room above the first row. Returns the image."""
    n = values.shape[1]
    im = ax.imshow(values.T, cmap=theme.sequential, vmin=0, vmax=1,
                   extent=(-0.5, 9.5, n - 0.5, -0.5))
    ax.set_xlim(-0.5, 9.5)
    ax.set_ylim(n - 0.5, top)
    ax.set_xticks(range(10), [str(k) for k in range(10)])
    ax.tick_params(axis="x", length=0)
    _units_axis(ax, n, "y")
    bar = fig.colorbar(im, ax=ax, orientation="horizontal", shrink=0.9, pad=0.02, aspect=30)
    bar.set_label(label)
    bar.outline.set_visible(False)
    return im


def draw_activations(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = d["n_hidden"]
    if theme.narrow:  # a phone: transposed, one column per digit with its image on top
        fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 0.15 * n + 1.9), layout="constrained")
        _classes_by_units(fig, ax, d["a_shown"], theme, "activation $a^{(2)}_j$", top=-3.0)
        for k, img in enumerate(d["images"]):                    # each column's digit, on top
            ax.imshow(img, cmap=theme.digits, vmin=0, vmax=1, extent=(k - 0.48, k + 0.48, -0.9, -2.9))
        ax.set_aspect(0.5)                                       # square digits, flat rows
        ax.set_xlabel("test digit of class")
        ax.spines[["left", "bottom"]].set_visible(False)
        return fig
    fig, ax = plt.subplots(figsize=(7.2, 4.4), layout="constrained")
    im = ax.imshow(d["a_shown"], cmap=theme.sequential, vmin=0, vmax=1, aspect=2.0,
                   extent=(-0.5, n - 0.5, 9.5, -0.5))
    for k, img in enumerate(d["images"]):                        # each row's digit, to its left
        ax.imshow(img, cmap=theme.digits, vmin=0, vmax=1, extent=(-2.9, -0.9, k + 0.48, k - 0.48))
    ax.set_aspect(2.0)                                           # square digits, tall rows
    ax.set_xlim(-3.0, n - 0.5)
    ax.set_ylim(9.5, -0.5)
    ax.set_yticks(range(10), [str(k) for k in range(10)])
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("test digit of class")
    ax.spines[["left", "bottom"]].set_visible(False)
    _units_axis(ax, n)
    bar = fig.colorbar(im, ax=ax, shrink=0.85, pad=0.02)
    bar.set_label("activation $a^{(2)}_j$")
    bar.outline.set_visible(False)
    return fig


def draw_means(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    if theme.narrow:  # a phone: transposed, one column per class
        fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 0.13 * d["n_hidden"] + 1.3),
                               layout="constrained")
        _classes_by_units(fig, ax, d["means"], theme, "mean activation", top=-0.5)
        ax.set_aspect("auto")
        ax.set_xlabel("class of the test digits")
        return fig
    fig, ax = plt.subplots(figsize=(7.0, 3.4), layout="constrained")
    im = ax.imshow(d["means"], cmap=theme.sequential, vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(10), [str(k) for k in range(10)])
    ax.set_ylabel("class of the test digits")
    _units_axis(ax, d["n_hidden"])
    bar = fig.colorbar(im, ax=ax, shrink=0.9, pad=0.02)
    bar.set_label("mean activation")
    bar.outline.set_visible(False)
    return fig


def draw_weights(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = d["n_hidden"]                                            # 8x8 tiles, 3-pixel gaps
    cols, gap = (5, 4) if theme.narrow else (6, 3)               # a phone: fewer, larger tiles
    rows = -(-n // cols)
    mosaic = np.full((rows * (8 + gap), cols * (8 + gap)), np.nan)   # NaN: transparent
    for j in range(n):
        r, c = divmod(j, cols)
        mosaic[r * (8 + gap) + gap:(r + 1) * (8 + gap), c * (8 + gap):c * (8 + gap) + 8] = d["W"][j]
    if theme.narrow:                                             # colour bar under the mosaic
        width = NARROW_WIDTH - 0.1
        size = (NARROW_WIDTH, width * mosaic.shape[0] / mosaic.shape[1] + 1.0)
    else:                                                        # colour bar at its right
        width = 6.0                                              # of the mosaic, in inches
        size = (width + 1.2, width * mosaic.shape[0] / mosaic.shape[1] + 0.3)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    lim = d["w_clip"]
    im = ax.imshow(mosaic, cmap=theme.diverging, vmin=-lim, vmax=lim)
    for j in range(n):                                           # a frame and a number per unit
        r, c = divmod(j, cols)
        x0, y0 = c * (8 + gap) - 0.5, r * (8 + gap) + gap - 0.5
        ax.add_patch(plt.Rectangle((x0, y0), 8, 8, fill=False, ec=theme.grid, lw=0.8))
        ax.text(x0 + 4, y0 - 0.4, f"unit {j + 1}", ha="center", va="bottom", fontsize=9)
    ax.set_axis_off()
    bar = fig.colorbar(im, ax=ax, shrink=0.7 if not theme.narrow else 0.9, pad=0.02, extend="both",
                       orientation="horizontal" if theme.narrow else "vertical")
    bar.set_label("weight $W^{(1)}_{ji}$")
    bar.outline.set_visible(False)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights and the minibatch order", min=0),
        "n_hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(0.5, "learning rate η of minibatch gradient descent", min=1e-6),
        "epochs": Param(30, "training epochs", min=1),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
    },
    results=("test_accuracy", "n_hidden", "epochs", "eta", "batch_size", "n_params", "n_train",
             "n_test", "mean_activation", "selective_units", "units_on",
             "classes_per_unit", "min_spread", "classes_on_min", "classes_on_max"),
    figures=(
        Figure(
            "activations", draw_activations,
            caption=(
                "The hidden activations $a^{(2)}$ of the trained network for the first test "
                "digit of each class (drawn next to its cells). Each digit's line of cells is "
                "the code the network passes on to its output layer. Look along one digit's "
                "line: a digit switches on many units at once, and the pattern of bright and "
                "dark cells differs from digit to digit."
            ),
            alt=(
                "A heat map with ten lines of cells, one per test digit 0 to 9 whose 8 by 8 "
                "image is shown at the start of its line, and one cell per hidden unit along "
                "each line. Cells go from dark purple (activation 0) to yellow (activation 1); "
                "every line has a mix of bright and dark cells, in a different arrangement for "
                "each digit."
            ),
        ),
        Figure(
            "class-means", draw_means,
            caption=(
                "The mean hidden activation over all test digits of each class. Read one "
                "unit's cells across the ten classes to see which classes switch it on: every "
                "unit is on for some classes and off for the others, and every class switches "
                "on several units, so each class is recognised by a combination of units, not "
                "by one."
            ),
            alt=(
                "A heat map with one line of cells per class 0 to 9 and one cell per hidden "
                "unit along each line, coloured from dark purple (mean activation 0) to yellow "
                "(1). Each unit has a few bright cells and several dark ones."
            ),
        ),
        Figure(
            "weights", draw_weights,
            caption=(
                "Weights as features: the 64 incoming weights $W^{(1)}_{ji}$ of each hidden "
                "unit $j$, drawn as an 8×8 image at the pixels they multiply. Ink on a blue "
                "(positive) pixel raises the unit's weighted input $z_j$, ink on an orange "
                "(negative) pixel lowers it; weights near 0 fade into the page. The colour scale "
                "ends at the 99th percentile of $|W|$ (the arrows of the colour bar): the few "
                "larger weights show at full colour."
            ),
            alt=(
                "Small square images in a grid, one per hidden unit, each an "
                "8 by 8 pattern of blue (positive) and orange (negative) pixels fading to the "
                "page colour near 0, with a diverging colour bar centred at 0."
            ),
        ),
    ),
)
