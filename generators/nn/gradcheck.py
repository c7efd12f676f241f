"""Numerical gradients by central differences, to check backpropagation.

    numeric = numerical_gradient(lambda: f(), x)      # perturbs x in place, restores it
    assert relative_error(analytic, numeric) <= 1e-6

dF/dx_i ~ (F(x + h e_i) - F(x - h e_i)) / (2h): error O(h^2) from truncation plus
O(eps |F| / h) from rounding; h = 1e-5 in float64 balances the two.

Deliberately left out: complex-step and higher-order stencils, float32 checks.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """dF/dx for a scalar function ``f()`` that reads the array ``x`` (same shape as x)."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)       # views: x must be contiguous
    if not np.shares_memory(flat, x):
        raise ValueError("numerical_gradient needs a contiguous array to perturb in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f()
        flat[i] = old - h
        f_minus = f()
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """max_i |a_i - n_i| / max(|a_i| + |n_i|, 1e-8), as in CS231n's gradient checks."""
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"relative_error: shapes differ, {a.shape} vs {n.shape}")
    return float(np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-8), initial=0.0))
