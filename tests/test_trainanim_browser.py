"""The training-dynamics page's animation explorer ("trainanim") in a real browser.

Headless Debian Chromium through Playwright, every non-local request blocked, as in
``test_browser.py``: the slider and the play/pause button step through the epochs,
from the keyboard too; colours follow the palette; it still works after an instant
navigation away and back; no console errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import checked_page


pytestmark = pytest.mark.browser
PAGE = "visualization/training-dynamics/"
ROOT = ".dlv-explorer-trainanim"


@pytest.fixture
def page(browser, site: Path, site_port: int):
    """A page with reduced motion, so the animation's steps are exact."""
    with checked_page(browser, site, site_port, reduced_motion="reduce") as pg:
        yield pg


def _state(pg) -> dict:
    return pg.evaluate(f"""() => {{
        const root = document.querySelector('{ROOT}');
        const cells = [...root.querySelectorAll('rect.dlv-anim-cell')];
        const dots = [...root.querySelectorAll('.dlv-anim-panel:last-child circle')];
        return {{ hidden: root.hidden, cells: cells.length,
                  fills: cells.filter((_, i) => i % 97 === 0).map(c => c.style.fill),
                  dots: dots.slice(0, 20).map(d => d.getAttribute('cx') + ',' + d.getAttribute('cy')),
                  line: root.querySelector('.dlv-anim-line').getAttribute('x1'),
                  frame: Number(root.querySelector('input[type=range]').value),
                  readout: root.querySelector('output').textContent,
                  pressed: root.querySelector('button').getAttribute('aria-pressed') }};
    }}""")


def _open(pg) -> dict:
    pg.goto(pg.base + PAGE, wait_until="networkidle")
    pg.wait_for_selector(f"{ROOT} rect.dlv-anim-cell")
    return _state(pg)


def test_slider_steps_through_epochs_from_the_keyboard(page) -> None:
    first = _open(page)
    assert not first["hidden"] and first["cells"] >= 100 and first["frame"] == 0
    assert first["readout"].startswith("epoch 0")
    page.locator(f"{ROOT} input[type=range]").focus()
    page.keyboard.press("End")
    last = _state(page)
    assert last["frame"] > 9                                          # at least 10 checkpoints
    assert last["fills"] != first["fills"]                            # the boundary moved
    assert last["dots"] != first["dots"] and last["line"] != first["line"]
    assert last["readout"] != first["readout"]
    page.keyboard.press("ArrowLeft")
    assert _state(page)["frame"] == last["frame"] - 1


def test_play_and_pause_with_enter_and_space(page) -> None:
    _open(page)
    button = page.locator(f"{ROOT} button")
    button.focus()
    page.keyboard.press("Enter")
    assert _state(page)["pressed"] == "true"
    page.wait_for_function(f"document.querySelector('{ROOT} input[type=range]').value >= 2")
    page.keyboard.press("Space")
    paused = _state(page)
    assert paused["pressed"] == "false" and paused["frame"] >= 2
    page.wait_for_timeout(1000)
    assert _state(page)["frame"] == paused["frame"]                   # it really stopped


def test_colours_follow_the_palette(page) -> None:
    _open(page)
    colours = f"""() => [getComputedStyle(document.querySelector('{ROOT} circle.dlv-anim-c1')).fill,
                         getComputedStyle(document.querySelector('{ROOT} rect.dlv-anim-cell')).fill]"""
    light = page.evaluate(colours)
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.evaluate(colours)
    assert dark[0] != light[0] and dark[1] != light[1]                # class colour, page colour


def test_explorer_survives_instant_navigation(page) -> None:
    _open(page)
    page.evaluate("window.__sameDocument = true")
    page.click("article a:has-text('loss landscapes page')")
    page.wait_for_url("**/visualization/loss-landscapes/")
    page.wait_for_selector("article h1")
    page.go_back()
    page.wait_for_url("**/" + PAGE)
    page.wait_for_selector(f"{ROOT}[data-started] rect.dlv-anim-cell")
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    before = _state(page)
    page.locator(f"{ROOT} input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    after = _state(page)
    assert after["frame"] == before["frame"] + 1 and after["dots"] != before["dots"]
