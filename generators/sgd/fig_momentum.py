"""Momentum on an ill-conditioned valley, against plain gradient descent.

Compute: the quadratic bowl C(theta) = 1/2 (k1 theta_1^2 + k2 theta_2^2) with very
different curvatures k1 << k2 (the minimum is theta = 0). The course library's
``GradientDescent`` and ``Momentum`` optimizers update the two parameters in place from
the exact gradient (k1 theta_1, k2 theta_2), with the same learning rate, from the same
start, and we count the iterations until C(theta) < ``tol`` (the minimum is C = 0).
The comparison is run from ``seeds`` starting points drawn at random on the contour
through ``start`` (the same starting cost, any direction; the gradient is exact, so the
start is the only thing a seed changes); results are means and standard deviations.
Draw: both paths from the start whose speed-up is the median, over the contours of J;
J against the iteration, logarithmic: geometric mean over the starts with a band of
± one standard deviation of log J.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import GradientDescent, Momentum
from generators.sgd import plain_log_ticks, spread


def descend(optimizer: GradientDescent, p: Params) -> np.ndarray:
    """Positions theta after each of ``max_iter`` updates (row 0 is the start)."""
    curv = np.array(p["curvatures"])
    theta = np.array(p["start"], dtype=float)
    path = [theta.copy()]
    for _ in range(p["max_iter"]):
        optimizer.step({"theta": theta}, {"theta": curv * theta})  # dJ/dtheta_i = k_i theta_i
        path.append(theta.copy())
    return np.array(path)


def iterations_to(costs: np.ndarray, tol: float) -> int:
    """First iteration with C(theta) < tol, or -1 if never."""
    inside = np.flatnonzero(costs < tol)
    return int(inside[0]) if inside.size else -1


def starts(p: Params) -> np.ndarray:
    """``seeds`` random points (rows) on the contour of J through ``start``."""
    curv, start = np.array(p["curvatures"]), np.array(p["start"], dtype=float)
    radius = np.sqrt(start ** 2 @ curv / curv)          # semi-axes of the ellipse C = C(start)
    phi = np.random.default_rng(p["seed"]).uniform(0, 2 * np.pi, p["seeds"])
    return radius * np.column_stack([np.cos(phi), np.sin(phi)])


def race(p: Params, start: np.ndarray) -> dict:
    """Both optimizers from ``start``: paths, costs and iterations to ``tol``."""
    curv, q = np.array(p["curvatures"]), {**p, "start": tuple(start)}
    paths = {"gradient descent": descend(GradientDescent(eta=p["eta"]), q),
             "momentum": descend(Momentum(eta=p["eta"], mu=p["mu"]), q)}
    costs = {k: 0.5 * (path ** 2 @ curv) for k, path in paths.items()}
    iters = {k: iterations_to(c, p["tol"]) for k, c in costs.items()}
    if min(iters.values()) < 0:
        raise ValueError(f"an optimizer did not reach tol={p['tol']} in {p['max_iter']} "
                         f"iterations from start {tuple(start.round(3))}: {iters}; raise max_iter")
    return {"paths": paths, "costs": costs, "iters": iters}


def compute(p: Params) -> dict:
    curv = np.array(p["curvatures"])
    points = starts(p)
    races = [race(p, x0) for x0 in points]
    iters = {k: np.array([r["iters"][k] for r in races]) for k in races[0]["iters"]}
    speedup = iters["gradient descent"] / iters["momentum"]
    shown = int(np.argsort(speedup)[len(speedup) // 2])   # the start with the median speed-up
    out = {
        "paths": races[shown]["paths"], "shown_start": points[shown], "starts": points,
        "costs": {k: np.array([r["costs"][k] for r in races]) for k in iters},
        "iters": iters, "speedups": speedup,
        "shown_iters_gd": int(iters["gradient descent"][shown]),
        "shown_iters_momentum": int(iters["momentum"][shown]),
        "condition": float(curv.max() / curv.min()), "start_cost": float(races[0]["costs"]["momentum"][0]),
        "valley_eta": p["eta"], "mu": p["mu"], "tol": p["tol"], "valley_seeds": p["seeds"],
        "k_small": float(curv.min()), "k_large": float(curv.max()),
        "speedup_min": float(speedup.min()),
    }
    out["iters_gd"], out["iters_gd_sd"] = spread(iters["gradient descent"])
    out["iters_momentum"], out["iters_momentum_sd"] = spread(iters["momentum"])
    out["speedup"], out["speedup_sd"] = spread(speedup)
    return out


def draw(d: dict, p: Params, theme) -> object:
    # Paths and costs side by side; on a phone one above the other.
    ratios = None if theme.narrow else (1.25, 1)
    fig, (ax_p, ax_c) = subplots(theme, 2, height=3.2, narrow_height=2.7, layout="constrained",
                                 gridspec_kw={"width_ratios": ratios})
    k = np.array(p["curvatures"])
    x0, y0 = np.sqrt(d["start_cost"] * 2 / k) * 1.15     # the contour through the starts, and room
    gx, gy = np.meshgrid(np.linspace(-x0, x0, 201), np.linspace(-y0, y0, 201))
    J = 0.5 * (k[0] * gx ** 2 + k[1] * gy ** 2)
    ax_p.contour(gx, gy, J, levels=np.geomspace(J.max() * 1e-3, J.max(), 9),
                 colors=[theme.grid], linewidths=0.9)
    shown = max(d["shown_iters_gd"], d["shown_iters_momentum"])
    last = int(max(d["iters"][name].max() for name in d["iters"]))
    steps = np.arange(last + 1)
    for (name, path), color in zip(d["paths"].items(), theme.palette):
        ax_p.plot(path[:shown + 1, 0], path[:shown + 1, 1], color=color, lw=1.3, marker=".",
                  ms=4, label=name)
        logs = np.log10(d["costs"][name][:, :last + 1])   # (starts, iterations)
        mean, sd = logs.mean(axis=0), logs.std(axis=0, ddof=1)
        ax_c.fill_between(steps, 10 ** (mean - sd), 10 ** (mean + sd), color=color, alpha=0.25, lw=0)
        ax_c.plot(steps, 10 ** mean, color=color, lw=1.3, label=name)
        ax_c.axvline(d["iters"][name].mean(), color=color, lw=1, ls=":")
    ax_p.plot(0, 0, "*", color=theme.fg, ms=11)
    both = np.vstack([path[:shown + 1] for path in d["paths"].values()] + [np.zeros((1, 2))])
    lo, hi = both[:, 0].min(), both[:, 0].max()
    ax_p.set_xlim(lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo))
    ax_p.set_ylim(-y0, y0)
    ax_c.axhline(d["tol"], color=theme.muted, lw=1, ls="--")
    ax_c.text(0.6 * last, d["tol"] * 1.6, "tolerance", ha="center", va="bottom", fontsize=9,
              color=theme.muted)
    ax_c.set_ylim(d["tol"] / 30, d["start_cost"] * 3)
    ax_p.set_xlabel(r"$\theta_1$ (gentle curvature)")
    ax_p.set_ylabel(r"$\theta_2$ (steep curvature)")
    ax_p.legend(frameon=False, fontsize=9, loc="upper right" if d["shown_start"][0] < 0 else "upper left")
    ax_c.set_yscale("log")
    plain_log_ticks(ax_c.yaxis, subs=(1,))
    ax_c.set_xlabel("iteration")
    ax_c.set_ylabel(r"cost $C(\theta)$ (logarithmic)")
    ax_c.set_xlim(0, last)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "curvatures": Param((1.0, 50.0), "curvatures (k1, k2) of the bowl along θ1 and θ2", min=1e-6),
        "start": Param((-4.0, 1.0), "a point (θ1, θ2), not 0, on the contour of J the starts are "
                       "drawn from (it sets the starting cost)"),
        "seed": Param(0, "random seed for the starting points", min=0),
        "seeds": Param(5, "starting points the comparison is run from", min=2),
        "eta": Param(0.038, "learning rate η of both optimizers", min=1e-6),
        "mu": Param(0.7, "momentum coefficient μ, below 1", min=0.0, max=0.999),
        "tol": Param(1e-6, "cost C below which an optimizer has arrived", min=1e-12),
        "max_iter": Param(2000, "updates of each optimizer (both must arrive within them)", min=1),
    },
    results=("iters_gd", "iters_gd_sd", "iters_momentum", "iters_momentum_sd", "speedup",
             "speedup_sd", "speedup_min", "shown_iters_gd", "shown_iters_momentum", "valley_seeds",
             "condition", "start_cost", "valley_eta", "mu", "tol", "k_small", "k_large"),
    figures=(
        Figure(
            "momentum", draw,
            caption=(
                "Plain gradient descent and gradient descent with momentum on a narrow "
                "quadratic valley, with the same learning rate, from several random starts of "
                "the same cost. First panel: both paths from the start whose speed-up is the "
                "median one, over the contours of the cost, up to the iteration where both have "
                "reached the tolerance. Second panel: the cost at each iteration, logarithmic: "
                "geometric mean over the starts, band ± one standard deviation of the logarithm; "
                "dotted lines mark the mean iteration at which each reached the tolerance "
                "(dashed). The first panel is not to scale: its steep axis θ₂ is stretched, since "
                "drawn to scale the valley would be a thin strip. Plain descent zig-zags across "
                "the steep direction and creeps along the shallow one; momentum builds up speed "
                "along the valley."
            ),
            alt=(
                "Two panels. First: elongated elliptical contours centred on a star at the "
                "origin; the gradient descent path zig-zags up and down many times with "
                "shrinking amplitude while creeping along the valley towards the star, while the momentum "
                "path makes fewer, wider swings and reaches the star sooner. Second: cost on a "
                "logarithmic axis against iteration; the momentum curve falls steeply and "
                "crosses the dashed tolerance line early, the gradient descent curve falls "
                "slowly along a straight line and crosses it much later; both have narrow "
                "bands."
            ),
        ),
    ),
)
