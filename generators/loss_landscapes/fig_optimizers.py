"""Gradient descent, momentum and Adam on a long, narrow, tilted valley.

Compute: the quadratic cost C(theta) = 1/2 theta^T H theta of two parameters, whose
Hessian H = R diag(k_1, k_2) R^T has a gentle curvature k_1 and a steep one k_2 along
axes turned by ``angle`` degrees (the minimum is theta = 0). The course library's
``GradientDescent``, ``Momentum`` and ``Adam`` update theta in place from the exact
gradient H theta, from the same start, at the figure's learning rate ``eta`` and momentum
``mu`` (Adam's beta_1). A run that leaves the region |theta_i| <= ``escape`` is stopped
there and counted as diverged.

The comparison at the figure's setting is repeated from ``starts`` starting points with
the same starting cost (the figure's own and others at random angles around the same
contour, from ``seed``), so the page can say whether the order of the three holds
whatever the direction the descent starts from.
Draw: the default choice's paths over the contours of J, and J against the iteration
with the range over the starting points as bands.
Export ``trajectories``: the valley (its Hessian exactly as ``hessian`` gives it, the start,
steps, escape and tolerance), the sliders' ranges and the contours, for the page's explorer,
which runs the three optimizers itself for any eta and mu (``assets/js/lib/descent.js``;
``fig_descent_reference.py`` exports the library's paths that it must reproduce).
"""

from __future__ import annotations

import numpy as np

from generators.figure import Export, Figure, Generator, Param, Params
from generators.layout import subplots
from generators.loss_landscapes.valley import (METHODS, contours, cost, descend,
                                              hessian, optimizer, starts_on_contour, steps_to)


def eta_limits(p: Params, mu: float | None = None) -> tuple[float, float]:
    """The largest stable learning rates: 2/k_2 for gradient descent, 2(1 + mu)/k_2 for
    momentum at ``mu`` (default: the figure's), the page's formulas (exercise 1)."""
    k2 = max(p["curvatures"])
    return 2 / k2, 2 * (1 + (p["mu"] if mu is None else mu)) / k2


def band(eta: float, gd_max: float, momentum_max: float) -> int:
    """0: both converge (eta < 2/k_2); 1: only momentum does; 2: neither does."""
    return 0 if eta < gd_max else 1 if eta < momentum_max else 2


def compute(p: Params) -> dict:
    H = hessian(p)
    shown = {m: descend(optimizer(m, p["eta"], p["mu"]), H, p) for m in METHODS}
    J = {m: cost(H, path) for m, path in shown.items()}
    # The same comparison from other starts with the same starting cost.
    starts = starts_on_contour(p, H, p["starts"], np.random.default_rng(p["seed"]))
    J_starts = {m: np.array([cost(H, descend(optimizer(m, p["eta"], p["mu"]), H,
                                             {**p, "start": tuple(s)})) for s in starts])
                for m in METHODS}                               # (starts, steps + 1)
    arrived = {m: np.array([steps_to(row, p["tol"]) for row in J_starts[m]]) for m in METHODS}
    final = {m: J_starts[m][:, -1] for m in METHODS}
    k1, k2 = sorted(p["curvatures"])
    gd_max, momentum_max = eta_limits(p)
    out = {
        "H": H, "shown": shown, "J": J, "starts": starts, "J_starts": J_starts,
        "condition": k2 / k1, "k_small": k1, "k_large": k2,
        "eta_critical_gd": gd_max,                        # |1 - eta k_2| < 1
        "eta_critical_momentum": momentum_max,            # heavy ball: eta k_2 < 2 (1 + mu)
        "eta_best": 2 / (k1 + k2), "best_factor": (k2 - k1) / (k2 + k1),   # exercise 1
        "best_loss_per_step": 1 - (k2 - k1) / (k2 + k1),
        "start_cost": float(J["gd"][0]), "valley_eta": p["eta"], "valley_mu": p["mu"],
        "tol_exponent": int(round(np.log10(p["tol"]))),   # the page writes tol as 10^exponent
        "steps": p["steps"], "n_starts": len(starts),
        # every start: momentum arrives, gradient descent ends lower than Adam
        "order_holds": int(np.sum((arrived["momentum"] >= 0) & (final["momentum"] < final["gd"])
                                  & (final["gd"] < final["adam"]))),
        "steps_momentum_mean": float(arrived["momentum"][arrived["momentum"] >= 0].mean()),
        "steps_momentum_sd": float(arrived["momentum"][arrived["momentum"] >= 0].std(ddof=1)),
        "starts_momentum_arrived": int(np.sum(arrived["momentum"] >= 0)),
        "starts_gd_arrived": int(np.sum(arrived["gd"] >= 0)),
        "starts_adam_arrived": int(np.sum(arrived["adam"] >= 0)),
        "final_cost_gd_min": float(final["gd"].min()), "final_cost_gd_max": float(final["gd"].max()),
        "final_cost_adam_min": float(final["adam"].min()),
        "final_cost_adam_max": float(final["adam"].max()),
        # the learning rates the page's "things to try" name (tests check their band)
        "band_eta_low": min(p["band_etas"]), "band_eta_high": max(p["band_etas"]),
        "eta_min": p["eta_range"][0], "eta_max": p["eta_range"][1], "mu_max": p["mu_max"],
        # the smallest mu for which band_eta_high is still below 2 (1 + mu) / k_2
        "mu_band_high": max(p["band_etas"]) * k2 / 2 - 1,
        # a small learning rate, where momentum overtakes gradient descent by far
        "slow_eta": p["slow"][0], "slow_mu": p["slow"][1],
        "slow_cost_gd": float(cost(H, descend(optimizer("gd", *p["slow"]), H, p))[-1]),
        "slow_steps_momentum": steps_to(cost(H, descend(optimizer("momentum", *p["slow"]), H, p)),
                                        p["tol"]),
    }
    for m in METHODS:
        out[f"steps_{m}"] = steps_to(J[m], p["tol"])
        out[f"final_cost_{m}"] = float(J[m][-1])
    return out


def levels(d: dict) -> np.ndarray:
    """Contour levels: geometric steps down from the starting cost."""
    return d["start_cost"] * np.geomspace(4.0, 1e-3, 11)


# How each method's path is drawn so that none hides another: gradient descent broad and
# underneath, momentum dashed over it, Adam thin on top with a ring every RING_EVERY steps.
STYLES = {"gd": {"lw": 3.4, "ls": "-", "zorder": 2},
          "momentum": {"lw": 1.8, "ls": "--", "zorder": 3},
          "adam": {"lw": 1.2, "ls": "-", "zorder": 4}}
RING_EVERY = 10


def draw(d: dict, p: Params, theme) -> object:
    from generators.style import decade_label

    # The map beside the cost curves; on a phone the map above them (generators/layout.py).
    ratios = {"height_ratios": (1.25, 1)} if theme.narrow else {"width_ratios": (1.3, 1)}
    fig, (ax_p, ax_c) = subplots(theme, 2, height=3.4, narrow_height=3.1, layout="constrained",
                                 gridspec_kw=ratios)
    for ring in contours(p, d["H"], levels(d)):
        ax_p.plot(ring[:, 0], ring[:, 1], color=theme.grid, lw=0.9, zorder=0)
    x0, x1, y0, y1 = p["view"]
    steps = np.arange(p["steps"] + 1)
    for (m, label), color in zip(METHODS.items(), theme.palette):
        style = STYLES[m]
        path = d["shown"][m]
        rings = ({"marker": "o", "markevery": RING_EVERY, "ms": 4.5, "mfc": theme.bg,
                  "mec": color, "mew": 1.2} if m == "adam" else {})
        ax_p.plot(path[:, 0], path[:, 1], color=color, label=label, solid_capstyle="round",
                  **style, **rings)
        ax_p.plot(path[-1, 0], path[-1, 1], "o", color=color, ms=7, mec=theme.bg, mew=1,
                  zorder=7)                                          # where it ends
        J = np.maximum(d["J_starts"][m], 1e-12)                      # row 0: the figure's start
        ax_c.fill_between(steps[:J.shape[1]], J.min(axis=0), J.max(axis=0), color=color,
                          alpha=0.22, lw=0, zorder=1)
        ax_c.plot(steps[:J.shape[1]], J[0], color=color, lw=style["lw"] * 0.6 + 0.6,
                  ls=style["ls"], zorder=style["zorder"], label=label)
    ax_p.plot(*p["start"], "s", color=theme.fg, ms=7, zorder=8)
    ax_p.plot(0, 0, "*", color=theme.fg, ms=13, mec=theme.bg, mew=0.8, zorder=8)
    ax_p.set_xlim(x0, x1)
    ax_p.set_ylim(y0, y1)
    ax_p.set_aspect("equal")                                         # one unit is one unit
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
    ax_c.set_ylabel(r"cost $C(\theta)$ (logarithmic)")
    fig.legend(*ax_p.get_legend_handles_labels(), loc="outside lower center",
               ncols=2 if theme.narrow else 3, frameon=False)
    return fig


# The slider's learning rates: ETA_POSITIONS + 1 steps evenly spaced on a log scale over
# eta_range, each rounded to 3 significant digits, plus the rates the page names.
ETA_POSITIONS = 300


def export(d: dict, p: Params) -> dict:
    """What the explorer needs to run the three optimizers itself: the Hessian (exactly
    ``hessian(p)``, row-major [H11, H12, H21, H22]), k_2, start, steps, escape, tolerance,
    the sliders' ranges and opening values, the view and the contours (flat
    [x0, y0, x1, y1, ...], 3 decimals)."""
    from generators.site.refs import format_result

    flat = lambda a: [round(float(v), 3) + 0.0 for v in np.asarray(a).ravel()]
    H = d["H"]
    return {
        "methods": [{"key": m, "label": label} for m, label in METHODS.items()],
        "hessian": [float(v) for v in H.ravel()], "k_large": float(max(p["curvatures"])),
        "start": [float(v) for v in p["start"]], "steps": p["steps"], "escape": p["escape"],
        "tol": p["tol"], "tol_label": format_result(p["tol"], ".0e"),
        "eta": p["eta"], "mu": p["mu"], "eta_range": list(p["eta_range"]),
        "eta_positions": ETA_POSITIONS,
        "eta_marks": sorted({p["eta"], *p["band_etas"], p["slow"][0]}),
        "mu_max": p["mu_max"], "mu_step": 0.01,
        "view": list(p["view"]),
        "contours": [flat(ring) for ring in contours(p, H, levels(d), 48)],
        # 2/k_2 as the page computes it and writes it (the JS computes 2(1 + mu)/k_2 itself)
        "eta_gd_max": d["eta_critical_gd"],
    }


GENERATOR = Generator(
    compute=compute,
    params={
        "curvatures": Param((1.0, 40.0), "curvatures (k1, k2) of the valley along and across it",
                            min=1e-6),
        "angle": Param(30.0, "angle of the valley's axes, in degrees"),
        "start": Param((-4.0, -1.0), "starting point (θ1, θ2) of every optimizer"),
        # the explorer's learning-rate slider, log scale: from well below 2/k2 to above
        # 2(1 + mu_max)/k2
        "eta_range": Param((0.001, 0.3), "learning rates η the explorer's slider spans (log scale)",
                           min=1e-6),
        # below 1: Adam divides by 1 - β1^t
        "mu_max": Param(0.99, "largest momentum μ (Adam's β1) of the explorer's slider",
                        min=0.0, max=0.999),
        # 0.06 and 0.08 lie between 2/k2 and 2(1 + mu)/k2, where momentum converges and
        # gradient descent does not (0.08 only for mu > 0.6)
        "band_etas": Param((0.06, 0.08), "learning rates the page's things to try name, "
                           "between 2/k2 and 2(1 + μ)/k2", min=1e-6),
        "slow": Param((0.003, 0.9), "a small learning rate η and a large momentum μ the page's "
                      "things to try name"),
        "eta": Param(0.03, "learning rate η of the figure and the explorer's opening value",
                     min=1e-6),
        "mu": Param(0.8, "momentum μ (Adam's β1) of the figure and the explorer's opening value",
                    min=0.0, max=0.999),
        # the cost axis ends at 1e-12
        "tol": Param(1e-6, "cost C below which a run has arrived (a power of ten)", min=1e-12),
        "steps": Param(200, "updates of each run", min=1),
        "escape": Param(20.0, "a run stops (diverged) once some |θi| exceeds this", min=1e-6),
        # holds every path of the figure's setting (tests/lessons/test_loss_landscapes.py)
        "view": Param((-4.6, 1.0, -3.0, 1.4), "the map's limits (θ1 from, to, θ2 from, to)"),
        "starts": Param(8, "starting points of the comparison, all at the start's cost", min=1),
        "seed": Param(0, "random seed for the angles of the other starting points", min=0),
    },
    results=("condition", "k_small", "k_large", "eta_critical_gd", "eta_critical_momentum",
             "eta_best", "best_factor", "best_loss_per_step", "start_cost", "valley_eta",
             "valley_mu", "tol_exponent", "steps", "steps_momentum", "final_cost_gd",
             "final_cost_momentum", "final_cost_adam", "n_starts", "order_holds",
             "steps_momentum_mean", "steps_momentum_sd", "starts_momentum_arrived",
             "starts_gd_arrived", "starts_adam_arrived", "final_cost_gd_min",
             "final_cost_gd_max", "final_cost_adam_min", "final_cost_adam_max",
             "band_eta_low", "band_eta_high", "eta_min", "eta_max", "mu_max", "mu_band_high",
             "slow_eta", "slow_mu", "slow_cost_gd", "slow_steps_momentum"),
    figures=(
        Figure(
            "optimizers", draw,
            caption=(
                "Gradient descent, momentum and Adam on the tilted valley, all with the "
                "learning rate $\\eta$ and momentum $\\mu$ (Adam's $\\beta_1$) printed above the "
                "plot and from the same start (square). First panel: their paths over the contours of "
                "$C$, drawn to the same scale on both axes; the star is the minimum and a dot "
                "marks where each path ends after the last iteration. Gradient descent's broad "
                "line lies under the others; Adam's thin line, with a ring every "
                f"{RING_EVERY} steps, runs along the same valley floor and ends far short of the "
                "star. Second panel: the cost at each iteration (logarithmic), with the tolerance "
                "dotted; each shaded band is the range over other starting points with the "
                "same starting cost, the line is the start drawn in the first panel. Momentum swings across "
                "the valley but gets to the bottom first; gradient descent creeps along the "
                "floor; Adam, whose steps are about $\\eta$ long however steep the slope, is "
                "slowest at this small learning rate."
            ),
            alt=(
                "Two panels. The first: long, thin elliptical contours tilted upwards to the right, "
                "a star at their centre and a square start point at the lower left. The broad "
                "gradient descent path turns sharply onto the valley floor and runs straight "
                "along it to the star; the dashed momentum path swings widely from side "
                "to side across the valley and settles on the star; the thin Adam path, ringed "
                "every few steps, follows the valley floor on top of the gradient descent path "
                "and stops about halfway. The second: cost on a logarithmic axis against "
                "iteration, each curve inside a shaded band: momentum's drops fastest in a jagged "
                "line far below the dotted tolerance, gradient descent's falls along a straight "
                "line, and Adam's levels off and falls only slowly."
            ),
        ),
    ),
    exports=(Export("trajectories", export),),
)
