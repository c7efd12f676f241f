"""Figures for the page "Inner workings of a network" (content/visualization/inner-workings.md).

Shared by the page's generators: ``mlp`` builds a digit classifier with one kind of
hidden unit and a softmax output, and ``hidden_activations`` runs a forward pass and
keeps every hidden layer's activations a^(l), which the library's ``predict`` does not
return. Each generator trains its own networks in its own process.
"""

from __future__ import annotations

import numpy as np

from generators.nn import Dense, ReLU, Sequential, Sigmoid, Softmax

HIDDEN = {"sigmoid": (Sigmoid, "scaled"), "ReLU": (ReLU, "he")}  # unit kind -> (layer, init)


def mlp(sizes: tuple[int, ...], kind: str, rng: np.random.Generator) -> Sequential:
    """Dense layers of ``sizes`` (e.g. (64, 30, 10)), ``kind`` hidden units, softmax output."""
    act, init = HIDDEN[kind]
    layers: list = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        layers += [Dense(n_in, n_out, init=init), Softmax() if l == len(sizes) - 1 else act()]
    return Sequential(layers, rng=rng)


def hidden_activations(model: Sequential, X: np.ndarray) -> list[np.ndarray]:
    """a^(2), ..., a^(L-1) for a batch ``X: (N, n_in)``: one ``(N, n_l)`` array per hidden layer."""
    out, a = [], X
    for layer in model.layers[:-2]:  # the last Dense and the softmax make the output
        a = layer.forward(a)[0]
        if not isinstance(layer, Dense):
            out.append(a)
    return out
