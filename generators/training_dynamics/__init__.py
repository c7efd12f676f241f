"""Figures for the page "Training dynamics" (content/visualization/training-dynamics.md),
and the small helpers they share."""

from __future__ import annotations

import numpy as np

from generators.nn import Dense, Sequential, Sigmoid, Softmax


def digits_mlp(rng: np.random.Generator, hidden: int = 30, output: str = "softmax",
               init: str = "scaled", bias: float | str = 0.0) -> Sequential:
    """The pages' digits network [64, hidden, 10]: sigmoid hidden units, a softmax (for the
    cross-entropy cost) or sigmoid (for the quadratic cost) output layer."""
    out = Softmax() if output == "softmax" else Sigmoid()
    return Sequential([Dense(64, hidden, init=init, bias=bias), Sigmoid(),
                       Dense(hidden, 10, init=init, bias=bias), out], rng=rng)


def log_ticks(axis, subs: tuple[float, ...] = (1,)) -> None:
    """Plain-text ticks on a logarithmic ``axis``: at powers of ten (0.01, 0.1, 1, 10\u00b3),
    or with ``subs=(1, 2, 5)`` also at 2 and 5 times them (0.2, 0.5, 1, 2)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    from generators.style import decade_label

    axis.set_major_locator(LogLocator(subs=subs))
    axis.set_major_formatter(decade_label if subs == (1,) else FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())
