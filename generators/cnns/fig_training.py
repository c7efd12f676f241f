"""A small CNN and an MLP trained on the 8 x 8 digits, side by side.

Compute: conv -> ReLU -> max pool -> dense -> softmax, trained with the cross-entropy
cost and momentum on minibatches; then an MLP [64, hidden, 10] (sigmoid hidden layer,
softmax output) trained the same way on the same images, flattened. Per epoch: cost and
accuracy on the training and test sets. The CNN's confusion matrix on the test set, and
its architecture (output shape and parameter count of each layer) read off the model.
Draw: learning curves of both networks; the confusion matrix.
The CNN is built and trained by ``generators.cnns.train_cnn``, which ``fig_inside`` calls
with the same parameters to look inside the same network.
"""

from __future__ import annotations

import numpy as np

from generators.cnns import ARCH, CNN_PARAM_SPECS, Curves, build_cnn, train_cnn
from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import CrossEntropy, Dense, Momentum, Sequential, Sigmoid, Softmax, data, train


NOPAD = ("nopad_conv1_h", "nopad_conv1_w", "nopad_maxpool1_h", "nopad_maxpool1_w",
         "nopad_flatten1_n", "nopad_dense1_params")


def architecture(model: Sequential, input_shape: tuple) -> dict:
    """Output shape and parameter count of every layer, as named numbers."""
    out, x = {}, np.zeros((1, *input_shape))
    for layer in model.layers:
        x = layer.forward(x)[0]
        dims = ("c", "h", "w") if x.ndim == 4 else ("n",)
        out.update({f"{layer.name}_{d}": s for d, s in zip(dims, x.shape[1:])})
        if layer.params:
            out[f"{layer.name}_params"] = sum(v.size for v in layer.params.values())
    return out


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits(images=True)
    cnn_metrics = Curves(X, Y, X_test, Y_test)
    cnn = train_cnn(p, callbacks=(cnn_metrics,))
    rng = np.random.default_rng(p["seed"] + 1)
    flat, flat_test = X.reshape(len(X), -1), X_test.reshape(len(X_test), -1)
    mlp = Sequential([Dense(flat.shape[1], p["hidden"]), Sigmoid(), Dense(p["hidden"], 10),
                      Softmax()], rng=rng)
    mlp_metrics = Curves(flat, Y, flat_test, Y_test)
    train(mlp, flat, Y, cost=CrossEntropy(), optimizer=Momentum(eta=p["eta"], mu=p["mu"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=(mlp_metrics,))
    true, pred = Y_test.argmax(axis=1), cnn.predict(X_test).argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (true, pred), 1)
    return {
        "cnn": cnn_metrics.to_dict(), "mlp": mlp_metrics.to_dict(), "confusion": confusion,
        "filters": cnn.params()["conv1/W"].copy(),
        "cnn_test_accuracy": cnn_metrics.history["test_accuracy"][-1],
        "cnn_train_accuracy": cnn_metrics.history["accuracy"][-1],
        "mlp_test_accuracy": mlp_metrics.history["test_accuracy"][-1],
        "mlp_train_accuracy": mlp_metrics.history["accuracy"][-1],
        "cnn_params": cnn.n_params(), "mlp_params": mlp.n_params(),
        "n_errors": int(confusion.sum() - np.trace(confusion)),
        "n_train": len(X), "n_test": len(X_test), "image_side": X.shape[-1],
        **{k: p[k] for k in ("epochs", "batch_size", "eta", "mu", "hidden", "kernel", "pool")},
        "n_pixels": flat.shape[1], **architecture(cnn, X.shape[1:]),
        # Exercise: the same network without padding (built, never trained).
        **{f"nopad_{k}": v for k, v in
           architecture(build_cnn(p, np.random.default_rng(0), padding=0), X.shape[1:]).items()},
    }


def draw_curves(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    # Cost and accuracy side by side; on a phone one above the other.
    fig, (ax_c, ax_a) = subplots(theme, 2, height=3.0, narrow_height=2.6, layout="constrained")
    low = 1.0
    for key, label, color in (("cnn", "CNN", theme.palette[0]), ("mlp", "MLP", theme.palette[1])):
        h = d[key]
        for split, ls in (("", "-"), ("test_", "--")):
            name = f"{label} {'test' if split else 'training'}"
            ax_c.plot(h["epochs"], h[f"{split}loss"], color=color, ls=ls, label=name)
            ax_a.plot(h["epochs"][1:], h[f"{split}accuracy"][1:], color=color, ls=ls, label=name)
            low = min(low, min(h[f"{split}accuracy"][1:]))
    ax_c.set(yscale="log", ylabel="cross-entropy cost\n(logarithmic scale)")
    ax_a.set_ylabel("accuracy (axis not from 0)")
    ax_a.set_ylim(np.floor(low * 20) / 20, 1.0)
    ax_a.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for ax in (ax_c, ax_a):
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True, color=theme.grid, lw=0.6)
    ax_a.legend(frameon=False, fontsize=9, loc="lower right")
    return fig


def draw_confusion(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    cm = d["confusion"]
    dark, light = (theme.fg, theme.bg) if theme.name == "light" else (theme.bg, theme.fg)
    # On a phone: a smaller grid with the colour bar under it.
    fig, ax = plt.subplots(figsize=(NARROW_WIDTH, 4.3) if theme.narrow else (5.6, 4.8),
                           layout="constrained")
    im = ax.imshow(np.ma.masked_equal(cm, 0), cmap=theme.sequential, vmin=0, vmax=cm.max())
    for (i, j), v in np.ndenumerate(cm):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=9,
                    color=dark if v > 0.6 * cm.max() else light)
    ax.set(xticks=range(10), yticks=range(10), xlabel="digit predicted by the CNN",
           ylabel="true digit")
    ax.set_xticks(np.arange(-0.5, 10), minor=True)
    ax.set_yticks(np.arange(-0.5, 10), minor=True)
    ax.grid(which="minor", color=theme.grid, lw=0.6)
    ax.tick_params(which="minor", length=0)
    if theme.narrow:
        bar = fig.colorbar(im, ax=ax, orientation="horizontal", shrink=0.9, aspect=30)
        bar.set_label("number of test images\n(empty cell: none)", fontsize=10)
    else:
        bar = fig.colorbar(im, ax=ax, shrink=0.85)
        bar.set_label("number of test images (empty cell: none)", fontsize=10)
    bar.outline.set_visible(False)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={**CNN_PARAM_SPECS,
            "hidden": Param(30, "sigmoid hidden units of the MLP compared with the CNN", min=1)},
    results=("cnn_test_accuracy", "cnn_train_accuracy", "mlp_test_accuracy",
             "mlp_train_accuracy", "cnn_params", "mlp_params", "n_errors", "n_train", "n_test", "image_side",
             "epochs", "batch_size", "eta", "mu", "hidden", "kernel", "pool", "n_pixels") + ARCH + NOPAD,
    figures=(
        Figure(
            "curves", draw_curves,
            caption=(
                "Learning curves of the CNN (blue) and the MLP (orange): cost and accuracy "
                "after every epoch, on the training images (solid) and the test images "
                "(dashed). The cost axis is logarithmic and the accuracy axis does not start "
                "at zero (epoch 0, before training, is left off it). Compare the two dashed "
                "accuracy curves: that gap is what the convolution buys."
            ),
            alt=(
                "Two line charts against epoch. First: cross-entropy cost on a logarithmic "
                "axis falling steeply for both networks, training and test. Second: accuracy "
                "from epoch 1, rising towards 100 percent, the CNN's test curve mostly above "
                "the MLP's."
            ),
        ),
        Figure(
            "confusion", draw_confusion,
            caption=(
                "Confusion matrix of the trained CNN on the test images: row = the true "
                "digit, column = the CNN's answer. Correct answers sit on the diagonal; every "
                "number off the diagonal is a mistake. Look for the off-diagonal cells with "
                "the largest counts: they show which digits the network mixes up."
            ),
            alt=(
                "A 10 by 10 grid, true digit down the side and predicted digit along the "
                "bottom, both 0 to 9. The diagonal cells are bright, with counts of about "
                "forty to fifty; a few off-diagonal cells hold small counts and the rest are empty."
            ),
        ),
    ),
)
