"""A small CNN and an MLP trained on the 8 x 8 digits, side by side, over several seeds.

Compute: conv -> ReLU -> max pool -> dense -> softmax, trained with the cross-entropy
cost and momentum on minibatches for ``cnn_epochs`` epochs; an MLP [64, hidden, 10]
(sigmoid hidden layer, softmax output) trained the same way on the same images,
flattened, but with its own recipe: its learning rate is the best of ``mlp_etas`` on
``mlp_holdout`` training digits held out for it (never the test digits), and it trains
for ``mlp_epochs`` epochs. Both for ``seeds`` seeds (seed, seed + 1, ...). Per epoch:
cost and accuracy on the training and test sets. Results: mean and standard deviation
(ddof=1) over the seeds of the final accuracies and test costs, and of the epoch at
which each run's test cost was lowest (it has converged when that is well before the
end). The first seed's CNN after ``epochs`` epochs is the lesson's network: its confusion
matrix on the test set, its filters, and its architecture (output shape and parameter
count of each layer) read off the model.
Draw: mean learning curves of both networks with a one-sd band; the confusion matrix.
The CNN is built and trained by ``generators.cnns.train_cnn``, which ``fig_inside`` calls
with the same parameters to look inside the same network.
"""

from __future__ import annotations

import numpy as np

from generators.cnns import ARCH, CNN_PARAM_SPECS, Curves, build_cnn, train_cnn
from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import (Callback, CrossEntropy, Dense, Momentum, Sequential, Sigmoid, Softmax,
                           data, train)
from generators.seeds import mean_sd


NOPAD = ("nopad_conv1_h", "nopad_conv1_w", "nopad_maxpool1_h", "nopad_maxpool1_w",
         "nopad_flatten1_n", "nopad_dense1_params")


def architecture(model: Sequential, input_shape: tuple) -> dict:
    """Output shape and parameter count of every layer, as named numbers."""
    out, x = {}, np.zeros((1, *input_shape))
    for layer in model.layers:
        x = layer.forward(x)[0]
        dims = tuple("chw") if x.ndim == 4 else ("n",)  # channels, height, width; or units
        out.update({f"{layer.name}_{d}": s for d, s in zip(dims, x.shape[1:])})
        if layer.params:
            out[f"{layer.name}_params"] = sum(v.size for v in layer.params.values())
    return out


# Quoted as mean and standard deviation over the seeds.
STATS = tuple(f"{net}_{name}_{stat}" for net in ("cnn", "mlp")
              for name in ("test", "train", "test_cost", "best_epoch", "test_early")
              for stat in ("mean", "sd")
              ) + ("cnn_last_gain", "mlp_last_gain", "accuracy_gap_mean", "accuracy_gap_sd")


def train_mlp(p: Params, eta: float, seed: int, X: np.ndarray, Y: np.ndarray,
              X_test: np.ndarray, Y_test: np.ndarray) -> tuple[Sequential, Curves]:
    """The MLP [64, hidden, 10] (sigmoid hidden, softmax output), its own recipe: the same
    cost, optimizer and minibatches as the CNN, its own rate ``eta`` and ``mlp_epochs``;
    returns it and its learning curves on (X, Y) and (X_test, Y_test)."""
    rng = np.random.default_rng(seed)
    mlp = Sequential([Dense(X.shape[1], p["hidden"]), Sigmoid(), Dense(p["hidden"], 10),
                      Softmax()], rng=rng)
    curves = Curves(X, Y, X_test, Y_test)
    train(mlp, X, Y, cost=CrossEntropy(), optimizer=Momentum(eta=eta, mu=p["mu"]),
          epochs=p["mlp_epochs"], batch_size=p["batch_size"], rng=rng, callbacks=(curves,))
    return mlp, curves


def tune_mlp_eta(p: Params, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict]:
    """The MLP's learning rate: of ``mlp_etas``, the one whose lowest cost on
    ``mlp_holdout`` held-out training digits (never the test digits) is lowest."""
    order = np.random.default_rng(p["seed"]).permutation(len(X))
    hold, fit = order[:p["mlp_holdout"]], order[p["mlp_holdout"]:]
    best = {eta: min(train_mlp(p, eta, p["seed"], X[fit], Y[fit], X[hold], Y[hold])[1]
                     .history["test_loss"]) for eta in p["mlp_etas"]}
    return min(best, key=best.get), best


class Snapshot(Callback):
    """At the end of epoch ``epoch``: the model's answers on ``X`` and a copy of its
    parameters (a longer run passes through the lesson's network on its way)."""

    def __init__(self, epoch: int, X: np.ndarray) -> None:
        self.epoch, self.X = epoch, X
        self.pred: np.ndarray | None = None
        self.params: dict[str, np.ndarray] = {}

    def on_train_begin(self, state) -> None:
        self.on_epoch_end(state)

    def on_epoch_end(self, state) -> None:
        if state.epoch == self.epoch:
            self.pred = np.concatenate([state.model.predict(self.X[i:i + 100])
                                        for i in range(0, len(self.X), 100)]).argmax(axis=1)
            self.params = {k: v.copy() for k, v in state.model.params().items()}


def compute(p: Params) -> dict:
    """The CNN and the MLP for each of ``seeds`` seeds; the first seed's CNN after
    ``epochs`` epochs is the lesson's network (confusion matrix, filters, ``cnns/inside``)."""
    X, Y, X_test, Y_test = data.digits(images=True)
    flat, flat_test = X.reshape(len(X), -1), X_test.reshape(len(X_test), -1)
    mlp_eta, tuning = tune_mlp_eta(p, flat, Y)
    runs = {"cnn": [], "mlp": []}
    lesson = Snapshot(p["epochs"], X_test)
    for i in range(p["seeds"]):
        seed = p["seed"] + i
        cnn_curves = Curves(X, Y, X_test, Y_test)
        # The same network and recipe as train_cnn, trained on to cnn_epochs: its first
        # `epochs` epochs are exactly the lesson's training (the epochs do not change them).
        cnn = train_cnn({**p, "seed": seed, "epochs": max(p["cnn_epochs"], p["epochs"])},
                        callbacks=(cnn_curves, lesson) if i == 0 else (cnn_curves,))
        mlp, mlp_curves = train_mlp(p, mlp_eta, seed + 1, flat, Y, flat_test, Y_test)
        runs["cnn"].append(cnn_curves.history)
        runs["mlp"].append(mlp_curves.history)
    curves = {net: {k: np.array([h[k] for h in hs]) for k in hs[0]} for net, hs in runs.items()}
    true = Y_test.argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (true, lesson.pred), 1)
    at = p["epochs"]
    out = {
        "cnn": curves["cnn"], "mlp": curves["mlp"], "confusion": confusion,
        "filters": lesson.params["conv1/W"],
        # The lesson's network (the first seed after `epochs` epochs), as the matrix shows it.
        "cnn_test_accuracy": float(curves["cnn"]["test_accuracy"][0, at]),
        "cnn_train_accuracy": float(curves["cnn"]["accuracy"][0, at]),
        "cnn_params": cnn.n_params(), "mlp_params": mlp.n_params(),
        "n_errors": int(confusion.sum() - np.trace(confusion)),
        "n_train": len(X), "n_test": len(X_test), "image_side": X.shape[-1],
        **{k: p[k] for k in ("epochs", "batch_size", "eta", "mu", "hidden", "kernel", "pool",
                             "cnn_epochs", "mlp_epochs", "mlp_holdout")},
        "cnn_seeds": p["seeds"], "mlp_eta": mlp_eta, "mlp_tuning": tuning,
        "mlp_eta_low": min(p["mlp_etas"]), "mlp_eta_high": max(p["mlp_etas"]),
        "n_pixels": flat.shape[1], **architecture(cnn, X.shape[1:]),
        # Exercise: the same network without padding (built, never trained).
        **{f"nopad_{k}": v for k, v in
           architecture(build_cnn(p, np.random.default_rng(0), padding=0), X.shape[1:]).items()},
    }
    for net in ("cnn", "mlp"):
        c = curves[net]
        for name, values in (("test", c["test_accuracy"][:, -1]), ("train", c["accuracy"][:, -1]),
                             ("test_cost", c["test_loss"][:, -1])):
            out[f"{net}_{name}_mean"], out[f"{net}_{name}_sd"] = mean_sd(values)
        # Converged: the epoch of the lowest test cost, and how much lower it was than at the end.
        best = c["test_loss"].argmin(axis=1)
        out[f"{net}_best_epoch_mean"], out[f"{net}_best_epoch_sd"] = mean_sd(best)
        out[f"{net}_best_epoch_max"] = int(best.max())
        out[f"{net}_last_gain"] = float(np.mean(c["test_loss"][:, -1] - c["test_loss"].min(axis=1)))
    # Stopped after the lesson's `epochs` epochs, as the single-seed comparison used to be.
    for net in ("cnn", "mlp"):
        out[f"{net}_test_early_mean"], out[f"{net}_test_early_sd"] = mean_sd(
            curves[net]["test_accuracy"][:, p["epochs"]])
    out["accuracy_gap_mean"], out["accuracy_gap_sd"] = mean_sd(
        curves["cnn"]["test_accuracy"][:, -1] - curves["mlp"]["test_accuracy"][:, -1])
    out["cnn_worst_test"] = float(curves["cnn"]["test_accuracy"][:, -1].min())
    out["mlp_best_test"] = float(curves["mlp"]["test_accuracy"][:, -1].max())
    return out


def draw_curves(d: dict, p: Params, theme) -> object:
    from matplotlib.ticker import MaxNLocator, MultipleLocator, PercentFormatter

    # Cost and accuracy side by side; on a phone one above the other.
    fig, (ax_c, ax_a) = subplots(theme, 2, height=3.0, narrow_height=2.6, layout="constrained")
    low = 1.0
    for key, label, color in (("cnn", "CNN", theme.palette[0]), ("mlp", "MLP", theme.palette[1])):
        h = d[key]
        x = h["epochs"][0]
        for split, ls, lw in (("", "--", 1.4), ("test_", "-", 2.0)):
            name = f"{label} {'test' if split else 'training'}"
            for ax, metric, start in ((ax_c, "loss", 0), (ax_a, "accuracy", 1)):
                runs = h[f"{split}{metric}"][:, start:]
                mean = runs.mean(axis=0)
                if split:  # the band: one standard deviation over the seeds, test curves only
                    sd = runs.std(axis=0, ddof=1)
                    ax.fill_between(x[start:], mean - sd, mean + sd, color=color, alpha=0.25, lw=0)
                ax.plot(x[start:], mean, color=color, ls=ls, lw=lw, label=name)
            low = min(low, h[f"{split}accuracy"][:, 1:].mean(axis=0).min())
    ax_c.set(yscale="log", ylabel="cross-entropy cost\n(logarithmic scale)")
    ax_a.set_ylabel(f"accuracy, mean of {d['cnn_seeds']} seeds\n(axis not from 0)")
    ax_a.set_ylim(np.floor(low * 20) / 20, 1.0)
    ax_a.yaxis.set_major_locator(MultipleLocator(0.05 if theme.narrow else 0.02))
    ax_a.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for ax in (ax_c, ax_a):
        ax.set_xlabel("epoch")
        ax.set_xlim(0, max(d["cnn_epochs"], d["mlp_epochs"]))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5 if theme.narrow else 10, integer=True))
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
            "cnn_epochs": Param(20, "epochs of the CNNs compared with the MLP (the lesson's is the first at `epochs`)", min=1),
            "seeds": Param(6, "seeds (seed, seed + 1, ...) each network is trained with; the first CNN is the lesson's", min=2),
            "hidden": Param(30, "sigmoid hidden units of the MLP compared with the CNN", min=1),
            "mlp_epochs": Param(40, "training epochs of the MLP (enough for its test cost to stop "
                                    "improving)", min=1),
            "mlp_etas": Param((0.03, 0.1, 0.3, 1.0), "learning rates η tried for the MLP; it "
                              "gets the best on held-out training digits", min=1e-6),
            "mlp_holdout": Param(270, "training digits held out to choose the MLP's η",
                                 min=1, max=1000)},
    results=("cnn_test_accuracy", "cnn_train_accuracy", *STATS, "cnn_best_epoch_max",
             "mlp_best_epoch_max", "cnn_seeds", "mlp_eta", "mlp_eta_low", "mlp_eta_high",
             "cnn_epochs", "mlp_epochs", "mlp_holdout", "cnn_worst_test", "mlp_best_test",
             "cnn_params", "mlp_params", "n_errors", "n_train", "n_test", "image_side",
             "epochs", "batch_size", "eta", "mu", "hidden", "kernel", "pool", "n_pixels") + ARCH + NOPAD,
    figures=(
        Figure(
            "curves", draw_curves,
            caption=(
                "Learning curves of the CNN (blue) and the MLP (orange): cost and accuracy "
                "after every epoch, on the training images (dashed) and the test images "
                "(solid), the mean over several seeds with a band of one standard deviation "
                "on the test curves. Each network trains until its test cost stops falling, "
                "the MLP with its own learning rate and for more epochs. The cost "
                "axis is logarithmic and the accuracy axis does not start at zero (epoch 0, "
                "before training, is left off it). Compare the two solid accuracy curves at "
                "their ends: they finish level, inside each other's bands."
            ),
            alt=(
                "Two line charts against epoch, the CNN's curves ending at epoch 20 and the "
                "MLP's at epoch 40. First: cross-entropy cost on a logarithmic axis; both "
                "training costs keep falling towards 0.001, both test costs level off near "
                "0.07, the CNN's a few epochs earlier. Second: accuracy from epoch 1; both "
                "training curves reach 100 percent, both test curves level off near 98 "
                "percent with overlapping bands."
            ),
        ),
        Figure(
            "confusion", draw_confusion,
            caption=(
                "Confusion matrix of the lesson's trained CNN (the first seed) on the test "
                "images: row = the true "
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
