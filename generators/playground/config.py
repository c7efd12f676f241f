"""What a playground setting means, in the course library: data, network, penalty, training.

The live playground (``site_config/assets/js/playground.js``) and every build-time run of
the playground page share one setting, a ``dict`` with the TensorFlow Playground's URL
names (``DEFAULT`` lists them all; the page's URL hash uses the same keys):

- ``problem`` "classification" or "regression"; ``dataset`` one of the four classification
  sets, ``regDataset`` one of the two regression sets (``generators/nn/data/playground.py``);
- ``noise`` 0-50 (per cent, as the Playground's slider), ``percTrainData`` 10-90;
- ``batchSize`` 1-30, ``learningRate`` η and ``regularizationRate`` λ from ``RATES`` and
  ``REG_RATES``, ``activation`` of the hidden units, ``regularization`` none, L1 or L2;
- ``features``: the inputs, a list from ``FEATURES`` (x1, x2, x1², x2², x1 x2, sin x1, sin x2);
- ``networkShape``: the hidden layers' widths, 0-6 layers of 1-8 units;
- ``seed``: the draws of the data and the initial weights.

Its meaning, which the page's script (``assets/js/lib/playground-nn.js``) reproduces step
for step: a tanh output unit for classification (labels -1 / +1), a linear one for
regression; the quadratic cost C = 1/(2n) Σ (a − y)²; ``L1(λ)`` or ``L2(λ)`` on the
weights, never the biases; gradient descent with minibatches (``train``); the library's
default initialisation, weights N(0, 1/n_in) and biases 0.

Deliberately left out: the Playground's cos features and its "collect stats" option.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.nn import (L1, L2, Dense, GradientDescent, Identity, QuadraticCost, ReLU,
                           Sequential, Sigmoid, Tanh, data, train)
from generators.nn.train import History

FEATURES = data.PLAYGROUND_FEATURES
CLASSIFICATION, REGRESSION = data.PLAYGROUND_SETS, data.PLAYGROUND_REGRESSION_SETS
ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "linear": Identity}
REGULARIZATIONS = ("none", "L1", "L2")
RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)   # the Playground's η
REG_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)             # and its λ
N_SAMPLES = 500          # points drawn for every data set, split by percTrainData
MAX_LAYERS, MAX_WIDTH = 6, 8
EXTENT = 6.0             # the plane shown is [-6, 6]^2, as in the Playground

# The Playground's own opening setting (x1 and x2 into 4 then 2 tanh units, η = 0.03).
# Its seed is the median of the build's runs from seeds 0-8 (fig_start; a test holds it).
DEFAULT: dict[str, Any] = {
    "problem": "classification", "dataset": "circle", "regDataset": "reg-plane",
    "noise": 0, "percTrainData": 50, "batchSize": 10, "learningRate": 0.03,
    "activation": "tanh", "regularization": "none", "regularizationRate": 0,
    "features": ["x", "y"], "networkShape": [4, 2], "seed": 1,
}


def check(config: dict[str, Any]) -> dict[str, Any]:
    """``DEFAULT`` updated with ``config``; ``ValueError`` naming the first bad key."""
    c = {**DEFAULT, **config}
    unknown = sorted(set(config) - set(DEFAULT))
    rules = {
        "problem": c["problem"] in ("classification", "regression"),
        "dataset": c["dataset"] in CLASSIFICATION, "regDataset": c["regDataset"] in REGRESSION,
        "noise": 0 <= c["noise"] <= 50, "percTrainData": 10 <= c["percTrainData"] <= 90,
        "batchSize": isinstance(c["batchSize"], int) and 1 <= c["batchSize"] <= 30,
        "learningRate": c["learningRate"] in RATES, "activation": c["activation"] in ACTIVATIONS,
        "regularization": c["regularization"] in REGULARIZATIONS,
        "regularizationRate": c["regularizationRate"] in REG_RATES,
        "features": bool(c["features"]) and all(f in FEATURES for f in c["features"]),
        "networkShape": len(c["networkShape"]) <= MAX_LAYERS
                        and all(isinstance(w, int) and 1 <= w <= MAX_WIDTH for w in c["networkShape"]),
        "seed": isinstance(c["seed"], int) and c["seed"] >= 0,
    }
    bad = unknown + [k for k, ok in rules.items() if not ok]
    if bad:
        raise ValueError(f"playground setting: bad value for {bad[0]!r}: {c.get(bad[0])!r}")
    return c


def make_data(config: dict[str, Any], rng: np.random.Generator) -> data.Dataset:
    """The setting's points, split for training and testing: 2-D points, targets ``(n, 1)``.

    Features are not applied here (``inputs`` does that), so figures can draw the points.
    """
    c = check(config)
    name = c["dataset"] if c["problem"] == "classification" else c["regDataset"]
    return data.playground(name, rng=rng, n_samples=N_SAMPLES, noise=c["noise"] / 100,
                           train_fraction=c["percTrainData"] / 100, labels="pm1")


def inputs(config: dict[str, Any], X: np.ndarray) -> np.ndarray:
    """The network's inputs for points ``X: (n, 2)``: ``(n, len(features))``."""
    return data.features(X, check(config)["features"])


def make_model(config: dict[str, Any], rng: np.random.Generator) -> Sequential:
    """The setting's network, its weights drawn from ``rng`` layer by layer (W, then b)."""
    c = check(config)
    layers, n_in = [], len(c["features"])
    for width in c["networkShape"]:
        layers += [Dense(n_in, width), ACTIVATIONS[c["activation"]]()]
        n_in = width
    output = Tanh() if c["problem"] == "classification" else Identity()
    return Sequential([*layers, Dense(n_in, 1), output], rng=rng)


def penalty(config: dict[str, Any]) -> L1 | L2 | None:
    """``L1(λ)``, ``L2(λ)`` or None."""
    c = check(config)
    kind = {"none": None, "L1": L1, "L2": L2}[c["regularization"]]
    return None if kind is None else kind(c["regularizationRate"])


def run(config: dict[str, Any], epochs: int, *, seed: int | None = None,
        callbacks: tuple = ()) -> tuple[Sequential, data.Dataset, History]:
    """Train the setting for ``epochs``; return the model, the 2-D data and the history.

    One ``numpy.random.default_rng(seed)`` (the setting's seed unless given) draws the
    data, then the weights, then every epoch's minibatch order. A diverging run stops
    and is flagged in the history (``on_divergence="record"``).
    """
    c = check(config)
    rng = np.random.default_rng(c["seed"] if seed is None else seed)
    ds = make_data(c, rng)
    model = make_model(c, rng)
    history = train(model, inputs(c, ds.X_train), ds.Y_train, cost=QuadraticCost(),
                    optimizer=GradientDescent(eta=c["learningRate"]), epochs=epochs,
                    batch_size=c["batchSize"], rng=rng, penalty=penalty(c),
                    callbacks=callbacks, on_divergence="record")
    return model, ds, history


def losses(config: dict[str, Any], model: Sequential, ds: data.Dataset) -> tuple[float, float]:
    """(training, test) quadratic cost of ``model`` on ``ds``, without the penalty."""
    cost = QuadraticCost()
    return (cost(model.forward(inputs(config, ds.X_train)), ds.Y_train),
            cost(model.forward(inputs(config, ds.X_test)), ds.Y_test))
