"""The convolution explorer on the built lesson page, in headless Chromium.

It opens on the lecture's worked example, the arrow keys move the window and update the
products and their sum (which add up to DlvConv's value), play fills the output, a click
on an output cell moves there, the pooling modes step the same way, a bad link is clamped
with a notice naming the key, and its files load on this page only. Every page is a
``checked_page``: a request leaving the site or a console error fails the test. The
scripts are the same under both engines; these run on the MkDocs build.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from generators.convolution import fig_worked
from sitekit import checked_page

pytestmark = pytest.mark.browser

EXPLORER = ".dlv-explorer-convolution"
URL = "lessons/convolution/"


@pytest.fixture
def mk(browser, built_site, site_port: int):
    """A desktop page of the MkDocs build."""
    with checked_page(browser, built_site("mkdocs"), site_port) as pg:
        yield pg


def _open(pg, hash_: str = "") -> None:
    if pg.url.startswith(pg.base):
        pg.goto("about:blank")
    pg.goto(pg.base + URL + hash_, wait_until="networkidle")
    pg.wait_for_function(f"document.querySelector('{EXPLORER}')?.dataset.row !== undefined")


def _state(pg) -> dict:
    return pg.evaluate(f"Object.assign({{}}, document.querySelector('{EXPLORER}').dataset)")


def _products(pg) -> list[float]:
    return pg.evaluate(f"[...document.querySelectorAll('{EXPLORER} .dlv-cv-products .dlv-cv-cell')]"
                       ".map((c) => Number(c.dataset.value))")


def _dlvconv(pg, s: dict) -> list[list[float]]:
    """The whole output as DlvConv computes it from the page's data, for setting ``s``."""
    return pg.evaluate("""async (s) => {
      const src = document.querySelector('.dlv-explorer-convolution').dataset.src;
      const data = await (await fetch(new URL(src, document.baseURI))).json();
      const x = [data.images.find((im) => im.key === s.image).values];
      if (s.mode !== 'conv') return (s.mode === 'max' ? DlvConv.maxPool2d : DlvConv.meanPool2d)(x, s.pool, s.pstride)[0];
      const e = data.kernels.find((k) => k.key === s.kernel).sizes[String(s.size)];
      const W = e.weights.map((r) => r.map((w) => w / e.divisor));
      return DlvConv.conv2d(x, [[W]], [0], { stride: s.stride, padding: s.padding })[0];
    }""", s)


def _running_sum(values: list[float]) -> float:
    total = 0.0
    for v in values:                    # in the page's (and conv.js's) order
        total += v
    return total


def test_it_opens_on_the_worked_example_and_keys_move_the_window(mk) -> None:
    _open(mk)
    st = _state(mk)
    assert (st["row"], st["col"], st["ho"], st["wo"]) == ("0", "0", "3", "3")
    expected = fig_worked.compute(fig_worked.GENERATOR.params)["feature"]
    assert float(st["value"]) == expected[0, 0]
    assert len(_products(mk)) == 9 and _running_sum(_products(mk)) == float(st["value"])
    assert "⌊(5 + 2·0 − 3) / 1⌋ + 1 =" in mk.locator(f"{EXPLORER} .dlv-cv-formula").inner_text()
    mk.focus(f"{EXPLORER} .dlv-cv-input")
    seen = {}
    for key, where in (("ArrowRight", (0, 1)), ("ArrowRight", (0, 2)), ("ArrowDown", (1, 2)), ("ArrowLeft", (1, 1))):
        mk.keyboard.press(key)
        mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.col === '{where[1]}' && "
                             f"document.querySelector('{EXPLORER}').dataset.row === '{where[0]}'")
        st = _state(mk)
        assert float(st["value"]) == expected[where] == _running_sum(_products(mk)) == float(st["sum"])
        assert f"+ bias 0 = {int(expected[where])}" in mk.locator(f"{EXPLORER} .dlv-cv-sum").inner_text()
        seen[where] = st["value"]
    # Visited cells show their value; the others are empty.
    texts = mk.locator(f"{EXPLORER} .dlv-cv-output .dlv-cv-cell").all_inner_texts()
    assert sum(1 for t in texts if t.strip()) == 5 == int(_state(mk)["filled"])
    assert "row=1" in mk.evaluate("location.hash") and "col=1" in mk.evaluate("location.hash")
    # An arrow past the edge is kept in the output, and the notice says so.
    mk.keyboard.press("ArrowUp")
    mk.keyboard.press("ArrowUp")
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.notice.includes('row=-1 → 0 (0–2)')")
    assert mk.locator(f"{EXPLORER} .dlv-cv-notice").is_visible()


def test_play_fills_the_output_and_a_click_moves_the_window(mk) -> None:
    _open(mk, "#image=digit&kernel=sobel-y&size=3&stride=2&padding=1&mode=conv&row=0&col=0")
    st = _state(mk)
    assert (st["ho"], st["wo"]) == ("4", "4") and not st.get("notice")
    mk.click(f"{EXPLORER} .dlv-cv-play")
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.filled === '16'", timeout=20_000)
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.playing === 'false'")
    out = _dlvconv(mk, {"image": "digit", "kernel": "sobel-y", "size": 3, "stride": 2, "padding": 1, "mode": "conv"})
    texts = mk.locator(f"{EXPLORER} .dlv-cv-output .dlv-cv-cell").all_inner_texts()
    assert [t.replace("−", "-") for t in texts] == [str(int(v)) for v in np.ravel(out)]
    mk.click(f"{EXPLORER} .dlv-cv-output .dlv-cv-cell >> nth=6")          # row 1, column 2
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.row === '1'")
    st = _state(mk)
    assert st["col"] == "2" and float(st["value"]) == out[1][2] == _running_sum(_products(mk))
    # The padding is drawn: (8 + 2) x (8 + 2) cells, the border ones marked.
    assert mk.locator(f"{EXPLORER} .dlv-cv-input .dlv-cv-cell").count() == 100
    assert mk.locator(f"{EXPLORER} .dlv-cv-input .dlv-cv-pad").count() == 36


def test_pooling_steps_the_same_way(mk) -> None:
    _open(mk, "#image=photo&mode=mean&pool=3&pstride=2")
    st = _state(mk)
    assert (st["mode"], st["ho"], st["wo"]) == ("mean", "7", "7")
    entries = _products(mk)
    assert len(entries) == 9 and float(st["value"]) == _running_sum(entries) / 9
    mk.select_option(f"{EXPLORER} select[data-control=mode]", "max")
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.mode === 'max'")
    mk.focus(f"{EXPLORER} .dlv-cv-output")
    mk.keyboard.press("ArrowDown")
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.row === '1'")
    st = _state(mk)
    out = _dlvconv(mk, {"image": "photo", "mode": "max", "pool": 3, "pstride": 2})
    assert float(st["value"]) == out[1][0] == max(_products(mk))
    assert "mode=max" in mk.evaluate("location.hash")
    assert not mk.locator(f"{EXPLORER} .dlv-cv-panel-kernel").is_visible()


def test_a_bad_link_is_clamped_and_named(mk) -> None:
    _open(mk, "#image=nope&kernel=box&size=9&stride=0&padding=x&row=99&colour=red")
    st = _state(mk)
    notice = mk.locator(f"{EXPLORER} .dlv-cv-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    for part in ("image=nope → worked", "size=9 → 5 (1–5)", "stride=0 → 1 (1–3)",
                 "padding=x → 0 (not a whole number)", "row=99 → 0 (0–0)", "colour: not a setting"):
        assert part in text, (part, text)
    assert (st["ho"], st["wo"]) == ("1", "1")          # a 5 x 5 box on the 5 x 5 image
    # A fixed-size kernel keeps its size, and says why.
    _open(mk, "#kernel=sobel-x&size=5")
    assert "size=5 → 3 (Sobel x is 3 × 3 only)" in _state(mk)["notice"]
    assert mk.locator(f"{EXPLORER} select[data-control=size]").is_disabled()


def test_its_files_load_on_this_page_only(mk) -> None:
    fetched: list[str] = []
    mk.on("request", lambda r: fetched.append(r.url[len(mk.base):])
          if r.url.endswith((".js", ".css", ".json")) and ("conv" in r.url) else None)
    _open(mk)
    assert sorted(fetched) == ["assets/css/convolution.css", "assets/js/convolution.js",
                               "assets/js/lib/conv.js", "generated/convolution/stepper.json"]
    order = mk.evaluate("[...document.scripts].map((s) => s.src.split('/assets/js/')[1]).filter(Boolean)")
    assert [s for s in order if "conv" in s] == ["lib/conv.js", "convolution.js"]
    mk.goto(mk.base + "lessons/neurons/", wait_until="networkidle")
    assert mk.evaluate("typeof window.DlvConv") == "undefined"
    assert json.loads(mk.evaluate("JSON.stringify([...document.querySelectorAll('link[href*=convolution]')].length)")) == 0


def test_dragging_on_the_image_moves_the_window_and_a_new_link_is_followed(mk) -> None:
    _open(mk, "#image=digit&kernel=box&size=2&stride=1&padding=0")
    grid = mk.locator(f"{EXPLORER} .dlv-cv-input")
    grid.evaluate("(g) => g.scrollIntoView({ block: 'center' })")   # in the viewport, below the header
    box = grid.bounding_box()
    cell = box["width"] / 8                               # 8 x 8, no padding
    mk.mouse.move(box["x"] + 0.5 * cell, box["y"] + 0.5 * cell)
    mk.mouse.down()
    for k in range(1, 6):                                 # along row 2, to column 5
        mk.mouse.move(box["x"] + (k + 0.5) * cell, box["y"] + 2.5 * cell, steps=2)
    mk.mouse.up()
    mk.wait_for_function(f"document.querySelector('{EXPLORER}').dataset.col === '5'")
    st = _state(mk)
    # A 2 x 2 window centred nearest the pointer: its top-left corner is at row 2, column 5
    assert st["row"] == "2" and int(st["filled"]) > 3      # the cells it passed show values
    out = _dlvconv(mk, {"image": "digit", "kernel": "box", "size": 2, "stride": 1, "padding": 0, "mode": "conv"})
    assert float(st["value"]) == out[2][5] == _running_sum(_products(mk))
    # A link followed on the page (hashchange) applies its setting and names what it changed.
    mk.evaluate("location.hash = '#image=worked&mode=mean&pool=7'")     # 3 x 3 regions of 5 x 5, stride 2
    # (Material may also redraw the page for the new address: the explorer then starts
    # afresh from the address, with the same result. So the whole outcome is waited for.)
    mk.wait_for_function(f"""(() => {{ const d = document.querySelector('{EXPLORER}').dataset;
        return d.mode === 'mean' && d.ho === '2' && d.wo === '2' && d.notice?.includes('pool=7 → 3 (2–3)'); }})()""")
