"""Reference runs of the course library, which the page's JS trainer must reproduce.

Compute: for each setting in ``CONFIGS``, what ``config.run`` does, step by step, with
everything recorded that a replay needs: the 2-D points (training and test), the initial
weights, every epoch's minibatch order, every step's cost and every epoch's loss
(``History``), the final weights, and the outputs on a few grid points. Export
``reference``: the browser test (``tests/test_playground_agreement.py``) rebuilds each
network in ``assets/js/lib/playground-nn.js`` from the same start, replays the same
batches and asserts the same numbers to 1e-9 relative.

The orders: ``train`` draws one ``rng.permutation`` of the training rows per epoch, after
the data and the weights; a copy of the generator taken once the weights are drawn
replays them (``tests/lessons/test_playground_reference.py`` checks that it does).

Together the settings cover every activation; no penalty, L1 and L2 at rates that
change the weights; classification on the four sets and regression on both; 0, 1, 3 and
6 hidden layers of 1 to 8 units; all seven features, x1 x2 alone and the squares; batches
of 1, 10 and 30 and training sets that are not a multiple of the batch; learning rates
from 0.001 to 10; and one run that diverges (η = 10), where the replay must stop at the
same step. Each run is short (2 to 5 epochs) so the export stays small.

Deliberately left out: figures (nothing to see; the test is the point) and the notebook
(``notebook=False``: it only produces test data).
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from generators.figure import Export, Generator, Param, Params
from generators.nn import GradientDescent, QuadraticCost, train
from generators.playground import config
from generators.playground.jsonable import points, weights

ALL = list(config.FEATURES)
# (setting, epochs). Comments say what each one adds to the coverage.
CONFIGS: tuple[tuple[dict[str, Any], int], ...] = (
    # The opening setting: circle, tanh, [4, 2], x1 and x2, batch 10.
    ({}, 3),
    # xor from x1 x2 alone, ReLU, L1; 250 rows in batches of 30 (the last one of 10).
    ({"dataset": "xor", "activation": "relu", "regularization": "L1", "regularizationRate": 0.01,
      "features": ["xTimesY"], "networkShape": [8], "batchSize": 30, "learningRate": 0.1,
      "seed": 1}, 5),
    # gauss from the squares, sigmoid, strong L2, three layers, plain SGD (batch 1).
    ({"dataset": "gauss", "activation": "sigmoid", "regularization": "L2",
      "regularizationRate": 0.1, "features": ["xSquared", "ySquared"], "networkShape": [3, 3, 3],
      "batchSize": 1, "percTrainData": 10, "learningRate": 0.3, "noise": 20, "seed": 2}, 2),
    # spiral from all seven features through six layers of 8 tanh units, L2.
    ({"dataset": "spiral", "regularization": "L2", "regularizationRate": 0.03, "features": ALL,
      "networkShape": [8, 8, 8, 8, 8, 8], "percTrainData": 70, "learningRate": 0.1,
      "noise": 10, "seed": 3}, 3),
    # reg-plane with no hidden layer: a linear model of x1 and x2.
    ({"problem": "regression", "regDataset": "reg-plane", "activation": "linear",
      "networkShape": [], "percTrainData": 30, "learningRate": 0.01, "noise": 10, "seed": 4}, 4),
    # reg-gauss through six ReLU layers of 1 to 8 units, L1; 200 rows in batches of 30.
    # (Seed 5 keeps every unit alive: with some draws a ReLU layer is dead from the start
    # and only the penalty moves the weights, which would test little.)
    ({"problem": "regression", "regDataset": "reg-gauss", "activation": "relu",
      "regularization": "L1", "regularizationRate": 0.03, "features": ["x", "y", "sinX", "sinY"],
      "networkShape": [2, 8, 6, 4, 3, 1], "batchSize": 30, "percTrainData": 40,
      "learningRate": 0.03, "seed": 5}, 4),
    # circle, sigmoid, a strong L1, large η; 100 rows in batches of 7.
    ({"activation": "sigmoid", "regularization": "L1", "regularizationRate": 0.1,
      "features": ["xSquared", "ySquared", "xTimesY"], "networkShape": [2], "batchSize": 7,
      "percTrainData": 20, "learningRate": 1, "seed": 6}, 3),
    # xor, linear hidden units, L2 at λ = 1, small η, noisy labels.
    ({"dataset": "xor", "activation": "linear", "regularization": "L2", "regularizationRate": 1,
      "features": ALL, "networkShape": [5, 7], "batchSize": 25, "percTrainData": 90,
      "learningRate": 0.001, "noise": 30, "seed": 7}, 3),
    # Diverges: regression from all seven features at η = 10 overflows at epoch 5, step 4.
    # (Not tanh units here: with them the growing weights once cancel to a cost of 6
    # between 1e18s, which turns rounding into a 1e-6 difference; sigmoid units do not.)
    ({"problem": "regression", "regDataset": "reg-plane", "activation": "sigmoid",
      "features": ALL, "networkShape": [4], "learningRate": 10, "seed": 8}, 5),
)
GRID = [[float(x1), float(x2)] for x2 in np.linspace(5, -5, 4) for x1 in np.linspace(-6, 6, 5)]


def _finite(values: list[float]) -> list[float | None]:
    """JSON has no NaN or infinity: a diverged step's cost is written as null."""
    return [float(v) if math.isfinite(v) else None for v in values]


def reference_run(setting: dict[str, Any], epochs: int) -> dict[str, Any]:
    """One setting trained as ``config.run`` trains it, with what a replay needs."""
    c = config.check(setting)
    rng = np.random.default_rng(c["seed"])
    ds = config.make_data(c, rng)
    model = config.make_model(c, rng)
    init, replay = weights(model), copy.deepcopy(rng)   # replay: the same draws as train's
    history = train(model, config.inputs(c, ds.X_train), ds.Y_train, cost=QuadraticCost(),
                    optimizer=GradientDescent(eta=c["learningRate"]), epochs=epochs,
                    batch_size=c["batchSize"], rng=rng, penalty=config.penalty(c),
                    on_divergence="record")
    orders = [replay.permutation(len(ds.X_train)).tolist() for _ in range(history.epochs)]
    grid_out = model.predict(config.inputs(c, np.array(GRID)))[:, 0]
    return {"config": c, "epochs": epochs, "train": points(ds.X_train, ds.Y_train),
            "test": points(ds.X_test, ds.Y_test), "init": init, "orders": orders,
            "step_loss": _finite(history.step_loss), "epoch_loss": _finite(history.loss),
            "final": weights(model), "grid": GRID, "grid_out": _finite(grid_out.tolist()),
            "diverged_at": list(history.diverged_at) if history.diverged else None}


def compute(p: Params) -> dict[str, Any]:
    runs = [reference_run(setting, epochs * p["epochs_scale"]) for setting, epochs in CONFIGS]
    return {"reference": {"configs": runs}, "reference_configs": len(runs),
            "reference_steps": sum(len(r["step_loss"]) for r in runs)}


GENERATOR = Generator(
    compute=compute,
    params={"epochs_scale": Param(1, "times each reference run's epochs (more steps checked, a larger export)",
                                     min=1)},
    results=("reference_configs", "reference_steps"),
    exports=(Export("reference", lambda d, p: d["reference"]),),
    notebook=False,
)
