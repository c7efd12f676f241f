"""The cost of a trained digits network along a line and over planes of weight space.

Compute: a [64, 30, 10] network (sigmoid hidden units, softmax output, cross-entropy
cost) trained by minibatch SGD on the digits, with a snapshot of theta after every epoch.
Then, with theta_0 the initial and theta* the trained parameters:

- the line theta(t) = (1 - t) theta_0 + t theta* for t in [-0.5, 1.5]
  (Goodfellow, Vinyals and Saxe 2015): training and test cost at each t;
- a plane theta* + a delta_1 + b delta_2 spanned by two filter-normalised random
  directions (Li et al. 2018): the training cost over a grid;
- the plane theta* + a d1 + b d2 spanned by the top two principal directions of
  the snapshots theta_i - theta* (PCA, as Li et al. do for trajectories): the cost over
  a grid and the snapshots' coordinates in it, the training path seen from above. The
  grid is at least half as tall as it is wide (``PCA_ASPECT``), so that drawn to the same
  scale on both axes it still shows the landscape across the path.

The planes' costs use a fixed subset of the training set (``plane_examples``) to keep
the grids cheap. Draw: the line; the two planes as contour maps with the path.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Figure, Generator, Param, Params
from generators.loss_landscapes import filter_normalised, flatten, load, plane_costs
from generators.loss_landscapes.plots import draw_line, draw_planes
from generators.nn import (CrossEntropy, Dense, GradientDescent, ParameterSnapshots, Sequential,
                           Sigmoid, Softmax, accuracy, data, evaluate, train)

COST = CrossEntropy()
PCA_ASPECT = 0.5  # the principal plane's grid: height at least this times its width


def trained(p: Params, seed: int) -> tuple:
    """Train the page's network from ``seed``: (model, path of snapshots, test accuracy, rng)."""
    rng = np.random.default_rng(seed)
    X, Y, X_test, Y_test = data.digits()
    model = Sequential([Dense(64, p["hidden"]), Sigmoid(), Dense(p["hidden"], 10), Softmax()],
                       rng=rng)
    snaps = ParameterSnapshots(every="epoch")
    train(model, X, Y, cost=COST, optimizer=GradientDescent(eta=p["eta"]), epochs=p["epochs"],
          batch_size=p["batch_size"], rng=rng, callbacks=[snaps])
    path = np.array([flatten(s) for s in snaps.snapshots])      # (epochs + 1, n_params)
    return model, path, accuracy(model, X_test, Y_test), rng


def line_costs(model: Sequential, path: np.ndarray, ts: np.ndarray) -> dict[str, np.ndarray]:
    """Training and test (cost, accuracy) at theta(t) = (1 - t) theta_0 + t theta* for each t."""
    X, Y, X_test, Y_test = data.digits()
    theta0, theta = path[0], path[-1]
    return {split: np.array([evaluate(load(model, (1 - t) * theta0 + t * theta), Xs, Ys, COST)
                             for t in ts])                # columns: cost, accuracy
            for split, (Xs, Ys) in {"train": (X, Y), "test": (X_test, Y_test)}.items()}


def seed_checks(p: Params, seeds: range) -> list[tuple[float, float, float, float]]:
    """The page's claims about the line and the planes, for networks trained from each of
    ``seeds``: is the training cost along the line in [0, 1] free of bumps (1 or 0), how
    much of the path the two principal directions explain, how much two random directions
    keep, and the test accuracy; one row per seed."""
    ts = np.linspace(0, 1, 21)
    rows = []
    for seed in seeds:
        model, path, test_acc, rng = trained(p, seed)
        X, Y, _, _ = data.digits()
        train_cost = np.array([evaluate(load(model, (1 - t) * path[0] + t * path[-1]), X, Y, COST)[0]
                               for t in ts])
        offsets = path - path[-1]
        s = np.linalg.svd(offsets[:-1], compute_uv=False)
        D = np.column_stack([filter_normalised(model, path[-1], rng) for _ in range(2)])
        coords = np.linalg.lstsq(D, offsets.T, rcond=None)[0]
        rows.append((float(np.all(np.diff(train_cost) <= 1e-12)),
                     float((s[:2] ** 2).sum() / (s ** 2).sum()),
                     float(np.sum((D @ coords) ** 2) / np.sum(offsets ** 2)), test_acc))
    return rows


def compute(p: Params) -> dict:
    X, Y, X_test, Y_test = data.digits()
    model, path, test_accuracy, rng = trained(p, p["seed"])
    theta0, theta = path[0], path[-1]

    ts = np.linspace(-0.5, 1.5, p["line_points"])
    line = line_costs(model, path, ts)
    inside = line["train"][(ts >= 0) & (ts <= 1), 0]

    Xp, Yp = X[:p["plane_examples"]], Y[:p["plane_examples"]]
    d_rand = [filter_normalised(model, theta, rng) for _ in range(2)]
    grid = np.linspace(-p["random_extent"], p["random_extent"], p["grid"])
    rand_costs = plane_costs(model, theta, *d_rand, grid, grid, COST, Xp, Yp)

    offsets = path - theta
    _, s, vt = np.linalg.svd(offsets[:-1], full_matrices=False)   # rows: principal directions
    pcs = vt[:2]
    pca_path = offsets @ pcs.T                                    # orthonormal: plain dot products
    lo, hi = pca_path.min(axis=0), pca_path.max(axis=0)
    lo, hi = lo - 0.25 * (hi - lo), hi + 0.25 * (hi - lo)
    half = max(hi[1] - lo[1], PCA_ASPECT * (hi[0] - lo[0])) / 2   # equal scale: tall enough
    lo[1], hi[1] = (lo[1] + hi[1]) / 2 - half, (lo[1] + hi[1]) / 2 + half
    ga, gb = (np.linspace(lo[k], hi[k], p["grid"]) for k in range(2))
    pca_costs = plane_costs(model, theta, pcs[0], pcs[1], ga, gb, COST, Xp, Yp)
    # The same path in the random plane: least-squares coordinates (the directions are not
    # orthogonal), and how much of each offset the two planes keep.
    D = np.column_stack(d_rand)
    rand_path = np.linalg.lstsq(D, offsets.T, rcond=None)[0].T
    kept = lambda coords, basis: float(np.sum((coords @ basis) ** 2) / np.sum(offsets ** 2))
    # The same claims for the networks of the next seeds; row 0 is this one.
    first = (float(np.all(np.diff(inside) <= 1e-12)), float((s[:2] ** 2).sum() / (s ** 2).sum()),
             kept(rand_path, D.T), test_accuracy)
    rows = [first] + seed_checks(p, range(p["seed"] + 1, p["seed"] + p["seeds"]))
    checks = dict(zip(("monotone", "pca_variance", "random_kept", "test_accuracy"),
                      np.array(rows).T))
    return {
        "seed_checks": checks, "n_seeds": p["seeds"],
        "seeds_monotone": int(checks["monotone"].sum()),
        "pca_variance_mean": float(checks["pca_variance"].mean()),
        "pca_variance_sd": float(checks["pca_variance"].std(ddof=1)),
        "random_kept_mean": float(checks["random_kept"].mean()),
        "random_kept_sd": float(checks["random_kept"].std(ddof=1)),
        "test_accuracy_mean": float(checks["test_accuracy"].mean()),
        "test_accuracy_sd": float(checks["test_accuracy"].std(ddof=1)),
        "ts": ts, "line": line, "grid": grid, "rand_costs": rand_costs,
        "rand_path": rand_path, "pca_a": ga, "pca_b": gb, "pca_costs": pca_costs,
        "pca_path": pca_path,
        "pca_variance": float((s[:2] ** 2).sum() / (s ** 2).sum()),
        "pc1_variance": float(s[0] ** 2 / (s ** 2).sum()),
        "pc2_variance": float(s[1] ** 2 / (s ** 2).sum()),
        "random_plane_kept": kept(rand_path, D.T),
        "pca_plane_kept": kept(pca_path, pcs),
        "initial_cost": float(line["train"][np.argmin(abs(ts)), 0]),
        "trained_cost": float(line["train"][np.argmin(abs(ts - 1)), 0]),
        "line_monotone": bool(np.all(np.diff(inside) <= 1e-12)),
        "far_cost": float(line["train"][-1, 0]),
        "left_test_accuracy": float(line["test"][0, 1]),
        "initial_test_accuracy": float(line["test"][np.argmin(abs(ts)), 1]),
        "test_accuracy": test_accuracy,
        "n_params": model.n_params(), "n_train": len(X), "hidden": p["hidden"],
        "epochs": p["epochs"], "batch_size": p["batch_size"], "eta": p["eta"],
        "plane_examples": len(Xp), "random_extent": p["random_extent"],
    }


GENERATOR = Generator(
    compute=compute,
    params={
        "seed": Param(0, "random seed for the initial weights, minibatches and random directions",
                      min=0),
        # two at least: a standard deviation needs two
        "seeds": Param(5, "networks (seed, seed + 1, ...) that check the claims on the line and planes", min=2),
        "hidden": Param(30, "sigmoid hidden units", min=1),
        "eta": Param(0.5, "learning rate η of minibatch gradient descent", min=1e-6),
        "batch_size": Param(20, "minibatch size: training digits per gradient step", min=1),
        # two epochs at least: the PCA plane needs two directions from the path
        "epochs": Param(20, "training epochs (one snapshot of the path after each)", min=2),
        # five at least, so that t = 0 and t = 1 are among the points
        "line_points": Param(41, "points along the line, t from -0.5 to 1.5 (41: steps of 0.05)",
                             min=5),
        "grid": Param(21, "grid points per side of each plane's contour map", min=2),
        "plane_examples": Param(400, "training digits the planes' costs are computed on",
                                min=1, max=1347),
        "random_extent": Param(1.0, "the random plane spans a, b from -extent to +extent", min=1e-6),
    },
    results=("n_seeds", "seeds_monotone", "pca_variance_mean", "pca_variance_sd",
             "random_kept_mean", "random_kept_sd", "test_accuracy_mean", "test_accuracy_sd",
             "pca_variance", "pc1_variance", "pc2_variance", "random_plane_kept",
             "pca_plane_kept", "initial_cost", "trained_cost", "far_cost", "test_accuracy",
             "left_test_accuracy", "initial_test_accuracy",
             "n_params", "n_train", "hidden", "epochs", "batch_size", "eta", "plane_examples",
             "random_extent"),
    figures=(
        Figure(
            "interpolation", draw_line,
            caption=(
                "Cost (logarithmic) and accuracy of the digits network at "
                "points of the straight line through its initial parameters $\\theta_0$ "
                "($t = 0$) and its trained parameters $\\theta^*$ ($t = 1$), on the "
                "training set (solid) and the test set (dashed). Look between the dotted "
                "lines: the training cost falls all the way from start to finish, with no hill "
                "to climb. Beyond them the line leaves the part of weight space that training "
                "visited."
            ),
            alt=(
                "Two line charts against t from -0.5 to 1.5, with dotted vertical lines "
                "at t 0, marked theta 0, and t 1, marked theta star. The first: the cost on a "
                "logarithmic axis is highest near t 0 and falls smoothly to a low value at "
                "t 1 and a little further beyond it; after t 1 the test curve levels "
                "off above the training curve. The second: accuracy is near chance around t 0, "
                "climbs steeply between t 0.1 and 0.5 to nearly 100 percent and stays "
                "level up to 1.5; left of 0 it rises a little again."
            ),
        ),
        Figure(
            "plane", draw_planes,
            caption=(
                "Training cost around the trained parameters $\\theta^*$ (star) on two planes "
                "through them, each drawn to the same scale on its two axes; darker is lower, "
                "and the colour scale is logarithmic. First, the plane "
                "$\\theta^* + a\\,\\delta_1 + b\\,\\delta_2$ of two random filter-normalised "
                "directions $\\delta_1, \\delta_2$. The "
                "training path, projected onto it, shrinks into the star: random directions "
                "miss it. Second, the plane of the two principal directions of the parameters "
                "saved after every epoch, with the share of the path's variance each one "
                "explains. Here the path (one dot per epoch) runs from the start $\\theta_0$ "
                "(square) to $\\theta^*$, in big steps first and small ones at the end."
            ),
            alt=(
                "Two contour maps sharing a colour bar of training cost on a logarithmic "
                "scale. The first, axes a and b from -1 to 1: one bowl of nested, tilted "
                "oval contours whose lowest point is at the centre, where a star marks the "
                "trained parameters; the projected path is hidden under the star. The second, about "
                "twice as wide as tall, axes first and second principal direction: "
                "contours like curved vertical bands, "
                "darker to the right; a path of dots starts at a square at the lower left, "
                "climbs, bends and runs right to the star, the dots crowding together as it "
                "arrives."
            ),
        ),
    ),
)
