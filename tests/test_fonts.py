"""The math font: subset to what the site's maths draws, WOFF2, deterministic, cached."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generators.site import fonts
from generators.site.expand import DOCS, MATH_FONT, ExpandError, expand_site
from generators.site.maths import CACHE_FILE
from sitekit import REPO, copy_repository


@pytest.fixture(scope="module")
def expanded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository (with its figure cache) expanded once, shared by this module."""
    dest = copy_repository(tmp_path_factory.mktemp("fonts") / "repo")
    for folder in ("build/cache", "content/generated"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, dest / folder, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("lock", "fonts"))
    expand_site(dest)
    return dest


def _site_characters(root: Path) -> set[str]:
    """Every character the site's formulas hold, and those the browser draws for them."""
    chars: set[str] = set()
    for mathml in json.loads((root / CACHE_FILE).read_text(encoding="utf-8"))["formulas"].values():
        own, added = fonts.math_characters(mathml)
        chars |= own | added
    return chars


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_subset_draws_every_character_of_the_sites_maths(expanded: Path) -> None:
    served = expanded / DOCS / MATH_FONT
    assert served.read_bytes()[:4] == b"wOF2"
    font = TTFont(served)
    assert font.flavor == "woff2"
    cmap = set(map(chr, font.getBestCmap()))
    chars = _site_characters(expanded)
    assert {"x", "\U0001d465", "\u2211", "\u221a"} <= chars  # letters, math italic, a sum, a root
    assert chars - {" ", "\u00a0"} <= cmap, sorted(chars - cmap)
    assert "\u6f22" not in cmap and "J" not in cmap  # what no formula uses is cut (J: the retired name of the cost)
    assert set(fonts.HINTING_REFERENCE) <= cmap  # what the auto-hinter measures is kept
    assert served.stat().st_size < fonts.source_font().stat().st_size / 10


def test_the_subset_keeps_the_math_table_and_the_stretchy_variants(expanded: Path) -> None:
    font = TTFont(expanded / DOCS / MATH_FONT)
    assert "MATH" in font
    variants = font["MATH"].table.MathVariants
    glyph = font.getBestCmap()[ord("(")]
    vertical = variants.VertGlyphCoverage.glyphs
    assert glyph in vertical  # a parenthesis grows with what it holds
    construction = variants.VertGlyphConstruction[vertical.index(glyph)]
    sizes = [record.VariantGlyph for record in construction.MathGlyphVariantRecord]
    parts = [part.glyph for part in construction.GlyphAssembly.PartRecords]
    assert len(sizes) > 3 and len(parts) >= 3
    assert set(sizes + parts) <= set(font.getGlyphOrder())
    assert "ssty" in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}


def test_the_subset_is_deterministic() -> None:
    source = fonts.source_font()
    chars = set("x+y=\u2211\U0001d465\u221a(")
    first = fonts.subset_font(source, chars)
    assert fonts.subset_font(source, chars) == first
    assert fonts.subset_font(source, chars | {"\u2135"}) != first  # ℵ
    assert TTFont(io.BytesIO(first))["head"].modified == TTFont(source)["head"].modified


def test_an_unchanged_site_is_not_subset_again_and_a_new_character_is(expanded: Path) -> None:
    root = expanded
    cached = sorted((root / fonts.CACHE_DIR).glob("*.woff2"))
    assert len(cached) == 1 and expand_site(root).written == []
    page = root / "content/notation.md"
    text = page.read_text(encoding="utf-8")
    try:
        page.write_text(text + "\nAn alephant: $\\aleph$.\n", encoding="utf-8")
        assert sorted(expand_site(root).written) == [MATH_FONT, "notation.md"]
        assert "\u2135" in set(map(chr, TTFont(root / DOCS / MATH_FONT).getBestCmap()))
        assert sorted((root / fonts.CACHE_DIR).glob("*.woff2")) != cached  # one new file,
        assert len(list((root / fonts.CACHE_DIR).glob("*.woff2"))) == 1  # the old one gone
    finally:
        page.write_text(text, encoding="utf-8")
        expand_site(root)


def test_a_character_the_font_lacks_names_page_line_and_character(expanded: Path) -> None:
    root = expanded
    before = _tree(root / DOCS)
    page = root / "content/notation.md"
    text = page.read_text(encoding="utf-8")
    try:
        page.write_text("# N\n\nFine: $x$.\n\nNot: $x + \u6f22$ and $\\text{\U0001f600}$\n", encoding="utf-8")
        with pytest.raises(ExpandError) as err:
            expand_site(root)
    finally:
        page.write_text(text, encoding="utf-8")
    assert err.value.errors == [
        "content/notation.md:5: the math font (STIX Two Math) has no glyph for '\u6f22' (U+6F22)",
        "content/notation.md:5: the math font (STIX Two Math) has no glyph for '\U0001f600' (U+1F600)",
    ]
    assert _tree(root / DOCS) == before


def test_math_characters_include_what_the_browser_draws() -> None:
    own, added = fonts.math_characters(
        '<math><mi>x</mi><mi mathvariant="normal">d</mi><mi>h</mi><mn mathvariant="bold">1</mn>'
        "<msqrt><mi>sin</mi></msqrt><mo>-</mo><mo>&#x02061;</mo></math>")
    assert own == set("xdh1sin-\u2061")
    assert added == {"\U0001d465", "\u210e", "\U0001d7cf", "\u221a", "\u2212"}  # 𝑥 ℎ 𝟏 √ −
    assert fonts.styled("R", "DOUBLE-STRUCK") == "\u211d" and fonts.styled("+", "BOLD") == ""


def test_invisible_characters_need_no_glyph() -> None:
    source = fonts.source_font()
    assert fonts.missing_glyphs("x \u2061\u2062\u200b\u00a0", source) == []
    assert fonts.missing_glyphs("x\u6f22", source) == ["\u6f22"]


def test_the_stylesheet_serves_the_woff2_with_swap() -> None:
    css = (REPO / "site_config/assets/course.css").read_text(encoding="utf-8")
    face = css[css.index("@font-face"):].split("}", 1)[0]
    assert f'url("fonts/{fonts.SERVED_NAME}") format("woff2")' in face
    assert "font-display: swap" in face and ".ttf" not in face
    assert MATH_FONT == f"assets/fonts/{fonts.SERVED_NAME}"


@pytest.mark.browser
def test_the_subset_face_loads_in_the_browser(page) -> None:
    page.goto(page.base + "lessons/backpropagation/", wait_until="networkidle")
    state = page.evaluate("""async () => {
        await document.fonts.ready;
        const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'STIX Two Math');
        return { status: faces.map(f => f.status),
                 fetched: performance.getEntriesByType('resource').map(e => e.name)
                     .filter(n => n.includes('/fonts/')) };
    }""")
    assert state["status"] == ["loaded"]
    assert [url.rsplit("/", 1)[-1] for url in state["fetched"]] == [fonts.SERVED_NAME]
