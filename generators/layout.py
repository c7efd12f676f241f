"""The two layouts a figure is drawn in: wide for a desktop's text column, narrow for a phone's.

A figure whose text would be too small on a phone is drawn twice: once as usual, once
with ``theme.narrow`` true, for a column 288 CSS px wide (a 320-px phone) up to about
600 px. Keep the text sizes, change the arrangement: stack the panels of a row into a
column, put the legend under the plot, use fewer columns in a grid of images. The page
serves the narrow picture to narrow screens (``<picture>``/``media``) and links every
picture to the wide one ("open full size").

The build measures every figure's smallest text as it will be displayed and fails,
naming the figure, when it would be under ``MIN_TEXT`` CSS px (``generators/build/fit.py``).
A figure that really cannot be redrawn narrow says ``Figure(..., narrow=False)``: it is
then shown shrunk on phones, and every build warns about it.

Sizes: matplotlib measures in inches and points; the page shows 1 inch as 96 CSS px and
1 point as 4/3 CSS px, so 10-pt text is 13.3 px at a figure's natural size.
"""

from __future__ import annotations

import math
from typing import Any

MIN_TEXT = 9.0  # CSS px: the smallest text a reader should meet, as displayed
PHONE_COLUMN = 288.0  # CSS px: the text column of a 320-px-wide phone
DESKTOP_COLUMN = 686.0  # CSS px: the narrowest desktop column (Material at 960 px, with the contents)
NARROW_BELOW = 600  # CSS px of viewport: the narrow layout is served at least below this
PAGE_MARGINS = 32  # CSS px: viewport minus column below 960 px

WIDE_WIDTH = 7.2  # inches: a wide figure (about 690 CSS px, the desktop column)
NARROW_WIDTH = 3.4  # inches: a narrow figure (about 330 CSS px); 8-pt text stays >= 9 px at 288


def figure_width(theme: Any) -> float:
    """The width in inches a figure is drawn at in ``theme``'s layout."""
    return NARROW_WIDTH if theme.narrow else WIDE_WIDTH


def subplots(theme: Any, n: int, *, height: float, narrow_height: float | None = None,
             narrow_cols: int = 1, **kwargs: Any) -> tuple[Any, list[Any]]:
    """``n`` panels: one row ``height`` inches tall when wide; stacked when narrow.

    Narrow: ``narrow_cols`` panels per row, each row ``narrow_height`` inches tall
    (default ``height``). Returns ``(figure, [axes in panel order])``; grid cells past
    ``n`` are removed. ``kwargs`` go to ``plt.subplots`` (``sharex``, ``gridspec_kw``, ...).
    """
    import matplotlib.pyplot as plt

    if theme.narrow:
        cols = max(1, min(narrow_cols, n))
        rows = math.ceil(n / cols)
        size = (NARROW_WIDTH, (narrow_height or height) * rows)
    else:
        rows, cols, size = 1, n, (WIDE_WIDTH, height)
    fig, axes = plt.subplots(rows, cols, figsize=size, squeeze=False, **kwargs)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.remove()
    return fig, flat[:n]
