"""Feature visualization on the digits network: activation maximisation, DeepVis style.

``train_digits_net`` trains the page's network, [64, 32, 10] with tanh hidden units and a
softmax output (cross-entropy, Adam). ``synthesize`` finds inputs that excite one unit:
gradient ascent on the input [Simonyan et al. 2014], with the regularisers of Yosinski et
al. 2015 applied after every step: L2 decay (shrink the image towards the mean digit),
Gaussian blur every few steps, and clipping of pixels whose change from the mean is small.
A unit's score is its weighted input z (for output units, the logit before the softmax),
as in both papers: a probability can rise by suppressing the other classes instead.

Deliberately left out: jitter and the other regularisers later papers add; they matter
for 224-pixel photographs more than for 8 x 8 digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generators.nn import (Adam, CrossEntropy, Dense, Sequential, Softmax, Tanh, accuracy,
                           data, train)


def train_digits_net(seed: int, epochs: int) -> tuple[Sequential, data.Dataset, float]:
    """The page's digits network, its data, and its test accuracy."""
    rng = np.random.default_rng(seed)
    ds = data.digits()
    model = Sequential([Dense(64, 32), Tanh(), Dense(32, 10), Softmax()], rng=rng)
    train(model, ds.X_train, ds.Y_train, cost=CrossEntropy(), optimizer=Adam(eta=0.01),
          epochs=epochs, batch_size=32, rng=rng)
    return model, ds, accuracy(model, ds.X_test, ds.Y_test)


@dataclass(frozen=True)
class Regularisers:
    """Yosinski et al.'s three regularisers; 0 switches one off."""

    decay: float = 0.0  # L2 decay: d <- (1 - decay) d, towards the mean image
    blur_sigma: float = 0.0  # Gaussian blur of d every `blur_every` steps
    blur_every: int = 4
    clip_fraction: float = 0.0  # zero the changes of the fraction of pixels that change least


def blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of ``images: (n, 8, 8)`` (edges padded by reflection)."""
    radius = max(1, int(np.ceil(2 * sigma)))
    k = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(images, ((0, 0), (radius, radius), (radius, radius)), mode="reflect")
    rows = sum(w * pad[:, :, i:i + 8] for i, w in enumerate(k))
    return sum(w * rows[:, i:i + 8, :] for i, w in enumerate(k))


def unit_score_grad(model: Sequential, layer: int, x: np.ndarray, units: np.ndarray) -> np.ndarray:
    """d z_unit / d x for each row of ``x: (n, 64)``, unit ``units[i]`` of Dense layer
    number ``layer`` (0 = hidden, 2 = output logits): (n, 64)."""
    head = Sequential(model.layers[: layer + 1])  # the layers up to and including that Dense
    z = head.forward(x)
    delta = np.zeros_like(z)
    delta[np.arange(len(x)), units] = 1.0
    return head.backward(delta)


def synthesize(model: Sequential, layer: int, units: np.ndarray, start: np.ndarray,
               mean: np.ndarray, reg: Regularisers, steps: int, eta: float) -> np.ndarray:
    """Images ``(n, 64)`` in [0, 1] that excite ``units`` of ``layer``, from ``start: (n, 64)``."""
    d = start - mean
    for step in range(1, steps + 1):
        g = unit_score_grad(model, layer, np.clip(mean + d, 0, 1), units)
        d = d + eta * g
        if reg.decay:
            d *= 1 - reg.decay
        if reg.blur_sigma and step % reg.blur_every == 0:
            d = blur(d.reshape(-1, 8, 8), reg.blur_sigma).reshape(d.shape)
        if reg.clip_fraction:
            small = np.abs(d) <= np.quantile(np.abs(d), reg.clip_fraction, axis=1, keepdims=True)
            d[small] = 0.0
        d = np.clip(mean + d, 0, 1) - mean
    return mean + d


def logits(model: Sequential, x: np.ndarray) -> np.ndarray:
    """The output layer's weighted inputs z (before the softmax): (n, 10)."""
    return Sequential(model.layers[:3]).forward(x)
