"""Training as a film: the decision boundary and the last hidden layer, epoch by epoch.

Compute: a Playground set (``problem``), a tanh network [2, 8, 2, 1] with a sigmoid
output and the binary cross-entropy cost, full-batch gradient descent. Its last hidden
layer has two units, so every input x has a point h = (a_1, a_2) in [-1, 1]^2 there, and
the output a = sigma(w_1 a_1 + w_2 a_2 + b) separates that square with the straight line
w_1 a_1 + w_2 a_2 + b = 0. At every ``every``-th epoch we keep the output over a grid of
the input plane, the training points' hidden coordinates, (w_1, w_2, b), cost and accuracy.
Draw: three of those epochs; export: all of them, the grids as bytes (round(255 a)).
"""

from __future__ import annotations

import base64

import numpy as np

from generators.figure import Export, Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.nn import (BinaryCrossEntropy, Dense, EpochMetrics, GradientDescent,
                           ParameterSnapshots, Sequential, Sigmoid, Tanh, data, train)

EXTENT = 6.0  # the input plane is shown over [-6, 6]^2, as in the TensorFlow Playground


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p["seed"])
    X, Y, X_test, Y_test = data.playground(p["problem"], rng=rng, n_samples=p["n_samples"],
                                           noise=p["noise"])
    model = Sequential([Dense(2, p["hidden"]), Tanh(), Dense(p["hidden"], 2), Tanh(),
                        Dense(2, 1), Sigmoid()], rng=rng)
    cost = BinaryCrossEntropy()
    metrics = EpochMetrics(X, Y, cost, X_test, Y_test)
    snaps = ParameterSnapshots(every="epoch")
    train(model, X, Y, cost=cost, optimizer=GradientDescent(eta=p["eta"]), epochs=p["epochs"],
          callbacks=[metrics, snaps])
    axis = np.linspace(-EXTENT, EXTENT, p["grid"])
    gx, gy = np.meshgrid(axis, axis)                  # row i is y = axis[i], bottom to top
    plane = np.column_stack([gx.ravel(), gy.ravel()])
    epochs = list(range(0, p["epochs"] + 1, p["every"]))
    frames = {"outputs": [], "hidden": [], "readout": []}
    for e in epochs:
        for name, value in model.params().items():   # the parameters after epoch e
            value[...] = snaps.snapshots[e][name]
        frames["outputs"].append(model.predict(plane)[:, 0].reshape(gx.shape))
        h = X
        for layer in model.layers[:4]:               # Dense, Tanh, Dense, Tanh
            h = layer.forward(h)[0]
        frames["hidden"].append(h)
        W, b = model.layers[4].params["W"][0], model.layers[4].params["b"][0]
        frames["readout"].append(np.array([W[0], W[1], b]))
    acc = np.array(metrics.test_accuracy)[epochs]
    return {
        "X": X, "labels": Y[:, 0].astype(int), "epochs": epochs, **frames,
        "cost": np.array(metrics.loss)[epochs], "accuracy": np.array(metrics.accuracy)[epochs],
        "test_accuracy": acc, "problem": p["problem"], "anim_eta": p["eta"],
        "anim_n_epochs": p["epochs"], "anim_n_frames": len(epochs), "anim_n_train": len(X),
        "anim_final_test_accuracy": float(acc[-1]), "anim_initial_test_accuracy": float(acc[0]),
        "anim_settle_epoch": int(epochs[int(np.argmax(acc >= acc[-1]))]),
    }


def export(d: dict, p: Params) -> dict:
    """Everything the explorer draws; coordinates rounded.

    Output grids as bytes 0..255, base64-encoded (a third of the size of a JSON list of
    the same integers: the page's data stays small on a phone's connection).
    """
    r = lambda a, k: np.round(np.asarray(a, dtype=float), k).ravel().tolist()
    grid_bytes = lambda o: base64.b64encode(np.round(255 * o).astype(np.uint8).ravel().tobytes()).decode()
    return {
        "extent": EXTENT, "grid": p["grid"], "epochs": d["epochs"],
        "points": r(d["X"], 2), "labels": d["labels"].tolist(),
        "outputs": [grid_bytes(o) for o in d["outputs"]],
        "hidden": [r(h, 3) for h in d["hidden"]],
        "readout": [r(w, 4) for w in d["readout"]],
        "cost": r(d["cost"], 4), "accuracy": r(d["accuracy"], 4),
        "test_accuracy": r(d["test_accuracy"], 4),
    }


def draw(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    shown = [d["epochs"].index(e) for e in p["shown"]]
    if theme.narrow:   # one row per epoch: the input plane beside the hidden layer
        fig = plt.figure(figsize=(NARROW_WIDTH, 1.9 * len(shown)), layout="constrained")
        rows = fig.subfigures(len(shown), 1)
        pairs = [tuple(row.subplots(1, 2)) for row in rows]
    else:              # one column per epoch: the input plane above the hidden layer
        fig, axes = plt.subplots(2, len(shown), figsize=(7.2, 5.2), layout="constrained")
        pairs = list(zip(axes[0], axes[1]))
    y = d["labels"]
    for i, (k, (plane, hidden)) in enumerate(zip(shown, pairs)):
        plane.imshow(d["outputs"][k], extent=(-EXTENT, EXTENT, -EXTENT, EXTENT), origin="lower",
                     cmap=theme.class_cmap(), vmin=0, vmax=1, alpha=0.5, interpolation="bilinear")
        plane.contour(np.linspace(-EXTENT, EXTENT, p["grid"]), np.linspace(-EXTENT, EXTENT, p["grid"]),
                      d["outputs"][k], levels=[0.5], colors=[theme.fg], linewidths=1.4)
        w1, w2, b = d["readout"][k]
        for label, marker in ((0, "o"), (1, "s")):
            for ax, pts in ((plane, d["X"]), (hidden, d["hidden"][k])):
                ax.scatter(*pts[y == label].T, s=7, marker=marker, c=theme.class_colors[label],
                           edgecolors=theme.bg, linewidths=0.3)
        t = np.linspace(-1.1, 1.1, 2)
        if abs(w2) > abs(w1):
            hidden.plot(t, -(w1 * t + b) / w2, color=theme.fg, lw=1.4)
        else:
            hidden.plot(-(w2 * t + b) / w1, t, color=theme.fg, lw=1.4)
        epoch, accuracy = d["epochs"][k], d["test_accuracy"][k]
        if theme.narrow:   # the row's title, on one line
            rows[i].suptitle(f"epoch {epoch}, test accuracy {accuracy:.0%}", fontsize=10)
        else:
            plane.set_title(f"epoch {epoch}\ntest accuracy {accuracy:.0%}", fontsize=10)
        plane.set(xlim=(-EXTENT, EXTENT), ylim=(-EXTENT, EXTENT), xticks=[-6, 0, 6],
                  yticks=[-6, 0, 6], aspect="equal", xlabel="$x_1$")
        hidden.set(xlim=(-1.1, 1.1), ylim=(-1.1, 1.1), xticks=[-1, 0, 1], yticks=[-1, 0, 1],
                   aspect="equal", xlabel="hidden unit 1")
        if theme.narrow or i == 0:   # y labels on every row, or on the first column
            plane.set_ylabel("$x_2$")
            hidden.set_ylabel("hidden unit 2")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the data and the initial weights", min=0),
        "problem": Param("circle", "the Playground data set trained on", choices=data.PLAYGROUND_SETS),
        "n_samples": Param(300, "points of the data set, half for training, half for testing", min=2),
        "noise": Param(0.0, "noise of the data set (the Playground's noise slider / 100)",
                       min=0.0, max=0.5),
        "hidden": Param(8, "tanh units in the first hidden layer (the second has two)", min=1),
        "eta": Param(0.3, "learning rate η of full-batch gradient descent", min=1e-6),
        "epochs": Param(200, "training epochs", min=1),
        "every": Param(8, "a frame of the film every this many epochs", min=1),
        "grid": Param(41, "grid points per side of the output map over the plane", min=2),
        "shown": Param((0, 64, 200), "epochs drawn in the figure (two or more, each a multiple of every)",
                       min=0),
    },
    results=("anim_eta", "anim_n_epochs", "anim_n_frames", "anim_n_train",
             "anim_final_test_accuracy", "anim_initial_test_accuracy", "anim_settle_epoch"),
    figures=(
        Figure(
            "animation", draw,
            caption=(
                "A tanh network with layers [2, 8, 2, 1] learning the circle problem, at three "
                "epochs, two panels each. First the input plane, shaded by the network's output $a$ (each class's "
                "colour where it predicts that class, pale where it is unsure), its decision "
                "boundary $a = 1/2$ and the training points; then the same points at the "
                "two units of the last hidden layer, and the output unit's boundary there, "
                "a straight line. Training bends the plane until a straight line in the "
                "hidden layer can cut the two classes apart."
            ),
            alt=(
                "Six square panels, two per epoch: the input plane, then the hidden layer. "
                "The input planes: a ring of orange points around a central cluster of blue squares; the "
                "boundary starts as a wavy line across the plane, becomes a curved band, and "
                "ends as a closed loop around the blue cluster. The hidden layers: the same points in "
                "a square from -1 to 1; at first both colours are mixed along a horizontal "
                "band, then they drift apart, and at the end the blue points sit at the left "
                "edge and the orange ones at the right, with a nearly vertical line between."
            ),
        ),
    ),
    exports=(Export("frames", export),),
)
