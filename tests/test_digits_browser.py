"""The CNN lesson's draw-a-digit explorer ("digits") on the built site, in a real browser.

Headless Debian Chromium through Playwright, every non-local request blocked and no
console error allowed (``checked_page``): the explorer shows and prompts while the box is
empty; mouse strokes give ten probabilities summing to 1 and every layer's maps; "Try a
test digit" gives the library's class for that digit; a map cell, hovered or reached by
keyboard, outlines its receptive field; a finger draws on a phone-sized touch screen; a
link's out-of-range digit is clamped and said so; the scripts load only on this page.
(The inference itself is checked on every test digit in ``test_digits_agreement.py``.)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sitekit import checked_page

pytestmark = pytest.mark.browser
PAGE = "lessons/cnns/"
ROOT = ".dlv-explorer-digits"
SEVEN = [[(70, 50), (180, 50), (110, 210)]]
ZERO = [[(128, 40), (70, 80), (60, 160), (110, 215), (170, 190), (190, 110), (160, 50), (128, 40)]]


def _open(pg) -> None:
    pg.goto(pg.base + PAGE, wait_until="networkidle")
    pg.wait_for_selector(f"{ROOT}[data-state]")
    # The pad under Material's sticky header would take no strokes: bring it to the middle.
    pg.evaluate(f"document.querySelector('{ROOT} .dlv-dg-pad').scrollIntoView({{block: 'center'}})")


def _draw(pg, strokes) -> None:
    box = pg.locator(f"{ROOT} .dlv-dg-pad").bounding_box()
    s = box["width"] / 256
    for stroke in strokes:
        pg.mouse.move(box["x"] + stroke[0][0] * s, box["y"] + stroke[0][1] * s)
        pg.mouse.down()
        for x, y in stroke[1:]:
            pg.mouse.move(box["x"] + x * s, box["y"] + y * s, steps=6)
        pg.mouse.up()
    pg.wait_for_function(f"document.querySelector('{ROOT}').dataset.state === 'drawn'")


def _state(pg) -> dict:
    return pg.evaluate(f"""() => {{
      const root = document.querySelector('{ROOT}');
      const probs = [...root.querySelectorAll('.dlv-dg-bar')].map((b) => b.dataset.p);
      return {{ hidden: root.hidden, state: root.dataset.state, prediction: root.dataset.prediction,
               digit: root.dataset.digit, field: root.dataset.field || null, probs,
               top: [...root.querySelectorAll('.dlv-dg-top-bar')].map((b) => Number(b.dataset.digit)),
               status: root.querySelector('.dlv-dg-status').textContent,
               notice: root.querySelector('.dlv-dg-notice').hidden ? null : root.querySelector('.dlv-dg-notice').textContent,
               maps: root.querySelectorAll('.dlv-dg-map canvas').length,
               layers: [...root.querySelectorAll('.dlv-dg-layername code')].map((c) => c.textContent),
               text: root.textContent }};
    }}""")


def _painted(pg, index: int) -> int:
    """How many different colours map ``index`` shows (1: a blank or flat map)."""
    return pg.evaluate(f"""() => {{
      const c = document.querySelectorAll('{ROOT} .dlv-dg-map canvas')[{index}];
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, seen = new Set();
      for (let i = 0; i < d.length; i += 4) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2] + ',' + d[i + 3]);
      return seen.size;
    }}""")


def test_drawing_gives_probabilities_and_maps(page) -> None:
    _open(page)
    empty = _state(page)
    assert not empty["hidden"] and empty["state"] == "empty" and empty["prediction"] is None
    assert "Draw a digit in the box" in empty["status"]
    assert all(p == "" for p in empty["probs"]) and not empty["top"]
    assert "NaN" not in empty["text"]
    assert empty["layers"] == ["conv1", "relu1", "maxpool1", "flatten1", "dense1"]
    assert empty["maps"] == 24                                   # 8 maps of each of 3 layers
    _draw(page, SEVEN)
    drawn = _state(page)
    probs = np.array([float(p) for p in drawn["probs"]])
    assert len(probs) == 10 and np.all(probs >= 0) and abs(probs.sum() - 1) < 1e-9
    assert drawn["top"] == [int(probs.argmax())] == [int(drawn["prediction"])]
    assert f"The network says {drawn['prediction']}" in drawn["status"] and "NaN" not in drawn["text"]
    assert max(_painted(page, i) for i in range(8)) > 5          # conv1's maps are drawn
    # A theme switch redraws: the ink takes the dark theme's text colour.
    ink = """() => { const c = document.querySelector('.dlv-explorer-digits .dlv-dg-pad').getContext('2d');
      const d = c.getImageData(0, 0, 256, 256).data; let best = [0, 0, 0, -1];
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > best[3]) best = [d[i], d[i + 1], d[i + 2], d[i + 3]];
      return best.slice(0, 3); }"""
    light = page.evaluate(ink)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(f"({ink})()[0] !== {light[0]}")
    assert sum(page.evaluate(ink)) > sum(light)                 # light ink on the dark page
    assert _state(page)["prediction"] == drawn["prediction"]    # the same drawing, the same answer
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    # Clear: back to the prompt.
    page.locator(ROOT).get_by_role("button", name="Clear").click()
    assert _state(page)["state"] == "empty"
    _draw(page, ZERO)
    assert _state(page)["prediction"] is not None


def test_a_test_digit_gets_the_library_class(page, site) -> None:
    model = json.loads((site / "generated/cnns/model.json").read_text())
    from generators.cnns import fig_inside
    d = fig_inside.compute(fig_inside.GENERATOR.params)
    _open(page)
    for _ in range(3):
        page.locator(ROOT).get_by_role("button", name="Try a test digit").click()
        st = _state(page)
        k = int(st["digit"])
        assert st["state"] == "test"
        assert int(st["prediction"]) == int(d["test_probs"][k].argmax())
        assert f"labelled {model['test']['labels'][k]}" in st["status"]
        np.testing.assert_allclose([float(p) for p in st["probs"]], d["test_probs"][k], rtol=0, atol=1e-9)
        assert page.evaluate("location.hash") == f"#digit={k}"


def test_a_map_cell_outlines_its_receptive_field(page) -> None:
    _open(page)
    _draw(page, SEVEN)
    maps = page.locator(f"{ROOT} .dlv-dg-map canvas")
    maps.nth(0).evaluate("(c) => c.scrollIntoView({block: 'center'})")
    box = maps.nth(0).bounding_box()                      # conv1 map 1: 8 x 8 cells
    cell = box["width"] / 8
    page.mouse.move(box["x"] + 4.5 * cell, box["y"] + 2.5 * cell)   # row 2, column 4
    assert _state(page)["field"] == "1-3,3-5"            # the 3 x 3 window around it
    page.mouse.move(box["x"] + 0.5 * cell, box["y"] + 0.5 * cell)   # a corner: clipped
    assert _state(page)["field"] == "0-1,0-1"
    maps.nth(16).evaluate("(c) => c.scrollIntoView({block: 'center'})")
    pool = maps.nth(16).bounding_box()                    # maxpool1 map 1: 4 x 4 cells
    page.mouse.move(pool["x"] + 1.5 * pool["width"] / 4, pool["y"] + 1.5 * pool["width"] / 4)
    assert _state(page)["field"] == "1-4,1-4"            # a 2 x 2 region's windows: 4 x 4
    page.mouse.move(0, 0)
    assert _state(page)["field"] is None
    # From the keyboard: Tab to a map, arrows move the cell.
    maps.nth(8).focus()                                   # relu1 map 1, cell (0, 0)
    assert _state(page)["field"] == "0-1,0-1"
    for key in ("ArrowDown", "ArrowDown", "ArrowRight", "End"):
        page.keyboard.press(key)
    assert _state(page)["field"] == "6-7,6-7"
    for _ in range(12):
        page.keyboard.press("ArrowLeft")                  # stops at the edge
    st = _state(page)
    assert st["field"] == "6-7,0-1" and "row 8, column 1" in st["text"]


def test_a_finger_draws_on_a_phone(browser, site, site_port) -> None:
    with checked_page(browser, site, site_port, viewport={"width": 390, "height": 844},
                      has_touch=True, is_mobile=True, device_scale_factor=2) as pg:
        _open(pg)
        assert pg.evaluate("[document.documentElement.scrollWidth, innerWidth]") == [390, 390]
        assert pg.evaluate(f"getComputedStyle(document.querySelector('{ROOT} .dlv-dg-pad')).touchAction") == "none"
        pg.evaluate(f"""() => {{
          const pad = document.querySelector('{ROOT} .dlv-dg-pad'), r = pad.getBoundingClientRect();
          const at = (x, y) => ({{ pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true,
                                   clientX: r.left + x * r.width / 256, clientY: r.top + y * r.height / 256 }});
          pad.dispatchEvent(new PointerEvent('pointerdown', at(128, 30)));
          for (let t = 1; t <= 20; t++) pad.dispatchEvent(new PointerEvent('pointermove', at(128, 30 + 10 * t)));
          pad.dispatchEvent(new PointerEvent('pointerup', at(128, 230)));
        }}""")
        pg.wait_for_function(f"document.querySelector('{ROOT}').dataset.state === 'drawn'")
        st = _state(pg)
        assert st["prediction"] is not None and abs(sum(float(p) for p in st["probs"]) - 1) < 1e-9
        width = pg.evaluate(f"document.querySelector('{ROOT}').getBoundingClientRect().right")
        assert width <= 390


def test_a_link_out_of_range_is_clamped_and_said(page) -> None:
    page.goto(page.base + PAGE + "#digit=9999", wait_until="networkidle")
    page.wait_for_selector(f"{ROOT}[data-state=test]")
    st = _state(page)
    assert st["digit"] == "449" and "digit=9999" in st["notice"] and "showing test digit 449" in st["notice"]
    page.goto(page.base + PAGE + "#digit=seven", wait_until="networkidle")
    page.reload(wait_until="networkidle")
    page.wait_for_selector(f"{ROOT}[data-state]")
    st = _state(page)
    assert st["state"] == "empty" and "Ignored from the link: digit=seven" in st["notice"]


def test_the_scripts_load_only_on_this_page(page) -> None:
    _open(page)
    order = page.evaluate("[...document.scripts].map((s) => s.src.split('/assets/js/')[1]).filter(Boolean)")
    names = ["lib/conv.js", "lib/cnn.js", "digits.js"]
    assert [s for s in order if s in names] == names
    assert page.evaluate("[...document.styleSheets].some((s) => (s.href || '').endsWith('/digits.css'))")
    page.goto(page.base, wait_until="networkidle")
    assert page.evaluate("typeof window.DlvCNN") == "undefined"
    assert not page.evaluate("[...document.scripts].some((s) => /digits|cnn\\.js/.test(s.src))")
