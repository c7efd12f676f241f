"""Figures for the page "Loss landscapes and descent trajectories"
(content/visualization/loss-landscapes.md), and the helpers they share.

A network's parameters theta (every W and b) are handled here as one flat vector, so a
point of the landscape is theta, a direction is a vector of the same length, and the
cost along a line or over a plane is the cost at theta* + a d1 + b d2.
"""

from __future__ import annotations

import numpy as np

from generators.nn import Sequential


def flatten(params: dict[str, np.ndarray]) -> np.ndarray:
    """All parameters in ``params`` (e.g. ``model.params()`` or a snapshot) as one vector."""
    return np.concatenate([v.ravel() for v in params.values()])


def load(model: Sequential, theta: np.ndarray) -> Sequential:
    """Write the flat vector ``theta`` into ``model``'s parameters (in place), return it."""
    start = 0
    for value in model.params().values():
        value[...] = theta[start:start + value.size].reshape(value.shape)
        start += value.size
    return model


def cost_at(model: Sequential, theta: np.ndarray, cost, X: np.ndarray, Y: np.ndarray) -> float:
    """C(theta) on ``X, Y``: the cost of ``model`` with its parameters set to ``theta``."""
    return cost(load(model, theta).predict(X), Y)


def filter_normalised(model: Sequential, theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random Gaussian direction, rescaled as Li et al. (2018) do.

    For every weight matrix W (rows are units: row j holds the weights into unit j) each
    row of the direction gets the norm of the same row of ``theta``'s W, so a step of
    length 1 along it changes every unit by as much as that unit's own weights. Biases
    get direction 0.
    """
    load(model, theta)
    parts = []
    for name, value in model.params().items():
        if name.endswith("/W"):
            d = rng.standard_normal(value.shape)
            d *= (np.linalg.norm(value, axis=1) / np.linalg.norm(d, axis=1))[:, None]
        else:
            d = np.zeros_like(value)
        parts.append(d.ravel())
    return np.concatenate(parts)


def plane_costs(model: Sequential, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray,
                a: np.ndarray, b: np.ndarray, cost, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """C(centre + a_i d1 + b_j d2) for the grid: ``(len(b), len(a))``, rows are values of b."""
    return np.array([[cost_at(model, centre + ai * d1 + bj * d2, cost, X, Y) for ai in a]
                     for bj in b])
