"""The built site in a real browser: headless Chromium, every non-local request blocked.

Uses Debian's Chromium through Playwright (``executable_path``), never a downloaded
browser. Without Chromium these tests skip with a message, except under ``CI=true``,
where a missing browser is a failure.
"""

from __future__ import annotations


import pytest


pytestmark = pytest.mark.browser


def _figures_loaded(pg, theme_class: str) -> list[dict]:
    pg.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    pg.wait_for_function(
        f"[...document.querySelectorAll('.dlv-figure .{theme_class} img')].every(i => i.complete)")
    return pg.evaluate(
        """[...document.querySelectorAll('.dlv-figure img')].map(i => ({
            cls: i.closest('a').className, width: i.naturalWidth,
            shown: i.checkVisibility() }))""")


def _math_state(pg) -> dict:
    return pg.evaluate("""() => {
        // Maths in closed tabs or folded solutions is not laid out; count what is shown.
        const maths = [...document.querySelectorAll('article math')].filter(m => m.checkVisibility());
        return { count: maths.length,
                 drawn: maths.filter(m => m.getBoundingClientRect().width > 0).length,
                 raw: document.querySelector('article').innerText.includes('\\\\frac'),
                 // Laid out as maths: every visible fraction has its numerator above its denominator.
                 stacked: [...document.querySelectorAll('article mfrac')].filter(f => f.checkVisibility())
                     .every(f => f.children[0].getBoundingClientRect().bottom
                                 <= f.children[1].getBoundingClientRect().top + 1) };
    }""")


def test_lesson_renders_maths_and_figures(page) -> None:
    page.goto(page.base + "lessons/neurons/", wait_until="networkidle")
    maths = _math_state(page)
    assert maths["count"] > 20 and maths["drawn"] == maths["count"] and not maths["raw"]
    assert maths["stacked"]
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"STIX Two Math\"')")
    figs = _figures_loaded(page, "dlv-light")
    light = [f for f in figs if f["cls"] == "dlv-light"]
    assert len(light) >= 3 and all(f["shown"] and f["width"] > 0 for f in light)
    assert not any(f["shown"] for f in figs if f["cls"] == "dlv-dark")


def test_dark_mode_switches_figures(page) -> None:
    page.goto(page.base + "lessons/neurons/", wait_until="networkidle")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    figs = _figures_loaded(page, "dlv-dark")
    dark = [f for f in figs if f["cls"] == "dlv-dark"]
    assert dark and all(f["shown"] and f["width"] > 0 for f in dark)
    assert not any(f["shown"] for f in figs if f["cls"] == "dlv-light")


def test_instant_navigation_keeps_maths_and_figures(page) -> None:
    page.goto(page.base + "lessons/neurons/", wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.click("nav.md-nav--primary a:has-text('Home')")
    page.wait_for_url(page.base)
    page.wait_for_selector("article h1")
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    page.click("article a:has-text('A single neuron')")
    page.wait_for_url("**/lessons/neurons/")
    page.wait_for_selector("article .dlv-figure")
    assert page.evaluate("window.__sameDocument === true")
    maths = _math_state(page)
    assert maths["count"] > 20 and maths["drawn"] == maths["count"]
    figs = _figures_loaded(page, "dlv-light")
    assert all(f["width"] > 0 for f in figs if f["cls"] == "dlv-light")
    page.go_back()
    page.wait_for_url(page.base)
    assert page.evaluate("window.__sameDocument === true")


# The two engines draw search differently: Material a form in the header with results in
# [data-md-component=search-result]; Zensical a button that opens a <dialog> in a shadow
# root (Playwright's CSS selectors pierce it), results being [role=option] links.
SEARCH_BOX = ".md-search__input:visible, .md-search__button:visible"
SEARCH_RESULT = ("[data-md-component=search-result] a[href*='lessons/neurons/'], "
                 "dialog [role=option][href*='lessons/neurons/']")


def test_search_finds_the_lesson(page) -> None:
    page.goto(page.base, wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator(SEARCH_BOX).first.click()
    page.keyboard.type("sigmoid")  # both search on key events
    page.locator(SEARCH_RESULT).first.click()
    page.wait_for_url("**/lessons/neurons/?h=sigmoid*")
    page.wait_for_selector("article .dlv-figure")
    assert page.evaluate("window.__sameDocument === true"), "the result reloaded the page"
