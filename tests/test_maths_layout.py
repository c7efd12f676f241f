"""Maths laid out for narrow screens: aligned breaks, scroll boxes for matrices, named code."""

from __future__ import annotations

import re

import pytest

from generators.site.markdown_math import name_code_blocks, render_math
from generators.site.maths import MathCache, MathError, display_block, latex_to_mathml


def _cells(mathml: str) -> list[list[str]]:
    """The cells of each row of the (one) table in ``mathml``, as their MathML."""
    return [re.findall(r"<mtd[^>]*?(?:/>|>(.*?)</mtd>)", row)
            for row in re.findall(r"<mtr>(.*?)</mtr>", mathml)]


def test_aligned_breaks_a_formula_into_rows_aligned_at_the_relation() -> None:
    mathml = latex_to_mathml(r"\begin{aligned} z &= W x + b \\ &= W^\top x + b \end{aligned}", True)
    rows = _cells(mathml)
    assert len(rows) == 2
    assert "<mi>z</mi>" in rows[0][0] and rows[1][0] == ""  # the left side only on the first row
    assert all(row[1].startswith("<mi /><mo>&#x0003D;</mo>") for row in rows)  # each "=" starts its cell
    assert "&amp;" not in mathml and "<mi>&</mi>" not in mathml  # no stray ampersand
    assert 'class="dlv-align"' in mathml and 'displaystyle="true"' in mathml


def test_aligned_pairs_on_one_row_are_spaced_apart() -> None:
    mathml = latex_to_mathml(r"\begin{aligned} a &= 1, & b &= 2 \end{aligned}", True)
    assert len(_cells(mathml)[0]) == 4
    assert 'columnspacing="0em 2em 0em 2em 0em"' in mathml


@pytest.mark.parametrize("latex", [r"a = b \\ c = d", r"\begin{gathered} a \\ b \end{gathered}"])
def test_a_line_break_outside_an_alignment_fails_naming_the_fix(latex: str) -> None:
    # The browser would ignore the break and draw one long line.
    with pytest.raises(MathError, match=r"cannot render .*aligned"):
        latex_to_mathml(latex, display=True)


def test_a_formula_with_a_matrix_is_a_named_focusable_scroll_box() -> None:
    latex = r"z = \begin{bmatrix} 1 & 2 & 3 \end{bmatrix} x"
    html = display_block(latex, latex_to_mathml(latex, True))
    assert html.startswith('<div class="dlv-math dlv-math-block dlv-math-scroll" tabindex="0" '
                           'role="group" aria-label="Wide equation">')


def test_a_formula_without_a_matrix_is_a_plain_block() -> None:
    latex = r"\begin{aligned} a &= b \\ &= c \end{aligned}"
    html = display_block(latex, latex_to_mathml(latex, True))
    assert html.startswith('<div class="dlv-math dlv-math-block"><math')
    assert "tabindex" not in html and "aria-label" not in html


def test_only_display_maths_becomes_a_scroll_box() -> None:
    page = ('<p><span class="arithmatex">\\(x = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}\\)</span></p>'
            '<div class="arithmatex">\\[x = \\begin{pmatrix} 1 & 2 \\end{pmatrix}\\]</div>')
    out = render_math(page, MathCache(None))
    assert out.count('tabindex="0"') == 1
    assert '<span class="dlv-math"><math display="inline">' in out
    assert '<div class="dlv-math dlv-math-block dlv-math-scroll" tabindex="0"' in out


def test_code_blocks_are_named_and_inline_code_is_not() -> None:
    page = ('<div class="highlight"><pre><span></span><code><a id="l1"></a>x = 1\n</code></pre></div>'
            '<pre id="__code_1"><code>plain</code></pre><p>Call <code>f()</code>.</p>')
    out = name_code_blocks(page)
    assert out.count('<code role="group" aria-label="Code">') == 2
    assert "<p>Call <code>f()</code>.</p>" in out
