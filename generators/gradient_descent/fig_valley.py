"""The cost valley of a linear neuron a = w x + b, and gradient descent rolling down it.

Compute (with ``valley.py``, i.e. the course library's Dense layer, quadratic cost,
backward pass and ``train``): a small 1-D data set; the cost C(w, b) on a grid and its
downhill direction -grad C on a coarser one; for one step from the start point, the real
change of cost against eta next to the first-order prediction -eta ||grad C||^2; and
gradient-descent paths for a too-small, a good and a too-large learning rate.
Draw (``plots.py``): the data with a few lines (w, b); the contour map with arrows; the
one-step check; the three paths on the map beside their cost against iteration.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.gradient_descent import plots
from generators.gradient_descent.valley import (arrow_angles, cost_and_grad, cost_grid, critical_eta,
                                                descend, make_data, minimum)


def compute(p: Params) -> dict:
    x, y = make_data(p)
    w_min, b_min = minimum(x, y)
    ws = np.linspace(*p["w_range"], 121)
    bs = np.linspace(*p["b_range"], 121)
    aw = np.linspace(*p["w_range"], 10)[1:-1]
    ab = np.linspace(*p["b_range"], 10)[1:-1]
    arrows = np.array([[cost_and_grad(w, b, x, y)[1] for w in aw] for b in ab])  # (b, w, 2)
    to_min, to_across = arrow_angles(np.stack(np.meshgrid(aw, ab), axis=-1), arrows,
                                     (w_min, b_min), x)
    w0, b0 = p["start"]
    C0, g = cost_and_grad(w0, b0, x, y)
    crit = critical_eta(x)
    etas = np.linspace(0.0, p["step_eta_max"], 401)
    change = np.array([cost_and_grad(w0 - e * g[0], b0 - e * g[1], x, y)[0] - C0 for e in etas])
    runs = [descend(w0, b0, eta, p["steps"], x, y) for eta in p["etas"]]
    return {
        "x": x[:, 0], "y": y[:, 0], "ws": ws, "bs": bs, "C": cost_grid(ws, bs, x, y),
        "aw": aw, "ab": ab, "arrows": arrows, "runs": runs, "step_etas": etas,
        "step_change": change, "step_predicted": -etas * float(g @ g),
        "w_min": w_min, "b_min": b_min, "cost_min": cost_and_grad(w_min, b_min, x, y)[0],
        "w0": float(w0), "b0": float(b0), "cost_start": C0,
        "eta_small": runs[0]["eta"], "eta_good": runs[1]["eta"], "eta_large": runs[2]["eta"],
        "cost_small": float(runs[0]["cost"][-1]), "cost_good": float(runs[1]["cost"][-1]),
        "cost_large": float(runs[2]["cost"][-1]),
        "eta_critical": crit, "steps": p["steps"], "n_points": p["n_points"],
        "arrow_to_min": to_min, "arrow_to_across": to_across,
        "arrow_angle_mean": float(np.nanmean(to_min)), "arrow_angle_max": float(np.nanmax(to_min)),
        "arrows_across": float(np.mean(to_across < 45.0)), "n_arrows": int(to_across.size),
        "step_eta_best": float(etas[np.argmin(change)]),
        "step_eta_zero": float(etas[1:][change[1:] >= 0][0]) if np.any(change[1:] >= 0) else float("nan"),
    }


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(2, "random seed for the data points", min=0),
        "n_points": Param(20, "data points (at least two, so that one line fits them best)", min=2),
        "x_max": Param(2.0, "the points' x are uniform in [0, x_max]", min=1e-6),
        "w_true": Param(1.5, "slope w of the line the data are drawn around"),
        "b_true": Param(0.5, "intercept b of the line the data are drawn around"),
        "noise": Param(0.3, "standard deviation of the Gaussian noise added to each y", min=0.0),
        "start": Param((-0.5, 3.5), "starting point (w, b) of gradient descent"),
        "etas": Param((0.1, 0.6, 1.15), "three learning rates η: too small, good, too large",
                      min=1e-6),
        "steps": Param(40, "gradient-descent steps of each path", min=1),
        "w_range": Param((-1.5, 4.0), "(lowest, highest) w of the contour map"),
        "b_range": Param((-1.5, 4.5), "(lowest, highest) b of the contour map"),
        "step_eta_max": Param(1.8, "largest learning rate η of the one-step check", min=1e-6),
    },
    results=("w_min", "b_min", "cost_min", "w0", "b0", "cost_start", "eta_small", "eta_good",
             "eta_large", "cost_small", "cost_good", "cost_large", "eta_critical", "steps",
             "n_points", "step_eta_best", "step_eta_zero", "arrow_angle_mean", "arrow_angle_max",
             "arrows_across", "n_arrows"),
    figures=(
        Figure(
            "cost-surface", plots.draw_surface,
            caption=(
                "First panel: the training points and the line $a = wx + b$ for three choices of "
                "$(w, b)$. Second panel: the cost $C(w, b)$ of every choice, as contour lines of equal "
                "cost (the same three choices are marked), with arrows pointing along "
                "$-\\nabla C$, all drawn at the same length. Look at the arrows: they cross the "
                "contours at right angles, the steepest way downhill, and that is mostly across "
                "the narrow valley towards its floor, not at the lowest cost (the cross). "
                "A step long enough to overshoot the floor therefore lands on the far side, and "
                "descent zig-zags across the valley instead of heading for the cross."
            ),
            alt=(
                "Two panels. First: scattered points rising from left to right, with three straight lines, "
                "one fitting them well and two poorly. Second: a map with the weight w on the "
                "horizontal axis and the bias b on the vertical axis, showing nested elongated "
                "elliptical contours tilted downwards to the right around a cross at the minimum; "
                "small arrows of equal length cross the contours at right angles, most of them "
                "pointing across the valley towards its long floor rather than at the cross."
            ),
        ),
        Figure(
            "first-step", plots.draw_first_step,
            caption=(
                "One step of gradient descent from the start point, for every learning rate "
                "$\\eta$ on the horizontal axis: the real change of cost $\\Delta C$ (solid) "
                "and the first-order prediction $\\Delta C \\approx -\\eta \\lVert\\nabla C\\rVert^2$ "
                "(dashed). Look at where they part: for small $\\eta$ the prediction is "
                "accurate, and for large $\\eta$ the step overshoots and can even raise the cost."
            ),
            alt=(
                "A line chart of the change of cost against the learning rate. The dashed "
                "prediction is a straight line falling from zero. The solid real change "
                "follows it at first, bends away, reaches a lowest point and rises back "
                "through zero into positive values."
            ),
        ),
        Figure(
            "descent-paths", plots.draw_paths,
            caption=(
                "Gradient descent from the same start (ringed dot) with three learning rates; "
                "each dot on the cost maps is one step, and the last panel shows the cost "
                "after every step on a logarithmic axis. Look at the three behaviours: the "
                "small rate creeps along the valley floor and its cost falls slowly, the good "
                "rate reaches the minimum (cross, dotted line), and the large rate zigzags "
                "across the valley with ever bigger swings until it leaves the map, while its "
                "cost climbs."
            ),
            alt=(
                "Three contour maps of the cost over w and b, each with a path of dots from the "
                "same start, and a line chart. First map: short, closely spaced steps that slide "
                "to the valley floor and stop far from the minimum. Second: steps that reach "
                "the minimum. Third: steps that jump from one side of the valley to the other "
                "with growing amplitude and run off the map. The chart of cost against "
                "iteration, with a logarithmic cost axis, shows one curve falling quickly to "
                "the dotted minimum line, one falling slowly and staying above it, and one "
                "climbing to values far above the starting cost."
            ),
        ),
    ),
)
