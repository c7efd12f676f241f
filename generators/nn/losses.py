"""Cost functions C(a, y) over a batch of n examples, and weight penalties.

Costs take the network output ``a: (n, k)`` and targets ``y: (n, k)`` and give the
batch *mean*, so the gradient dC/da already carries the 1/n:

- ``QuadraticCost``: C = 1/(2n) sum_x ||y(x) - a(x)||^2 (the lecture's cost).
- ``CrossEntropy``: C = -1/n sum_x sum_j y_j ln a_j, for softmax outputs, one-hot y.
- ``BinaryCrossEntropy``: C = -1/n sum_x sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)],
  for sigmoid outputs, y in {0, 1}.

Penalties act on the weights W of every layer (never on biases), added to C:

- ``L2(lam)``: (lam/2) sum W^2, exactly the lecture's weight decay (UFLDL). Nielsen
  writes lam/(2n) with n the training-set size: his lam equals ours times n.
- ``L1(lam)``: lam sum |W| (the TensorFlow Playground's L1 option).

Deliberately left out: label smoothing, class weights, hinge and regression losses
beyond the quadratic cost.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_TINY = 1e-300      # log(0) guard: keeps y / a finite when an output underflows to 0


class Cost:
    """Contract: ``value_and_grad(a, y) -> (C, dC/da)``; ``cost(a, y)`` gives C alone."""

    op = "Cost"         # op type in a traced dataflow graph

    def value_and_grad(self, a: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        raise NotImplementedError

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        return self.value_and_grad(a, y)[0]

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        if a.shape != y.shape:
            raise ValueError(f"{type(self).__name__}: network output a has shape "
                             f"{tuple(a.shape)} but target y has shape {tuple(y.shape)}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class QuadraticCost(Cost):
    op = "QuadraticCost"

    def value_and_grad(self, a: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        self._check(a, y)
        n = a.shape[0]
        diff = (a - y).ravel()
        # C = 1/(2n) sum (a - y)^2   ->   dC/da = (a - y) / n
        return 0.5 * float(diff @ diff) / n, (diff / n).reshape(a.shape)


class CrossEntropy(Cost):
    op = "CrossEntropy"

    def value_and_grad(self, a: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        self._check(a, y)
        n = a.shape[0]
        a = np.maximum(a, _TINY)
        # C = -1/n sum y ln a   ->   dC/da = -y / (n a)
        return -float(np.sum(y * np.log(a))) / n, -y / (n * a)


class BinaryCrossEntropy(Cost):
    op = "BinaryCrossEntropy"

    def value_and_grad(self, a: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        self._check(a, y)
        n = a.shape[0]
        a = np.minimum(np.maximum(a, 1e-15), 1.0 - 1e-15)   # sigmoid outputs can round to 0 or 1
        C = -float(np.sum(y * np.log(a) + (1.0 - y) * np.log1p(-a))) / n
        # dC/da = (a - y) / (n a (1 - a)); times sigma'(z) = a (1 - a) this is (a - y) / n
        return C, (a - y) / (n * a * (1.0 - a))


class L2:
    """Weight decay (lam/2) sum W^2 over the weights of every layer."""

    op = "L2Penalty"

    def __init__(self, lam: float) -> None:
        self.lam = lam

    def value(self, weights: Iterable[np.ndarray]) -> float:
        return 0.5 * self.lam * sum(float(np.vdot(W, W)) for W in weights)

    def grad(self, W: np.ndarray) -> np.ndarray:
        return self.lam * W                     # d/dW (lam/2) W^2 = lam W

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lam={self.lam})"


class L1(L2):
    """L1 penalty lam sum |W| over the weights of every layer."""

    op = "L1Penalty"

    def value(self, weights: Iterable[np.ndarray]) -> float:
        return self.lam * sum(float(np.abs(W).sum()) for W in weights)

    def grad(self, W: np.ndarray) -> np.ndarray:
        return self.lam * np.sign(W)            # d/dW lam |W| = lam sign(W) (0 at W = 0)
