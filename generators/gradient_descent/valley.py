"""A two-parameter model whose cost can be drawn as a valley: one linear neuron a = w x + b.

Everything goes through the course library: the model is ``Sequential([Dense(1, 1)])``
(no activation, so a = z = w x + b), the cost is its ``QuadraticCost``
C(w, b) = 1/(2n) sum_x (y(x) - a)^2, the gradient comes from the model's ``backward``,
and descent paths come from ``train`` with ``GradientDescent`` and full batches (one
step per epoch), recording the parameters after every step.

Deliberately left out: a sigmoid on the output. With it the valley is no longer an exact
bowl and a too-large learning rate makes the path bounce around rather than run off to
infinity; the linear neuron shows the three behaviours of gradient descent most plainly.
"""

from __future__ import annotations

import numpy as np

from generators.nn import (Dense, EpochMetrics, GradientDescent, ParameterSnapshots,
                           QuadraticCost, Sequential, train)

COST = QuadraticCost()


def make_data(p: dict) -> tuple[np.ndarray, np.ndarray]:
    """n points on the line y = w_true x + b_true plus Gaussian noise, x uniform in [0, x_max]."""
    rng = np.random.default_rng(p["seed"])
    x = rng.uniform(0.0, p["x_max"], (p["n_points"], 1))
    y = p["w_true"] * x + p["b_true"] + p["noise"] * rng.standard_normal(x.shape)
    return x, y


def model_at(w: float, b: float) -> Sequential:
    """The linear neuron with its weight and bias set to (w, b)."""
    model = Sequential([Dense(1, 1, rng=np.random.default_rng(0))])
    model.layers[0].params["W"][...] = w
    model.layers[0].params["b"][...] = b
    return model


def cost_and_grad(w: float, b: float, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """C(w, b) and its gradient (dC/dw, dC/db), by the library's forward and backward."""
    model = model_at(w, b)
    C, dC_da = COST.value_and_grad(model.forward(x), y)
    model.backward(dC_da)
    return C, np.array([model.grads["dense1/W"][0, 0], model.grads["dense1/b"][0]])


def cost_grid(ws: np.ndarray, bs: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """C at every (w, b) of the grid: ``(len(bs), len(ws))``, rows are values of b."""
    return np.array([[COST(w * x + b, y) for w in ws] for b in bs])


def minimum(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The (w, b) of lowest cost: for a linear neuron, the least-squares line."""
    w, b = np.linalg.lstsq(np.column_stack([x[:, 0], np.ones(len(x))]), y[:, 0], rcond=None)[0]
    return float(w), float(b)


def hessian(x: np.ndarray) -> np.ndarray:
    """C's constant Hessian over (w, b): [[mean x^2, mean x], [mean x, 1]] (C is a quadratic bowl)."""
    m1, m2 = float(x.mean()), float((x * x).mean())
    return np.array([[m2, m1], [m1, 1.0]])


def critical_eta(x: np.ndarray) -> float:
    """Largest stable learning rate, 2 / (largest eigenvalue k_max of C's Hessian).

    One step multiplies the distance to the minimum along each eigenvector of the Hessian
    by 1 - eta*k (k its eigenvalue, the curvature along it), so gradient descent diverges
    as soon as |1 - eta*k_max| > 1.
    """
    return 2.0 / float(np.linalg.eigvalsh(hessian(x)).max())


def arrow_angles(points: np.ndarray, grads: np.ndarray, minimum: tuple[float, float],
                 x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For downhill directions -grad C at ``points`` (both ``(..., 2)``, as (w, b)): the angle
    in degrees to the direction of the minimum, and the angle to the valley's across
    direction (the Hessian's steepest eigenvector, either way along it).

    At the minimum itself the first angle is undefined (NaN).
    """
    down = -grads / np.linalg.norm(grads, axis=-1, keepdims=True)
    to_min = np.asarray(minimum) - points
    dist = np.linalg.norm(to_min, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_min = np.sum(down * to_min / dist, axis=-1)
    across = np.linalg.eigh(hessian(x))[1][:, -1]
    cos_across = np.abs(down @ across)
    return (np.degrees(np.arccos(np.clip(cos_min, -1, 1))),
            np.degrees(np.arccos(np.clip(cos_across, 0, 1))))


def descend(w0: float, b0: float, eta: float, steps: int, x: np.ndarray,
            y: np.ndarray) -> dict:
    """Gradient descent from (w0, b0) with ``train``: the path, its costs, and whether it diverged."""
    model = model_at(w0, b0)
    snapshots = ParameterSnapshots(every="epoch")
    metrics = EpochMetrics(x, y, COST)
    history = train(model, x, y, cost=COST, optimizer=GradientDescent(eta=eta), epochs=steps,
                    callbacks=[snapshots, metrics], on_divergence="record")
    path = np.array([[s["dense1/W"][0, 0], s["dense1/b"][0]] for s in snapshots.snapshots])
    cost = np.array(metrics.loss)
    return {"eta": eta, "path": path, "cost": cost,
            "diverged": bool(history.diverged or cost[-1] > cost[0])}
