"""Build-time runs of playground settings: what the page's figures and claims measure.

``measure`` trains one setting with ``config.run`` (the live playground's maths) and
returns the numbers the page quotes: training and test loss (quadratic cost, without the
penalty), test accuracy for classification, the test loss after every epoch, the output
over the plane, and the weights. ``sweep`` does it for several seeds and summarises with
the course's one rule (``generators.seeds.mean_sd``); ``median_seed`` picks the run a
figure shows.

Deliberately left out: anything the live page draws (neuron maps, edges); figures here
show the output map only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.nn import Callback, QuadraticCost
from generators.playground import config
from generators.seeds import mean_sd

GRID = 100  # cells per side of the output map a figure draws


def plane(n: int = GRID) -> np.ndarray:
    """Cell centres of an n x n grid over [-6, 6]^2, row by row from the top: (n*n, 2)."""
    c = (np.arange(n) + 0.5) / n * 2 * config.EXTENT - config.EXTENT
    gx, gy = np.meshgrid(c, c[::-1])
    return np.column_stack([gx.ravel(), gy.ravel()])


class TestLoss(Callback):
    """The test set's quadratic cost after every epoch (without the penalty)."""

    def __init__(self, X_test: np.ndarray, Y_test: np.ndarray) -> None:
        self.X, self.Y, self.loss = X_test, Y_test, []

    def on_epoch_end(self, state: Any) -> None:
        self.loss.append(QuadraticCost()(state.model.forward(self.X), self.Y))


def measure(setting: dict[str, Any], epochs: int, *, curve: bool = False) -> dict[str, Any]:
    """Train ``setting`` (its own seed) for ``epochs``; what the page may quote about the run.

    Keys: train_loss, test_loss, accuracy (classification; None for regression),
    diverged, output (the output on the ``GRID`` plane, rows from the top), W (every
    weight, flattened), and with ``curve`` the test loss after each epoch.
    """
    c = config.check(setting)
    rng = np.random.default_rng(c["seed"])
    ds = config.make_data(c, rng)  # the same draws run() makes first: the same points
    callbacks = (TestLoss(config.inputs(c, ds.X_test), ds.Y_test),) if curve else ()
    model, ds, history = config.run(c, epochs, callbacks=callbacks)
    train_loss, test_loss = config.losses(c, model, ds)
    out = model.forward(config.inputs(c, ds.X_test))[:, 0]
    accuracy = (float(np.mean(np.sign(out) == ds.Y_test[:, 0]))
                if c["problem"] == "classification" else None)
    W = np.concatenate([layer.params["W"].ravel() for layer in model.layers if layer.params])
    return {"train_loss": float(train_loss), "test_loss": float(test_loss), "accuracy": accuracy,
            "diverged": bool(history.diverged), "W": W, "data": ds,
            "output": model.forward(config.inputs(c, plane()))[:, 0].reshape(GRID, GRID),
            "curve": callbacks[0].loss if curve else None}


def sweep(setting: dict[str, Any], epochs: int, seeds: int, *, curve: bool = False) -> list[dict]:
    """``measure`` for seeds 0 .. seeds-1 (data, weights and minibatches all drawn anew)."""
    return [measure({**setting, "seed": s}, epochs, curve=curve) for s in range(seeds)]


def median_seed(runs: list[dict], key: str = "test_loss") -> int:
    """Index of the run with the median ``key`` (the lower median for an even count)."""
    order = np.argsort([r[key] for r in runs], kind="stable")
    return int(order[(len(runs) - 1) // 2])


def summary(runs: list[dict], key: str) -> tuple[float, float]:
    """Mean and sd of ``key`` over the runs (``generators.seeds.mean_sd``)."""
    return mean_sd([r[key] for r in runs])
