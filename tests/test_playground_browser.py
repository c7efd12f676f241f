"""The playground explorer in headless Chromium: controls change the picture, offline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

EXPLORER = ".dlv-explorer-playground"


def _pixels(page) -> str:
    return page.evaluate(f"document.querySelector('{EXPLORER} .dlv-pg-output').toDataURL()")


def _ready(page) -> None:
    page.goto(page.base + "visualization/playground/", wait_until="networkidle")
    page.wait_for_function(f"document.querySelector('{EXPLORER}')?.dataset.run")


def test_controls_change_the_picture(page) -> None:
    _ready(page)
    assert page.locator(f"{EXPLORER}").is_visible()
    first = _pixels(page)
    page.select_option(f"{EXPLORER} select[data-control=activation]", "linear")
    page.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.run.startsWith('linear')")
    assert _pixels(page) != first
    # Another problem is fetched lazily and drawn.
    page.click(f"{EXPLORER} button[data-problem=spiral]")
    page.wait_for_function(f"document.querySelector('{EXPLORER} [data-problem=spiral]').getAttribute('aria-checked') === 'true'")
    spiral = _pixels(page)
    # Discretize shows only the sign; test data adds outlined points.
    page.check(f"{EXPLORER} .dlv-pg-toggles input >> nth=1")
    assert _pixels(page) != spiral
    n_train = page.locator(f"{EXPLORER} circle.dlv-pg-train").count()
    page.check(f"{EXPLORER} .dlv-pg-toggles input >> nth=0")
    assert page.locator(f"{EXPLORER} circle.dlv-pg-test").count() == n_train


def test_epoch_slider_and_play_step_through_training(page) -> None:
    _ready(page)
    final = _pixels(page)
    slider = page.locator(f"{EXPLORER} input[type=range]")
    slider.focus()
    page.keyboard.press("Home")  # keyboard: the first checkpoint, before training
    page.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.epoch === '0'")
    assert _pixels(page) != final
    page.click(f"{EXPLORER} .dlv-pg-play")
    page.wait_for_function(f"Number(document.querySelector('{EXPLORER}').dataset.epoch) >= 2")
    page.click(f"{EXPLORER} .dlv-pg-play")  # pause


def test_explorer_survives_instant_navigation(page) -> None:
    _ready(page)
    page.evaluate("window.__sameDocument = true")
    page.click("nav.md-nav--primary a:has-text('Home')")
    page.wait_for_url(page.base)
    page.go_back()
    page.wait_for_function(f"document.querySelector('{EXPLORER}')?.dataset.run")
    assert page.evaluate("window.__sameDocument === true")
