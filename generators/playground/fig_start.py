"""The live playground's opening state: the setting, its data and its initial weights.

Compute: the opening setting (``config.DEFAULT``) drawn by the library, the network's
initial weights, and the same network trained for ``epochs`` at build time. Export
``start`` (the page's explorer data): the playground opens on exactly these points and
weights, so a student who presses play trains the network the build trained (only the
minibatch order is drawn in the page). The page quotes the build's losses.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.figure import Export, Generator, Param, Params
from generators.playground import config


def _points(X: np.ndarray, Y: np.ndarray) -> list[list[float]]:
    return [[float(a), float(b), float(y)] for (a, b), y in zip(X, Y[:, 0])]


def compute(p: Params) -> dict[str, Any]:
    setting = config.check({})
    rng = np.random.default_rng(setting["seed"])
    ds = config.make_data(setting, rng)
    model = config.make_model(setting, rng)
    dense = [layer for layer in model.layers if layer.params]
    init = {"W": [layer.params["W"].tolist() for layer in dense],
            "b": [layer.params["b"].tolist() for layer in dense]}
    trained, _, history = config.run(setting, p["epochs"])
    train_loss, test_loss = config.losses(setting, trained, ds)
    start = {"config": setting, "train": _points(ds.X_train, ds.Y_train),
             "test": _points(ds.X_test, ds.Y_test), "init": init,
             "build": {"epochs": p["epochs"], "train_loss": train_loss, "test_loss": test_loss},
             "options": {"learningRate": list(config.RATES),
                         "regularizationRate": list(config.REG_RATES)}}
    return {"start": start, "start_test_loss": test_loss, "start_train_loss": train_loss,
            "start_epochs": p["epochs"], "diverged": history.diverged}


GENERATOR = Generator(
    compute=compute,
    params={"epochs": Param(300, "epochs the build trains the opening setting for", min=1)},
    results=("start_test_loss", "start_train_loss", "start_epochs"),
    exports=(Export("start", lambda d, p: d["start"]),),
    notebook=False,
)
