"""Feature visualization on the digits network: activation maximisation, DeepVis style.

``train_digits_net`` trains the page's network, [64, 32, 10] with tanh hidden units and a
softmax output (cross-entropy, Adam). ``synthesize`` finds inputs that excite one unit:
gradient ascent on the input [Simonyan et al. 2014], with regularisers applied around
every step:

- Yosinski et al. 2015's three: L2 decay (shrink the image towards a *centre*: the mean
  digit, or a facet's own mean), Gaussian blur every few steps, and clipping of the pixels
  whose change from the centre is small;
- from Mordvintsev, Olah et al. (Distill 2017): **jitter**, a random shift of the image by
  up to ``jitter`` pixels before each gradient, and a **decorrelated** parameterisation:
  each step is the gradient times the training digits' pixel covariance (``precondition``),
  which is gradient ascent on the coefficients of the image in the digits' whitened
  principal components. Steps then move pixels the way real digits vary together, and
  never move a pixel that is blank in every digit.

A unit's score is its weighted input z (for output units, the logit before the softmax),
as in both papers: a probability can rise by suppressing the other classes instead.

Deliberately left out: total-variation penalties, image pyramids and the other tricks
later papers add for 224-pixel photographs; at 8 x 8 a single pixel is a stroke's width.
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
    """The regularisers of one synthesis; 0 (or False) switches one off."""

    decay: float = 0.0  # L2 decay: d <- (1 - decay) d, with d the image minus its centre
    blur_sigma: float = 0.0  # Gaussian blur of d every `blur_every` steps
    blur_every: int = 4
    clip_fraction: float = 0.0  # zero the changes of the fraction of pixels that change least
    jitter: int = 0  # shift the image by up to this many pixels (each way) before each gradient
    decorrelate: bool = False  # step along covariance @ gradient (needs a `precondition` matrix)


def blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of ``images: (n, 8, 8)`` (edges padded by reflection)."""
    radius = max(1, int(np.ceil(2 * sigma)))
    k = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(images, ((0, 0), (radius, radius), (radius, radius)), mode="reflect")
    rows = sum(w * pad[:, :, i:i + 8] for i, w in enumerate(k))
    return sum(w * rows[:, i:i + 8, :] for i, w in enumerate(k))


def shift(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``x: (n, 64)`` as 8 x 8 images moved ``dy`` rows down and ``dx`` columns right; the
    pixels that enter are 0 (blank paper), those that leave are lost: (n, 64)."""
    img = x.reshape(-1, 8, 8)
    out = np.zeros_like(img)
    out[:, max(dy, 0):8 + min(dy, 0), max(dx, 0):8 + min(dx, 0)] = \
        img[:, max(-dy, 0):8 + min(-dy, 0), max(-dx, 0):8 + min(-dx, 0)]
    return out.reshape(x.shape)


def precondition_matrix(X: np.ndarray) -> np.ndarray:
    """The pixel covariance of the images ``X: (n, 64)``, scaled so its largest eigenvalue
    is 1 (a step size then means the same as without it): (64, 64)."""
    cov = np.cov(X, rowvar=False)
    return cov / np.linalg.eigvalsh(cov)[-1]


def unit_score_grad(model: Sequential, layer: int, x: np.ndarray, units: np.ndarray) -> np.ndarray:
    """d z_unit / d x for each row of ``x: (n, 64)``, unit ``units[i]`` of Dense layer
    number ``layer`` (0 = hidden, 2 = output logits): (n, 64)."""
    head = Sequential(model.layers[: layer + 1])  # the layers up to and including that Dense
    z = head.forward(x)
    delta = np.zeros_like(z)
    delta[np.arange(len(x)), units] = 1.0
    return head.backward(delta)


def synthesize(model: Sequential, layer: int, units: np.ndarray, start: np.ndarray,
               centre: np.ndarray, reg: Regularisers, steps: int, eta: float, *,
               precondition: np.ndarray | None = None,
               rng: np.random.Generator | None = None) -> np.ndarray:
    """Images ``(n, 64)`` in [0, 1] that excite ``units`` of ``layer``, from ``start: (n, 64)``.

    ``centre``, ``(64,)`` or one row per image, is what L2 decay shrinks towards and what
    blur and clipping act around. Jitter needs ``rng``; ``reg.decorrelate`` needs
    ``precondition`` (``precondition_matrix`` of the training digits)."""
    if reg.decorrelate and precondition is None:
        raise ValueError("decorrelate needs a precondition matrix")
    if reg.jitter and rng is None:
        raise ValueError("jitter needs an rng")
    d = start - centre
    for step in range(1, steps + 1):
        x = np.clip(centre + d, 0, 1)
        if reg.jitter:  # the gradient at a shifted image, shifted back onto the image's pixels
            dy, dx = rng.integers(-reg.jitter, reg.jitter + 1, size=2)
            g = shift(unit_score_grad(model, layer, shift(x, dy, dx), units), -dy, -dx)
        else:
            g = unit_score_grad(model, layer, x, units)
        if reg.decorrelate:
            g = g @ precondition  # symmetric: each row becomes covariance @ gradient
        d = d + eta * g
        if reg.decay:
            d *= 1 - reg.decay
        if reg.blur_sigma and step % reg.blur_every == 0:
            d = blur(d.reshape(-1, 8, 8), reg.blur_sigma).reshape(d.shape)
        if reg.clip_fraction:
            small = np.abs(d) <= np.quantile(np.abs(d), reg.clip_fraction, axis=1, keepdims=True)
            d[small] = 0.0
        d = np.clip(centre + d, 0, 1) - centre
    return centre + d


def logits(model: Sequential, x: np.ndarray) -> np.ndarray:
    """The output layer's weighted inputs z (before the softmax): (n, 10)."""
    return Sequential(model.layers[:3]).forward(x)


def nearest_distance(images: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Euclidean distance from each of ``images: (n, 64)`` to its nearest row of ``X``: (n,)."""
    sq = (images ** 2).sum(1)[:, None] - 2 * images @ X.T + (X ** 2).sum(1)[None]
    return np.sqrt(np.maximum(sq.min(axis=1), 0.0))
