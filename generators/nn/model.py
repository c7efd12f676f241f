"""``Sequential``: a stack of layers with its parameters and gradients in one place.

    model = Sequential([Dense(2, 3), Sigmoid(), Dense(3, 1), Sigmoid()], rng=rng)
    a = model.forward(x)            # x: (N, 2) -> a: (N, 1); keeps what backward needs
    model.backward(dC_da)           # fills model.grads (and returns dC/dx)
    model.params()                  # {"dense1/W": ..., "dense1/b": ..., "dense2/W": ...}

Layers are named by kind and position, ``dense1``, ``sigmoid1``, ``dense2``... and a
parameter by ``<layer>/<name>``. ``params()`` returns the live arrays: optimizers
update them in place. Layers built without ``rng=`` draw their parameters from the
``rng`` given to Sequential, in layer order.

Deliberately left out: branches and skip connections (a graph model), saving and
loading (figures retrain from seeds and cache their results instead).
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .layers import Layer


class Sequential:
    def __init__(self, layers: Iterable[Layer], *, rng: np.random.Generator | None = None) -> None:
        self.layers = list(layers)
        counts: dict[str, int] = {}
        for layer in self.layers:
            counts[layer.kind] = counts.get(layer.kind, 0) + 1
            layer.name = f"{layer.kind}{counts[layer.kind]}"
            if not layer.initialized:
                if rng is None:
                    raise ValueError(f"{layer.name} ({layer!r}) has no parameters yet: "
                                     "pass rng= to the layer or to Sequential")
                layer.initialize(rng)
        self.grads: dict[str, np.ndarray] = {}
        self._keys = [[(k, f"{layer.name}/{k}") for k in layer.params] for layer in self.layers]
        self._caches: list = []
        self._out_shape: tuple | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Output a of the last layer for a batch ``x: (N, ...)``; remembers caches for backward."""
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        self._caches, self._out_shape = caches, x.shape
        return x

    def backward(self, delta: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        """Backpropagate ``delta = dC/da: (N, ...)`` (shape of the last output); return dC/dx.

        Stores dC/d(param) in ``self.grads`` under the same names as ``params()``.
        ``need_dx=False`` (training) lets the first layer skip dC/dx and returns None.
        """
        if delta.shape != self._out_shape:
            raise ValueError(f"{type(self).__name__}.backward: delta has shape "
                             f"{tuple(delta.shape)}, last forward output had {self._out_shape}")
        grads, layers = self.grads, self.layers
        for i in range(len(layers) - 1, -1, -1):
            layer = layers[i]
            if i == 0 and not need_dx and layer.params:
                delta, g = layer.backward(delta, self._caches[i], need_dx=False)
            else:
                delta, g = layer.backward(delta, self._caches[i])
            for name, key in self._keys[i]:
                grads[key] = g[name]
        return delta

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Network output for ``x`` without touching the caches of a training step."""
        for layer in self.layers:
            x = layer.forward(x)[0]
        return x

    def params(self) -> dict[str, np.ndarray]:
        """All parameters by name, in layer order; the arrays themselves, not copies."""
        return {f"{l.name}/{k}": v for l in self.layers for k, v in l.params.items()}

    def weights(self) -> dict[str, np.ndarray]:
        """The parameters weight decay applies to (each layer's W, never biases)."""
        return {f"{l.name}/{k}": l.params[k] for l in self.layers for k in l.decayed}

    def n_params(self) -> int:
        return sum(v.size for v in self.params().values())

    def summary(self, input_shape: tuple[int, ...]) -> str:
        """Table of layers, output shapes and parameter counts, for one example of
        ``input_shape`` (no batch axis), e.g. ``(64,)`` or ``(1, 8, 8)``."""
        x = np.zeros((1, *input_shape))
        rows = [("layer", "type", "output shape", "params"),
                ("input", "", str(tuple(input_shape)), "")]
        for layer in self.layers:
            x = layer.forward(x)[0]
            count = sum(v.size for v in layer.params.values())
            rows.append((layer.name, repr(layer), str(x.shape[1:]), str(count) if count else ""))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(c.ljust(w) if i < 3 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
        lines.insert(1, "-" * len(lines[0]))
        lines.append(f"total parameters: {self.n_params()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Sequential([{', '.join(repr(l) for l in self.layers)}])"
