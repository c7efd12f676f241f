"""Activation functions as layers: a = f(z), applied elementwise (softmax: per row).

Each has ``forward(z) -> (a, cache)`` and ``backward(delta, cache) -> (delta_z, {})``
with delta_z = delta * f'(z) (the lessons' delta = dC/dz). Inputs are any shape
(N, ...); Softmax needs ``z: (N, k)`` and normalises each row.

Deliberately left out: leaky/parametric ReLU, GELU, softplus, and a fused
softmax-plus-cross-entropy shortcut: the general product of derivatives is what the
backpropagation lesson derives, and it is gradient-checked.
"""
from __future__ import annotations

import numpy as np

from .layers import Layer


class Sigmoid(Layer):
    """sigma(z) = 1 / (1 + exp(-z))."""

    kind = "sigmoid"

    def forward(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.exp(-np.maximum(z, -709.0))     # the clip only stops exp overflowing;
        a += 1.0                                # sigma(-709) < 1e-307 is 0 to print precision
        np.reciprocal(a, out=a)
        return a, a

    def backward(self, delta: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, dict]:
        return delta * a * (1.0 - a), {}        # sigma'(z) = sigma(z) (1 - sigma(z))


class Tanh(Layer):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z), output in (-1, 1)."""

    kind = "tanh"

    def forward(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.tanh(z)
        return a, a

    def backward(self, delta: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, dict]:
        return delta * (1.0 - a * a), {}        # tanh'(z) = 1 - tanh(z)^2


class ReLU(Layer):
    """relu(z) = max(0, z)."""

    kind = "relu"

    def forward(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.maximum(z, 0.0), z

    def backward(self, delta: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, dict]:
        return delta * (z > 0), {}              # relu'(z) = 1 if z > 0 else 0 (0 at z = 0)


class Identity(Layer):
    """identity(z) = z (a linear output unit, e.g. for regression)."""

    kind = "identity"

    def forward(self, z: np.ndarray) -> tuple[np.ndarray, None]:
        return z, None

    def backward(self, delta: np.ndarray, cache: None) -> tuple[np.ndarray, dict]:
        return delta, {}                        # identity'(z) = 1


class Softmax(Layer):
    """softmax(z)_j = exp(z_j) / sum_k exp(z_k), per row of ``z: (N, k)``."""

    kind = "softmax"

    def forward(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if z.ndim != 2:
            raise self._bad_shape("(N, k)", z.shape)
        e = np.exp(z - z.max(axis=1, keepdims=True))   # shifting z leaves softmax unchanged
        a = e / e.sum(axis=1, keepdims=True)
        return a, a

    def backward(self, delta: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, dict]:
        # da_j/dz_k = a_j (1[j = k] - a_k), so delta_z = a * (delta - sum_j delta_j a_j)
        return a * (delta - (delta * a).sum(axis=1, keepdims=True)), {}
