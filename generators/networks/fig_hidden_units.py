"""What each hidden unit of a small trained network computes on the Playground's "circle" set.

Compute: a network 2 -> n_hidden tanh units -> 1 sigmoid output, trained by full-batch
gradient descent on the quadratic cost; then every hidden activation a_j^(2) and the
output a^(3) on a grid over the plane [-6, 6]^2, the test accuracy, and the trained
model's description for the diagram.
Draw: one map per hidden unit (each a soft step across the line W_j x + b_j = 0), and the
output map beside the diagram of the trained network. A single sigmoid neuron trained the
same way gives the baseline accuracy the lesson compares with; that comparison is repeated
over ``seeds`` further seeds (new points and new initial weights each), and the page quotes
its mean ± one standard deviation and the smallest gap between the two in any seed.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH
from generators.networks.drawing import describe, draw_network, weight_legend
from generators.nn import (Dense, GradientDescent, QuadraticCost, Sequential, Sigmoid, Tanh,
                           accuracy, data, train)

EXTENT = 6.0  # the Playground's plane, [-6, 6]^2


def network_and_neuron(p: Params, rng: np.random.Generator) -> dict:
    """Circle points from ``rng``; the 2-n-1 network and the one-neuron baseline trained on them."""
    X_train, Y_train, X_test, Y_test = data.playground(
        "circle", rng=rng, n_samples=p["n_samples"], noise=p["noise"])
    n = p["n_hidden"]
    model = Sequential([Dense(2, n), Tanh(), Dense(n, 1), Sigmoid()], rng=rng)
    cost = QuadraticCost()
    history = train(model, X_train, Y_train, cost=cost, optimizer=GradientDescent(eta=p["eta"]),
                    epochs=p["epochs"])
    neuron = Sequential([Dense(2, 1), Sigmoid()], rng=rng)     # the one-neuron baseline
    train(neuron, X_train, Y_train, cost=cost, optimizer=GradientDescent(eta=p["eta"]),
          epochs=p["epochs"])
    return {"model": model, "neuron": neuron, "history": history, "X_train": X_train,
            "Y_train": Y_train, "X_test": X_test, "Y_test": Y_test,
            "net_accuracy": accuracy(model, X_test, Y_test),
            "neuron_accuracy": accuracy(neuron, X_test, Y_test)}


def compute(p: Params) -> dict:
    run = network_and_neuron(p, np.random.default_rng(p["seed"]))    # the network drawn
    model, neuron, history = run["model"], run["neuron"], run["history"]
    X_train, Y_train, X_test, Y_test = run["X_train"], run["Y_train"], run["X_test"], run["Y_test"]
    n = p["n_hidden"]
    # the comparison with one neuron, repeated: new points and new initial weights each seed
    seeds = [network_and_neuron(p, np.random.default_rng([p["seed"], s]))
             for s in range(p["seeds"])]
    net_acc = np.array([r["net_accuracy"] for r in seeds])
    neuron_acc = np.array([r["neuron_accuracy"] for r in seeds])
    g = np.linspace(-EXTENT, EXTENT, p["grid"])
    gx, gy = np.meshgrid(g, g)
    plane = np.column_stack([gx.ravel(), gy.ravel()])
    hidden = model.layers[1].forward(model.layers[0].forward(plane)[0])[0]   # a^(2): (G*G, n)
    output = model.predict(plane)[:, 0]                                       # a^(3)
    shape = gx.shape
    return {
        "grid": g, "hidden": [hidden[:, j].reshape(shape) for j in range(n)],
        "output": output.reshape(shape), "net": describe(model),
        "X_test": X_test, "Y_test": Y_test,
        "circle_test_accuracy": accuracy(model, X_test, Y_test),
        "circle_train_accuracy": accuracy(model, X_train, Y_train),
        "circle_neuron_test_accuracy": accuracy(neuron, X_test, Y_test),
        "circle_final_cost": history.loss[-1],
        "circle_n_hidden": n, "circle_epochs": p["epochs"], "circle_eta": p["eta"],
        "circle_n_train": len(X_train), "circle_n_test": len(X_test),
        "circle_net_accuracies": net_acc, "circle_neuron_accuracies": neuron_acc,
        "circle_seeds": p["seeds"],
        "circle_seed_net_accuracy": float(net_acc.mean()),
        "circle_seed_net_accuracy_sd": float(net_acc.std(ddof=1)),
        "circle_seed_neuron_accuracy": float(neuron_acc.mean()),
        "circle_seed_neuron_accuracy_sd": float(neuron_acc.std(ddof=1)),
        "circle_seed_gap_min": float(np.min(net_acc - neuron_acc)),   # the closest any seed came
    }


def _plane_axes(ax, d: dict) -> None:
    ax.set_xlim(-EXTENT, EXTENT)
    ax.set_ylim(-EXTENT, EXTENT)
    ax.set_xticks([-6, 0, 6])
    ax.set_yticks([-6, 0, 6])
    ax.set_aspect("equal")


def draw_hidden(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = len(d["hidden"])
    rows = (n + 1) // 2
    # Two columns in both layouts; on a phone smaller maps and the colour bar underneath.
    size = (NARROW_WIDTH, 2.2 * rows + 0.9) if theme.narrow else (5.4, 2.55 * rows + 0.3)
    fig, axes = plt.subplots(rows, 2, figsize=size, sharex=True, sharey=True,
                             layout="constrained", squeeze=False)
    if theme.narrow:  # room between the columns' tick labels "6" and "-6"
        fig.get_layout_engine().set(wspace=0.12)
    g = d["grid"]
    for j, ax in enumerate(axes.ravel()):
        if j >= n:
            ax.set_visible(False)
            continue
        im = ax.imshow(d["hidden"][j], extent=(-EXTENT, EXTENT, -EXTENT, EXTENT), origin="lower",
                       cmap=theme.diverging, vmin=-1, vmax=1, interpolation="bilinear")
        # The unit's line W_j x + b_j = 0 is the pale band itself; the dashed curve, on a line
        # of the page colour to stay visible on every shade, is the network's boundary.
        ax.contour(g, g, d["output"], levels=[0.5], colors=[theme.bg], linewidths=2.4)
        ax.contour(g, g, d["output"], levels=[0.5], colors=[theme.fg], linewidths=1.4,
                   linestyles=[(0, (3, 2))])
        ax.set_title(f"hidden unit{chr(10) if theme.narrow else ' '}$a^{{(2)}}_{{{j + 1}}}$",
                     fontsize=11)
        _plane_axes(ax, d)
    for ax in axes[-1]:
        ax.set_xlabel("$x_1$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$x_2$")
    bar = (fig.colorbar(im, ax=axes, orientation="horizontal", shrink=0.9, aspect=25, ticks=[-1, 0, 1])
           if theme.narrow else fig.colorbar(im, ax=axes, shrink=0.7, pad=0.03, ticks=[-1, 0, 1]))
    bar.set_label("activation (tanh)", fontsize=10)
    bar.outline.set_visible(False)
    return fig


def draw_output(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    if theme.narrow:  # the map above the network, the legend under the network
        fig, (ax, ax_net) = plt.subplots(2, 1, figsize=(NARROW_WIDTH, 8.0), layout="constrained",
                                         gridspec_kw={"height_ratios": [1, 1.4]})
    else:
        fig, (ax, ax_net) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained",
                                         gridspec_kw={"width_ratios": [1, 1.25]})
    g = d["grid"]
    ax.imshow(d["output"], extent=(-EXTENT, EXTENT, -EXTENT, EXTENT), origin="lower",
              cmap=theme.class_cmap(), vmin=0, vmax=1, alpha=0.5, interpolation="bilinear")
    ax.contour(g, g, d["output"], levels=[0.5], colors=[theme.fg], linewidths=1.6)
    y = d["Y_test"][:, 0]
    for label, marker in ((0, "o"), (1, "s")):
        pts = d["X_test"][y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=9, c=theme.class_colors[label], marker=marker,
                   edgecolors=theme.bg, linewidths=0.3)
    ax.set_title(f"output $a^{{(3)}}_1${chr(10) if theme.narrow else ', '}"
                 f"test accuracy {d['circle_test_accuracy']:.1%}", fontsize=11)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    _plane_axes(ax, d)
    info = draw_network(ax_net, d["net"], theme, dx=2.2, radius=0.36)
    if theme.narrow:
        weight_legend(ax_net, theme, info["w_max"], loc="upper center", bbox_to_anchor=(0.5, 0.0),
                      ncols=2)
    else:
        weight_legend(ax_net, theme, info["w_max"], loc="upper left", bbox_to_anchor=(0.98, 0.75))
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(1, "random seed for the data and the initial weights", min=0),
        "n_samples": Param(400, "points of the circle set, half for training, half for testing", min=2),
        "noise": Param(0.05, "label noise of the circle set (the Playground's slider / 100)",
                       min=0.0, max=0.5),
        "n_hidden": Param(4, "tanh hidden units", min=1),
        "eta": Param(2.0, "learning rate η of full-batch gradient descent", min=1e-6),
        "epochs": Param(1000, "training epochs", min=1),
        "grid": Param(121, "grid points per side of the maps over the plane", min=2),
        "seeds": Param(5, "further seeds the comparison with one neuron is repeated over", min=2),
    },
    results=("circle_test_accuracy", "circle_train_accuracy", "circle_neuron_test_accuracy",
             "circle_final_cost",
             "circle_n_hidden", "circle_epochs", "circle_eta", "circle_n_train", "circle_n_test",
             "circle_seeds", "circle_seed_net_accuracy", "circle_seed_net_accuracy_sd",
             "circle_seed_neuron_accuracy", "circle_seed_neuron_accuracy_sd",
             "circle_seed_gap_min"),
    figures=(
        Figure(
            "hidden-units", draw_hidden,
            caption=(
                "Each hidden unit of the trained network, as a map over the input plane: the "
                "colour is its activation $a^{(2)}_j = \\tanh(W^{(1)}_{j1} x_1 + W^{(1)}_{j2} x_2 "
                "+ b^{(1)}_j)$, blue near +1, orange near −1 and the page's colour where the "
                "weighted input is zero. Look at the "
                "shape: every hidden unit is a soft step across one straight line, with a "
                "different direction and position for each unit. The dashed curve is the "
                "whole network's decision boundary (next figure): compare its sides with the units' bands."
            ),
            alt=(
                "A grid of square maps of the plane from -6 to 6, one per hidden unit. In each, "
                "the colour changes from orange (activation -1) on one side of a straight band "
                "of the page's colour to blue (activation +1) on the other side; the bands have "
                "different angles and positions. A dashed closed curve around the centre, the "
                "same in every map, is the network's decision boundary."
            ),
        ),
        Figure(
            "circle-output", draw_output,
            caption=(
                "The map is the network's output over the plane, with the held-out test points; "
                "the line is the decision boundary $a^{(3)}_1 = 1/2$. The diagram is the trained "
                "network, drawn from the model object, with line width and colour showing "
                "each weight. The output unit adds up the hidden units' steps, weighted by "
                "$W^{(2)}$, and the sigmoid turns the sum into a closed region around the "
                "inner class, a shape no single unit can draw."
            ),
            alt=(
                "Two panels. A square map of the plane with a closed, rounded boundary around the "
                "centre; blue squares (the inner class) lie inside it and orange circles (the "
                "outer ring) outside. A network diagram with two inputs, hidden units "
                "in the middle column and one output, joined by blue and orange lines of "
                "varying width, with dashed +1 bias units below."
            ),
        ),
    ),
)
