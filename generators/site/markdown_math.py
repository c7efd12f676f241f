"""The one piece of project code the engine runs: a Python-Markdown extension, LaTeX to MathML.

Both MkDocs and Zensical render pages with Python-Markdown and run the extensions listed
in ``mkdocs.yml``. ``pymdownx.arithmatex`` (generic mode) finds the maths and marks it up
as ``<span class="arithmatex">\\(...\\)</span>`` and ``<div class="arithmatex">\\[...\\]</div>``;
this extension's postprocessor replaces each with MathML.

The expand step has already converted and checked every formula of every page and left
them in the formula cache (``maths.MathCache``), so here a formula is a lookup. One that
is not there (a page built without the expand step) is converted on the spot.

It also names code blocks (``name_code_blocks``): the theme makes a code block wider
than the column scroll sideways and focusable, but leaves it without a name a screen
reader can say when the keyboard lands on it.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from generators.site.maths import CACHE_FILE, MathCache, MathError, display_block

ROOT = Path(__file__).resolve().parents[2]
MATH_RE = re.compile(
    r'<(span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</\1>',
    re.S,
)
# A highlighted code block's scrolling element (pymdownx.highlight: <pre><span></span><code>).
CODE_BLOCK_RE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?)<code>")
CODE_LABEL = "Code"
_cache: tuple[int, MathCache] | None = None  # (file mtime, cache): one load per process


def formula_cache() -> MathCache:
    """The formula cache, read again only when the expand step has rewritten it."""
    global _cache
    path = ROOT / CACHE_FILE
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        stamp = 0
    if _cache is None or _cache[0] != stamp:
        _cache = (stamp, MathCache(path))
    return _cache[1]


def render_math(page_html: str, cache: MathCache | None = None) -> str:
    """Replace every arithmatex span/div in ``page_html`` with MathML; ``MathError``."""
    cache = cache or formula_cache()

    def replace(match: re.Match[str]) -> str:
        display = match.group("block") is not None
        latex = html.unescape(match.group("block") if display else match.group("inline"))
        mathml = cache.mathml(latex.strip(), display)
        return display_block(latex, mathml) if display else f'<span class="dlv-math">{mathml}</span>'

    out = MATH_RE.sub(replace, page_html)
    if 'class="arithmatex"' in out:
        raise MathError("maths left unrendered (malformed $...$?)")
    return out


def name_code_blocks(page_html: str) -> str:
    """Give every code block's ``<code>`` (the element that scrolls) a role and a name.

    A ``group`` rather than a ``region``: named regions are landmarks, one per code block
    would crowd a screen reader's list of them. The theme adds ``tabindex`` itself, to
    a block that scrolls.
    """
    return CODE_BLOCK_RE.sub(rf'\1<code role="group" aria-label="{CODE_LABEL}">', page_html)


class MathMLPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return name_code_blocks(render_math(text))


class MathMLExtension(Extension):
    """``markdown_extensions: [generators.site.markdown_math]`` after ``pymdownx.arithmatex``."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After raw HTML is put back (priority 30), so every piece of the page is there.
        md.postprocessors.register(MathMLPostprocessor(md), "dlv_mathml", 5)


def makeExtension(**kwargs: object) -> MathMLExtension:  # noqa: N802 (Python-Markdown's name)
    return MathMLExtension(**kwargs)
