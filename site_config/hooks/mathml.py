"""Render the page's LaTeX to MathML at build time: no maths script, no network.

``pymdownx.arithmatex`` (generic mode) marks maths up as ``<span class="arithmatex">\\(...\\)</span>``
and ``<div class="arithmatex">\\[...\\]</div>``; ``render_math`` replaces each with MathML
from latex2mathml. A formula latex2mathml does not understand (an unknown command, an
``aligned`` environment) raises ``MathError`` quoting it, so raw LaTeX never reaches a reader.
Browsers draw MathML with the page's math font (STIX Two Math, served with the site).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

MATH_RE = re.compile(
    r'<(span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</\1>',
    re.S,
)
BAR_RE = re.compile(r"<mo>(&#x02016;|&#x0007C;|\|)</mo>")
NAME_RE = re.compile(r"<mo>([A-Za-z]{2,})</mo>")
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"


class MathError(ValueError):
    """A formula could not be rendered faithfully."""


def latex_to_mathml(latex: str, display: bool) -> str:
    """MathML for one formula; ``MathError`` if any of it would show as raw LaTeX."""
    try:
        mathml = convert(latex, display="block" if display else "inline")
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
    return _polish(mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1))


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


def render_math(page_html: str) -> str:
    """Replace every arithmatex span/div in ``page_html`` with MathML."""

    def replace(match: re.Match[str]) -> str:
        display = match.group("block") is not None
        latex = html.unescape(match.group("block") if display else match.group("inline"))
        mathml = latex_to_mathml(latex.strip(), display)
        tag = "div" if display else "span"
        return f'<{tag} class="dlv-math{" dlv-math-block" if display else ""}">{mathml}</{tag}>'

    return MATH_RE.sub(replace, page_html)
