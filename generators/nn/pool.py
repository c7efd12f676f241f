"""Max and mean pooling over m x n regions of ``x: (N, C, h, w)`` (UFLDL's pooling).

Regions are disjoint by default (stride = region size), as in the lecture; a smaller
``stride`` makes them overlap. h_out = (h - m) // stride + 1 (likewise w); rows and
columns left over at the edge are ignored. Both forward and backward loop over the
m * n offsets (i, j) inside a region: ``x[:, :, i::stride, j::stride]`` holds entry
(i, j) of every region at once, so each step is one whole-batch array operation;
there is no loop over pixels. Gradients are allocated in x's own memory layout
(``zeros_like``), which keeps the following elementwise backward steps fast.

Deliberately left out: global pooling, padding, fractional and L^p pooling.
"""
from __future__ import annotations

import numpy as np

from .conv import _at, _out_size, _pair
from .layers import Layer


class _Pool2D(Layer):
    """Shared set-up: m x n regions, disjoint (stride = size) unless ``stride`` is given."""

    def __init__(self, size: int | tuple[int, int] = 2,
                 stride: int | tuple[int, int] | None = None) -> None:
        super().__init__()
        self.size = _pair(size)
        self.stride = self.size if stride is None else _pair(stride)
        self.offsets = [(i, j) for i in range(self.size[0]) for j in range(self.size[1])]

    def _slices(self, x: np.ndarray) -> list[tuple[slice, ...]]:
        """For each offset (i, j): the index of entry (i, j) of every region of ``x``."""
        ho, wo = _out_size(self, x, self.size, self.stride, None)
        return [_at(i, j, ho, wo, self.stride) for i, j in self.offsets]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    """Maximum over each m x n region: ``(N, C, h, w) -> (N, C, h_out, w_out)``."""

    kind = "maxpool"

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        at = self._slices(x)
        out = x[at[0]].copy()
        for s in at[1:]:
            np.maximum(out, x[s], out=out)
        return out, (x, out)

    def backward(self, delta: np.ndarray, cache: tuple) -> tuple[np.ndarray, dict]:
        x, out = cache
        dx = np.zeros_like(x)
        free = np.ones(out.shape, dtype=bool)          # regions whose maximum is not found yet
        disjoint = self.stride[0] >= self.size[0] and self.stride[1] >= self.size[1]
        for s in self._slices(x):
            # d max / dx = 1 at the region's (first) maximum, 0 elsewhere in the region
            hit = x[s] == out
            hit &= free
            free ^= hit
            if disjoint:                                # each pixel is in one region at most
                np.copyto(dx[s], delta, where=hit)
            else:
                dx[s] += delta * hit
        return dx, {}

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("MaxPool", None)]


class MeanPool2D(_Pool2D):
    """Mean over each m x n region: ``(N, C, h, w) -> (N, C, h_out, w_out)``."""

    kind = "meanpool"

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        at = self._slices(x)
        out = x[at[0]].copy()
        for s in at[1:]:
            out += x[s]
        out /= len(at)
        return out, x

    def backward(self, delta: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, dict]:
        dx = np.zeros_like(x)
        d = delta / len(self.offsets)           # d mean / dx = 1 / (m n) for every entry
        for s in self._slices(x):
            dx[s] += d
        return dx, {}

    def trace_ops(self) -> list[tuple[str, str | None]]:
        return [("AvgPool", None)]
