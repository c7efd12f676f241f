"""2-D convolution and pooling over batches of images ``x: (N, C, h, w)``.

Convolution here is what every deep-learning library calls convolution: the kernel
slides over the image without being flipped (strictly, cross-correlation), summed
over input channels. It is computed with im2col: a strided view of all kh x kw
windows (``sliding_window_view``) is copied into one row per output pixel, and a
single matrix product applies every kernel. Backward scatters the window gradients
back with one loop over the kh * kw kernel offsets (never over pixels).

Output size: h_out = (h + 2 * padding - kh) // stride + 1 (likewise w). Pixels left
over when the windows do not tile the image exactly are ignored (TensorFlow "VALID").

Deliberately left out: dilation, groups, "same" padding arithmetic, FFT convolution.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .init import init_bias, init_weights
from .layers import Layer


def _pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _windows(layer: Layer, x: np.ndarray, size: tuple[int, int], stride: tuple[int, int],
             channels: int | None) -> np.ndarray:
    """All size[0] x size[1] windows of ``x: (N, C, h, w)`` as a view (N, C, h_out, w_out, kh, kw)."""
    if x.ndim != 4 or (channels is not None and x.shape[1] != channels):
        raise layer._bad_shape(f"(N, {channels or 'C'}, h, w)", x.shape)
    if x.shape[2] < size[0] or x.shape[3] < size[1]:
        raise layer._bad_shape(f"(N, C, h >= {size[0]}, w >= {size[1]})", x.shape)
    return sliding_window_view(x, size, axis=(2, 3))[:, :, ::stride[0], ::stride[1]]


def _scatter(dwin: np.ndarray, shape: tuple, stride: tuple[int, int]) -> np.ndarray:
    """Adjoint of ``_windows``: add window gradients (N, C, h_out, w_out, kh, kw) into ``shape``."""
    dx = np.zeros(shape)
    _, _, ho, wo, kh, kw = dwin.shape
    sh, sw = stride
    for i in range(kh):                         # loop over kernel offsets, not pixels
        for j in range(kw):
            dx[:, :, i:i + sh * ho:sh, j:j + sw * wo:sw] += dwin[:, :, :, :, i, j]
    return dx


class Conv2D(Layer):
    """Convolution: ``x: (N, C, h, w)`` -> ``z: (N, F, h_out, w_out)``.

    Parameters: kernels ``W: (F, C, kh, kw)``, biases ``b: (F,)``; for output
    channel f, z[n, f] = sum_c x[n, c] (*) W[f, c] + b[f] on the zero-padded image.
    """

    kind = "conv"
    decayed = ("W",)

    def __init__(self, c_in: int, c_out: int, kernel_size: int | tuple[int, int], *,
                 stride: int | tuple[int, int] = 1, padding: int = 0, init: str = "he",
                 bias: float | str = 0.0, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.c_in, self.c_out, self.kernel = c_in, c_out, _pair(kernel_size)
        self.stride, self.padding, self.init, self.bias = _pair(stride), padding, init, bias
        if rng is not None:
            self.initialize(rng)

    def initialize(self, rng: np.random.Generator) -> None:
        kh, kw = self.kernel
        self.params = {"W": init_weights(rng, (self.c_out, self.c_in, kh, kw),
                                         self.c_in * kh * kw, self.init),
                       "b": init_bias(rng, (self.c_out,), self.bias)}

    @property
    def initialized(self) -> bool:
        return bool(self.params)

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        p = self.padding
        if p and x.ndim == 4:
            x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        win = _windows(self, x, self.kernel, self.stride, self.c_in)
        n, _, ho, wo = win.shape[:4]
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, -1)  # im2col (a copy)
        W = self.params["W"].reshape(self.c_out, -1)                      # (F, C*kh*kw)
        z = cols @ W.T + self.params["b"]                                 # (N*ho*wo, F)
        return z.reshape(n, ho, wo, self.c_out).transpose(0, 3, 1, 2), (x.shape, cols)

    def backward(self, delta: np.ndarray, cache: tuple) -> tuple[np.ndarray, dict]:
        x_shape, cols = cache
        n, f, ho, wo = delta.shape
        d = delta.transpose(0, 2, 3, 1).reshape(-1, f)                   # (N*ho*wo, F)
        W = self.params["W"]
        # dz/dW = the input window, dz/db = 1, dz/dx = W placed at the window's position
        dW = (d.T @ cols).reshape(W.shape)
        dcols = (d @ W.reshape(f, -1)).reshape(n, ho, wo, self.c_in, *self.kernel)
        dx = _scatter(dcols.transpose(0, 3, 1, 2, 4, 5), x_shape, self.stride)
        p = self.padding
        if p:
            dx = dx[:, :, p:-p, p:-p]
        return dx, {"W": dW, "b": d.sum(axis=0)}

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("Conv2D", "W"), ("BiasAdd", "b")]

    def __repr__(self) -> str:
        kh, kw = self.kernel
        return (f"Conv2D({self.c_in}, {self.c_out}, ({kh}, {kw}), stride={self.stride[0]}, "
                f"padding={self.padding})")


class _Pool2D(Layer):
    """Shared pooling set-up: m x n regions, disjoint (stride = size) unless ``stride`` is given."""

    def __init__(self, size: int | tuple[int, int] = 2,
                 stride: int | tuple[int, int] | None = None) -> None:
        super().__init__()
        self.size = _pair(size)
        self.stride = self.size if stride is None else _pair(stride)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    """Maximum over each m x n region: ``(N, C, h, w) -> (N, C, h_out, w_out)``."""

    kind = "maxpool"

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        win = _windows(self, x, self.size, self.stride, None)
        flat = win.reshape(*win.shape[:4], -1)                   # (N, C, ho, wo, m*n), a copy
        idx = flat.argmax(axis=-1)[..., None]                    # first maximum of each region
        return np.take_along_axis(flat, idx, axis=-1)[..., 0], (x.shape, idx)

    def backward(self, delta: np.ndarray, cache: tuple) -> tuple[np.ndarray, dict]:
        x_shape, idx = cache
        # d max / dx = 1 for the (first) maximal entry of the region, 0 for the others
        dwin = np.zeros(idx.shape[:-1] + (self.size[0] * self.size[1],))
        np.put_along_axis(dwin, idx, delta[..., None], axis=-1)
        return _scatter(dwin.reshape(*dwin.shape[:4], *self.size), x_shape, self.stride), {}

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("MaxPool", None)]


class MeanPool2D(_Pool2D):
    """Mean over each m x n region: ``(N, C, h, w) -> (N, C, h_out, w_out)``."""

    kind = "meanpool"

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        return _windows(self, x, self.size, self.stride, None).mean(axis=(4, 5)), x.shape

    def backward(self, delta: np.ndarray, x_shape: tuple) -> tuple[np.ndarray, dict]:
        m, n = self.size
        # d mean / dx = 1 / (m n) for every entry of the region
        dwin = np.broadcast_to((delta / (m * n))[..., None, None], delta.shape + (m, n))
        return _scatter(dwin, x_shape, self.stride), {}

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("AvgPool", None)]
