"""Figures fit the screen they are read on: text measured as displayed, narrow layouts, markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generators.build import fit
from generators.build.render import draw_figures
from generators.figure import Figure, Generator
from generators.layout import MIN_TEXT, NARROW_BELOW, PHONE_COLUMN, subplots
from generators.site.refs import figure_markdown


def _panels(fontsize: float = 10, honour_narrow: bool = True):
    """A draw function: three panels in a row, a column when narrow (if ``honour_narrow``)."""
    def draw(data, params, theme):
        import matplotlib.pyplot as plt

        if honour_narrow:
            fig, axes = subplots(theme, 3, height=2.4)
        else:
            fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.4))
        for ax in axes:
            ax.plot([0, 1], [0, 1])
            ax.set_title("panel", fontsize=fontsize)
            ax.tick_params(labelsize=fontsize)
        return fig
    return draw


def _small(data, params, theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2.5, 2))
    ax.plot([0, 1], [1, 0])
    ax.set_title("small")
    return fig


def _generator(*figures: Figure) -> Generator:
    return Generator(compute=lambda p: {}, figures=figures)


def _fig(name: str, draw, **kw) -> Figure:
    return Figure(name, draw, caption="A caption.", alt="Alt text.", **kw)


def test_matplotlib_text_is_measured_in_css_px_ignoring_hidden_and_empty_text():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.tick_params(labelsize=12)
    ax.set_title("title", fontsize=15)
    ax.text(0.5, 0.5, "tiny but hidden", fontsize=3).set_visible(False)
    ax.text(0.5, 0.5, "   ", fontsize=2)
    fig.draw_without_rendering()  # tick labels exist once drawn (the build measures after saving)
    assert fit.matplotlib_text_px(fig) == pytest.approx(12 * 4 / 3)
    ax.text(0.1, 0.1, "small note", fontsize=6)
    assert fit.matplotlib_text_px(fig) == pytest.approx(8.0)
    plt.close(fig)


def test_tick_labels_of_axes_switched_off_are_not_measured():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.tick_params(labelsize=5)
    ax.set_title("grid of numbers", fontsize=11)
    fig.draw_without_rendering()
    assert fit.matplotlib_text_px(fig) == pytest.approx(5 * 4 / 3)
    ax.axis("off")
    assert fit.matplotlib_text_px(fig) == pytest.approx(11 * 4 / 3)
    plt.close(fig)


def test_svg_text_is_scaled_from_user_units_to_css_px():
    # Graphviz: width in pt, font sizes in the viewBox's units (here 1 unit = 0.5 pt).
    svg = (b'<svg width="100pt" height="50pt" viewBox="0.00 0.00 200.00 100.00">'
           b'<text font-size="14.00">a</text><text font-size="20.00">b</text></svg>')
    assert fit.svg_text_px(svg) == pytest.approx(14 * 0.5 * 4 / 3)
    assert fit.svg_text_px(b'<svg width="10px" height="10px"><rect/></svg>') is None
    # Graphviz shrinks a graph to its size attribute with a scale on the outer group.
    scaled = svg.replace(b'viewBox="0.00 0.00 200.00 100.00">',
                         b'viewBox="0.00 0.00 200.00 100.00"><g transform="scale(0.5 0.5) rotate(0)">')
    assert fit.svg_text_px(scaled) == pytest.approx(14 * 0.25 * 4 / 3)


def test_shown_text_shrinks_with_the_column_and_never_grows():
    assert fit.shown_text(600, 12, 300) == pytest.approx(6)
    assert fit.shown_text(200, 12, 300) == pytest.approx(12)
    assert fit.fits_phone(PHONE_COLUMN, MIN_TEXT)
    assert not fit.fits_phone(2 * PHONE_COLUMN, 1.5 * MIN_TEXT)
    assert fit.fits_phone(2000, None)  # no text at all


def test_breakpoint_is_where_the_wide_picture_becomes_legible():
    assert fit.narrow_below(500, 13.3) == NARROW_BELOW
    # 9 px text in a 690-px picture is legible only at full size: column 690, viewport 722.
    assert fit.narrow_below(690, 9.0) == 690 + 32


def test_a_wide_figure_gets_a_narrow_variant_and_the_page_serves_it_to_phones(tmp_path: Path):
    figures, files = draw_figures(_generator(_fig("row", _panels())), {}, {}, "t", tmp_path)
    entry = figures["t/row"]
    assert entry["narrow"]["width"] < 400 < entry["width"]
    assert entry["narrow"]["text_px"] == pytest.approx(entry["text_px"])
    assert sorted(files) == ["t/row.dark.svg", "t/row.narrow.dark.svg", "t/row.narrow.svg", "t/row.svg"]
    assert all((tmp_path / f).is_file() for f in files)
    assert entry["narrow_below"] >= NARROW_BELOW

    html = figure_markdown("t/row", entry, "/dlv/")
    sources = re.findall(r'<source media="\(max-width: ([\d.]+)px\)" srcset="([^"]+)" '
                         r'width="(\d+)" height="(\d+)">', html)
    # Absolute paths under the site's path: raw HTML, which the engines would rewrite differently.
    assert [s[1] for s in sources] == ["/dlv/generated/t/row.narrow.svg",
                                       "/dlv/generated/t/row.narrow.dark.svg"]
    assert float(sources[0][0]) < entry["narrow_below"]
    # "Open full size" opens the wide picture; every size is a whole number.
    assert 'href="/dlv/generated/t/row.svg"' in html
    assert not re.search(r'(width|height)="\d+\.\d', html)


def test_a_figure_legible_on_a_phone_is_drawn_once(tmp_path: Path):
    figures, files = draw_figures(_generator(_fig("small", _small)), {}, {}, "t", tmp_path)
    assert "narrow" not in figures["t/small"]
    assert sorted(files) == ["t/small.dark.svg", "t/small.svg"]
    assert "<source" not in figure_markdown("t/small", figures["t/small"])


def test_a_draw_that_ignores_the_narrow_layout_fails_naming_the_figure(tmp_path: Path):
    gen = _generator(_fig("row", _panels(honour_narrow=False)))
    with pytest.raises(fit.FitError, match=r"figure t/row: on a 320-px phone .* ignores theme.narrow"):
        draw_figures(gen, {}, {}, "t", tmp_path)


def test_a_narrow_layout_with_tiny_text_fails_naming_the_figure_and_the_numbers(tmp_path: Path):
    def draw(data, params, theme):  # 7.5-pt text: legible on a desktop; the narrow layout too wide
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5, 4) if theme.narrow else (7.2, 2.4))
        ax.plot([0, 1], [0, 1])
        ax.tick_params(labelsize=7.5)
        return fig

    gen = _generator(_fig("row", draw))
    with pytest.raises(fit.FitError, match=r"figure t/row: .* its narrow layout is \d+ px wide with 10.0-px text"):
        draw_figures(gen, {}, {}, "t", tmp_path)


def test_text_too_small_even_on_a_desktop_fails(tmp_path: Path):
    gen = _generator(_fig("row", _panels(fontsize=4)))
    with pytest.raises(fit.FitError, match=r"figure t/row: .* in the desktop column"):
        draw_figures(gen, {}, {}, "t", tmp_path)


def test_an_explicit_fallback_is_shown_shrunk_and_recorded_for_the_warning(tmp_path: Path):
    gen = _generator(_fig("row", _panels(honour_narrow=False), narrow=False))
    figures, files = draw_figures(gen, {}, {}, "t", tmp_path)
    entry = figures["t/row"]
    assert "narrow" not in entry and entry["phone_text_px"] < MIN_TEXT
    from generators.site.expand import _shrunk_figures

    [warning] = _shrunk_figures({"figures": figures})
    assert warning.startswith("figure t/row is shown shrunk on phones")
