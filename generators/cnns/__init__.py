"""Figures for the lesson "Convolutional neural networks" (content/lessons/cnns.md).

The lesson's CNN is defined here and shared by two generators: ``fig_training`` records
its learning curves, ``fig_inside`` looks at its filters and feature maps. Each generator
runs in its own process and trains it there; the same parameters (and seed) give the
same network. An instructor who overrides a CNN parameter in
site_config/figures.yml should override it for both ``cnns/training`` and ``cnns/inside``.
``CNN_PARAM_SPECS`` declares the shared parameters (meaning and range), ``CNN_PARAMS``
holds their default values.
"""

from __future__ import annotations

import numpy as np

from generators.figure import Param, Params
from generators.nn import (Callback, Conv2D, CrossEntropy, Dense, Flatten, MaxPool2D, Momentum,
                           ReLU, Sequential, Softmax, data, train)

# kernel <= 5 and pool <= 4 keep every feature map at least one pixel wide, with the
# padding of build_cnn and without it (the exercise's unpadded network).
CNN_PARAM_SPECS = {
    "seed": Param(0, "random seed for the initial weights and the minibatch order", min=0),
    "channels": Param(8, "number of convolution filters (feature maps)", min=1),
    "kernel": Param(3, "side of each square convolution kernel, in pixels", min=1, max=5),
    "pool": Param(2, "side of each max-pooling region, in pixels", min=1, max=4),
    "epochs": Param(8, "training epochs (passes over the 1347 training digits)", min=1),
    "batch_size": Param(10, "minibatch size: training digits per gradient step", min=1),
    "eta": Param(0.05, "learning rate η of the momentum optimizer", min=1e-6),
    "mu": Param(0.9, "momentum coefficient μ, below 1 (0: plain minibatch SGD)", min=0.0, max=0.999),
}
CNN_PARAMS = {k: v.default for k, v in CNN_PARAM_SPECS.items()}  # the plain default values
# Results read off the model: <layer>_c/_h/_w (or _n) output shape, <layer>_params.
ARCH = ("conv1_c", "conv1_h", "conv1_w", "conv1_params", "relu1_c", "relu1_h", "relu1_w",
        "maxpool1_c", "maxpool1_h", "maxpool1_w", "flatten1_n", "dense1_n", "dense1_params",
        "softmax1_n")


def build_cnn(p: Params, rng: np.random.Generator, padding: int | None = None) -> Sequential:
    """The lesson's CNN for ``(1, 8, 8)`` images; padding ``kernel // 2`` keeps the size."""
    k = p["kernel"]
    front = [Conv2D(1, p["channels"], k, padding=k // 2 if padding is None else padding,
                    rng=rng), ReLU(), MaxPool2D(p["pool"]), Flatten()]
    x = np.zeros((1, 1, 8, 8))
    for layer in front:                          # size of the flattened feature maps
        x = layer.forward(x)[0]
    return Sequential(front + [Dense(x.shape[1], 10, rng=rng), Softmax()])


def train_cnn(p: Params, callbacks: tuple = ()) -> Sequential:
    """Build the lesson's CNN from ``p`` and train it on the digits; deterministic in p."""
    X, Y, _, _ = data.digits(images=True)
    rng = np.random.default_rng(p["seed"])
    model = build_cnn(p, rng)
    train(model, X, Y, cost=CrossEntropy(), optimizer=Momentum(eta=p["eta"], mu=p["mu"]),
          epochs=p["epochs"], batch_size=p["batch_size"], rng=rng, callbacks=callbacks)
    return model


class Curves(Callback):
    """Per epoch (0 = before training): cost and accuracy on the training and test sets,
    the keys of ``EpochMetrics.to_dict()``. Unlike ``EpochMetrics`` it predicts each set
    once (not once for the cost and again for the accuracy) and in chunks: a CNN predicts
    a thousand images several times faster in chunks of ~100 than in one batch."""

    def __init__(self, X, Y, X_test, Y_test, chunk: int = 100) -> None:
        self.sets, self.chunk, self.cost = {"": (X, Y), "test_": (X_test, Y_test)}, chunk, CrossEntropy()
        self.history: dict[str, list] = {"epochs": [], "loss": [], "accuracy": [],
                                         "test_loss": [], "test_accuracy": []}

    def on_train_begin(self, state) -> None:
        self.on_epoch_end(state)

    def on_epoch_end(self, state) -> None:
        self.history["epochs"].append(state.epoch)
        for split, (X, Y) in self.sets.items():
            a = np.concatenate([state.model.predict(X[i:i + self.chunk])
                                for i in range(0, len(X), self.chunk)])
            self.history[f"{split}loss"].append(self.cost(a, Y))
            self.history[f"{split}accuracy"].append(float(np.mean(a.argmax(1) == Y.argmax(1))))

    def to_dict(self) -> dict:
        return self.history
