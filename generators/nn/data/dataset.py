"""The ``Dataset`` tuple every loader returns, and small helpers on labels.

Deliberately left out: iterators and batching (``train`` slices arrays itself).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Dataset(NamedTuple):
    """Train and test arrays; unpack as ``X_train, Y_train, X_test, Y_test = ds``."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def split(X: np.ndarray, Y: np.ndarray, n_train: int) -> Dataset:
    """The first ``n_train`` examples for training, the rest for testing."""
    return Dataset(X[:n_train], Y[:n_train], X[n_train:], Y[n_train:])


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    """Integer labels ``(n,)`` in 0..k-1 to one-hot rows ``(n, k)`` of 0.0 and 1.0."""
    return np.eye(k)[np.asarray(labels, dtype=int)]
