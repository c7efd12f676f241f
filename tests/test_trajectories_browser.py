"""The loss-landscapes page's live optimizer explorer ("trajectories") in a real browser.

Headless Debian Chromium through Playwright, every non-local request blocked, as in
``test_browser.py``: the sliders move the paths continuously (any eta on the log slider,
including the ones between the old 5x5 grid's values) and work from the keyboard; the
path drawn is the library's; the eta-mu diagram's point moves by pointer and keyboard;
the setting round-trips through the URL hash, and a bad hash is clamped with a notice
naming the keys; the explorer survives an instant navigation; no console errors. That
the JS descent equals the library's is tests/test_descent_agreement.py.
"""

from __future__ import annotations

import re

import pytest

from generators.loss_landscapes import fig_optimizers
from generators.loss_landscapes.valley import descend, hessian, optimizer

pytestmark = pytest.mark.browser
PAGE = "visualization/loss-landscapes/"
ROOT = ".dlv-explorer-trajectories"


def _state(pg) -> dict:
    return pg.evaluate(f"""() => {{
        const root = document.querySelector('{ROOT}');
        const lines = [...root.querySelectorAll('polyline.dlv-traj-path')];
        const notice = root.querySelector('.dlv-traj-notice');
        return {{ hidden: root.hidden,
                  points: lines.map(l => l.getAttribute('points')),
                  shown: lines.map(l => l.style.display !== 'none'),
                  ends: [...root.querySelectorAll('circle.dlv-traj-end')].map(
                      c => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]),
                  curves: [...root.querySelectorAll('polyline.dlv-traj-curve')].map(
                      l => l.getAttribute('points')),
                  eta: root.querySelectorAll('output')[0].textContent,
                  mu: root.querySelectorAll('output')[1].textContent,
                  band: root.querySelector('.dlv-traj-band').innerText,
                  notice: notice.hidden ? '' : notice.innerText,
                  hash: location.hash,
                  summary: root.querySelector('.dlv-traj-summary').innerText }};
    }}""")


def _open(pg, hash: str = "") -> dict:
    """Load the page afresh (from a blank page: a new hash alone would not reload it)."""
    pg.goto("about:blank")
    pg.goto(pg.base + PAGE + hash, wait_until="networkidle")
    pg.wait_for_selector(f"{ROOT}[data-started] polyline.dlv-traj-path")
    return _state(pg)


def test_sliders_move_the_paths_from_the_keyboard(page) -> None:
    before = _open(page)
    assert not before["hidden"] and len(before["points"]) == 3 and before["notice"] == ""
    assert all(len(p.split()) > 10 for p in before["points"])       # drawn paths, not empty
    assert all(len(c.split()) > 10 for c in before["curves"])       # and their costs
    sliders = page.locator(f"{ROOT} input[type=range]")
    sliders.nth(0).focus()
    page.keyboard.press("ArrowRight")                                # a slightly larger rate
    after = _state(page)
    assert 0 < float(after["eta"]) / float(before["eta"]) - 1 < 0.03  # continuous: a small step
    assert all(a != b for a, b in zip(after["points"], before["points"]))
    assert "eta=" in after["hash"]                                   # the setting is in the link
    page.keyboard.press("End")                                       # the largest rate
    s = _state(page)
    assert s["eta"] == "0.3" and "gradient descent: diverged" in s["summary"]
    assert "Adam: reached" in s["summary"]                           # "the only one that arrives"
    sliders.nth(1).focus()
    page.keyboard.press("Home")                                      # mu = 0: momentum = GD
    s = _state(page)
    assert s["mu"] == "0" and s["points"][0] == s["points"][1]
    assert s["points"][2] != before["points"][2]


def test_a_rate_between_the_old_grid_values_draws_the_librarys_path(page) -> None:
    """eta = 0.045 lay between the old grid's 0.03 and 0.06: the live explorer draws it, and
    where each path ends is where the library's ends."""
    at = {eta: _open(page, f"#eta={eta}&mu=0.8") for eta in (0.03, 0.06, 0.045)}
    s = at[0.045]
    assert s["eta"] == "0.045" and s["notice"] == ""
    assert s["points"] != at[0.03]["points"] and s["points"] != at[0.06]["points"]
    p = fig_optimizers.GENERATOR.params
    H, (x0, x1, y0, y1) = hessian(p), p["view"]
    scale = 480 / (x1 - x0)
    for (cx, cy), m in zip(s["ends"], ("gd", "momentum", "adam")):
        end = descend(optimizer(m, 0.045, 0.8), H, p)[-1]
        assert cx == pytest.approx(54 + (end[0] - x0) * scale, abs=0.06), m
        assert cy == pytest.approx(8 + (y1 - end[1]) * scale, abs=0.06), m


def test_a_bad_link_is_clamped_and_named(page) -> None:
    s = _open(page, "#eta=5&mu=-1&methods=gd,nesterov&colour=red")
    assert s["eta"] == "0.3" and s["mu"] == "0"
    for key in ("eta=5 clamped to 0.3", "mu=-1 clamped to 0", "nesterov ignored", "colour ignored"):
        assert key in s["notice"], (key, s["notice"])
    assert s["shown"] == [True, False, False]
    page.evaluate("location.hash = '#eta=0.06&mu=0.8'")             # a link followed in the page
    # (the theme's instant navigation may draw the page's content afresh on a new hash: the
    # explorer is then a new element, which reads the hash as it starts; wait for either)
    s = page.wait_for_function(f"""() => {{
        const r = document.querySelector('{ROOT}');
        const band = r && r.dataset.started && r.querySelector('.dlv-traj-band');
        if (!band || r.dataset.eta !== '0.06') return null;
        const notice = r.querySelector('.dlv-traj-notice');
        return {{ band: band.textContent, notice: notice.hidden ? '' : notice.textContent }};
    }}""").json_value()
    assert s["notice"] == "" and "momentum converges, gradient descent diverges" in s["band"]


def test_the_diagram_point_moves_by_pointer_and_keyboard(page) -> None:
    _open(page)
    diagram = page.locator(f"{ROOT} svg.dlv-traj-bands")
    diagram.scroll_into_view_if_needed()
    box = diagram.bounding_box()
    # right end, top: eta near 0.3, mu near 0.99: the "neither" band
    page.mouse.click(box["x"] + box["width"] * 0.97, box["y"] + box["height"] * 0.14)
    assert page.evaluate(f"document.querySelector('{ROOT}').dataset.band") == "2"
    s = _state(page)
    assert float(s["eta"]) > 0.25 and float(s["mu"]) > 0.95
    assert page.evaluate("document.activeElement.classList.contains('dlv-traj-point')")
    page.keyboard.press("PageUp")                                    # past mu's end: clamped
    assert "mu stays at 0.99" in _state(page)["notice"]
    page.keyboard.press("Home")                                      # eta's smallest value
    s = _state(page)
    assert s["eta"] == "0.001" and page.evaluate(
        f"document.querySelector('{ROOT}').dataset.band") == "0"


def test_the_prose_rates_are_reachable_by_keyboard_and_do_what_it_says(page) -> None:
    """From the opening eta the arrow keys reach band_eta_low exactly; there gradient descent
    leaves the map and momentum arrives, as the "things to try" say."""
    s = _open(page)
    page.locator(f"{ROOT} input[type=range]").nth(0).focus()
    for _ in range(80):
        if s["eta"] == "0.06":
            break
        page.keyboard.press("ArrowRight")
        s = _state(page)
    assert s["eta"] == "0.06"
    assert "momentum converges, gradient descent diverges" in s["band"]
    assert "gradient descent: diverged" in s["summary"] and "momentum: reached" in s["summary"]


def test_checkboxes_hide_methods_with_the_space_bar(page) -> None:
    _open(page)
    boxes = page.locator(f"{ROOT} input[type=checkbox]")
    assert boxes.count() == 3
    boxes.nth(2).focus()
    page.keyboard.press("Space")
    assert _state(page)["shown"] == [True, True, False]
    page.keyboard.press("Shift+Tab")                                 # Tab order reaches it
    page.keyboard.press("Space")
    s = _state(page)
    assert s["shown"] == [True, False, False] and s["hash"].endswith("methods=gd")
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
    s = _open(page)
    gd = re.search(r"gradient descent: C = (\S+) after", s["summary"]).group(1)
    adam = re.search(r"Adam: C = (\S+) after", s["summary"]).group(1)
    assert "\u00d710" in gd                                        # 4.0×10⁻⁵, not 4.0e-05
    prose = page.locator("article p", has_text="is still at").inner_text()
    assert f"= {gd} and Adam at {adam}," in prose, (gd, adam, prose)
    assert "below 2/k\u2082" in s["band"]
    steps = re.search(r"momentum: reached C < \S+ after (\d+) steps", s["summary"]).group(1)
    assert f"after\n{steps} steps" in prose or f"after {steps} steps" in prose


def test_on_a_phone_a_finger_drags_the_point_and_nothing_is_cut_off(browser, site, site_port) -> None:
    """390 px with a touch screen: the explorer fits (the page does not scroll sideways),
    a tap on the diagram moves the setting, a drag across it moves it further."""
    from sitekit import checked_page

    with checked_page(browser, site, site_port, viewport={"width": 390, "height": 800},
                      has_touch=True, is_mobile=True) as pg:
        _open(pg)
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        root = pg.locator(ROOT).bounding_box()
        assert root["x"] >= 0 and root["x"] + root["width"] <= 390
        diagram = pg.locator(f"{ROOT} svg.dlv-traj-bands")
        diagram.scroll_into_view_if_needed()
        box = diagram.bounding_box()
        y = box["y"] + box["height"] * 0.3
        pg.touchscreen.tap(box["x"] + box["width"] * 0.72, y)         # right of 2/k2, high mu
        band = lambda: pg.evaluate(f"document.querySelector('{ROOT}').dataset.band")
        tapped = float(_state(pg)["eta"])
        assert band() == "1" and tapped > 0.05
        # a finger drag, as the touch screen sends it (Chromium's own touch input)
        cdp = pg.context.new_cdp_session(pg)
        x0, x1 = box["x"] + box["width"] * 0.72, box["x"] + box["width"] * 0.25
        touch = lambda kind, x: cdp.send("Input.dispatchTouchEvent", {
            "type": kind, "touchPoints": [] if kind == "touchEnd" else [{"x": x, "y": y}]})
        touch("touchStart", x0)
        for k in range(1, 11):
            touch("touchMove", x0 + (x1 - x0) * k / 10)
        touch("touchEnd", x1)
        assert float(_state(pg)["eta"]) < 0.01 and band() == "0"


def test_the_other_things_to_try_show_what_the_page_says(page) -> None:
    """At the values the page names: lower mu at band_eta_high and momentum leaves; at the
    slow setting momentum arrives after the steps the page quotes, gradient descent is
    still at the cost it quotes."""
    from generators.loss_landscapes.valley import cost_label

    d = fig_optimizers.compute(fig_optimizers.GENERATOR.params)
    eta, mu_low = d["band_eta_high"], round(d["mu_band_high"] - 0.05, 2)
    assert "momentum: reached" in _open(page, f"#eta={eta}&mu={d['valley_mu']}")["summary"]
    s = _open(page, f"#eta={eta}&mu={mu_low}")
    assert "momentum: diverged" in s["summary"] and "Adam: C =" in s["summary"]
    s = _open(page, f"#eta={d['slow_eta']}&mu={d['slow_mu']}")
    steps = d["slow_steps_momentum"]
    assert f"momentum: reached C < 1\u00d710\u207b\u2076 after {steps} steps" in s["summary"]
    assert f"gradient descent: C = {cost_label(d['slow_cost_gd'])} after" in s["summary"]
    prose = page.locator("article li", has_text="velocity builds up").inner_text()
    assert f"after {steps} steps" in prose and f"= {cost_label(d['slow_cost_gd'])} after" in prose
