"""The playground exports' shared pieces, as plain JSON lists the page's script reads.

``points``: a data set's points and targets as ``[[x1, x2, y], ...]``; ``weights``: a
network's ``{"W": [...], "b": [...]}`` layer by layer (W as ``Dense.W``, n_out x n_in),
what ``PlaygroundNN.fromWeights`` takes. Full float precision.
"""

from __future__ import annotations

import numpy as np

from generators.nn import Sequential


def points(X: np.ndarray, Y: np.ndarray) -> list[list[float]]:
    """Points ``X: (n, 2)`` and targets ``Y: (n, 1)`` as ``[[x1, x2, y], ...]``."""
    return [[float(a), float(b), float(y)] for (a, b), y in zip(X, Y[:, 0])]


def weights(model: Sequential) -> dict[str, list]:
    """Every Dense layer's W and b, in order, as nested lists."""
    dense = [layer for layer in model.layers if layer.params]
    return {"W": [layer.params["W"].tolist() for layer in dense],
            "b": [layer.params["b"].tolist() for layer in dense]}
