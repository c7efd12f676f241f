"""Will a figure's text be legible where it is shown? Measured at build time, per figure.

A figure is displayed at its natural size, or shrunk to the text column when it is wider
(CSS ``max-width: 100%``). Its smallest text, as displayed, must stay at or above
``MIN_TEXT`` CSS px: in the narrowest desktop column for the wide layout, in a 320-px
phone's column for the narrow one (``generators/layout.py`` has the numbers). The page
switches from the narrow picture to the wide one at ``narrow_below(...)`` px of viewport.
"""

from __future__ import annotations

import math
import re
from typing import Any

from generators.layout import DESKTOP_COLUMN, MIN_TEXT, NARROW_BELOW, PAGE_MARGINS, PHONE_COLUMN

PT = 4 / 3  # CSS px per point


class FitError(ValueError):
    """A figure whose text would be too small where it is shown; the message names it."""


def matplotlib_text_px(fig: Any) -> float | None:
    """The smallest visible, non-empty text of a matplotlib figure, in CSS px at natural size.

    Call it after the figure has been drawn (saved): matplotlib makes tick labels then.
    ``None`` when the figure has no text at all.
    """
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) * PT if sizes else None


_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.S)
_FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)')


def svg_text_px(svg: bytes) -> float | None:
    """The smallest ``font-size`` in an SVG document (e.g. Graphviz's), in CSS px at natural size.

    Font sizes are in user units; the root's ``width`` (pt or px) over its ``viewBox``
    width converts them, times the ``scale(...)`` of the outermost group (Graphviz shrinks
    a graph to its ``size`` that way). ``None`` when the document sets no font size.
    """
    text = svg.decode("utf-8", errors="replace")
    root = _SVG_ROOT.search(text)
    sizes = [float(s) for s in _FONT_SIZE.findall(text)]
    if root is None or not sizes:
        return None
    width = re.search(r'\bwidth="([\d.]+)(pt|px)?"', root.group(0))
    box = re.search(r'\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)', root.group(0))
    scale = 1.0
    if width is not None:
        css = float(width.group(1)) * (PT if width.group(2) == "pt" else 1.0)
        scale = css / float(box.group(1)) if box is not None and float(box.group(1)) > 0 else (
            PT if width.group(2) == "pt" else 1.0)
    group = re.search(r"<g\b[^>]*\btransform=\"[^\"]*?scale\(\s*([\d.eE+-]+)", text[root.end():])
    if group is not None:
        scale *= float(group.group(1))
    return min(sizes) * scale


def shown_text(width: float, text_px: float | None, column: float) -> float:
    """The smallest text as displayed in a ``column`` px wide (inf for a figure without text)."""
    if text_px is None:
        return math.inf
    return text_px * min(1.0, column / width)


def fits_phone(width: float, text_px: float | None) -> bool:
    """True when the picture needs no narrow layout: legible in a 320-px phone's column."""
    return shown_text(width, text_px, PHONE_COLUMN) >= MIN_TEXT


def narrow_below(width: float, text_px: float | None) -> int:
    """The viewport width (CSS px) below which the narrow picture is served instead of this one."""
    if text_px is None:
        return NARROW_BELOW
    needed = MIN_TEXT * width / text_px  # the narrowest column this picture is legible in
    return max(NARROW_BELOW, math.ceil(needed) + PAGE_MARGINS)


def check_wide(fig_id: str, width: float, text_px: float | None) -> None:
    """``FitError`` when the wide picture is illegible even in the narrowest desktop column."""
    shown = shown_text(width, text_px, DESKTOP_COLUMN)
    if shown < MIN_TEXT:
        raise FitError(
            f"figure {fig_id}: its smallest text ({text_px:.1f} px in a {width:.0f}-px-wide "
            f"picture) would show at {shown:.1f} CSS px in the desktop column "
            f"({DESKTOP_COLUMN:.0f} px); it needs >= {MIN_TEXT:g} px: larger text or a narrower figure")


def check_narrow(fig_id: str, width: float, text_px: float | None, wide: tuple[float, float | None]) -> None:
    """``FitError`` when the narrow picture is still illegible on a 320-px phone."""
    shown = shown_text(width, text_px, PHONE_COLUMN)
    if shown >= MIN_TEXT:
        return
    if (width, text_px) == wide:
        hint = ("its draw function ignores theme.narrow: when it is true, draw a layout about "
                "330 px wide with the same text sizes (generators/layout.py), or declare "
                "Figure(..., narrow=False) to show it shrunk on phones")
    else:
        hint = (f"its narrow layout is {width:.0f} px wide with {text_px:.1f}-px text: "
                f"make it narrower or its text larger")
    raise FitError(f"figure {fig_id}: on a 320-px phone its smallest text would show at "
                   f"{shown:.1f} CSS px (needs >= {MIN_TEXT:g}); {hint}")
