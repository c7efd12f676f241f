"""Figures for the lesson "Stochastic gradient descent" (content/lessons/sgd.md), and the
helpers they share.

Every comparison on the page is run over several seeds inside one generator job and
quoted as mean ± one standard deviation over the seeds (``spread``); figures draw the
mean with a band of ± one standard deviation (``band``).
"""

from __future__ import annotations

import numpy as np

from generators.seeds import mean_sd as spread


def plain_log_ticks(axis, subs: tuple[float, ...] = (1, 2, 5)) -> None:
    """Ticks at 1, 2, 5 times powers of ten on a logarithmic ``axis``, written as 0.02, 50..."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.set_major_locator(LogLocator(subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def band(ax, x: np.ndarray, runs: np.ndarray, color: str, *, log: bool = False, **line) -> None:
    """The mean of ``runs: (seeds, len(x))`` as a line and ± one standard deviation as a band.

    ``log``: the band's lower edge is kept above zero (a logarithmic axis has no room for
    it), at the smallest run's value where mean - sd would not be positive.
    """
    mean = runs.mean(axis=0)
    sd = runs.std(axis=0, ddof=1) if len(runs) > 1 else np.zeros_like(mean)
    low = mean - sd
    if log:
        low = np.where(low > 0, low, runs.min(axis=0))
    ax.fill_between(x, low, mean + sd, color=color, alpha=0.25, lw=0)
    ax.plot(x, mean, color=color, **line)
