"""The playground explorer's data: every combination of its controls, trained at build time.

For one TensorFlow-Playground data set, ``train_grid`` trains a small network for every
activation x regularisation x learning rate x architecture (72 runs), in the spirit of
TensorFlow Playground [Smilkov et al. 2017]: tanh output, labels -1/+1, the quadratic cost,
minibatches of 10. At ten checkpoints it records the output over the plane (a 32 x 32 grid
quantised to bytes), each hidden unit's activation (12 x 12 thumbnails) and the training
and test cost, and packs it compactly for the page (``payload``), which ``files.py`` cuts
into the files the page fetches.

Deliberately left out: the Playground's feature crosses (x1^2, sin x1, ...) and its
regression problems; every run here sees only x1 and x2.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
from typing import Any

import numpy as np

from generators.figure import Param
from generators.nn import (L1, L2, Callback, Dense, GradientDescent, Identity, QuadraticCost,
                           ReLU, Sequential, Sigmoid, Tanh, data, train)

ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "linear": Identity}
REGULARIZATIONS = ("none", "L1", "L2")
# How a hidden unit's activation is shown on the [-1, 1] colour scale of its thumbnail.
SHOWN = {Tanh: lambda h: h, Sigmoid: lambda h: 2 * h - 1, ReLU: np.tanh, Identity: np.tanh}
EXTENT = 6.0  # the plane shown is [-6, 6]^2, as in the Playground
GRID, THUMB = 32, 12  # output map and neuron thumbnail resolution (cells per side)
# Shared by the five generators of the page; the explorer's default setting (fig_overview's
# DEFAULT: rate 0.03, architecture "4") must stay among the rates and architectures.
DATASET_PARAM_SPECS = {
    "seed": Param(0, "random seed for the data, the initial weights and the minibatches", min=0),
    "n_samples": Param(200, "points of each data set, half for training, half for testing", min=2),
    "noise": Param(0.1, "noise of the data sets (the Playground's noise slider / 100)", min=0.0, max=0.5),
    "epochs": Param(100, "training epochs of every run", min=1),
    "batch_size": Param(10, "minibatch size: training points per gradient step", min=1),
    "checkpoints": Param((0, 1, 2, 4, 8, 15, 25, 40, 60, 100),
                         "epochs recorded for the explorer, rising from 0 (before training) to epochs",
                         min=0),
    "rates": Param((0.003, 0.03, 0.3), "learning rates η the explorer offers (keep 0.03, its default)",
                   min=1e-6),
    "architectures": Param(("4", "6-4"),
                           'hidden layer widths offered: "6-4" is 6 units, then 4 (keep "4", the default)'),
    "reg_rate": Param(0.003, "strength λ of the L1 and L2 penalties the explorer offers", min=0.0),
}
DATASET_PARAMS = {k: v.default for k, v in DATASET_PARAM_SPECS.items()}  # the plain default values


def plane(n: int) -> np.ndarray:
    """Cell centres of an n x n grid over the plane, row by row from the top: (n*n, 2)."""
    c = (np.arange(n) + 0.5) / n * 2 * EXTENT - EXTENT
    gx, gy = np.meshgrid(c, c[::-1])
    return np.column_stack([gx.ravel(), gy.ravel()])


def to_bytes(values: np.ndarray, levels: int) -> np.ndarray:
    """Values in [-1, 1] to bytes 0..255 on ``levels`` evenly spaced levels; NaN -> middle.

    Fewer levels than 256 cost nothing visible on a colour map and let the payload
    compress 2-4x better (the explorer's data must stay under 3 MB compressed).
    """
    v = np.nan_to_num(np.clip(values, -1, 1), nan=0.0)
    q = np.round((v + 1) / 2 * (levels - 1)) / (levels - 1)
    return np.round(q * 255).astype(np.uint8)


class Checkpoints(Callback):
    """Output map, hidden-unit maps and costs at the chosen epochs (0 = before training)."""

    def __init__(self, epochs: tuple[int, ...], X: np.ndarray, Y: np.ndarray,
                 X_test: np.ndarray, Y_test: np.ndarray) -> None:
        self.epochs, self.data = set(epochs), (X, Y, X_test, Y_test)
        self.grid, self.thumbs = plane(GRID), plane(THUMB)
        self.out: list[np.ndarray] = []
        self.units: list[np.ndarray] = []
        self.loss: list[tuple[float, float]] = []  # every epoch: (training, test) cost

    def on_train_begin(self, state: Any) -> None:
        self.on_epoch_end(state)

    def on_epoch_end(self, state: Any) -> None:
        model, (X, Y, X_test, Y_test) = state.model, self.data
        cost = QuadraticCost()
        self.loss.append((cost(model.forward(X), Y), cost(model.forward(X_test), Y_test)))
        if state.epoch in self.epochs:
            self.out.append(to_bytes(model.forward(self.grid)[:, 0], levels=64))
            h, maps = self.thumbs, []
            for layer in model.layers[:-2]:  # hidden layers only: not the output unit
                h, _ = layer.forward(h)
                if not isinstance(layer, Dense):
                    maps.append(to_bytes(SHOWN[type(layer)](h), levels=32).T)  # (units, THUMB^2)
            self.units.append(np.concatenate(maps))


def train_one(ds: data.Dataset, activation: str, reg: str, rate: float, arch: str,
              p: dict[str, Any]) -> dict[str, Any]:
    """Train one network; return its checkpoints, packed for the page."""
    rng = np.random.default_rng(p["seed"])
    layers, n_in = [], 2
    for width in (int(w) for w in arch.split("-")):
        layers += [Dense(n_in, width), ACTIVATIONS[activation]()]
        n_in = width
    model = Sequential([*layers, Dense(n_in, 1), Tanh()], rng=rng)
    penalty = {"none": None, "L1": L1(p["reg_rate"]), "L2": L2(p["reg_rate"])}[reg]
    rec = Checkpoints(p["checkpoints"], *ds)
    history = train(model, ds.X_train, ds.Y_train, cost=QuadraticCost(),
                    optimizer=GradientDescent(eta=rate), epochs=p["epochs"],
                    batch_size=p["batch_size"], rng=rng, penalty=penalty, callbacks=[rec],
                    on_divergence="record")
    while len(rec.out) < len(p["checkpoints"]):  # diverged: hold the last picture
        rec.out.append(rec.out[-1])
        rec.units.append(rec.units[-1])
    test_pred = np.sign(model.forward(ds.X_test)[:, 0])
    return {
        "out": base64.b64encode(np.concatenate(rec.out).tobytes()).decode(),
        "units": base64.b64encode(np.concatenate(rec.units).tobytes()).decode(),
        "loss": [[round(a, 4), round(b, 4)] if np.isfinite(a + b) else None for a, b in rec.loss],
        "accuracy": round(float(np.mean(test_pred == ds.Y_test[:, 0])), 4),
        "diverged": history.diverged_at[0] if history.diverged else None,
    }


def train_grid(name: str, p: dict[str, Any]) -> dict[str, Any]:
    """Every combination of the controls on data set ``name``: the explorer's payload."""
    ds = data.playground(name, rng=np.random.default_rng(p["seed"]), n_samples=p["n_samples"],
                         noise=p["noise"], labels="pm1")
    runs = {}
    for activation, reg, rate, arch in itertools.product(
            ACTIVATIONS, REGULARIZATIONS, p["rates"], p["architectures"]):
        runs[f"{activation}|{reg}|{rate}|{arch}"] = train_one(ds, activation, reg, rate, arch, p)
    points = lambda X, Y: [[round(float(a), 2), round(float(b), 2), int(c)] for (a, b), c in zip(X, Y[:, 0])]
    payload = {"dataset": name, "extent": EXTENT, "grid": GRID, "thumb": THUMB,
               "checkpoints": list(p["checkpoints"]), "train": points(ds.X_train, ds.Y_train),
               "test": points(ds.X_test, ds.Y_test), "runs": runs,
               "options": {"activation": list(ACTIVATIONS), "regularization": list(REGULARIZATIONS),
                           "rate": [str(r) for r in p["rates"]],
                           "architecture": list(p["architectures"])}}
    blob = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    accs = [r["accuracy"] for r in runs.values()]
    return {"payload": payload, "runs": len(runs), "raw_bytes": len(blob),
            "gzip_bytes": len(gzip.compress(blob, mtime=0)), "best_accuracy": max(accs),
            "diverged_runs": sum(r["diverged"] is not None for r in runs.values())}
