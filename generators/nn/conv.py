"""2-D convolution over batches of images ``x: (N, C, h, w)``, and the window helpers
that pooling (``pool.py``) shares.

Convolution here is what every deep-learning library calls convolution: the kernel
slides over the image without being flipped (strictly, cross-correlation), summed
over input channels. It is computed with im2col: a strided view of all kh x kw
windows (``sliding_window_view``) is copied into one row per output pixel, and a
single matrix product applies every kernel. Backward scatters the window gradients
back with one loop over the kh * kw kernel offsets (never over pixels).

Output size: h_out = (h + 2 * padding - kh) // stride + 1 (likewise w). Pixels left
over when the windows do not tile the image exactly are ignored (TensorFlow "VALID").
Code indexing: channels come before rows and columns (N, C, h, w), as in CS231n.

Deliberately left out: dilation, groups, "same" padding arithmetic, FFT convolution.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .init import init_bias, init_weights
from .layers import Layer


def _pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _out_size(layer: Layer, x: np.ndarray, size: tuple[int, int], stride: tuple[int, int],
              channels: int | None) -> tuple[int, int]:
    """(h_out, w_out) of ``size`` windows at ``stride`` over ``x: (N, C, h, w)``; checks shapes."""
    if x.ndim != 4 or (channels is not None and x.shape[1] != channels):
        raise layer._bad_shape(f"(N, {channels or 'C'}, h, w)", x.shape)
    (h, w), (kh, kw) = x.shape[2:], size
    if h < kh or w < kw:
        raise layer._bad_shape(f"(N, C, h >= {kh}, w >= {kw})", x.shape)
    return (h - kh) // stride[0] + 1, (w - kw) // stride[1] + 1


def _windows(layer: Layer, x: np.ndarray, size: tuple[int, int], stride: tuple[int, int],
             channels: int | None) -> np.ndarray:
    """All size[0] x size[1] windows of ``x: (N, C, h, w)`` as a read-only view
    ``(N, C, h_out, w_out, kh, kw)``: no copy, just strides (what sliding_window_view does)."""
    ho, wo = _out_size(layer, x, size, stride, channels)
    s0, s1, s2, s3 = x.strides
    return as_strided(x, (*x.shape[:2], ho, wo, *size),
                      (s0, s1, s2 * stride[0], s3 * stride[1], s2, s3), writeable=False)


def _at(i: int, j: int, ho: int, wo: int, stride: tuple[int, int]) -> tuple[slice, ...]:
    """Index of the input pixels at offset (i, j) inside each of the ho x wo windows."""
    return (slice(None), slice(None), slice(i, i + stride[0] * ho, stride[0]),
            slice(j, j + stride[1] * wo, stride[1]))


def _scatter(dwin: np.ndarray, shape: tuple, stride: tuple[int, int]) -> np.ndarray:
    """Adjoint of ``_windows``: add window gradients (N, C, h_out, w_out, kh, kw) into ``shape``."""
    dx = np.zeros(shape)
    _, _, ho, wo, kh, kw = dwin.shape
    for i in range(kh):                         # loop over kernel offsets, not pixels
        for j in range(kw):
            dx[_at(i, j, ho, wo, stride)] += dwin[:, :, :, :, i, j]
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
        if p and x.ndim == 4:                   # zero padding (np.pad does the same, slower)
            xp = np.zeros(x.shape[:2] + (x.shape[2] + 2 * p, x.shape[3] + 2 * p))
            xp[:, :, p:-p, p:-p] = x
            x = xp
        win = _windows(self, x, self.kernel, self.stride, self.c_in)
        n, _, ho, wo = win.shape[:4]
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, -1)  # im2col (a copy)
        W = self.params["W"].reshape(self.c_out, -1)                      # (F, C*kh*kw)
        z = cols @ W.T + self.params["b"]                                 # (N*ho*wo, F)
        return z.reshape(n, ho, wo, self.c_out).transpose(0, 3, 1, 2), (x.shape, cols)

    def backward(self, delta: np.ndarray, cache: tuple,
                 need_dx: bool = True) -> tuple[np.ndarray | None, dict]:
        x_shape, cols = cache
        n, f, ho, wo = delta.shape
        d = delta.transpose(0, 2, 3, 1).reshape(-1, f)                   # (N*ho*wo, F)
        W = self.params["W"]
        # dz/dW = the input window, dz/db = 1, dz/dx = W placed at the window's position
        grads = {"W": (d.T @ cols).reshape(W.shape), "b": d.sum(axis=0)}
        if not need_dx:                         # first layer of a training step
            return None, grads
        dcols = (d @ W.reshape(f, -1)).reshape(n, ho, wo, self.c_in, *self.kernel)
        dx = _scatter(dcols.transpose(0, 3, 1, 2, 4, 5), x_shape, self.stride)
        p = self.padding
        if p:
            dx = dx[:, :, p:-p, p:-p]
        return dx, grads

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("Conv2D", "W"), ("BiasAdd", "b")]

    def __repr__(self) -> str:
        kh, kw = self.kernel
        return (f"Conv2D({self.c_in}, {self.c_out}, ({kh}, {kw}), stride={self.stride[0]}, "
                f"padding={self.padding})")
