"""Figures for the lesson "Backpropagation and weight decay" (content/lessons/backpropagation.md),
and one helper they share."""

from __future__ import annotations

import functools
from collections.abc import Callable

from generators.figure import Params


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
