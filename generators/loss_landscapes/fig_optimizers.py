"""Gradient descent, momentum and Adam on a long, narrow, tilted valley.

Compute: the quadratic cost J(theta) = 1/2 theta^T H theta of two parameters, whose
Hessian H = R diag(k_1, k_2) R^T has a gentle curvature k_1 and a steep one k_2 along
axes turned by ``angle`` degrees (the minimum is theta = 0). The course library's
``GradientDescent``, ``Momentum`` and ``Adam`` update theta in place from the exact
gradient H theta, from the same start, for every learning rate eta of ``etas`` and,
for momentum (mu) and Adam (beta_1), every value of ``mus``. A run that leaves the
region |theta_i| < ``escape`` is stopped there and counted as diverged.
Draw: the default choice's paths over the contours of J, and J against the iteration.
Export: every path, the contours and the view, for the page's explorer.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Export, Figure, Generator, Param, Params
from generators.layout import subplots
from generators.loss_landscapes.valley import (METHODS, contours, cost, descend, hessian, optimizer,
                                              steps_to)


def compute(p: Params) -> dict:
    H = hessian(p)
    runs = {m: {(i, j): descend(optimizer(m, eta, mu), H, p)
                for i, eta in enumerate(p["etas"]) for j, mu in enumerate(p["mus"])
                if m != "gd" or j == 0}
            for m in METHODS}
    runs["gd"] = {(i, j): runs["gd"][(i, 0)] for i in range(len(p["etas"]))
                  for j in range(len(p["mus"]))}               # the same run for every mu
    chosen = (p["etas"].index(p["eta"]), p["mus"].index(p["mu"]))
    shown = {m: runs[m][chosen] for m in METHODS}
    J = {m: cost(H, path) for m, path in shown.items()}
    k1, k2 = sorted(p["curvatures"])
    out = {
        "H": H, "runs": runs, "shown": shown, "J": J,
        "condition": k2 / k1, "k_small": k1, "k_large": k2,
        "eta_critical_gd": 2 / k2,                        # |1 - eta k_2| < 1
        "eta_critical_momentum": 2 * (1 + p["mu"]) / k2,  # heavy ball: eta k_2 < 2 (1 + mu)
        "eta_best": 2 / (k1 + k2), "best_factor": (k2 - k1) / (k2 + k1),   # exercise 1
        "best_loss_per_step": 1 - (k2 - k1) / (k2 + k1),
        "start_cost": float(J["gd"][0]), "valley_eta": p["eta"], "valley_mu": p["mu"],
        "tol_exponent": int(round(np.log10(p["tol"]))),   # the page writes tol as 10^exponent
        "steps": p["steps"], "n_runs": len({id(r) for m in runs for r in runs[m].values()}),
    }
    for m in METHODS:
        out[f"steps_{m}"] = steps_to(J[m], p["tol"])
        out[f"final_cost_{m}"] = float(J[m][-1])
    return out


def levels(d: dict) -> np.ndarray:
    """Contour levels: geometric steps down from the starting cost."""
    return d["start_cost"] * np.geomspace(4.0, 1e-3, 11)


def draw(d: dict, p: Params, theme) -> object:
    from generators.style import decade_label

    # The map beside the cost curves; on a phone the map above them (generators/layout.py).
    ratios = {"height_ratios": (1.25, 1)} if theme.narrow else {"width_ratios": (1.3, 1)}
    fig, (ax_p, ax_c) = subplots(theme, 2, height=3.3, narrow_height=3.1, layout="constrained",
                                 gridspec_kw=ratios)
    for ring in contours(p, d["H"], levels(d)):
        ax_p.plot(ring[:, 0], ring[:, 1], color=theme.grid, lw=0.9, zorder=0)
    x0, x1, y0, y1 = p["view"]
    for (m, label), color, ls in zip(METHODS.items(), theme.palette, ("-", "--", "-")):
        path = d["shown"][m]
        ax_p.plot(path[:, 0], path[:, 1], color=color, lw=1.4, ls=ls, marker=".", ms=3,
                  label=label)
        J = np.maximum(d["J"][m], 1e-12)
        ax_c.plot(np.arange(len(J)), J, color=color, lw=1.6, ls=ls, label=label)
    ax_p.plot(*p["start"], "s", color=theme.fg, ms=6)
    ax_p.plot(0, 0, "*", color=theme.fg, ms=12)
    ax_p.set_xlim(x0, x1)
    ax_p.set_ylim(y0, y1)
    ax_p.set_aspect("equal")
    ax_p.set_xlabel(r"$\theta_1$")
    ax_p.set_ylabel(r"$\theta_2$")
    ax_c.axhline(p["tol"], color=theme.muted, lw=1, ls=":")
    ax_c.set_yscale("log")
    ax_c.yaxis.set_major_formatter(decade_label)
    ax_c.set_ylim(1e-12, d["start_cost"] * 5)
    ax_c.set_xlim(0, p["steps"])
    ax_c.set_xlabel("iteration")
    fig.suptitle(f"learning rate $\\eta$ = {p['eta']:g},{chr(10) if theme.narrow else ' '}"
                 f"momentum $\\mu$ = {p['mu']:g}", fontsize=11)
    ax_c.set_ylabel(r"cost $J(\theta)$ (logarithmic)")
    fig.legend(*ax_c.get_legend_handles_labels(), loc="outside lower center",
               ncols=2 if theme.narrow else 3, frameon=False)
    return fig


def export(d: dict, p: Params) -> dict:
    """Every path (flat [x0, y0, x1, y1, ...], 4 decimals) by method, eta index, mu index."""
    flat = lambda a: [round(float(v), 4) for v in np.asarray(a).ravel()]
    runs = {m: [[flat(d["runs"][m][(i, j)]) for j in range(len(p["mus"]))]
                for i in range(len(p["etas"]))] for m in METHODS}
    return {
        "methods": [{"key": m, "label": label} for m, label in METHODS.items()],
        "etas": list(p["etas"]), "mus": list(p["mus"]), "steps": p["steps"],
        "eta": p["etas"].index(p["eta"]), "mu": p["mus"].index(p["mu"]),
        "hessian": flat(d["H"]), "tol": p["tol"], "escape": p["escape"],
        "start": list(p["start"]), "view": list(p["view"]),
        "contours": [flat(ring) for ring in contours(p, d["H"], levels(d), 48)],
        "runs": runs,
    }


GENERATOR = Generator(
    compute=compute,
    params={
        "curvatures": Param((1.0, 40.0), "curvatures (k1, k2) of the valley along and across it",
                            min=1e-6),
        "angle": Param(30.0, "angle of the valley's axes, in degrees"),
        "start": Param((-4.0, -1.0), "starting point (θ1, θ2) of every optimizer"),
        "etas": Param((0.003, 0.01, 0.03, 0.1, 0.3), "learning rates η the explorer offers",
                      min=1e-6),
        # below 1: Adam divides by 1 - β1^t
        "mus": Param((0.0, 0.5, 0.8, 0.9, 0.95), "momentum μ (Adam's β1) values the explorer offers",
                     min=0.0, max=0.999),
        "eta": Param(0.03, "learning rate η of the figure (one of etas)", min=1e-6),
        "mu": Param(0.8, "momentum μ (Adam's β1) of the figure (one of mus)", min=0.0, max=0.999),
        # the cost axis ends at 1e-12
        "tol": Param(1e-6, "cost J below which a run has arrived (a power of ten)", min=1e-12),
        "steps": Param(200, "updates of each run", min=1),
        "escape": Param(20.0, "a run stops (diverged) once some |θi| exceeds this", min=1e-6),
        "view": Param((-4.6, 1.4, -2.6, 2.6), "the map's limits (θ1 from, to, θ2 from, to)"),
    },
    results=("condition", "k_small", "k_large", "eta_critical_gd", "eta_critical_momentum",
             "eta_best", "best_factor", "best_loss_per_step", "start_cost", "valley_eta",
             "valley_mu", "tol_exponent", "steps", "n_runs", "steps_momentum", "final_cost_gd", "final_cost_momentum", "final_cost_adam"),
    figures=(
        Figure(
            "optimizers", draw,
            caption=(
                "Gradient descent, momentum and Adam on the tilted valley, all with the "
                "learning rate $\\eta$ and momentum $\\mu$ (Adam's $\\beta_1$) printed above the "
                "plot and from the same start (square): their paths over the contours of $J$ "
                "(the star is the minimum), and the cost at each iteration, "
                "logarithmic, with the tolerance dotted. Momentum swings past the valley "
                "floor but gets to the bottom first; gradient descent creeps along the floor; "
                "Adam, whose steps are about $\\eta$ long however steep the slope, is slowest "
                "at this small learning rate."
            ),
            alt=(
                "Two panels. The first: long, thin elliptical contours tilted upwards to the right, "
                "a star at their centre and a square start point at the lower left. The "
                "gradient descent path turns sharply onto the valley floor and runs straight "
                "along it towards the star; the dashed momentum path swings widely from side "
                "to side across the valley and settles on the star; the Adam path follows "
                "the valley floor but stops short. The second: cost on a logarithmic axis against "
                "iteration: momentum's curve drops fastest in a jagged line far below the "
                "dotted tolerance, gradient descent's falls along a straight line, and Adam's "
                "levels off and falls only slowly."
            ),
        ),
    ),
    exports=(Export("trajectories", export),),
)
