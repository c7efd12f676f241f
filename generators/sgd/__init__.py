"""Figures for the lesson "Stochastic gradient descent" (content/lessons/sgd.md), and the
helpers they share."""

from __future__ import annotations

import functools
from collections.abc import Callable

from generators.figure import Params


def plain_log_ticks(axis, subs: tuple[float, ...] = (1, 2, 5)) -> None:
    """Ticks at 1, 2, 5 times powers of ten on a logarithmic ``axis``, written as 0.02, 50..."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.set_major_locator(LogLocator(subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def single_threaded(compute: Callable[[Params], dict]) -> Callable[[Params], dict]:
    """Run ``compute`` with one BLAS thread.

    These networks are tiny: a multi-threaded BLAS only adds overhead, and its idle
    threads spin on the cores the pipeline's other worker needs (a cold build measured
    2-4x slower). Belongs in the pipeline's worker start-up; harmless if it is there too.
    """
    @functools.wraps(compute)
    def wrapper(p: Params) -> dict:
        from threadpoolctl import threadpool_limits  # pinned; ships with scikit-learn

        with threadpool_limits(limits=1, user_api="blas"):
            return compute(p)

    return wrapper
