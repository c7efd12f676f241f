"""Initial weights and biases, drawn from an explicit ``numpy.random.Generator``.

Weights: "normal" N(0, 1) (Nielsen, chapter 1), "scaled" N(0, 1/n_in) (Nielsen,
chapter 3; LeCun), "he" N(0, 2/n_in) (He et al. 2015, for ReLU). ``n_in`` is the
fan-in: inputs per unit (Dense: n_in; Conv2D: channels * kernel height * width).
Biases: a constant (usually 0), or "normal" for N(0, 1) as in Nielsen's network.py.

Deliberately left out: uniform (Glorot) variants, orthogonal init, any global random
state: every draw takes the generator as an argument.
"""
from __future__ import annotations

import numpy as np

WEIGHT_SCHEMES = ("normal", "scaled", "he")


def init_weights(rng: np.random.Generator, shape: tuple[int, ...], n_in: int,
                 scheme: str) -> np.ndarray:
    """Weights of ``shape`` drawn with ``scheme``: standard deviation 1, 1/sqrt(n_in)
    or sqrt(2/n_in)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    std = {"normal": 1.0, "scaled": (1.0 / n_in) ** 0.5, "he": (2.0 / n_in) ** 0.5}.get(scheme)
    if std is None:
        raise ValueError(f"unknown weight init {scheme!r}; choose one of {WEIGHT_SCHEMES}")
    return std * rng.standard_normal(shape)


def init_bias(rng: np.random.Generator, shape: tuple[int, ...], bias: float | str) -> np.ndarray:
    """Biases of ``shape``: the constant ``bias``, or N(0, 1) draws if ``bias == "normal"``."""
    if bias == "normal":
        return rng.standard_normal(shape)
    if isinstance(bias, str):
        raise ValueError(f"unknown bias init {bias!r}; give a number or 'normal'")
    return np.full(shape, float(bias))
