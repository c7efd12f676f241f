"""How stable the classifiers' answers are when the input digits get a little noise.

Compute: the lesson's CNN (``generators.cnns``) and, for comparison, a [64, 30, 10]
sigmoid MLP, both trained on the digits. For each of ``seeds`` noise draws eps (one
standard normal number per pixel) and each noise level sigma, the noisy test digits
x + sigma * eps (not clipped to [0, 1]); on them, each network's accuracy and the mean
change |p_c(x + sigma eps) - p_c(x)| of the probability of the class c it gave the
clean digit. The same draws serve every sigma and both networks.
Draw: one test digit at every noise level with the CNN's answer; accuracy and mean
change against sigma (mean over the draws, band from the smallest to the largest).
"""

from __future__ import annotations

import numpy as np

from generators.attribution import CNN_PARAM_SPECS, cnn_params, predict, train_cnn
from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import CrossEntropy, Dense, GradientDescent, Sequential, Sigmoid, Softmax, data, train


def train_mlp(p: Params) -> Sequential:
    X, Y, _, _ = data.digits()
    rng = np.random.default_rng(p["seed"])
    model = Sequential([Dense(64, 30), Sigmoid(), Dense(30, 10), Softmax()], rng=rng)
    train(model, X, Y, cost=CrossEntropy(), optimizer=GradientDescent(eta=p["mlp_eta"]),
          epochs=p["mlp_epochs"], batch_size=10, rng=rng)
    return model


def stability(probs_of, X: np.ndarray, Y: np.ndarray, sigmas, seeds: int, seed: int) -> dict:
    """Accuracy and mean |change of p_c| per (draw, sigma) for ``probs_of(images)``."""
    clean = probs_of(X)
    c = clean.argmax(axis=1)
    acc, change = np.zeros((seeds, len(sigmas))), np.zeros((seeds, len(sigmas)))
    for s in range(seeds):
        eps = np.random.default_rng([seed, s]).standard_normal(X.shape)
        for k, sigma in enumerate(sigmas):
            probs = probs_of(X + sigma * eps)
            acc[s, k] = np.mean(probs.argmax(axis=1) == Y.argmax(axis=1))
            change[s, k] = np.mean(np.abs(probs[np.arange(len(c)), c] - clean[np.arange(len(c)), c]))
    return {"accuracy": acc, "change": change}


def compute(p: Params) -> dict:
    _, _, X_test, Y_test = data.digits(images=True)
    cnn, mlp = train_cnn(cnn_params(p)), train_mlp(p)
    sigmas = np.array(p["sigmas"], dtype=float)
    nets = {"CNN": lambda X: predict(cnn, X), "MLP": lambda X: mlp.predict(X.reshape(len(X), -1))}
    runs = {name: stability(f, X_test, Y_test, sigmas, p["seeds"], p["seed"]) for name, f in nets.items()}
    i = int(np.flatnonzero(Y_test.argmax(axis=1) == p["example_class"])[0])
    eps = np.random.default_rng([p["seed"], 0]).standard_normal(X_test[i].shape)
    strip = np.array([X_test[i] + s * eps for s in sigmas])
    strip_probs = predict(cnn, strip)
    k = int(np.argmin(np.abs(sigmas - p["quoted_sigma"])))
    mean = {name: {m: r[m].mean(axis=0) for m in r} for name, r in runs.items()}
    return {
        "sigmas": sigmas, "runs": runs, "strip": strip[:, 0], "strip_pred": strip_probs.argmax(axis=1),
        "strip_p": strip_probs.max(axis=1), "example_class": p["example_class"],
        "seeds": p["seeds"], "quoted_sigma": float(sigmas[k]), "max_sigma": float(sigmas[-1]),
        "cnn_clean_accuracy": float(mean["CNN"]["accuracy"][0]),
        "mlp_clean_accuracy": float(mean["MLP"]["accuracy"][0]),
        "cnn_accuracy_quoted": float(mean["CNN"]["accuracy"][k]),
        "mlp_accuracy_quoted": float(mean["MLP"]["accuracy"][k]),
        "cnn_change_quoted": float(mean["CNN"]["change"][k]),
        "mlp_change_quoted": float(mean["MLP"]["change"][k]),
        "cnn_accuracy_max": float(mean["CNN"]["accuracy"][-1]),
        "mlp_accuracy_max": float(mean["MLP"]["accuracy"][-1]),
    }


def draw_strip(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = len(d["sigmas"])
    cols = min(n, 2 if theme.narrow else 4)                       # a phone: two to a row
    rows = -(-n // cols)
    size = (3.4, 1.35 * rows) if theme.narrow else (1.6 * cols + 0.4, 1.95 * rows)
    fig, axes = plt.subplots(rows, cols, figsize=size, layout="constrained", squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if k < n:
            ax.imshow(d["strip"][k], cmap="gray", vmin=0, vmax=1)
            pk = d["strip_p"][k]
            pk = ">99%" if pk >= 0.995 else f"{pk:.0%}"       # never round up to a certain 100%
            ax.set_title(f"$\\sigma$ = {d['sigmas'][k]:g}\nCNN: {d['strip_pred'][k]} ({pk})", fontsize=10)
    return fig


def draw_curves(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Two panels in a row; on a phone one above the other (generators/layout.py).
    fig, (ax_a, ax_c) = subplots(theme, 2, height=3.2, narrow_height=2.8, layout="constrained")
    s = d["sigmas"]
    for i, (name, r) in enumerate(d["runs"].items()):
        color, ls, marker = theme.palette[i], ("-", "--")[i % 2], ("o", "s")[i % 2]
        for ax, key in ((ax_a, "accuracy"), (ax_c, "change")):
            ax.fill_between(s, r[key].min(axis=0), r[key].max(axis=0), color=color, alpha=0.25, lw=0)
            ax.plot(s, r[key].mean(axis=0), color=color, ls=ls, marker=marker, ms=4, label=name)
    ax_a.set_ylabel("test accuracy")
    ax_a.set_ylim(0, 1.02)
    ax_c.set_ylabel("mean change of $p_c$")
    ax_c.set_ylim(bottom=0)
    for ax in (ax_a, ax_c):
        ax.set_xlabel("noise level $\\sigma$ (pixels lie in [0, 1])")
        ax.set_xlim(0, s[-1])
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax_a.legend(frameon=False, loc="lower left")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        **CNN_PARAM_SPECS,
        "mlp_eta": Param(0.5, "learning rate η of the MLP's minibatch gradient descent", min=1e-6),
        "mlp_epochs": Param(30, "training epochs of the MLP", min=1),
        "seeds": Param(5, "noise draws averaged at each noise level", min=1),
        "sigmas": Param((0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8),
                        "noise levels σ (std. dev. per pixel), rising from 0 (the clean digits)", min=0.0),
        "quoted_sigma": Param(0.2, "noise level quoted in the text (the nearest of sigmas)", min=0.0),
        "example_class": Param(2, "class of the test digit shown with growing noise", min=0, max=9),
    },
    results=("seeds", "quoted_sigma", "max_sigma", "cnn_clean_accuracy", "mlp_clean_accuracy",
             "cnn_accuracy_quoted", "mlp_accuracy_quoted", "cnn_change_quoted",
             "mlp_change_quoted", "cnn_accuracy_max", "mlp_accuracy_max"),
    figures=(
        Figure(
            "noisy-digit", draw_strip,
            caption=(
                "One test digit with Gaussian noise of growing standard deviation "
                "$\\sigma$ added to every pixel (the same noise pattern, scaled by "
                "$\\sigma$; drawn clipped to [0, 1]), with the CNN's answer and its "
                "probability above each image. Look for the noise level where you would "
                "start to hesitate, and compare it with where the network does."
            ),
            alt=(
                "Eight small images of the same handwritten digit in a grid, "
                "with more and more speckled grey noise from the first to the last. Each is "
                "titled with the noise level sigma and the CNN's answer and probability."
            ),
        ),
        Figure(
            "noise", draw_curves,
            caption=(
                "Stability under input noise, for the CNN and a fully connected network "
                "(MLP) trained on the same digits. First panel: test accuracy on noisy digits "
                "against the noise level $\\sigma$. Second panel: the mean change of the "
                "probability $p_c$ of the class each network gave the clean digit. Lines: "
                "mean over the noise draws; bands: from the smallest to the largest draw. "
                "Look at how quickly each curve leaves its value at $\\sigma = 0$."
            ),
            alt=(
                "Two line charts against the noise level sigma from 0 to its largest value, "
                "with a solid line for the CNN and a dashed line for the MLP, each with a "
                "narrow band. First: accuracy falls from near 100 percent as sigma grows. "
                "Second: the mean change of the probability rises from 0."
            ),
        ),
    ),
)
