"""Saturated units and per-layer gradients while a deeper network trains, sigmoid against ReLU.

Compute: for each of ``seeds`` seeds (seed, seed + 1, ...; initial weights and minibatch
order), two networks [64, 30, 30, 30, 10] on the digits, one with sigmoid hidden units,
one with ReLU hidden units (softmax output, cross-entropy, minibatch gradient descent).
After every epoch: the hidden activations of the test digits, pooled over the three
hidden layers, as a histogram at the shown epochs (pooled over the seeds too) and as the
fraction of flat units (sigmoid: saturated as ``generators/neurons/saturation.py`` defines
it, a < 0.05 or a > 0.95; ReLU: a = 0, where ReLU'(z) = 0).
After every step: ||dC/dW^(l)|| of each layer (``GradientNorms(every="step")``), summarised
per epoch by its median over that epoch's steps.
Every number the page compares is quoted as mean and standard deviation over the seeds
(results <name> and <name>_sd); ``per_seed`` keeps each seed's value for the tests.
Draw: the histograms; per layer, the mean over the seeds of the per-epoch median gradient
norm with a band of ± one standard deviation.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.inner_workings import band, hidden_activations, mean_sd, mlp, seed_list
from generators.layout import subplots
from generators.neurons import saturation
from generators.nn import CrossEntropy, GradientDescent, GradientNorms, Record, accuracy, data, train

KINDS = ("sigmoid", "ReLU")


def flat_fraction(kind: str, a: np.ndarray) -> float:
    """Fraction of activations where f'(z) is (nearly) zero: the unit barely learns there."""
    return float(np.mean(saturation.saturated(a)) if kind == "sigmoid" else np.mean(a <= 0.0))


def run(kind: str, seed: int, p: Params, X, Y, X_test, Y_test) -> dict:
    """Train one network from ``seed``; activations per epoch, gradient norms per step."""
    rng = np.random.default_rng(seed)
    model = mlp((64,) + (p["width"],) * p["hidden_layers"] + (10,), kind, rng)
    acts = Record(lambda s: np.concatenate(hidden_activations(s.model, X_test), axis=1))
    norms = GradientNorms(every="step")
    acc = Record(lambda s: accuracy(s.model, X_test, Y_test))
    before = np.concatenate(hidden_activations(model, X_test), axis=1)
    train(model, X, Y, cost=CrossEntropy(), optimizer=GradientDescent(eta=p[f"eta_{kind.lower()}"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=[acts, norms, acc])
    per_epoch = [before] + acts.values                               # index = epoch
    steps = np.array(list(norms.norms.values()))                      # (layers, epochs * steps)
    steps = steps.reshape(len(steps), p["epochs"], -1)
    return {"shown": [per_epoch[e] for e in p["hist_epochs"]],
            "flat": np.array([flat_fraction(kind, a) for a in per_epoch]),
            "median": np.median(steps, axis=2),                       # (layers, epochs)
            "accuracy": np.array(acc.values)}                         # test, after each epoch


def pool(kind: str, runs: list[dict], p: Params) -> dict:
    """One kind's runs over the seeds: histograms of the pooled activations, per-seed curves."""
    shown = [np.concatenate([r["shown"][i] for r in runs]) for i in range(len(p["hist_epochs"]))]
    top = 1.0 if kind == "sigmoid" else max(np.percentile(a, 99.5) for a in shown)
    edges = np.linspace(0.0, top, p["bins"] + 1)
    hists = []
    for a_all in shown:
        a = a_all.ravel()
        a = a if kind == "sigmoid" else a[a > 0]                      # ReLU's zeros: a fraction apart
        hists.append(np.histogram(np.minimum(a, top), bins=edges)[0] / a_all.size)
    median = np.array([r["median"] for r in runs])                    # (seeds, layers, epochs)
    return {"edges": edges, "hists": np.array(hists),
            "flat": np.array([r["flat"] for r in runs]),              # (seeds, epochs + 1)
            "median": median,
            # how much smaller the first layer's gradient is than the last's, in epoch 1
            "grad_ratio": median[:, -1, 0] / median[:, 0, 0],
            "accuracy": np.array([r["accuracy"] for r in runs])}          # (seeds, epochs)


# Quoted as mean and standard deviation over the seeds: result <name> and <name>_sd.
STATS = ("deep_sigmoid_accuracy", "deep_relu_accuracy", "sigmoid_flat_start", "sigmoid_flat_end",
         "relu_flat_start", "relu_flat_end", "sigmoid_grad_ratio", "relu_grad_ratio")


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    seeds = seed_list(p)
    runs = {kind: pool(kind, [run(kind, s, p, X, Y, X_test, Y_test) for s in seeds], p)
            for kind in KINDS}
    sig, relu = runs["sigmoid"], runs["ReLU"]
    last = p["accuracy_epochs"]          # the test accuracy jumps from epoch to epoch: average it
    per_seed = {
        "deep_sigmoid_accuracy": sig["accuracy"][:, -last:].mean(axis=1),
        "deep_relu_accuracy": relu["accuracy"][:, -last:].mean(axis=1),
        "sigmoid_flat_start": sig["flat"][:, 0], "sigmoid_flat_end": sig["flat"][:, -1],
        "relu_flat_start": relu["flat"][:, 0], "relu_flat_end": relu["flat"][:, -1],
        "sigmoid_grad_ratio": sig["grad_ratio"], "relu_grad_ratio": relu["grad_ratio"],
    }
    out = {
        "runs": runs, "hist_epochs": tuple(p["hist_epochs"]), "epochs": p["epochs"],
        "per_seed": per_seed, "deep_seeds": len(seeds),
        "n_relu_more_accurate": int(np.sum(per_seed["deep_relu_accuracy"]
                                           > per_seed["deep_sigmoid_accuracy"])),
        "accuracy_epochs": last,
        # the largest fall of the test accuracy from one epoch to the next, in any run
        "deep_accuracy_drop": float(max(np.max(-np.diff(r["accuracy"], axis=1))
                                        for r in runs.values())),
        "n_weight_layers": p["hidden_layers"] + 1, "deep_epochs": p["epochs"],
        "eta_sigmoid": p["eta_sigmoid"], "eta_relu": p["eta_relu"],
        "sat_low": saturation.LOW, "sat_high": saturation.HIGH,
        "sat_slope": saturation.max_slope(),
    }
    for name in STATS:
        out[name], out[f"{name}_sd"] = mean_sd(per_seed[name])
    return out


def draw_saturation(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    # Sigmoid and ReLU side by side; on a phone one above the other (generators/layout.py).
    fig, axes = subplots(theme, 2, height=3.2, narrow_height=2.9, layout="constrained")
    for ax, kind in zip(axes, KINDS):
        r = d["runs"][kind]
        what = "saturated" if kind == "sigmoid" else "at 0"
        for i, e in enumerate(d["hist_epochs"]):
            ax.stairs(r["hists"][i], r["edges"], color=theme.palette[i], lw=1.6,
                      label=f"epoch {e}: {r['flat'][:, e].mean():.0%} {what}")
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
        med = d["runs"][kind]["median"]                              # (seeds, layers, epochs)
        for l in range(med.shape[1]):
            band(ax, epochs, med[:, l], theme.palette[l % len(theme.palette)], log=True,
                 label=f"$W^{{({l + 1})}}$")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(decade_label)
        ax.yaxis.set_minor_formatter(plt.NullFormatter())           # unlabelled minor ticks
        ax.set_title(f"{kind} hidden units")
        ax.set_xlabel("epoch")
        ax.set_xlim(1, d["epochs"])
    for ax in axes[:1] if not theme.narrow else axes:               # stacked: each needs its label
        ax.set_ylabel(r"median $\|\partial C / \partial W^{(l)}\|$ (logarithmic)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=2 if theme.narrow else 4,
               frameon=False, fontsize=10)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "first random seed for the initial weights and the minibatch order",
                      min=0),
        "seeds": Param(5, "seeds: each trains both networks", min=2),
        "width": Param(30, "units in each hidden layer", min=1),
        "hidden_layers": Param(3, "hidden layers", min=1),
        "epochs": Param(20, "training epochs", min=1),
        "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
        "eta_sigmoid": Param(1.0, "learning rate η of the sigmoid network", min=1e-6),
        "eta_relu": Param(0.1, "learning rate η of the ReLU network", min=1e-6),
        "accuracy_epochs": Param(5, "the quoted test accuracy is its mean over this many last epochs",
                                 min=1),
        "hist_epochs": Param((0, 1, 5, 20),
                             "epochs whose activations are histogrammed (up to 6, each 0 to epochs)", min=0),
        "bins": Param(40, "histogram bins", min=1),
    },
    results=(*(f"{name}{sd}" for name in STATS for sd in ("", "_sd")),
             "deep_seeds", "n_relu_more_accurate", "accuracy_epochs", "deep_accuracy_drop",
             "n_weight_layers", "deep_epochs", "eta_sigmoid", "eta_relu",
             "sat_low", "sat_high", "sat_slope"),
    figures=(
        Figure(
            "saturation", draw_saturation,
            caption=(
                "Histograms of the hidden activations of all test digits, pooled over the "
                "hidden layers and over networks trained from several seeds, before "
                "training (epoch 0) and after several epochs. "
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
                "median of $\\|\\partial C / \\partial W^{(l)}\\|$ over the minibatch "
                "steps of each epoch, on a logarithmic axis; the line is its mean over several "
                "seeds, the band ± one standard deviation. Compare the spread of the lines "
                "at the first epochs: in the sigmoid network the layers far from the output "
                "get much smaller gradients; in the ReLU network the layers stay close."
            ),
            alt=(
                "Two line charts against epoch with a logarithmic vertical axis, four coloured "
                "lines with narrow shaded bands, one per weight matrix W1 to W4. First, sigmoid: "
                "the lines start far apart, W1 lowest, and come together after a few epochs. "
                "Second, ReLU: the four lines start together and fall slowly together."
            ),
        ),
    ),
)
