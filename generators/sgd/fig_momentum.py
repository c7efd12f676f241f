"""Momentum on an ill-conditioned valley, against plain gradient descent.

Compute: the quadratic bowl J(theta) = 1/2 (k1 theta_1^2 + k2 theta_2^2) with very
different curvatures k1 << k2 (the minimum is theta = 0). The course library's
``GradientDescent`` and ``Momentum`` optimizers update the two parameters in place from
the exact gradient (k1 theta_1, k2 theta_2), with the same learning rate, from the same
start, and we count the iterations until J(theta) < ``tol`` (the minimum is J = 0).
Draw: both paths over the contours of J; J against the iteration, logarithmic.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.layout import subplots
from generators.nn import GradientDescent, Momentum
from generators.sgd import plain_log_ticks


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
    """First iteration with J(theta) < tol, or -1 if never."""
    inside = np.flatnonzero(costs < tol)
    return int(inside[0]) if inside.size else -1


def compute(p: Params) -> dict:
    curv = np.array(p["curvatures"])
    paths = {"gradient descent": descend(GradientDescent(eta=p["eta"]), p),
             "momentum": descend(Momentum(eta=p["eta"], mu=p["mu"]), p)}
    costs = {k: 0.5 * (path ** 2 @ curv) for k, path in paths.items()}
    iters = {k: iterations_to(c, p["tol"]) for k, c in costs.items()}
    if min(iters.values()) < 0:
        raise ValueError(f"an optimizer did not reach tol={p['tol']} in {p['max_iter']} "
                         f"iterations: {iters}; raise max_iter")
    return {
        "paths": paths, "costs": costs,
        "iters_gd": iters["gradient descent"], "iters_momentum": iters["momentum"],
        "speedup": iters["gradient descent"] / iters["momentum"],
        "condition": float(curv.max() / curv.min()), "start_cost": float(costs["momentum"][0]),
        "valley_eta": p["eta"], "mu": p["mu"], "tol": p["tol"],
        "k_small": float(curv.min()), "k_large": float(curv.max()),
    }


def draw(d: dict, p: Params, theme) -> object:
    # Paths and costs side by side; on a phone one above the other.
    ratios = None if theme.narrow else (1.25, 1)
    fig, (ax_p, ax_c) = subplots(theme, 2, height=3.2, narrow_height=2.7, layout="constrained",
                                 gridspec_kw={"width_ratios": ratios})
    x0, y0 = np.abs(p["start"]) * 1.15
    gx, gy = np.meshgrid(np.linspace(-x0, x0, 201), np.linspace(-y0, y0, 201))
    k1, k2 = p["curvatures"]
    J = 0.5 * (k1 * gx ** 2 + k2 * gy ** 2)
    ax_p.contour(gx, gy, J, levels=np.geomspace(J.max() * 1e-3, J.max(), 9),
                 colors=[theme.grid], linewidths=0.9)
    shown = max(d["iters_gd"], d["iters_momentum"])
    for (name, path), color in zip(d["paths"].items(), theme.palette):
        ax_p.plot(path[:shown + 1, 0], path[:shown + 1, 1], color=color, lw=1.3, marker=".",
                  ms=4, label=name)
        ax_c.plot(d["costs"][name][:shown + 1], color=color, lw=1.3, label=name)
        ax_c.axvline(d["iters_gd" if name == "gradient descent" else "iters_momentum"],
                     color=color, lw=1, ls=":")
    ax_p.plot(0, 0, "*", color=theme.fg, ms=11)
    ax_p.set_xlim(-x0, 0.3 * x0)
    ax_c.axhline(d["tol"], color=theme.muted, lw=1, ls="--")
    ax_c.text(0.6 * shown, d["tol"] * 1.6, "tolerance", ha="center", va="bottom", fontsize=9,
              color=theme.muted)
    ax_c.set_ylim(d["tol"] / 30, d["start_cost"] * 3)
    ax_p.set_xlabel(r"$\theta_1$ (gentle curvature)")
    ax_p.set_ylabel(r"$\theta_2$ (steep curvature)")
    ax_p.legend(frameon=False, fontsize=9, loc="upper right")
    ax_c.set_yscale("log")
    plain_log_ticks(ax_c.yaxis, subs=(1,))
    ax_c.set_xlabel("iteration")
    ax_c.set_ylabel(r"cost $J(\theta)$ (logarithmic)")
    ax_c.set_xlim(0, shown)
    return fig


GENERATOR = Generator(
    compute=compute,
    params={
        "curvatures": Param((1.0, 50.0), "curvatures (k1, k2) of the bowl along θ1 and θ2", min=1e-6),
        "start": Param((-4.0, 1.0), "starting point (θ1, θ2), both non-zero (they size the map)"),
        "eta": Param(0.038, "learning rate η of both optimizers", min=1e-6),
        "mu": Param(0.7, "momentum coefficient μ, below 1", min=0.0, max=0.999),
        "tol": Param(1e-6, "cost J below which an optimizer has arrived", min=1e-12),
        "max_iter": Param(2000, "updates of each optimizer (both must arrive within them)", min=1),
    },
    results=("iters_gd", "iters_momentum", "speedup", "condition", "start_cost", "valley_eta", "mu", "tol",
             "k_small", "k_large"),
    figures=(
        Figure(
            "momentum", draw,
            caption=(
                "Plain gradient descent and gradient descent with momentum on a narrow "
                "quadratic valley, with the same learning rate and the same start. First panel: "
                "their paths over the contours of the cost, up to the iteration where both have "
                "reached the tolerance. Second panel: the cost at each iteration, logarithmic; dotted "
                "lines mark when each reached the tolerance (dashed). Plain descent zig-zags "
                "across the steep direction and creeps along the shallow one; momentum builds "
                "up speed along the valley."
            ),
            alt=(
                "Two panels. First: elongated elliptical contours centred on a star at the "
                "origin; the gradient descent path zig-zags up and down many times with "
                "shrinking amplitude while creeping right towards the star, while the momentum "
                "path makes fewer, wider swings and reaches the star sooner. Second: cost on a "
                "logarithmic axis against iteration; the momentum curve falls steeply and "
                "crosses the dashed tolerance line early, the gradient descent curve falls "
                "slowly along a straight line and crosses it much later."
            ),
        ),
    ),
)
