"""Saturated units and per-layer gradients while a deeper network trains, sigmoid against ReLU.

Compute: two networks [64, 30, 30, 30, 10] on the digits, one with sigmoid hidden units,
one with ReLU hidden units (softmax output, cross-entropy, minibatch gradient descent).
After every epoch: the hidden activations of the test digits, pooled over the three
hidden layers, as a histogram at the shown epochs and as the fraction of flat units
(sigmoid: saturated as ``generators/neurons/saturation.py`` defines it, a < 0.05 or
a > 0.95; ReLU: a = 0, where ReLU'(z) = 0).
After every step: ||dC/dW^(l)|| of each layer (``GradientNorms(every="step")``), summarised
per epoch by its quartiles over that epoch's steps.
Draw: the histograms; the gradient-norm bands (median and quartiles) per layer.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.inner_workings import hidden_activations, mlp
from generators.layout import subplots
from generators.neurons import saturation
from generators.nn import CrossEntropy, GradientDescent, GradientNorms, Record, accuracy, data, train

KINDS = ("sigmoid", "ReLU")


def flat_fraction(kind: str, a: np.ndarray) -> float:
    """Fraction of activations where f'(z) is (nearly) zero: the unit barely learns there."""
    return float(np.mean(saturation.saturated(a)) if kind == "sigmoid" else np.mean(a <= 0.0))


def run(kind: str, p: Params, X, Y, X_test, Y_test) -> dict:
    """Train one network; record activations per epoch and gradient norms per step."""
    rng = np.random.default_rng(p["seed"])
    model = mlp((64,) + (p["width"],) * p["hidden_layers"] + (10,), kind, rng)
    acts = Record(lambda s: np.concatenate(hidden_activations(s.model, X_test), axis=1))
    norms = GradientNorms(every="step")
    before = np.concatenate(hidden_activations(model, X_test), axis=1)
    train(model, X, Y, cost=CrossEntropy(), optimizer=GradientDescent(eta=p[f"eta_{kind.lower()}"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[acts, norms])
    per_epoch = [before] + acts.values                               # index = epoch
    top = 1.0 if kind == "sigmoid" else max(np.percentile(per_epoch[e], 99.5) for e in p["hist_epochs"])
    edges = np.linspace(0.0, top, p["bins"] + 1)
    hists = []
    for e in p["hist_epochs"]:
        a = per_epoch[e].ravel()
        a = a if kind == "sigmoid" else a[a > 0]                      # ReLU's zeros: a fraction apart
        hists.append(np.histogram(np.minimum(a, top), bins=edges)[0] / per_epoch[e].size)
    steps = np.array(list(norms.norms.values()))                      # (layers, epochs * steps)
    steps = steps.reshape(len(steps), p["epochs"], -1)
    return {"edges": edges, "hists": np.array(hists),
            "flat": np.array([flat_fraction(kind, a) for a in per_epoch]),
            "quartiles": np.percentile(steps, [25, 50, 75], axis=2),   # (3, layers, epochs)
            "accuracy": accuracy(model, X_test, Y_test)}


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    runs = {kind: run(kind, p, X, Y, X_test, Y_test) for kind in KINDS}
    med = {kind: r["quartiles"][1] for kind, r in runs.items()}
    return {
        "runs": runs, "hist_epochs": tuple(p["hist_epochs"]), "epochs": p["epochs"],
        "deep_sigmoid_accuracy": runs["sigmoid"]["accuracy"],
        "deep_relu_accuracy": runs["ReLU"]["accuracy"],
        "sigmoid_flat_start": runs["sigmoid"]["flat"][0], "sigmoid_flat_end": runs["sigmoid"]["flat"][-1],
        "relu_flat_start": runs["ReLU"]["flat"][0], "relu_flat_end": runs["ReLU"]["flat"][-1],
        # how much smaller the first layer's gradient is than the last's, in epoch 1
        "sigmoid_grad_ratio": float(med["sigmoid"][-1, 0] / med["sigmoid"][0, 0]),
        "relu_grad_ratio": float(med["ReLU"][-1, 0] / med["ReLU"][0, 0]),
        "n_weight_layers": p["hidden_layers"] + 1, "deep_epochs": p["epochs"],
        "eta_sigmoid": p["eta_sigmoid"], "eta_relu": p["eta_relu"],
        "sat_low": saturation.LOW, "sat_high": saturation.HIGH,
        "sat_slope": saturation.max_slope(),
    }


def draw_saturation(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Sigmoid and ReLU side by side; on a phone one above the other (generators/layout.py).
    fig, axes = subplots(theme, 2, height=3.2, narrow_height=2.9, layout="constrained")
    for ax, kind in zip(axes, KINDS):
        r = d["runs"][kind]
        what = "saturated" if kind == "sigmoid" else "at 0"
        for i, e in enumerate(d["hist_epochs"]):
            ax.stairs(r["hists"][i], r["edges"], color=theme.palette[i], lw=1.6,
                      label=f"epoch {e}: {r['flat'][e]:.0%} {what}")
        ax.set_title(f"{kind} hidden units")
        ax.set_xlabel("activation $a$" + (" (values > 0)" if kind == "ReLU" else ""))
        ax.set_xlim(r["edges"][0], r["edges"][-1])
        ax.set_ylim(0, 1.7 * r["hists"].max())                      # head room for the legend
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        ax.legend(frameon=False, fontsize=9, loc="upper center")
    for ax in axes[:1] if not theme.narrow else axes:               # stacked: each needs its label
        ax.set_ylabel("share of activations")
    return fig


def draw_gradients(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    from generators.style import decade_label

    fig, axes = subplots(theme, 2, height=3.6, narrow_height=2.9, sharey=True, layout="constrained")
    epochs = np.arange(1, d["epochs"] + 1)
    for ax, kind in zip(axes, KINDS):
        q = d["runs"][kind]["quartiles"]
        for l in range(q.shape[1]):
            color = theme.palette[l % len(theme.palette)]
            ax.fill_between(epochs, q[0, l], q[2, l], color=color, alpha=0.2, lw=0)
            ax.plot(epochs, q[1, l], color=color, label=f"$W^{{({l + 1})}}$")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(decade_label)
        ax.yaxis.set_minor_formatter(plt.NullFormatter())           # unlabelled minor ticks
        ax.set_title(f"{kind} hidden units")
        ax.set_xlabel("epoch")
        ax.set_xlim(1, d["epochs"])
    for ax in axes[:1] if not theme.narrow else axes:               # stacked: each needs its label
        ax.set_ylabel(r"$\|\partial C / \partial W^{(l)}\|$ (logarithmic)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=2 if theme.narrow else 4,
               frameon=False, fontsize=10)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights and the minibatch order", min=0),
        "width": Param(30, "units in each hidden layer", min=1),
        "hidden_layers": Param(3, "hidden layers", min=1),
        "epochs": Param(20, "training epochs", min=1),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "eta_sigmoid": Param(1.0, "learning rate η of the sigmoid network", min=1e-6),
        "eta_relu": Param(0.1, "learning rate η of the ReLU network", min=1e-6),
        "hist_epochs": Param((0, 1, 5, 20),
                             "epochs whose activations are histogrammed (up to 6, each 0 to epochs)", min=0),
        "bins": Param(40, "histogram bins", min=1),
    },
    results=("deep_sigmoid_accuracy", "deep_relu_accuracy", "sigmoid_flat_start",
             "sigmoid_flat_end", "relu_flat_start", "relu_flat_end", "sigmoid_grad_ratio",
             "relu_grad_ratio", "n_weight_layers", "deep_epochs", "eta_sigmoid", "eta_relu",
             "sat_low", "sat_high", "sat_slope"),
    figures=(
        Figure(
            "saturation", draw_saturation,
            caption=(
                "Histograms of the hidden activations of all test digits, pooled over the "
                "hidden layers, before training (epoch 0) and after several epochs. "
                "Sigmoid units start bunched around $a = 1/2$ and spread out towards "
                "0 and 1, where $\\sigma'$ is nearly zero; the legend gives the share of "
                "saturated activations, below 0.05 or above 0.95. ReLU units have no such ceiling; "
                "the legend gives the share that are exactly 0, which is drawn apart (values "
                "beyond the axis are counted in the last bin)."
            ),
            alt=(
                "Two panels of step histograms, four curves each for four epochs. First, "
                "sigmoid: the epoch-0 curve is a narrow peak in the middle of the range 0 to "
                "1; later curves grow tall bars near 0 and near 1. Second, ReLU: all curves "
                "fall from a maximum near 0 to a long tail of larger activations that "
                "stretches further in later epochs."
            ),
        ),
        Figure(
            "gradient-bands", draw_gradients,
            caption=(
                "Gradient aggregates during training: for each weight matrix $W^{(l)}$, the "
                "median (line) and the middle half (band, from the first to the third "
                "quartile) of $\\|\\partial C / \\partial W^{(l)}\\|$ over the minibatch "
                "steps of each epoch, on a logarithmic axis. Compare the spread of the lines "
                "at the first epochs: in the sigmoid network the layers far from the output "
                "get much smaller gradients; in the ReLU network the layers stay close."
            ),
            alt=(
                "Two line charts against epoch with a logarithmic vertical axis, four coloured "
                "lines with shaded bands each, one per weight matrix W1 to W4. First, sigmoid: "
                "the lines start far apart, W1 lowest, and come together after a few epochs. "
                "Second, ReLU: the four lines start together and fall slowly together."
            ),
        ),
    ),
)
