"""The two themes every figure is drawn in: light and dark, to match the site's palette toggle.

A figure's ``draw`` function gets a ``Theme`` and should take colours from it, never hard
code them (``tests/test_colours.py`` fails on a literal colour in a figure module).

The course's one visual language (stated on the Notation page):

- **sign**: ``theme.positive`` (blue) for positive values, ``theme.negative`` (orange) for
  negative ones; ``theme.diverging`` is the colormap negative -> page colour -> positive,
  so 0 disappears into the page in both themes;
- **two classes**: class 1 (label +1) takes the positive colour, class 0 (label 0 or -1)
  the negative one: ``theme.class_colors`` is (class 0, class 1), ``theme.class_cmap()``
  the colormap between them;
- **digits and other intensity images** (the 8x8 digits, a network's input): ink on the
  page, ``theme.digits``: 0 is the page colour and the largest value the text colour;
- **photographs**: ``theme.photo``, black -> white in both themes (a photograph stays a
  photograph; only its frame sits on the page);
- **magnitudes** (>= 0): ``theme.sequential`` (viridis);
- **series**: ``theme.palette`` (Okabe-Ito, colour-blind safe), ``theme.fg`` for "the
  data", ``theme.muted`` for references.

The pipeline applies ``theme.rc`` before calling ``draw`` and saves with a transparent
background, so a figure sits on the page's own colour.

Each theme also comes in two layouts: ``theme.narrow`` is true when the figure is drawn
for a phone's column (``generators/layout.py`` has the sizes and a panel helper).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Okabe & Ito (2008), "Color universal design": distinguishable with common colour blindness.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}


@dataclass(frozen=True)
class Theme:
    """Colours and matplotlib settings for one site palette (``name``: light or dark)."""

    name: str
    fg: str  # text, axes, lines that mean "the data"
    muted: str  # secondary text, reference lines
    grid: str
    bg: str  # the page colour the figure will sit on (for filled markers' edges)
    palette: tuple[str, ...]
    positive: str  # sign: values > 0, and class 1 (label +1)
    negative: str  # sign: values < 0, and class 0 (label 0 or -1)
    sequential: str  # colormap name for magnitudes
    rc: dict[str, Any] = field(default_factory=dict)
    layout: str = "wide"  # "wide": the desktop column; "narrow": a phone's (generators/layout.py)

    @property
    def narrow(self) -> bool:
        """True when drawing for a phone: stack panels, fewer columns, same text sizes."""
        return self.layout == "narrow"

    @property
    def class_colors(self) -> tuple[str, str]:
        """(class 0's colour, class 1's colour): the negative and the positive colour."""
        return (self.negative, self.positive)

    def class_cmap(self) -> Any:
        """Colormap from class 0's colour through the page colour to class 1's.

        For a classifier's output in [0, 1]: regions take the colour of the class
        predicted there, fading to the page colour where the classifier is unsure.
        """
        return _through_page(f"classes-{self.name}", self.negative, self.bg, self.positive)

    @property
    def diverging(self) -> Any:
        """Colormap for signed values: negative colour -> page colour (at 0) -> positive.

        Centre it with ``vmin=-lim, vmax=lim``. Through the page colour, so a map that is
        mostly near 0 is mostly page, not a glaring white box in the dark theme.
        """
        return _through_page(f"sign-{self.name}", self.negative, self.bg, self.positive)

    @property
    def digits(self) -> Any:
        """Colormap for intensity images such as the digits: page colour (0) -> ink (max)."""
        return _through_page(f"digits-{self.name}", self.bg, self.fg)

    def ink_on(self, colour: Any) -> str:
        """The text colour (``fg`` or ``bg``) that reads best on a cell of ``colour``.

        By WCAG contrast ratio, so numbers written on a colormap's cells stay legible in
        both themes whichever end of the map the cell is near.
        """
        cell = _luminance(colour)
        return max((self.fg, self.bg), key=lambda ink: _contrast(_luminance(ink), cell))

    @property
    def photo(self) -> Any:
        """Colormap for a grey-scale photograph: black (0) -> white (1) in both themes."""
        return _through_page("photo", "#000000", "#ffffff")


def _luminance(colour: Any) -> float:
    """WCAG relative luminance of a matplotlib colour (alpha ignored)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _through_page(name: str, *colors: str) -> Any:
    from matplotlib.colors import LinearSegmentedColormap  # lazily, like matplotlib elsewhere

    return LinearSegmentedColormap.from_list(name, list(colors))


def _rc(fg: str, muted: str, grid: str, palette: tuple[str, ...]) -> dict[str, Any]:
    from cycler import cycler  # shipped with matplotlib; imported lazily like matplotlib

    return {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "text.color": fg,
        "axes.labelcolor": fg,
        "axes.edgecolor": muted,
        "axes.titlecolor": fg,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelcolor": fg,
        "ytick.labelcolor": fg,
        "grid.color": grid,
        "legend.edgecolor": muted,
        "legend.facecolor": "none",
        "legend.labelcolor": fg,
        "axes.prop_cycle": cycler(color=list(palette)),
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "legend.fontsize": 10,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "lines.linewidth": 2.0,
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "svg.hashsalt": "dlv-course",  # fixed ids inside SVGs: byte-identical rebuilds
        "svg.fonttype": "path",  # text as outlines: looks the same in every browser
        "mathtext.fontset": "dejavusans",
        "image.interpolation": "nearest",
    }


_LIGHT_PALETTE = tuple(OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky"))
_DARK_PALETTE = tuple(OKABE_ITO[k] for k in ("sky", "orange", "green", "vermillion", "purple", "yellow"))


def themes() -> tuple[Theme, Theme]:
    """The light and the dark theme, in that order."""
    light = Theme(
        name="light", fg="#1f2328", muted="#57606a", grid="#d0d7de", bg="#ffffff",
        palette=_LIGHT_PALETTE, positive=OKABE_ITO["blue"], negative=OKABE_ITO["orange"],
        sequential="viridis",
        rc=_rc("#1f2328", "#57606a", "#d0d7de", _LIGHT_PALETTE),
    )
    dark = Theme(
        name="dark", fg="#e6edf3", muted="#9da7b3", grid="#3d444d", bg="#1e2129",
        palette=_DARK_PALETTE, positive=OKABE_ITO["sky"], negative=OKABE_ITO["orange"],
        sequential="viridis",
        rc=_rc("#e6edf3", "#9da7b3", "#3d444d", _DARK_PALETTE),
    )
    return light, dark


# Plain-text tick labels for logarithmic axes, shared by the lessons' figures.
SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def decade_label(v: float, _pos: object = None) -> str:
    """Tick label of a logarithmic axis as plain text: 0.01, 0.1, 1, 10, 100, 10\u00b3, ...

    (matplotlib's default labels are mathtext, several times slower to lay out as SVG paths.)
    """
    e = int(round(np.log10(v))) if v > 0 else 0
    if v <= 0 or not np.isclose(v, 10.0 ** e):
        return ""
    return f"{v:g}" if -2 <= e <= 2 else "10" + str(e).translate(SUPERSCRIPT)


# The Fontconfig bundled with pygraphviz's wheel is older than the system's configuration
# and warns about it ('unknown element "reset-dirs"') the first time each process lays out
# text; the warning is harmless (README, "Known messages"), so it is kept out of the logs.
_HARMLESS = (b"Fontconfig warning:",)


def graphviz_svg(graph: Any) -> bytes:
    """Lay out a ``pygraphviz.AGraph`` with dot and return its SVG document.

    Graphviz's own messages (written by C code to file descriptor 2) are passed on to
    stderr, except the harmless Fontconfig warning.
    """
    import os
    import sys
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            graph.layout("dot")
            svg = graph.draw(format="svg")
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        caught.seek(0)
        for line in caught.read().splitlines(keepends=True):
            if not line.startswith(_HARMLESS):
                sys.stderr.buffer.write(line)
        sys.stderr.flush()
    return svg
