"""Every figure fits the column and its text stays legible, from a 320-px phone to a desktop.

The build decides from a model of the theme's column (``generators/layout.py``) which
picture each screen gets; this checks that model in the browser, under both engines: at
each viewport, every shown figure is no wider than the column, and its smallest text
(measured at build time, per picture, in ``_index.json``) as displayed is >= 9 CSS px.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.layout import MIN_TEXT
from sitekit import REPO, checked_page

pytestmark = pytest.mark.browser

VIEWPORTS = (320, 390, 599, 600, 800, 960, 1280)
# A phone's scrollbars float over the page; a desktop Chromium's take 15 px of its width
# (Zensical reserves room for one), which no phone reader has.
OVERLAY_SCROLLBARS = "html { scrollbar-width: none; }"


def _text_by_file() -> dict[str, float]:
    """Smallest text (CSS px at natural size) of each published picture, from the build's index."""
    index = json.loads((REPO / "content/generated/_index.json").read_text(encoding="utf-8"))
    out = {}
    for fig in index["figures"].values():
        for variant in (fig, fig.get("narrow") or {}):
            for rel in variant.get("files", {}).values():
                if variant["text_px"] is not None:
                    out[f"generated/{rel}"] = variant["text_px"]
    return out


def _pages_with_figures(site: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")
                  if 'class="dlv-figure"' in p.read_text(encoding="utf-8"))


def test_figures_fit_and_stay_legible_at_every_width(browser, site: Path, site_port: int) -> None:
    texts = _text_by_file()
    pages = _pages_with_figures(site)
    assert len(pages) >= 14
    problems = []
    for width in VIEWPORTS:
        with checked_page(browser, site, site_port, viewport={"width": width, "height": 800}) as pg:
            for url in pages:
                pg.goto(pg.base + url, wait_until="domcontentloaded")
                if width < 960:
                    pg.add_style_tag(content=OVERLAY_SCROLLBARS)
                pg.evaluate("document.querySelectorAll('.dlv-figure img').forEach(i => { i.loading = 'eager'; })")
                pg.wait_for_function("[...document.querySelectorAll('.dlv-figure img')]"
                                     ".filter(i => i.checkVisibility()).every(i => i.complete)")
                shown = pg.evaluate("""() => {
                    const column = document.querySelector('article').getBoundingClientRect();
                    return [...document.querySelectorAll('.dlv-figure img')]
                      .filter(i => i.checkVisibility()).map(i => {
                        const r = i.getBoundingClientRect();
                        return { src: new URL(i.currentSrc).pathname, shown: r.width,
                                 natural: i.naturalWidth, left: r.left - column.left,
                                 right: column.right - r.right };
                      });
                }""")
                assert shown, f"{url} at {width} px: no figure shown"
                for img in shown:
                    rel = img["src"].split("/generated/", 1)[1]
                    where = f"{url} at {width} px: generated/{rel}"
                    if img["left"] < -0.5 or img["right"] < -0.5:
                        problems.append(f"{where} sticks out of the column by "
                                        f"{-min(img['left'], img['right']):.0f} px")
                    text = texts.get(f"generated/{rel}")
                    # naturalWidth of an SVG is its CSS width; of a PNG its pixel width
                    # (drawn at 150 dpi, shown at 96 CSS px per inch).
                    natural = img["natural"] * (96 / 150 if rel.endswith(".png") else 1)
                    if text is not None and text * min(1, img["shown"] / natural) < MIN_TEXT - 0.05:
                        problems.append(f"{where} shows text at "
                                        f"{text * img['shown'] / natural:.1f} CSS px")
    assert not problems, "\n".join(problems)
