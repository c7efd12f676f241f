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


def critical_eta(x: np.ndarray) -> float:
    """Largest stable learning rate, 2 / (largest eigenvalue of C's Hessian).

    C is a quadratic bowl with the constant Hessian [[mean x^2, mean x], [mean x, 1]];
    one step multiplies the distance to the minimum along each eigenvector by 1 - eta*lambda,
    so gradient descent diverges as soon as |1 - eta*lambda_max| > 1.
    """
    m1, m2 = float(x.mean()), float((x * x).mean())
    return 2.0 / float(np.linalg.eigvalsh(np.array([[m2, m1], [m1, 1.0]])).max())


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
