"""Figures for the lesson "Stochastic gradient descent" (content/lessons/sgd.md), and the
helpers they share."""

from __future__ import annotations


def plain_log_ticks(axis, subs: tuple[float, ...] = (1, 2, 5)) -> None:
    """Ticks at 1, 2, 5 times powers of ten on a logarithmic ``axis``, written as 0.02, 50..."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.set_major_locator(LogLocator(subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())
