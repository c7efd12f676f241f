"""The loss-landscapes page's optimizer explorer ("trajectories") in a real browser.

Headless Debian Chromium through Playwright, every non-local request blocked, as in
``test_browser.py``: the sliders and checkboxes change the SVG, work from the keyboard,
and still work after an instant navigation away and back; no console errors.
"""

from __future__ import annotations


import pytest


pytestmark = pytest.mark.browser
PAGE = "visualization/loss-landscapes/"
ROOT = ".dlv-explorer-trajectories"


def _state(pg) -> dict:
    return pg.evaluate(f"""() => {{
        const root = document.querySelector('{ROOT}');
        const lines = [...root.querySelectorAll('polyline.dlv-traj-path')];
        return {{ hidden: root.hidden,
                  points: lines.map(l => l.getAttribute('points')),
                  shown: lines.map(l => l.style.display !== 'none'),
                  eta: root.querySelectorAll('output')[0].textContent,
                  mu: root.querySelectorAll('output')[1].textContent,
                  summary: root.querySelector('.dlv-traj-summary').innerText }};
    }}""")


def _open(pg) -> dict:
    pg.goto(pg.base + PAGE, wait_until="networkidle")
    pg.wait_for_selector(f"{ROOT} polyline.dlv-traj-path")
    return _state(pg)


def test_sliders_change_the_paths_from_the_keyboard(page) -> None:
    before = _open(page)
    assert not before["hidden"] and len(before["points"]) == 3
    assert all(len(p.split()) > 10 for p in before["points"])       # drawn paths, not empty
    sliders = page.locator(f"{ROOT} input[type=range]")
    sliders.nth(0).focus()
    page.keyboard.press("ArrowRight")                                # a larger learning rate
    after = _state(page)
    assert after["eta"] != before["eta"]
    assert all(a != b for a, b in zip(after["points"], before["points"]))
    assert after["summary"] != before["summary"]
    page.keyboard.press("End")                                       # the largest rate
    assert "diverged" in _state(page)["summary"]
    sliders.nth(1).focus()
    page.keyboard.press("Home")                                      # mu = 0: momentum = GD
    s = _state(page)
    assert s["mu"] == "0" and s["points"][0] == s["points"][1]
    assert s["points"][2] != before["points"][2]


def test_checkboxes_hide_methods_with_the_space_bar(page) -> None:
    _open(page)
    boxes = page.locator(f"{ROOT} input[type=checkbox]")
    assert boxes.count() == 3
    boxes.nth(2).focus()
    page.keyboard.press("Space")
    assert _state(page)["shown"] == [True, True, False]
    page.keyboard.press("Shift+Tab")                                 # Tab order reaches it
    page.keyboard.press("Space")
    assert _state(page)["shown"] == [True, False, False]
    assert page.evaluate("document.activeElement.type") == "checkbox"


def test_explorer_survives_instant_navigation(page) -> None:
    before = _open(page)
    page.evaluate("window.__sameDocument = true")
    page.click("article a:has-text('gradient descent lesson')")
    page.wait_for_url("**/lessons/gradient-descent/")
    page.wait_for_selector("article h1")
    page.go_back()
    page.wait_for_url("**/" + PAGE)
    page.wait_for_selector(f"{ROOT}[data-started] polyline.dlv-traj-path")
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    assert page.locator(ROOT).count() == 1
    again = _state(page)
    assert again["points"] == before["points"]
    page.locator(f"{ROOT} input[type=range]").nth(0).focus()
    page.keyboard.press("ArrowLeft")
    assert _state(page)["points"] != before["points"]


def test_first_setting_shows_the_prose_numbers_and_the_learning_rate_band(page) -> None:
    """The explorer's first numbers are the ones the page quotes, written the same way, and
    the line under the sliders names the band of the chosen learning rate."""
    import re

    _open(page)
    summary = _state(page)["summary"]
    gd = re.search(r"gradient descent: C = (\S+) after", summary).group(1)
    adam = re.search(r"Adam: C = (\S+) after", summary).group(1)
    assert "\u00d710" in gd                                        # 4.0×10⁻⁵, not 4.0e-05
    prose = page.locator("article p", has_text="is still at").inner_text()
    assert f"= {gd} and Adam at {adam}," in prose, (gd, adam, prose)
    band = page.locator(f"{ROOT} .dlv-traj-band")
    assert "below 2/k\u2082" in band.inner_text()
    page.locator(f"{ROOT} input[type=range]").nth(0).focus()
    page.keyboard.press("ArrowRight")                               # the first rate past 2/k2
    assert "momentum converges, gradient descent diverges" in band.inner_text()
    summary = _state(page)["summary"]
    assert "gradient descent: diverged" in summary and "momentum: reached" in summary
