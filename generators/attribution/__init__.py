"""Figures for the page "Attribution: who is responsible for an output?"
(content/visualization/attribution.md).

Shared by the page's generators: the CNN of the lesson "Convolutional neural networks"
(``generators.cnns``) trained on the digits, and three ways to ask which input pixels
are responsible for its answer:

- ``saliency(model, x, c)``: dS_c/dx, the gradient of class c's score S_c (the weighted
  input z of the output layer, before the softmax) with respect to the pixels, by the
  library's own backward pass (Simonyan et al. 2014);
- gradient times input, ``x * saliency``: how much each pixel's ink contributes to S_c
  to first order;
- ``occlusion(model, x, c, patch, value)``: the drop in the probability of class c when a
  square patch of the image is covered, for every position of the patch.

Comparisons on the page are run over several seeds (networks trained from different
initial weights) in one job, and quoted as mean ± one standard deviation (``spread``).

Deliberately left out: smoothed or integrated gradients, and any attribution method
that needs a second network.
"""

from __future__ import annotations

import numpy as np

from generators.cnns import CNN_PARAM_SPECS, CNN_PARAMS, train_cnn
from generators.figure import Params
from generators.nn import Sequential
from generators.seeds import mean_sd as spread

__all__ = ["CNN_PARAM_SPECS", "CNN_PARAMS", "train_cnn", "class_scores", "saliency", "occlusion",
           "predict", "spread"]


def class_scores(model: Sequential) -> Sequential:
    """The same layers without the final softmax: outputs the class scores z^(L)."""
    return Sequential(model.layers[:-1])          # shares the trained layers, copies nothing


def saliency(model: Sequential, x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """dS_c/dx for a batch ``x: (N, 1, 8, 8)`` and one class ``c[i]`` per image; shape of x."""
    scores = class_scores(model)
    S = scores.forward(x)
    return scores.backward(np.eye(S.shape[1])[c])  # delta = dS_c/dz^(L): one-hot at class c


def predict(model: Sequential, X: np.ndarray, chunk: int = 100) -> np.ndarray:
    """Softmax outputs for many images, in chunks (faster for a CNN than one big batch)."""
    return np.concatenate([model.predict(X[i:i + chunk]) for i in range(0, len(X), chunk)])


def occlusion(model: Sequential, x: np.ndarray, c: int, patch: int, value: float) -> np.ndarray:
    """Drop of p_c when a ``patch`` x ``patch`` square of the image ``x: (1, H, W)`` is set to
    ``value``; each pixel gets the mean drop over the patch positions that cover it."""
    _, H, W = x.shape
    pos = [(i, j) for i in range(H - patch + 1) for j in range(W - patch + 1)]
    batch = np.repeat(x[None], len(pos), axis=0)
    for k, (i, j) in enumerate(pos):
        batch[k, 0, i:i + patch, j:j + patch] = value
    drop = model.predict(x[None])[0, c] - predict(model, batch)[:, c]
    total, count = np.zeros((H, W)), np.zeros((H, W))
    for (i, j), dp in zip(pos, drop):
        total[i:i + patch, j:j + patch] += dp
        count[i:i + patch, j:j + patch] += 1
    return total / count


def cnn_params(p: Params) -> Params:
    """The CNN's parameters out of a generator's parameters (same keys as ``CNN_PARAMS``)."""
    return {k: p[k] for k in CNN_PARAMS}


