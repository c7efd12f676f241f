"""The TensorFlow Playground's 2-D data: four classification sets, two regression sets.

Same generative rules as the Playground's ``src/dataset.ts`` (tensorflow/playground,
read for this port; the code here is our own and vectorised):

- circle: half the points at radius r in [0, 2.5] (inside), half at r in [3.5, 5];
  the label is +1 when the point *plus noise* lies within radius 2.5, so noise flips
  labels near the boundary while the drawn point stays put.
- xor: x, y uniform in [-5, 5], pushed 0.3 away from each axis; label +1 when
  x * y >= 0, computed on the point plus noise.
- gauss: two Gaussians centred at (2, 2) (+1) and (-2, -2) (-1), variance 0.5 + 7 noise.
- spiral: two interleaved arms, radius 0..5 over 1.75 turns, coordinates plus noise.
- reg-plane (regression): x, y uniform in [-6, 6]; target (x + y) / 10, computed on the
  point plus noise (uniform on [-6, 6] * noise), so targets run from -1.2 to 1.2.
- reg-gauss (regression): six bumps of height +1 or -1 at (+-4 or 0, +-2.5), signs
  alternating; the target is the bump of largest size, each falling linearly from 1 at
  its centre to 0 at distance 2; computed on the point plus noise as for reg-plane.

``noise`` is the Playground's slider divided by 100: 0 to 0.5. Noise terms are
uniform on [-5, 5] * noise (circle, xor) or [-1, 1] * noise (spiral).
Classification labels: the Playground uses -1/+1; ``labels="01"`` (the default here, for sigmoid
outputs and cross-entropy) maps -1 to 0, ``labels="pm1"`` keeps -1/+1 (tanh outputs).
Regression targets are returned as they are, whatever ``labels`` says. Targets have
shape (n, 1).

``features(X, names)`` computes the Playground's input features (x1, x2, x1^2, x2^2,
x1 x2, sin x1, sin x2) from the points.

Deliberately left out: the Playground's cos features (its page hides them too).
"""
from __future__ import annotations

import numpy as np

from .dataset import Dataset, split

NAMES = ("circle", "xor", "gauss", "spiral")          # classification: labels -1 / +1
REGRESSION_NAMES = ("reg-plane", "reg-gauss")       # regression: real-valued targets
# The Playground's input features, in its order, by its URL names (``x`` is x1, ``y`` x2).
FEATURES = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")


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


def _regression_points(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [-6, 6]^2 and the same points plus noise, where targets are read."""
    radius = 6.0
    X = rng.uniform(-radius, radius, (n, 2))
    return X, X + rng.uniform(-radius, radius, (n, 2)) * noise


def _reg_plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X, noisy = _regression_points(n, noise, rng)
    return X, (noisy[:, 0] + noisy[:, 1]) / 10.0


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                   [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _reg_gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X, noisy = _regression_points(n, noise, rng)
    dist = np.hypot(noisy[:, None, 0] - _BUMPS[:, 0], noisy[:, None, 1] - _BUMPS[:, 1])  # (n, 6)
    heights = _BUMPS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)
    largest = np.argmax(np.abs(heights), axis=1)                # the first one on a tie
    return X, heights[np.arange(n), largest]


_GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral,
               "reg-plane": _reg_plane, "reg-gauss": _reg_gauss}


def features(X: np.ndarray, names: tuple[str, ...] | list[str]) -> np.ndarray:
    """The Playground's input features of points ``X: (n, 2)``: ``(n, len(names))``.

    ``names`` from ``FEATURES``, in any order: x1, x2, x1^2, x2^2, x1 x2, sin x1, sin x2.
    """
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x": lambda: x1, "y": lambda: x2, "xSquared": lambda: x1 * x1,
             "ySquared": lambda: x2 * x2, "xTimesY": lambda: x1 * x2,
             "sinX": lambda: np.sin(x1), "sinY": lambda: np.sin(x2)}
    unknown = [n for n in names if n not in table]
    if unknown or not names:
        raise ValueError(f"features: unknown or no feature names {unknown or list(names)}; "
                         f"choose from {FEATURES}")
    return np.column_stack([table[n]() for n in names])


def playground(name: str, *, rng: np.random.Generator, n_samples: int = 500,
               noise: float = 0.0, train_fraction: float = 0.5, labels: str = "01") -> Dataset:
    """One Playground set, shuffled and split (Playground default: 500 points, 50 % train).

    ``name``: one of ``NAMES`` (classification) or ``REGRESSION_NAMES``.

    Returns ``Dataset(X_train: (n_train, 2), Y_train: (n_train, 1), X_test, Y_test)``.
    """
    if name not in _GENERATORS:
        raise ValueError(f"unknown playground set {name!r}; choose one of {NAMES + REGRESSION_NAMES}")
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise must be in [0, 0.5] (the Playground's 0-50 %), got {noise}")
    if labels not in ("01", "pm1"):
        raise ValueError(f"labels must be '01' or 'pm1', got {labels!r}")
    X, t = _GENERATORS[name](n_samples, noise, rng)
    Y = (t if labels == "pm1" or name in REGRESSION_NAMES else (t + 1.0) / 2.0)[:, None]
    order = rng.permutation(n_samples)
    return split(X[order], Y[order], round(train_fraction * n_samples))
