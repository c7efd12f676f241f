"""More hidden units, better fits: networks 1 -> k tanh units -> 1 linear output fit a wave.

Compute: n points of the target y = sin(2 pi x) on [-1, 1]; for each of ``seeds`` seeds and
each width k, a network trained by full-batch gradient descent on the quadratic cost from a
few random starts, keeping the start that ends with the lowest cost (gradient descent can
stall in a poor valley; restarts make the comparison between widths about width, not
luck). Every start's final cost is kept too, so the page can say how often one stalls (ends no
lower than the best one-unit network).
Results are means and standard deviations over the seeds of the kept (best) costs, the
number of seeds in which the cost falls with every doubling of the width, and the smallest
ratio narrowest / widest over the seeds. The networks drawn are those of the representative
seed: the one whose costs lie closest to the median costs (on a logarithmic scale).
Draw: the representative seed's fits, one panel per width; the cost curves (mean over the
seeds with a band of ± one standard deviation) and the final cost per width (mean with
error bars of ± one standard deviation, and one thin line per seed).
"""

from __future__ import annotations

import math

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import NARROW_WIDTH, subplots
from generators.nn import Dense, GradientDescent, QuadraticCost, Sequential, Tanh, train
from generators.sgd import spread
from generators.style import decade_label


def target(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


def fit(k: int, x: np.ndarray, y: np.ndarray, p: Params, rng: np.random.Generator) -> dict:
    """Best of ``p["restarts"]`` runs of a 1-k-1 network: curve and costs, and every start's cost."""
    best = None
    starts = []
    for _ in range(p["restarts"]):
        model = Sequential([Dense(1, k, init="normal", bias="normal"), Tanh(), Dense(k, 1)], rng=rng)
        history = train(model, x, y, cost=QuadraticCost(), optimizer=GradientDescent(eta=p["eta"]),
                        epochs=p["epochs"], on_divergence="record")
        starts.append(math.inf if history.diverged else QuadraticCost()(model.predict(x), y))
        if not history.diverged and (best is None or history.loss[-1] < best[1].loss[-1]):
            best = (model, history)
    if best is None:
        raise ValueError(f"every run of width {k} diverged: lower eta ({p['eta']})")
    model, history = best
    grid = np.linspace(-1, 1, 301)[:, None]
    final = QuadraticCost()(model.predict(x), y)
    return {"k": k, "curve": model.predict(grid)[:, 0], "loss": np.array(history.loss),
            "final_cost": final, "starts": np.array(starts)}


def representative(costs: np.ndarray) -> int:
    """The seed (row of ``costs: (seeds, widths)``) closest to the median costs, in log10."""
    logs = np.log10(costs)
    return int(np.argmin(np.abs(logs - np.median(logs, axis=0)).sum(axis=1)))


def lower_edge(runs: np.ndarray) -> np.ndarray:
    """Mean - one sd over the seeds (axis 0), never below the lowest seed's value.

    On a logarithmic axis mean - sd can come close to zero (or below) where one seed lags
    far behind the others, and the band would plunge to a value no seed reached.
    """
    return np.maximum(runs.mean(axis=0) - runs.std(axis=0, ddof=1), runs.min(axis=0))


def compute(p: Params) -> dict:
    x = np.linspace(-1, 1, p["n_points"])[:, None]
    y = target(x)
    runs = []
    for s in range(p["seeds"]):
        rng = np.random.default_rng([p["seed"], s])
        runs.append([fit(k, x, y, p, rng) for k in p["widths"]])
    costs = np.array([[f["final_cost"] for f in fits] for fits in runs])    # (seeds, widths)
    starts = np.array([[f["starts"] for f in fits] for fits in runs])      # (seeds, widths, restarts)
    shown = representative(costs)
    fits = runs[shown]
    out = {
        "x": x[:, 0], "y": y[:, 0], "grid": np.linspace(-1, 1, 301), "fits": fits,
        "widths": np.array([f["k"] for f in fits]), "costs": costs, "starts": starts,
        "losses": np.array([[f["loss"] for f in fits] for fits in runs]),  # (seeds, widths, epochs)
        "shown_seed": shown,
        "fit_width_min": fits[0]["k"], "fit_width_max": fits[-1]["k"],
        "fit_n_points": p["n_points"], "fit_epochs": p["epochs"], "fit_eta": p["eta"],
        "fit_restarts": p["restarts"], "fit_seeds": p["seeds"],
        # in how many seeds the cost fell with every doubling of the width
        "fit_seeds_ordered": int(np.sum(np.all(np.diff(costs, axis=1) < 0, axis=1))),
        # the narrowest network's cost over the widest's, in the seed where it is smallest
        "fit_ratio_min": float(np.min(costs[:, 0] / costs[:, -1])),
        "fit_starts": p["seeds"] * p["restarts"],
    }
    # the widest network some of whose single starts stalled: ended no lower than the best
    # one-unit network of any seed (0 and 0 when no network wider than the first stalled)
    stalled = np.sum(starts >= costs[:, 0].min(), axis=(0, 2))              # per width
    wide = [i for i in range(1, len(fits)) if stalled[i] > 0]
    out["fit_stall_width"] = int(fits[wide[-1]]["k"]) if wide else 0
    out["fit_starts_stalled"] = int(stalled[wide[-1]]) if wide else 0
    for name, column in (("fit_cost_min_width", costs[:, 0]), ("fit_cost_max_width", costs[:, -1])):
        out[name], out[f"{name}_sd"] = spread(column)
    return out


def draw_fits(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt

    n = len(d["fits"])
    # A 2-column grid on desktops; on a phone one column, as each wave needs the width.
    cols = 1 if theme.narrow else 2
    rows = math.ceil(n / cols)
    size = (NARROW_WIDTH, 1.85 * rows + 0.9) if theme.narrow else (7.0, 2.3 * rows + 0.2)
    fig, axes = plt.subplots(rows, cols, figsize=size, sharex=True, sharey=True,
                             layout="constrained", squeeze=False)
    g = d["grid"]
    for ax, f in zip(axes.ravel(), d["fits"]):
        ax.plot(g, target(g), color=theme.fg, lw=1.2, ls="--", label="target $\\sin(2\\pi x)$")
        ax.plot(d["x"], d["y"], "o", ms=3.5, color=theme.fg, mfc=theme.bg, mew=0.9,
                label="training points")
        ax.plot(g, f["curve"], color=theme.palette[0], lw=2.2, label="network $h_{W,b}(x)$")
        unit = "unit" if f["k"] == 1 else "units"
        ax.set_title(f"{f['k']} hidden {unit}: $C$ = {f['final_cost']:.3g}", fontsize=11)
        ax.axhline(0, color=theme.grid, lw=0.8, zorder=0)
        ax.set_ylim(-1.6, 1.6)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("$x$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$y$")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=1 if theme.narrow else 2,
               frameon=False, fontsize=10)
    return fig


def draw_costs(d: dict, p: Params, theme) -> object:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import (FixedLocator, FuncFormatter, MultipleLocator, NullFormatter,
                                   ScalarFormatter)

    # Side by side on desktops (the curves wider), one above the other on a phone.
    ratios = {} if theme.narrow else {"gridspec_kw": {"width_ratios": [1.6, 1]}}
    fig, (ax, ax_k) = subplots(theme, 2, height=2.9, narrow_height=2.7, layout="constrained",
                               **ratios)
    epochs = np.arange(1, d["losses"].shape[2] + 1)
    for i, k in enumerate(d["widths"]):
        runs, color = d["losses"][:, i], theme.palette[i % len(theme.palette)]
        mean = runs.mean(axis=0)
        ax.fill_between(epochs, lower_edge(runs), mean + runs.std(axis=0, ddof=1), color=color,
                        alpha=0.25, lw=0)
        ax.plot(epochs, mean, color=color, lw=1.8, label=f"{k} hidden unit" + ("s" if k > 1 else ""))
    for a in (ax, ax_k):
        a.set_yscale("log")
        a.yaxis.set_major_formatter(FuncFormatter(decade_label))
        a.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost $C$ (logarithmic)")
    if theme.narrow:  # above both panels: the curves fill the lower left of a narrow plot
        fig.legend(*ax.get_legend_handles_labels(), loc="outside upper center", ncols=2,
                   frameon=False, fontsize=9)
        ax.xaxis.set_major_locator(MultipleLocator(1000))
    else:
        ax.legend(frameon=False, fontsize=9, loc="lower left")
    ks, costs = d["widths"], d["costs"]
    for row in costs:  # one thin line per seed: does the cost fall with every doubling?
        ax_k.plot(ks, row, color=theme.muted, lw=0.8, alpha=0.7, zorder=1)
    mean, sd = costs.mean(axis=0), costs.std(axis=0, ddof=1)
    low = lower_edge(costs)
    for i, k in enumerate(ks):
        ax_k.errorbar(k, mean[i], yerr=[[mean[i] - low[i]], [sd[i]]], fmt="o", ms=7, capsize=4,
                      lw=1.4, color=theme.palette[i % len(theme.palette)], zorder=2)
    ax_k.set_xscale("log", base=2)
    ax_k.xaxis.set_major_locator(FixedLocator(ks))
    ax_k.xaxis.set_major_formatter(ScalarFormatter())
    ax_k.xaxis.set_minor_locator(FixedLocator([]))
    ax_k.set_xlabel("hidden units (logarithmic)")
    ax_k.set_ylabel("final cost $C$ (logarithmic)")
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights; seed s of the comparison draws "
                      "from [seed, s]", min=0),
        "seeds": Param(5, "seeds the comparison between widths is run over (each with its own "
                       "restarts)", min=2),
        "widths": Param((1, 2, 4, 8), "hidden units k of each network, one panel each", min=1),
        "n_points": Param(40, "training points on the wave, evenly spaced on [-1, 1]", min=2),
        "eta": Param(0.25, "learning rate η of full-batch gradient descent", min=1e-6),
        "epochs": Param(2500, "training epochs", min=1),
        "restarts": Param(3, "random starts per width (the lowest final cost is kept)", min=1),
    },
    results=("fit_width_min", "fit_width_max", "fit_cost_min_width", "fit_cost_max_width",
             "fit_cost_min_width_sd", "fit_cost_max_width_sd", "fit_seeds", "fit_seeds_ordered",
             "fit_ratio_min", "fit_starts", "fit_stall_width", "fit_starts_stalled",
             "fit_n_points", "fit_epochs", "fit_eta", "fit_restarts"),
    figures=(
        Figure(
            "width-fits", draw_fits,
            caption=(
                "Networks with one input, one hidden layer of tanh units and a linear output, "
                "each fitted to the same points. The output is "
                "$h_{W,b}(x) = \\sum_j W^{(2)}_{1j} a^{(2)}_j(x) + b^{(2)}_1$, a sum of one "
                "smooth tanh step per hidden unit. The networks drawn are those of one seed, the "
                "one whose final costs lie closest to the median over the seeds. Look at where each "
                "network fails: one step can follow a single slope of the wave, and every bend "
                "needs more steps."
            ),
            alt=(
                "A grid of four plots of y against x from -1 to 1, for 1, 2, 4 and 8 hidden "
                "units. Each shows a dashed sine wave with two full periods, the training "
                "points on it, and the network's curve. With one unit the network's curve is a single S-shaped step "
                "that misses most of the wave; with more units it follows the wave more "
                "closely, and with eight it lies on it."
            ),
        ),
        Figure(
            "width-costs", draw_costs,
            caption=(
                "First panel: the quadratic cost $C$ of each width at every epoch of training, "
                "the mean over the seeds with a band of ± one standard deviation. Second panel: "
                "the cost each width ends with, the mean with error bars of ± one standard "
                "deviation over the seeds, and one thin line per seed. Bands and bars stop at the "
                "lowest seed's cost where one standard deviation would reach below it. Both cost axes are "
                "logarithmic: every grid step down is a tenfold smaller cost. Look at the second "
                "panel: every seed's line falls with every doubling of the width, and the widest "
                "network ends far below the narrowest, because it has more steps to bend with."
            ),
            alt=(
                "Two panels. First: four falling cost curves against epoch on a logarithmic cost "
                "axis, one per width, each with a shaded band; the curves of wider networks end "
                "lower. Second: final cost against the number of hidden units, 1, 2, 4 and 8, on "
                "logarithmic axes: one point with an error bar per width and one thin line per "
                "seed, every line falling from left to right."
            ),
        ),
    ),
)
