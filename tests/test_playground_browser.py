"""The playground explorer in headless Chromium: controls change the picture, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

EXPLORER = ".dlv-explorer-playground"


def _pixels(page) -> str:
    return page.evaluate(f"document.querySelector('{EXPLORER} .dlv-pg-output').toDataURL()")


def _ready(page) -> None:
    page.goto(page.base + "visualization/playground/", wait_until="networkidle")
    page.wait_for_function(f"document.querySelector('{EXPLORER}')?.dataset.run")


def _choose(page, control: str, value: str, run: str) -> None:
    """Set one control and wait until the explorer shows ``run`` (its data may be fetched first)."""
    page.select_option(f"{EXPLORER} select[data-control={control}]", value)
    page.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.run === {json.dumps(run)}")


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


def test_the_page_fetches_only_the_runs_it_shows(page) -> None:
    """The first view: the problem's shared file and one run file; a file is fetched once."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[1])
            if "/playground/" in r.url and r.url.endswith(".json") else None)
    _ready(page)
    assert fetched == ["index.json", "circle.json", "circle-tanh-none.json"]
    _choose(page, "rate", "0.3", "tanh|none|0.3|4")  # in the same file
    _choose(page, "architecture", "6-4", "tanh|none|0.3|6-4")
    assert len(fetched) == 3
    _choose(page, "regularization", "L2", "tanh|L2|0.3|6-4")
    _choose(page, "activation", "relu", "relu|L2|0.3|6-4")
    assert fetched[3:] == ["circle-tanh-l2.json", "circle-relu-l2.json"]
    _choose(page, "activation", "tanh", "tanh|L2|0.3|6-4")  # fetched before: kept
    page.click(f"{EXPLORER} button[data-problem=xor]")
    page.wait_for_function(f"document.querySelector('{EXPLORER} [data-problem=xor]').getAttribute('aria-checked') === 'true'")
    assert fetched[5:] == ["xor.json", "xor-tanh-l2.json"]


def test_the_page_shows_the_numbers_of_the_run_file(page, site: Path) -> None:
    _ready(page)
    _choose(page, "activation", "sigmoid", "sigmoid|none|0.03|4")
    run = json.loads((site / "generated/playground/circle-sigmoid-none.json").read_text())["runs"][
        "sigmoid|none|0.03|4"]
    train, test = run["loss"][100]
    stats = page.locator(f"{EXPLORER} .dlv-pg-stats").inner_text()
    assert stats == (f"Epoch 100: training cost {train:.3f}, test cost {test:.3f}. "
                     f"Final test accuracy {100 * run['accuracy']:.1f}%.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_canvas_paints_the_classes_in_the_points_colours(browser, site: Path, site_port: int,
                                                           scheme: str) -> None:
    """Discretized, the output map has exactly two colours: each class's colour (the one its
    points and the key use, from playground.css) three quarters over the page colour."""
    from sitekit import checked_page

    with checked_page(browser, site, site_port, color_scheme=scheme) as pg:
        _ready(pg)
        pg.check(f"{EXPLORER} .dlv-pg-toggles input >> nth=1")
        got = pg.evaluate(f"""(() => {{
            const r = document.querySelector('{EXPLORER}'), c = r.querySelector('.dlv-pg-output');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, seen = new Set();
            for (let i = 0; i < d.length; i += 4) seen.add([d[i], d[i + 1], d[i + 2]].join(','));
            const rgb = (s) => s.match(/\\d+/g).slice(0, 3).map(Number);
            const fill = (sel) => rgb(getComputedStyle(r.querySelector('circle' + sel)).fill);
            return {{ seen: [...seen], neg: fill('.dlv-pg-cneg'), pos: fill('.dlv-pg-cpos'),
                      bg: rgb(getComputedStyle(document.body).backgroundColor) }}; }})()""")
    mix = lambda c: ",".join(str(round(b * 0.25 + x * 0.75)) for x, b in zip(c, got["bg"]))
    assert sorted(got["seen"]) == sorted({mix(got["neg"]), mix(got["pos"])})
    from generators.style import themes
    theme = themes()[scheme == "dark"]
    hexed = lambda c: "#" + "".join(f"{x:02x}" for x in c)
    assert (hexed(got["neg"]), hexed(got["pos"])) == (theme.negative.lower(), theme.positive.lower())
