"""Layers with parameters or reshaping: the layer contract, Dense and Flatten.

Every layer follows one contract (after CS231n's ``layers.py``):

    out, cache = layer.forward(x)              # cache: what backward needs
    delta_in, grads = layer.backward(delta, cache)

``delta`` is dC/d(out), ``delta_in`` is dC/dx, and ``grads`` maps each name in
``layer.params`` ("W", "b") to dC/d(param) with the same shape. Layers with
parameters also accept ``backward(delta, cache, need_dx=False)``, which skips
dC/dx (returns None) for the first layer of a training step. Layers keep no
per-call state, so one layer can be run on several batches and checked numerically.

Convention, used everywhere in this package: a batch is row-major, one example
per row, ``x: (N, n_in)``. The maths of the lessons writes one example as a column
vector and ``W^(l)_ji`` for the weight from unit i to unit j, so ``W: (n_out, n_in)``
exactly as in the maths, and ``z = W a + b`` becomes ``z = a @ W.T + b`` in code.

Deliberately left out: autograd, batch normalisation, dropout, dtype juggling
(everything is float64 unless the caller passes something else).
"""
from __future__ import annotations

import numpy as np

from .init import init_bias, init_weights


class Layer:
    """Base class: no parameters, identity shape checks. Subclasses set ``kind``."""

    kind = "layer"          # prefix of the name Sequential gives it: "dense1", "relu2", ...
    decayed: tuple[str, ...] = ()   # parameters that weight decay (L2/L1) applies to

    def __init__(self) -> None:
        self.name = self.kind           # Sequential renames it, e.g. "dense1"
        self.params: dict[str, np.ndarray] = {}

    def initialize(self, rng: np.random.Generator) -> None:
        """Draw the parameters from ``rng``; a no-op for layers without any."""

    @property
    def initialized(self) -> bool:
        return True

    def trace_ops(self) -> list[tuple[str, str | None]]:
        """Forward ops as (op type, parameter read or None), for ``trace.trace_step``."""
        return [(type(self).__name__, None)]

    def _bad_shape(self, expected: str, got: tuple) -> ValueError:
        return ValueError(f"{self.name} ({self!r}): expected input of shape {expected}, "
                          f"got {tuple(got)}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Dense(Layer):
    """Fully connected layer: z = a @ W.T + b.

    Parameters: ``W: (n_out, n_in)`` (row j holds the weights W_ji into unit j),
    ``b: (n_out,)``. Input ``a: (N, n_in)``, output ``z: (N, n_out)``.
    ``init``: "normal" N(0, 1), "scaled" N(0, 1/n_in), "he" N(0, 2/n_in);
    ``bias``: a constant, or "normal" for N(0, 1) as in Nielsen's network.py.
    """

    kind = "dense"
    decayed = ("W",)

    def __init__(self, n_in: int, n_out: int, *, init: str = "scaled",
                 bias: float | str = 0.0, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.n_in, self.n_out, self.init, self.bias = n_in, n_out, init, bias
        if rng is not None:
            self.initialize(rng)

    def initialize(self, rng: np.random.Generator) -> None:
        self.params = {"W": init_weights(rng, (self.n_out, self.n_in), self.n_in, self.init),
                       "b": init_bias(rng, (self.n_out,), self.bias)}

    @property
    def initialized(self) -> bool:
        return bool(self.params)

    def forward(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if a.ndim != 2 or a.shape[1] != self.n_in:
            raise self._bad_shape(f"(N, {self.n_in})", a.shape)
        return a @ self.params["W"].T + self.params["b"], a

    def backward(self, delta: np.ndarray, a: np.ndarray,
                 need_dx: bool = True) -> tuple[np.ndarray | None, dict]:
        # dz_j/dW_ji = a_i,  dz_j/db_j = 1,  dz_j/da_i = W_ji  (summed over the batch)
        grads = {"W": delta.T @ a, "b": delta.sum(axis=0)}
        return (delta @ self.params["W"] if need_dx else None), grads

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("MatMul", "W"), ("BiasAdd", "b")]

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out})"


class Flatten(Layer):
    """Reshape ``x: (N, C, h, w)`` (or any (N, ...)) to ``(N, C*h*w)``, row-major."""

    kind = "flatten"

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        if x.ndim < 2:
            raise self._bad_shape("(N, ...)", x.shape)
        return x.reshape(x.shape[0], -1), x.shape

    def backward(self, delta: np.ndarray, shape: tuple) -> tuple[np.ndarray, dict]:
        return delta.reshape(shape), {}         # a reshape: derivative is the identity

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("Reshape", None)]
