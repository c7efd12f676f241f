"""LaTeX to MathML at build time: no maths script, no network, each formula converted once.

``latex_to_mathml(latex, display)`` converts one formula with latex2mathml and polishes
the result; a formula it cannot render faithfully (an unknown command, a line break
``\\`` outside an alignment) raises ``MathError`` quoting it, so raw LaTeX never reaches
a reader. ``aligned`` (which latex2mathml would flatten, dropping its ``&``) is converted
as ``split``, the same right/left columns, so a long formula can break across lines.

``display_block(latex, mathml)`` is the HTML a display formula is shown in: a block that
fits the text column, or, for a formula with a matrix (which cannot be broken across
lines), a scroll box that a keyboard can reach and a screen reader can name.

``MathCache`` keeps every converted formula by its content (the LaTeX, inline or display,
and the converter's version), in ``build/cache/mathml.json``: the expand step fills it
while it checks each page's maths, and the Markdown extension (``markdown_math.py``) that
both engines run reads it, so an unchanged formula is never converted twice.
Browsers draw MathML with the page's math font (STIX Two Math, served with the site).
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

# A matrix cannot be broken across lines: a display formula with one may scroll sideways.
MATRIX_RE = re.compile(r"\\begin\{(?:[pbBvV]?matrix|smallmatrix)\}")
ALIGNED_RE = re.compile(r"\\(begin|end)\{aligned\}")
# latex2mathml's split: right- and left-aligned columns in pairs, no space between them.
SPLIT_TABLE = '<mtable displaystyle="true" columnspacing="0em" rowspacing="3pt">'
SCROLL_LABEL = "Wide equation"
BAR_RE = re.compile(r"<mo>(&#x02016;|&#x0007C;|\|)</mo>")
NAME_RE = re.compile(r"<mo>([A-Za-z]{2,})</mo>")
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
CACHE_FILE = Path("build") / "cache" / "mathml.json"
INDENT_RE = re.compile(r"\n[ \t]+")


class MathError(ValueError):
    """A formula could not be rendered faithfully."""


def latex_to_mathml(latex: str, display: bool) -> str:
    """MathML for one formula; ``MathError`` if any of it would show as raw LaTeX."""
    from latex2mathml.converter import convert  # only on a cache miss: 70 ms to import

    try:
        mathml = convert(ALIGNED_RE.sub(r"\\\1{split}", latex), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types for bad input
        raise MathError(f"cannot render ${latex}$: {type(exc).__name__}: {exc}") from None
    try:
        tree = ET.fromstring(mathml)
    except ET.ParseError as exc:
        raise MathError(f"cannot render ${latex}$ (unsupported construct: {exc})") from None
    for node in tree.iter():
        text = node.text or ""
        if "\\" in text or (node.tag == MATHML_NS + "mi" and text.strip() == "&"):
            raise MathError(f"cannot render ${latex}$: {text.strip()!r} is not supported")
        if node.tag == MATHML_NS + "mspace" and node.get("linebreak"):
            raise MathError(f"cannot render ${latex}$: a line break \\\\ needs an alignment "
                            r"around it, e.g. \begin{aligned} a &= b \\ &= c \end{aligned}")
    mathml = mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)
    return _polish(_space_aligned_pairs(mathml))


def _space_aligned_pairs(mathml: str) -> str:
    """Mark ``aligned``/``split`` tables so the stylesheet can set them as LaTeX does.

    latex2mathml gives such a table right- and left-aligned columns with no space between
    them (``columnspacing``, which Chromium ignores, drawing every cell with its default
    0.4em side padding instead: a gap before each ``=``). The class lets the stylesheet
    take that padding away and put LaTeX's 2em between ``lhs &= rhs`` pairs; the
    ``columnspacing`` list says the same for browsers that read it (MathML repeats the
    last gap listed).
    """
    return mathml.replace(SPLIT_TABLE, SPLIT_TABLE.replace(
        '<mtable displaystyle="true" columnspacing="0em"',
        '<mtable class="dlv-align" displaystyle="true" columnspacing="0em 2em 0em 2em 0em"'))


def display_block(latex: str, mathml: str) -> str:
    """The HTML a display formula is shown in (``mathml``, converted from ``latex``).

    A formula with a matrix cannot break across lines, so on a phone it may be wider than
    the text: it goes in a scroll box that the keyboard can reach (``tabindex="0"``) and a
    screen reader names (``role="group"`` with a label: a named region would be a
    landmark, and a page has many formulas). The stylesheet shades the edge that hides
    more of it. Any other formula should fit a 288-px phone column: break it with
    ``aligned``.
    """
    if MATRIX_RE.search(latex):
        return (f'<div class="dlv-math dlv-math-block dlv-math-scroll" tabindex="0" role="group" '
                f'aria-label="{SCROLL_LABEL}">{mathml}</div>')
    return f'<div class="dlv-math dlv-math-block">{mathml}</div>'



def _polish(mathml: str) -> str:
    """Small fixes so browsers draw latex2mathml's output the way LaTeX would.

    - ``\\lVert``/``|`` bars: a bare ``<mo>`` bar is stretchy in the browser's operator
      dictionary and grows to the height of the whole formula; LaTeX's does not.
    - ``1/2``: a slash is tight in LaTeX; browsers give ``<mo>/</mo>`` operator spacing.
    - ``\\operatorname{ReLU}``, ``\\max``: as an ``<mo>`` a multi-letter name gets operator
      spacing ("ReLU (z)"); LaTeX sets it as an upright identifier ("ReLU(z)").
    """
    mathml = BAR_RE.sub(r'<mo stretchy="false">\1</mo>', mathml)
    mathml = mathml.replace("<mo>&#x0002F;</mo>", '<mo lspace="0" rspace="0">/</mo>')
    return NAME_RE.sub(r"<mi>\1</mi>", mathml)


def converter_version() -> str:
    """What a cached formula depends on besides its LaTeX: latex2mathml and this module."""
    return metadata.version("latex2mathml") + ":" + hashlib.sha256(
        Path(__file__).read_bytes()).hexdigest()[:16]


def formula_key(latex: str, display: bool) -> str:
    return hashlib.sha256(f"{int(display)}\0{latex}".encode()).hexdigest()[:32]


class MathCache:
    """Formula (LaTeX, display) -> MathML, kept in ``path`` between builds.

    ``used`` collects the formulas asked for in this run, so saving it drops the ones no
    page has any more. Reading never fails: a missing or stale file is an empty cache.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.version = converter_version()
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == self.version:
                    self.known = data["formulas"]
            except (OSError, ValueError, KeyError, AttributeError):
                pass

    def mathml(self, latex: str, display: bool) -> str:
        """MathML for a formula, converted only if no earlier build did; ``MathError``.

        Lines are compared without their indentation: the expand step reads a formula
        inside a list or an admonition with it, the engine's Markdown without it.
        """
        latex = INDENT_RE.sub("\n", latex.strip())
        key = formula_key(latex, display)
        if key not in self.known:
            self.known[key] = latex_to_mathml(latex, display)
        self.used[key] = self.known[key]
        return self.used[key]

    def save(self) -> None:
        """Write the formulas used in this run (atomically; untouched if unchanged)."""
        from generators.build.cache import write_json

        if self.path is not None:
            write_json(self.path, {"version": self.version, "formulas": self.used})
