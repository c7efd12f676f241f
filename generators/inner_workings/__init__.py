"""Figures for the page "Inner workings of a network" (content/visualization/inner-workings.md).

Shared by the page's generators: ``mlp`` builds a digit classifier with one kind of
hidden unit and a softmax output, and ``hidden_activations`` runs a forward pass and
keeps every hidden layer's activations a^(l), which the library's ``predict`` does not
return. Each generator trains its own networks in its own process. ``seed_list``,
``mean_sd`` and ``band`` serve the comparisons, which run over several seeds in one job:
the seeds, a number's mean and standard deviation, and a mean line with a ± one sd band.
"""

from __future__ import annotations

import numpy as np

from generators.nn import Dense, ReLU, Sequential, Sigmoid, Softmax
from generators.seeds import mean_sd

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


def seed_list(p) -> list[int]:
    """The seeds a comparison runs over: ``seed``, ``seed + 1``, ... (``seeds`` of them)."""
    return [p["seed"] + i for i in range(p["seeds"])]


def band(ax, x: np.ndarray, runs: np.ndarray, color, *, log: bool = False,
         top: float | None = None, **line) -> None:
    """Mean of ``runs: (seeds, len(x))`` as a line, ± one standard deviation as a band.

    ``log``: the band's lower edge stays above zero (at the smallest run where mean - sd
    is not positive); ``top``: the band is clipped there (e.g. 1 for a share).
    """
    mean = runs.mean(axis=0)
    sd = runs.std(axis=0, ddof=1) if len(runs) > 1 else np.zeros_like(mean)
    low, high = mean - sd, mean + sd
    if log:
        low = np.where(low > 0, low, runs.min(axis=0))
    if top is not None:
        high = np.minimum(high, top)
    ax.fill_between(x, low, high, color=color, alpha=0.25, lw=0)
    ax.plot(x, mean, color=color, **line)
