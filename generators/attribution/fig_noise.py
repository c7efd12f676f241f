"""How stable the classifiers' answers are when the input digits get a little noise.

Compute: for each of ``seeds`` seeds, the lesson's CNN (``generators.cnns``) and, for
comparison, a [64, 30, 10] sigmoid MLP, both trained on the digits from that seed's
initial weights and minibatch order (seed ``seed`` + i; the first CNN is the one the
other figures on the page show). For each of ``draws`` noise draws eps (one standard
normal number per pixel) and each noise level s, the noisy test digits x + s * eps (not
clipped to [0, 1]); on them, each network's accuracy and the mean change
|p_c(x + s eps) - p_c(x)| of the probability of the class c it gave the clean digit,
averaged over the draws; and the mean length of the saliency dS_c/dx over the test
digits. Results: mean and standard deviation over the seeds.
The example digit is picked near the median: of all test digits, the one whose mean
probability of its true class under the first CNN, over the draws and the noise levels
above 0, is the median; of its draws, the median one by the same score.
Draw: that digit at every noise level with the CNN's answer; accuracy and mean change
against s (mean over the seeds, band ± one standard deviation).
"""

from __future__ import annotations

import numpy as np

from generators.attribution import CNN_PARAM_SPECS, cnn_params, predict, saliency, spread, train_cnn
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


def stability(probs_of, X: np.ndarray, Y: np.ndarray, levels, draws: int, seed) -> dict:
    """For ``probs_of(images)``, per (draw, noise level): accuracy, mean |change of p_c|,
    and each digit's probability of its true class ``p_true: (draws, levels, N)``."""
    clean = probs_of(X)
    rows, c, t = np.arange(len(X)), clean.argmax(axis=1), Y.argmax(axis=1)
    acc, change = np.zeros((draws, len(levels))), np.zeros((draws, len(levels)))
    p_true = np.zeros((draws, len(levels), len(X)))
    for r in range(draws):
        eps = np.random.default_rng([*np.atleast_1d(seed), r]).standard_normal(X.shape)
        for k, s in enumerate(levels):
            probs = probs_of(X + s * eps)
            acc[r, k] = np.mean(probs.argmax(axis=1) == t)
            change[r, k] = np.mean(np.abs(probs[rows, c] - clean[rows, c]))
            p_true[r, k] = probs[rows, t]
    return {"accuracy": acc, "change": change, "p_true": p_true}


def noise(p: Params, draw: int, shape: tuple) -> np.ndarray:
    """The noise draw ``draw`` of the first seed (the one the example strip uses)."""
    return np.random.default_rng([p["seed"], 0, draw]).standard_normal(shape)


def median_index(score: np.ndarray) -> int:
    """Index of the value nearest the median (the lower one of two equally near)."""
    return int(np.argmin(np.abs(score - np.median(score))))


def compute(p: Params) -> dict:
    _, _, X_test, Y_test = data.digits(images=True)
    levels = np.array(p["noise_levels"], dtype=float)
    runs = {"CNN": {"accuracy": [], "change": []}, "MLP": {"accuracy": [], "change": []}}
    grad = {"CNN": [], "MLP": []}   # per seed: mean length of dS_c/dx over the test digits
    for i in range(p["seeds"]):
        q = {**p, "seed": p["seed"] + i}
        cnn, mlp = train_cnn(cnn_params(q)), train_mlp(q)
        nets = {"CNN": lambda X, m=cnn: predict(m, X),
                "MLP": lambda X, m=mlp: m.predict(X.reshape(len(X), -1))}
        for name, m, x in (("CNN", cnn, X_test), ("MLP", mlp, X_test.reshape(len(X_test), -1))):
            g = saliency(m, x, nets[name](X_test).argmax(axis=1)).reshape(len(X_test), -1)
            grad[name].append(np.linalg.norm(g, axis=1).mean())
        for name, f in nets.items():
            r = stability(f, X_test, Y_test, levels, p["draws"], [p["seed"], i])
            for key in ("accuracy", "change"):
                runs[name][key].append(r[key].mean(axis=0))   # averaged over the draws
            if i == 0 and name == "CNN":
                first, shown_cnn = r, cnn
    runs = {name: {key: np.array(v) for key, v in r.items()} for name, r in runs.items()}
    # the example: the median test digit, and its median draw, by the mean p of its true class
    noisy = first["p_true"][:, levels > 0]                # (draws, noisy levels, N)
    digit = median_index(noisy.mean(axis=(0, 1)))
    draw = median_index(noisy[:, :, digit].mean(axis=1))
    strip = np.array([X_test[digit] + s * noise(p, draw, X_test[digit].shape) for s in levels])
    strip_probs = predict(shown_cnn, strip)
    k = int(np.argmin(np.abs(levels - p["quoted_noise"])))
    out = {
        "noise_levels": levels, "runs": runs, "strip": strip[:, 0],
        "strip_pred": strip_probs.argmax(axis=1), "strip_p": strip_probs.max(axis=1),
        "example_label": int(Y_test[digit].argmax()), "example_index": digit,
        "example_score": float(noisy[:, :, digit].mean()),
        "median_score": float(np.median(noisy.mean(axis=(0, 1)))),
        "network_seeds": p["seeds"], "draws": p["draws"],
        "quoted_noise": float(levels[k]), "max_noise": float(levels[-1]),
        # in how many seeds the MLP kept more accuracy than the CNN under the quoted noise,
        # and changed its p_c less
        "seeds_mlp_more_accurate": int(np.sum(runs["MLP"]["accuracy"][:, k] > runs["CNN"]["accuracy"][:, k])),
        "seeds_mlp_steadier": int(np.sum(runs["MLP"]["change"][:, k] < runs["CNN"]["change"][:, k])),
        "seeds_cnn_steeper": int(np.sum(np.array(grad["CNN"]) > np.array(grad["MLP"]))),
    }
    for name in ("CNN", "MLP"):
        out[f"{name.lower()}_gradient"], out[f"{name.lower()}_gradient_sd"] = spread(grad[name])
    for name in ("CNN", "MLP"):
        r, low = runs[name], name.lower()
        for key, values in (("clean_accuracy", r["accuracy"][:, 0]), ("accuracy_quoted", r["accuracy"][:, k]),
                            ("change_quoted", r["change"][:, k]), ("accuracy_max", r["accuracy"][:, -1])):
            out[f"{low}_{key}"], out[f"{low}_{key}_sd"] = spread(values)
    return out


def draw_strip(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = len(d["noise_levels"])
    cols = min(n, 2 if theme.narrow else 4)                       # a phone: two to a row
    rows = -(-n // cols)
    size = (3.4, 1.35 * rows) if theme.narrow else (1.6 * cols + 0.4, 1.95 * rows)
    fig, axes = plt.subplots(rows, cols, figsize=size, layout="constrained", squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if k < n:
            ax.imshow(d["strip"][k], cmap=theme.digits, vmin=0, vmax=1)
            pk = d["strip_p"][k]
            pk = ">99%" if pk >= 0.995 else f"{pk:.0%}"       # never round up to a certain 100%
            ax.set_title(f"$s$ = {d['noise_levels'][k]:g}\nCNN: {d['strip_pred'][k]} ({pk})", fontsize=10)
    return fig


def draw_curves(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Two panels in a row; on a phone one above the other (generators/layout.py).
    fig, (ax_a, ax_c) = subplots(theme, 2, height=3.2, narrow_height=2.8, layout="constrained")
    s = d["noise_levels"]
    for i, (name, r) in enumerate(d["runs"].items()):
        color, ls, marker = theme.palette[i], ("-", "--")[i % 2], ("o", "s")[i % 2]
        for ax, key in ((ax_a, "accuracy"), (ax_c, "change")):
            mean, sd = r[key].mean(axis=0), r[key].std(axis=0, ddof=1)
            ax.fill_between(s, mean - sd, mean + sd, color=color, alpha=0.25, lw=0)
            ax.plot(s, mean, color=color, ls=ls, marker=marker, ms=4, label=name)
    ax_a.set_ylabel("test accuracy")
    ax_a.set_ylim(0, 1.02)
    ax_c.set_ylabel("mean change of $p_c$")
    ax_c.set_ylim(bottom=0)
    for ax in (ax_a, ax_c):
        ax.set_xlabel("noise level $s$ (pixels lie in [0, 1])")
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
        "seeds": Param(5, "networks of each kind trained (seeds seed, seed + 1, ...) for the "
                       "comparison", min=2),
        "draws": Param(5, "noise draws averaged at each noise level, for each network", min=1),
        "noise_levels": Param((0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8),
                              "noise levels s (std. dev. per pixel), rising from 0 (the clean digits)",
                              min=0.0),
        "quoted_noise": Param(0.2, "noise level quoted in the text (the nearest of noise_levels)",
                              min=0.0),
    },
    results=("network_seeds", "draws", "quoted_noise", "max_noise", "example_label",
             "example_score", "median_score", "seeds_mlp_more_accurate", "seeds_mlp_steadier",
             "seeds_cnn_steeper", "cnn_gradient", "cnn_gradient_sd", "mlp_gradient", "mlp_gradient_sd")
    + tuple(f"{net}_{key}{sd}" for net in ("cnn", "mlp")
            for key in ("clean_accuracy", "accuracy_quoted", "change_quoted", "accuracy_max")
            for sd in ("", "_sd")),
    figures=(
        Figure(
            "noisy-digit", draw_strip,
            caption=(
                "One test digit with Gaussian noise of growing standard deviation "
                "$s$ added to every pixel (the same noise pattern, scaled by "
                "$s$; drawn clipped to [0, 1]), with the CNN's answer and its "
                "probability above each image. The digit is a typical one, not a "
                "hand-picked one: of all test digits, its mean probability of the true class "
                "over the noise draws and levels is the median. Look for the noise level where "
                "you would start to hesitate, and compare it with where the network does."
            ),
            alt=(
                "Eight small images of the same handwritten digit in a grid, "
                "with more and more speckled grey noise from the first to the last. Each is "
                "titled with the noise level s and the CNN's answer and probability."
            ),
        ),
        Figure(
            "noise", draw_curves,
            caption=(
                "Stability under input noise, for the CNN and a fully connected network "
                "(MLP) trained on the same digits. First panel: test accuracy on noisy digits "
                "against the noise level $s$. Second panel: the mean change of the "
                "probability $p_c$ of the class each network gave the clean digit. Lines: "
                "mean over networks trained from different seeds (each averaged over several "
                "noise draws); bands: ± one standard deviation over the seeds. "
                "Look at how quickly each curve leaves its value at $s = 0$."
            ),
            alt=(
                "Two line charts against the noise level s from 0 to its largest value, "
                "with a solid line for the CNN and a dashed line for the MLP, each with a "
                "band. First: accuracy falls from near 100 percent as s grows. "
                "Second: the mean change of the probability rises from 0."
            ),
        ),
    ),
)
