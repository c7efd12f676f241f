"""The playground's static overview: one network setting on the four problems.

Compute: for each Playground problem, the default setting of the explorer (tanh, no
regularisation, learning rate 0.03, one hidden layer of 4 units), trained as the
explorer's data is. Draw: the final output over the plane with the test points.
Export: the explorer's index (which data file holds which problem, the default setting).
"""

from __future__ import annotations

import base64

import numpy as np

from generators.figure import Export, Figure, Generator, Params
from generators.layout import NARROW_WIDTH
from generators.playground import DATASET_PARAM_SPECS, EXTENT, GRID, train_one
from generators.nn import data

PROBLEMS = ("circle", "xor", "gauss", "spiral")
DEFAULT = {"activation": "tanh", "regularization": "none", "rate": "0.03", "architecture": "4"}


def compute(p: Params) -> dict:
    maps, tests, accs = {}, {}, {}
    for name in PROBLEMS:
        ds = data.playground(name, rng=np.random.default_rng(p["seed"]), n_samples=p["n_samples"],
                             noise=p["noise"], labels="pm1")
        run = train_one(ds, DEFAULT["activation"], DEFAULT["regularization"],
                        float(DEFAULT["rate"]), DEFAULT["architecture"], dict(p))
        out = np.frombuffer(base64.b64decode(run["out"]), np.uint8).reshape(-1, GRID, GRID)
        maps[name], tests[name], accs[name] = out[-1] / 127.5 - 1, ds, run["accuracy"]
    return {"maps": maps, "data": tests, **{f"{k}_accuracy": v for k, v in accs.items()}}


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Two by two either way; on a phone smaller panels, each title on two lines.
    size = (NARROW_WIDTH, 4.0) if theme.narrow else (5.6, 5.9)
    fig, axes = plt.subplots(2, 2, figsize=size, sharex=True, sharey=True, layout="constrained")
    for ax, name in zip(axes.ravel(), PROBLEMS):
        ax.imshow(d["maps"][name], extent=(-EXTENT, EXTENT, -EXTENT, EXTENT),
                  cmap=theme.class_cmap(), vmin=-1, vmax=1, alpha=0.55, interpolation="bilinear")
        ds = d["data"][name]
        for label, marker, color in ((-1, "o", theme.class_colors[0]), (1, "s", theme.class_colors[1])):
            pts = ds.X_test[ds.Y_test[:, 0] == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=10, marker=marker, c=color,
                       edgecolors=theme.fg, linewidths=0.4)
        sep = "\n" if theme.narrow else ": "
        ax.set_title(f"{name}{sep}test accuracy {d[name + '_accuracy']:.0%}", fontsize=10)
        ax.set_xlim(-EXTENT, EXTENT)
        ax.set_ylim(-EXTENT, EXTENT)
        ax.set_aspect("equal")
    for ax in axes[1]:
        ax.set_xlabel("$x_1$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$x_2$")
    return fig


GENERATOR = Generator(
    compute=compute,
    params=DATASET_PARAM_SPECS,
    results=tuple(f"{name}_accuracy" for name in PROBLEMS),
    exports=(Export("index", lambda d, p: {
        "problems": {name: f"{name}.json" for name in PROBLEMS}, "order": list(PROBLEMS),
        "default": DEFAULT}),),
    figures=(
        Figure(
            "overview", draw,
            caption=(
                "The same small network (one hidden layer of 4 tanh units, learning rate 0.03, "
                "100 epochs) on the four problems, shown over the plane from −6 to 6 with the "
                "held-out test points: orange circles are class 0 (y = −1), blue squares class 1 "
                "(y = +1). The shading is the network's output: orange where it answers −1, blue "
                "where it answers +1, the page's colour where it is unsure. Compare how far a few "
                "curved boundaries get on each problem."
            ),
            alt=(
                "Four square panels in a two by two grid: circle, xor, gauss and spiral. Each shows "
                "orange circles (y = −1) and blue squares (y = +1) over a map of the network's "
                "output shaded orange where it answers −1 and blue where it answers +1, with the "
                "test accuracy in the panel's title."
            ),
        ),
    ),
)
