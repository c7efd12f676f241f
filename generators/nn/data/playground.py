"""The TensorFlow Playground's four 2-D classification sets: circle, xor, gauss, spiral.

Same generative rules as the Playground's ``src/dataset.ts`` (tensorflow/playground,
read for this port; the code here is our own and vectorised):

- circle: half the points at radius r in [0, 2.5] (inside), half at r in [3.5, 5];
  the label is +1 when the point *plus noise* lies within radius 2.5, so noise flips
  labels near the boundary while the drawn point stays put.
- xor: x, y uniform in [-5, 5], pushed 0.3 away from each axis; label +1 when
  x * y >= 0, computed on the point plus noise.
- gauss: two Gaussians centred at (2, 2) (+1) and (-2, -2) (-1), variance 0.5 + 7 noise.
- spiral: two interleaved arms, radius 0..5 over 1.75 turns, coordinates plus noise.

``noise`` is the Playground's slider divided by 100: 0 to 0.5. Noise terms are
uniform on [-5, 5] * noise (circle, xor) or [-1, 1] * noise (spiral).
Labels: the Playground uses -1/+1; ``labels="01"`` (the default here, for sigmoid
outputs and cross-entropy) maps -1 to 0, ``labels="pm1"`` keeps -1/+1 (tanh outputs).
Targets have shape (n, 1).

Deliberately left out: the Playground's regression sets and feature crosses.
"""
from __future__ import annotations

import numpy as np

from .dataset import Dataset, split

NAMES = ("circle", "xor", "gauss", "spiral")


def _circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    inner = n // 2
    r = np.concatenate([rng.uniform(0, 0.5 * radius, inner),
                        rng.uniform(0.7 * radius, radius, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    return X, np.where(np.hypot(noisy[:, 0], noisy[:, 1]) < 0.5 * radius, 1.0, -1.0)


def _xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)            # padding keeps points off the axes
    noisy = X + rng.uniform(-5, 5, (n, 2)) * noise
    return X, np.where(noisy[:, 0] * noisy[:, 1] >= 0, 1.0, -1.0)


def _gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    std = np.sqrt(0.5 + noise * (4.0 - 0.5) / 0.5)   # variance scales 0.5 -> 4 as noise 0 -> 0.5
    pos = n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [pos, n - pos], axis=0)
    X = centres + std * rng.standard_normal((n, 2))
    return X, np.repeat([1.0, -1.0], [pos, n - pos])


def _spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    arms = []
    for delta_t, count in ((0.0, half), (np.pi, n - half)):
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * np.pi + delta_t
        arms.append(np.column_stack([r * np.sin(t), r * np.cos(t)])
                    + rng.uniform(-1, 1, (count, 2)) * noise)
    return np.concatenate(arms), np.repeat([1.0, -1.0], [half, n - half])


_GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral}


def playground(name: str, *, rng: np.random.Generator, n_samples: int = 500,
               noise: float = 0.0, train_fraction: float = 0.5, labels: str = "01") -> Dataset:
    """One Playground set, shuffled and split (Playground default: 500 points, 50 % train).

    Returns ``Dataset(X_train: (n_train, 2), Y_train: (n_train, 1), X_test, Y_test)``.
    """
    if name not in _GENERATORS:
        raise ValueError(f"unknown playground set {name!r}; choose one of {NAMES}")
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise must be in [0, 0.5] (the Playground's 0-50 %), got {noise}")
    if labels not in ("01", "pm1"):
        raise ValueError(f"labels must be '01' or 'pm1', got {labels!r}")
    X, t = _GENERATORS[name](n_samples, noise, rng)
    Y = (t if labels == "pm1" else (t + 1.0) / 2.0)[:, None]
    order = rng.permutation(n_samples)
    return split(X[order], Y[order], round(train_fraction * n_samples))
