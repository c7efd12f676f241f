"""Ready-made recorders for ``train(callbacks=[...])``, and the metrics they use.

- ``EpochMetrics(X, Y, cost, X_test, Y_test)``: cost and accuracy per epoch (and before
  training, as epoch 0) on the training and, if given, test data.
- ``GradientNorms(every)``: ||dC/dW|| of each layer's weights, per step or per epoch.
- ``ParameterSnapshots(every, names)``: copies of parameters (trajectories, weights
  as features, loss-landscape paths).
- ``Record(fn, every)``: anything else: appends ``fn(state)`` (e.g. activations).

``every`` is "step" or "epoch". A new recorder subclasses ``train.Callback`` and
overrides any of on_train_begin / on_step_end / on_epoch_end / on_train_end.

Deliberately left out: printing progress, writing files (figure generators cache
their own results), plotting.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .losses import Cost
from .model import Sequential
from .train import Callback, TrainState


def accuracy(model: Sequential, X: np.ndarray, Y: np.ndarray) -> float:
    """Fraction classified correctly. Y one-hot (n, k): argmax; Y (n, 1) in {0, 1}:
    output > 0.5; Y (n, 1) in {-1, +1}: sign of the output."""
    a = model.predict(X)
    if Y.shape[1] > 1:
        return float(np.mean(a.argmax(axis=1) == Y.argmax(axis=1)))
    threshold = 0.0 if Y.min() < 0 else 0.5
    return float(np.mean((a > threshold) == (Y > threshold)))


def evaluate(model: Sequential, X: np.ndarray, Y: np.ndarray, cost: Cost) -> tuple[float, float]:
    """(cost, accuracy) of ``model`` on ``X, Y`` without changing it."""
    return cost(model.predict(X), Y), accuracy(model, X, Y)


def gradient_norms(model: Sequential) -> dict[str, float]:
    """Euclidean norm of dC/dW for each layer with weights, from the last ``backward``."""
    return {name: float(np.linalg.norm(model.grads[name])) for name in model.weights()}


class _Every(Callback):
    """Calls ``self.record(state)`` after every step or after every epoch."""

    def __init__(self, every: str) -> None:
        if every not in ("step", "epoch"):
            raise ValueError(f"every must be 'step' or 'epoch', got {every!r}")
        self.every = every
        if every == "step":         # hooks left alone stay no-ops, which train skips
            self.on_step_end = self.record
        else:
            self.on_epoch_end = self.record

    def record(self, state: TrainState) -> None:
        raise NotImplementedError


class EpochMetrics(Callback):
    """Per epoch (0 = before training): ``loss``, ``accuracy``, ``test_loss``, ``test_accuracy``."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, cost: Cost,
                 X_test: np.ndarray | None = None, Y_test: np.ndarray | None = None) -> None:
        self.data, self.cost = (X, Y, X_test, Y_test), cost
        self.epochs: list[int] = []
        self.loss: list[float] = []
        self.accuracy: list[float] = []
        self.test_loss: list[float] = []
        self.test_accuracy: list[float] = []

    def on_train_begin(self, state: TrainState) -> None:
        self.on_epoch_end(state)

    def on_epoch_end(self, state: TrainState) -> None:
        X, Y, X_test, Y_test = self.data
        self.epochs.append(state.epoch)
        loss, acc = evaluate(state.model, X, Y, self.cost)
        self.loss.append(loss)
        self.accuracy.append(acc)
        if X_test is not None:
            loss, acc = evaluate(state.model, X_test, Y_test, self.cost)
            self.test_loss.append(loss)
            self.test_accuracy.append(acc)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in
                ("epochs", "loss", "accuracy", "test_loss", "test_accuracy")}


class GradientNorms(_Every):
    """``norms[layer_weight_name]``: list of ||dC/dW|| (see ``gradient_norms``)."""

    def __init__(self, every: str = "epoch") -> None:
        super().__init__(every)
        self.norms: dict[str, list[float]] = {}

    def record(self, state: TrainState) -> None:
        for name, value in gradient_norms(state.model).items():
            self.norms.setdefault(name, []).append(value)


class ParameterSnapshots(_Every):
    """``snapshots``: list of {name: copy of the parameter}; ``names=None`` keeps all."""

    def __init__(self, every: str = "epoch", names: Iterable[str] | None = None,
                 initial: bool = True) -> None:
        super().__init__(every)
        self.names = None if names is None else list(names)
        self.initial = initial
        self.snapshots: list[dict[str, np.ndarray]] = []

    def on_train_begin(self, state: TrainState) -> None:
        if self.initial:
            self.record(state)

    def record(self, state: TrainState) -> None:
        params = state.model.params()
        names = params if self.names is None else self.names
        self.snapshots.append({name: params[name].copy() for name in names})


class Record(_Every):
    """``values``: list of ``fn(state)``, e.g. ``Record(lambda s: s.model.predict(grid))``."""

    def __init__(self, fn: Callable[[TrainState], object], every: str = "epoch") -> None:
        super().__init__(every)
        self.fn = fn
        self.values: list = []

    def record(self, state: TrainState) -> None:
        self.values.append(self.fn(state))
