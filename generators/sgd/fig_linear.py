"""SGD on a two-parameter model: noisy paths over the cost's contours, and schedules.

Compute: ``n`` points (x, y) with y = 2x - 1 + noise, and the linear model
a = w x + b (``Sequential([Dense(1, 1)])``: two parameters, the layer's W holds w) with the
quadratic cost C(w, b) = 1/(2n) sum (w x + b - y)^2, whose minimum comes from least squares.
1. Paths: the same number of updates with the same eta from the same start, with the
   gradient of the whole set (full batch), of minibatches and of single examples;
   ``ParameterSnapshots`` records (w, b) after every update. Each is run for ``seeds``
   example orders; the figure shows the order whose single-example path has the median
   wiggle (path length / net distance), and the results give the wiggles' mean and sd.
2. Schedules: single-example SGD for ``epochs`` epochs with a constant eta, a step decay
   (halve every ``step_every`` epochs) and a 1/t decay eta0 / (1 + t / tau); a small
   ``Schedule`` callback sets ``state.optimizer.eta`` after each epoch; ``seeds`` example
   orders per schedule.
Draw: the paths over the contours of J; J - J_min (mean over the orders, band ± one
standard deviation) and eta against epochs.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import (Callback, Dense, GradientDescent, ParameterSnapshots, QuadraticCost,
                           Sequential, TrainState, train)
from generators.sgd import plain_log_ticks, spread


class Schedule(Callback):
    """Sets the learning rate after every epoch to ``rate(epoch)`` and records it."""

    def __init__(self, rate) -> None:
        self.rate = rate
        self.etas: list[float] = []

    def on_train_begin(self, state: TrainState) -> None:
        state.optimizer.eta = self.rate(0)
        self.etas.append(state.optimizer.eta)

    def on_epoch_end(self, state: TrainState) -> None:
        state.optimizer.eta = self.rate(state.epoch)
        self.etas.append(state.optimizer.eta)


def problem(p: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Data X: (n, 1), Y: (n, 1), the least-squares optimum (W*, b*) and C(W*, b*)."""
    rng = np.random.default_rng(p["seed"])
    X = rng.uniform(0, 2, (p["n"], 1))
    Y = 2 * X - 1 + p["noise"] * rng.standard_normal((p["n"], 1))
    A = np.column_stack([X[:, 0], np.ones(p["n"])])
    best = np.linalg.lstsq(A, Y[:, 0], rcond=None)[0]
    return X, Y, best, 0.5 * float(np.mean((A @ best - Y[:, 0]) ** 2))


def cost_of(Wb: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """C(W, b) = 1/(2n) sum (W x + b - y)^2 for each row (W, b) of ``Wb: (k, 2)``."""
    return 0.5 * np.mean((Wb[:, :1] * X[:, 0] + Wb[:, 1:] - Y[:, 0]) ** 2, axis=1)


def model_at(W: float, b: float) -> Sequential:
    layer = Dense(1, 1)
    layer.params = {"W": np.array([[W]]), "b": np.array([b])}
    return Sequential([layer])


def wiggle(path: np.ndarray) -> float:
    """How much a path turns: the sum of its step lengths over the net distance covered
    (1 for a straight path)."""
    return float(np.linalg.norm(np.diff(path, axis=0), axis=1).sum() / np.linalg.norm(path[-1] - path[0]))


def walk(p: Params, X: np.ndarray, Y: np.ndarray, batch: int | None, seed) -> np.ndarray:
    """(W, b) after every one of ``p["updates"]`` updates from ``p["start"]``, rows from the start."""
    n = len(X)
    model, snaps = model_at(*p["start"]), ParameterSnapshots("step")
    epochs = p["updates"] // (-(-n // (n if batch is None else batch)))
    train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=p["eta"]), epochs=epochs,
          batch_size=batch, rng=np.random.default_rng(seed), callbacks=[snaps])
    return np.array([[s["dense1/W"][0, 0], s["dense1/b"][0]] for s in snaps.snapshots])


def compute(p: Params) -> dict:
    X, Y, best, J_min = problem(p)
    n, cost = p["n"], QuadraticCost()
    batches = {"full": None, "mini": p["minibatch"], "single": 1}
    # every path for every example order (full batch: the same path each time)
    runs = {key: [walk(p, X, Y, batch, [p["seed"], 1, s]) for s in range(p["seeds"])]
            for key, batch in batches.items()}
    wiggles = {key: np.array([wiggle(path) for path in paths]) for key, paths in runs.items()}
    # the figure shows the example order whose single-example path has the median wiggle
    shown = int(np.argsort(wiggles["single"])[len(wiggles["single"]) // 2])
    paths = {key: r[shown] for key, r in runs.items()}
    every = np.vstack([*paths.values(), best])  # contours over a box holding every path
    lo, hi = every.min(axis=0) - 0.4, every.max(axis=0) + 0.4
    gw, gb = np.meshgrid(np.linspace(lo[0], hi[0], 121), np.linspace(lo[1], hi[1], 121))
    J = cost_of(np.column_stack([gw.ravel(), gb.ravel()]), X, Y).reshape(gw.shape)
    e0, s, tau = p["eta"], p["step_every"], p["tau"]
    rates = {"constant": lambda t: e0, "step decay": lambda t: e0 * 0.5 ** (t // s),
             "1/t decay": lambda t: e0 / (1 + t / tau)}
    schedules = {}
    for name, rate in rates.items():
        excess = []  # J after every step, averaged over each epoch, for each example order
        for run in range(p["seeds"]):
            model, sched = model_at(*p["start"]), Schedule(rate)
            snaps = ParameterSnapshots("step", initial=False)
            train(model, X, Y, cost=cost, optimizer=GradientDescent(eta=e0), epochs=p["epochs"],
                  batch_size=1, rng=np.random.default_rng([p["seed"], 2, run]),
                  callbacks=[sched, snaps])
            Wb = np.array([[s["dense1/W"][0, 0], s["dense1/b"][0]] for s in snaps.snapshots])
            excess.append(np.reshape(cost_of(Wb, X, Y), (p["epochs"], n)).mean(axis=1) - J_min)
        schedules[name] = {"eta": np.array(sched.etas), "excess": np.array(excess)}
    final = {k: v["excess"][:, -1] for k, v in schedules.items()}
    out = {
        "paths": paths, "grid": (gw, gb, J), "best": best, "schedules": schedules,
        "wiggles": wiggles, "shown_order": shown,
        "w_best": float(best[0]), "b_best": float(best[1]), "j_min": J_min,
        "linear_n": n, "linear_eta": e0, "path_updates": p["updates"],
        "linear_minibatch": p["minibatch"], "schedule_epochs": p["epochs"], "linear_seeds": p["seeds"],
        "step_every": s, "tau": tau,
        # in how many example orders each decaying schedule ended below the constant rate
        "seeds_step_below": int(np.sum(final["step decay"] < final["constant"])),
        "seeds_inverse_below": int(np.sum(final["1/t decay"] < final["constant"])),
    }
    for key, name in (("constant", "constant"), ("step", "step decay"), ("inverse", "1/t decay")):
        out[f"excess_{key}"], out[f"excess_{key}_sd"] = spread(final[name])
    for key in ("mini", "single"):
        out[f"wiggle_{key}"], out[f"wiggle_{key}_sd"] = spread(wiggles[key])
    out["wiggle_full"] = float(wiggles["full"][0])
    return out


PATHS = {"full": "full batch", "mini": "minibatches of {m}", "single": "single examples"}


def draw_paths(d: dict, p: Params, theme) -> object:
    # A row of three panels; on a phone a column of three.
    fig, axes = subplots(theme, 3, height=3.1, narrow_height=2.5, sharex=True, sharey=True,
                         layout="constrained")
    gw, gb, J = d["grid"]
    levels = d["j_min"] + (J.max() - d["j_min"]) * np.linspace(0, 1, 12)[1:] ** 2
    for ax, (key, color) in zip(axes, zip(d["paths"], theme.palette)):
        ax.contour(gw, gb, J, levels=levels, colors=[theme.grid], linewidths=0.9)
        path = d["paths"][key]
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1.3)
        ax.plot(*path[0], "o", color=theme.fg, ms=5)
        ax.plot(*d["best"], "*", color=theme.fg, ms=11)
        ax.set_title(PATHS[key].format(m=d["linear_minibatch"]), fontsize=11)
        ax.set_xlabel("weight $w$")
        ax.set_ylabel("bias $b$")
        ax.label_outer()  # the shared axis is labelled once: left of the row, under the column
    return fig


def draw_schedules(d: dict, p: Params, theme) -> object:
    # Two panels side by side; on a phone one above the other, sharing the epoch axis.
    if theme.narrow:
        fig, (ax_c, ax_e) = subplots(theme, 2, height=2.6, sharex=True, layout="constrained")
    else:
        fig, (ax_c, ax_e) = subplots(theme, 2, height=3.1, layout="constrained",
                                     gridspec_kw={"width_ratios": (1.35, 1)})
    styles = ("-", "--", ":")
    for (name, s), color, ls in zip(d["schedules"].items(), theme.palette, styles):
        epochs = np.arange(s["excess"].shape[1] + 1)  # epoch t runs from t - 1 to t on the axis
        mean, sd = s["excess"].mean(axis=0), s["excess"].std(axis=0, ddof=1)
        low = np.where(mean - sd > 0, mean - sd, s["excess"].min(axis=0))  # > 0 on a log axis
        ax_c.stairs(mean + sd, epochs, baseline=low, fill=True, color=color, alpha=0.25, lw=0)
        ax_c.stairs(mean, epochs, baseline=None, color=color, ls=ls, lw=2)
        ax_e.stairs(s["eta"][:-1], epochs, baseline=None, color=color, ls=ls, lw=2, label=name)
    ax_c.set_yscale("log")
    if not theme.narrow:  # stacked, the lower panel's epoch axis serves both
        ax_c.set_xlabel("epoch")
    ax_c.set_ylabel(r"mean $C(\theta) - C_{\min}$ in the epoch" "\n(logarithmic)")
    ax_e.set_yscale("log")
    ax_e.set_xlabel("epoch")
    ax_e.set_ylabel(r"learning rate $\eta$ (logarithmic)")
    ax_e.legend(frameon=False, fontsize=9, loc="lower left")
    low = min(s["eta"][:-1].min() for s in d["schedules"].values())
    ax_e.set_ylim(low / 1.6, d["linear_eta"] * 1.15)  # room for a labelled tick below the lowest rate
    for ax in (ax_c, ax_e):
        ax.set_xlim(0, d["schedule_epochs"])
        plain_log_ticks(ax.yaxis)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(3, "random seed for the data and the example order", min=0),
        "n": Param(100, "data points (x, y) (at least two, so that one line fits them best)", min=2),
        "noise": Param(0.5, "standard deviation of the Gaussian noise added to each y", min=0.0),
        "start": Param((-1.0, 2.5), "starting point (w, b) of every path and schedule"),
        "eta": Param(0.2, "learning rate η of the paths, and the schedules' starting rate η0", min=1e-6),
        "updates": Param(100, "updates of each path (at least n: one epoch of single examples)", min=1),
        "minibatch": Param(10, "minibatch size of the middle path", min=1),
        "epochs": Param(25, "epochs of single-example SGD under each schedule", min=1),
        "seeds": Param(5, "example orders (seeds) each path and each schedule is run with", min=2),
        "step_every": Param(10, "step decay halves η every this many epochs", min=1),
        "tau": Param(4.0, "1/t decay: η = η0 / (1 + t / τ) after epoch t", min=1e-6),
    },
    results=("w_best", "b_best", "j_min", "excess_constant", "excess_step", "excess_inverse",
             "excess_constant_sd", "excess_step_sd", "excess_inverse_sd", "seeds_step_below",
             "seeds_inverse_below", "wiggle_full", "wiggle_mini", "wiggle_mini_sd", "wiggle_single",
             "wiggle_single_sd", "linear_n", "linear_eta", "path_updates", "linear_minibatch",
             "schedule_epochs", "linear_seeds", "step_every", "tau"),
    figures=(
        Figure(
            "paths", draw_paths,
            caption=(
                "Paths of the two parameters $(w, b)$ of the line $a = w x + b$ over the contours of "
                "its cost, from the same start (dot) towards the minimum (star), with the same "
                "learning rate and the same number of updates. Each update uses the gradient of"
                " the whole training set (first panel), of a minibatch (second) or of one "
                "example (third), for the example order whose single-example path is the median "
                "of the seeds in how much it wiggles. Look at the wiggles: the fewer examples per"
                " gradient, the noisier the path. The $w$ and $b$ axes are scaled to fit the "
                "paths, not to each other, so the contours' shape is not to scale."
            ),
            alt=(
                "Three panels, each showing elongated elliptical contour lines of "
                "the cost in the plane of weight w and bias b, a dot at the upper left where "
                "all paths start and a star at the lower right at the minimum. First: a smooth, "
                "almost straight path from the dot towards the star. Second: a slightly wiggly "
                "path along the same route. Third: a strongly zig-zagging path that overshoots "
                "sideways but ends near the star."
            ),
        ),
        Figure(
            "schedules", draw_schedules,
            caption=(
                "Single-example SGD on the same linear model with three learning-rate "
                "schedules. First panel: how far the cost is above its minimum, averaged over "
                "the steps of each epoch, on a logarithmic axis: mean over several example "
                "orders, band ± one standard deviation. Second "
                "panel: the learning rate in each epoch. With a constant rate the cost stops improving at "
                "a noise floor; each time a schedule lowers the rate, the cost settles lower."
            ),
            alt=(
                "Two panels. First: the excess cost on a logarithmic axis against epoch; after "
                "a quick first drop the constant-rate curve stays flat, the step-decay curve "
                "steps down where its rate halves, and the 1/t curve slopes down steadily and "
                "ends lowest or close to it. Second: learning rate against epoch on a "
                "logarithmic axis; the constant rate is a flat line, step decay halves in "
                "steps, and the 1/t decay curve falls smoothly."
            ),
        ),
    ),
)
