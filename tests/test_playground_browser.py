"""The live playground in headless Chromium: it opens on the build's data and weights,
trains when played, every kind of control changes the picture, the setting round-trips
through the URL hash, bad links and diverging runs say so, and a phone column holds it.

No timed assertions: each step waits for the explorer's own state (``data-epoch``,
``data-diverged``, ``data-layers``, ...). Every page is a ``checked_page``: a request
leaving the site or a console error fails the test. The scripts are the same under both
engines; all but the instant-navigation test run on the MkDocs build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from generators.playground import config
from sitekit import checked_page

pytestmark = pytest.mark.browser

EXPLORER = ".dlv-explorer-playground"
DEFAULT_SEED = config.DEFAULT["seed"]  # the opening setting's seed (its median run)
URL = "visualization/playground/"


@pytest.fixture
def mk(browser, built_site, site_port: int):
    """A desktop page of the MkDocs build."""
    with checked_page(browser, built_site("mkdocs"), site_port) as pg:
        yield pg


def _open(pg, hash_: str = "") -> None:
    """Load the page afresh with ``hash_`` (a new document: a same-page hash would only
    fire hashchange) and wait for its first drawing."""
    if pg.url.startswith(pg.base):
        pg.goto("about:blank")
    pg.goto(pg.base + URL + hash_, wait_until="networkidle")
    pg.wait_for_function(f"document.querySelector('{EXPLORER}')?.dataset.epoch === '0'")


def _state(pg, key: str) -> str:
    return pg.evaluate(f"document.querySelector('{EXPLORER}').dataset[{json.dumps(key)}]")


def _pixels(pg) -> str:
    return pg.evaluate(f"document.querySelector('{EXPLORER} .dlv-pg-output').toDataURL()")


def _wait(pg, condition: str) -> None:
    """Wait until ``condition`` (JS, with ``r`` the explorer element) holds."""
    pg.wait_for_function(f"(() => {{ const r = document.querySelector('{EXPLORER}'); return {condition}; }})()")


def _quadratic_cost(W: list, b: list, rows: list, output: str = "tanh") -> float:
    """The library's cost of the start weights on the start data, in NumPy: tanh hidden units."""
    a = np.array(rows)[:, :2]
    for layer, (Wl, bl) in enumerate(zip(W, b)):
        z = a @ np.array(Wl).T + np.array(bl)
        a = np.tanh(z) if layer < len(W) - 1 or output == "tanh" else z
    return float(np.mean((a[:, 0] - np.array(rows)[:, 2]) ** 2) / 2)


def test_it_opens_on_the_builds_data_and_weights_and_play_trains(mk, built_site) -> None:
    start = json.loads((built_site("mkdocs") / "generated/playground/start.json").read_text())
    fetched: list[str] = []
    mk.on("request", lambda r: fetched.append(r.url[len(mk.base):])
          if "playground" in r.url and r.url.endswith((".js", ".css", ".json")) else None)
    _open(mk)
    assert sorted(fetched) == ["assets/css/playground.css", "assets/js/lib/playground-data.js",
                               "assets/js/lib/playground-nn.js", "assets/js/playground.js",
                               "generated/playground/start.json"]          # the data: one file
    assert start["config"]["activation"] == "tanh" and start["config"]["features"] == ["x", "y"]
    expected = _quadratic_cost(start["init"]["W"], start["init"]["b"], start["train"])
    assert float(_state(mk, "trainLoss")) == pytest.approx(expected, rel=1e-12)
    assert mk.locator(f"{EXPLORER} .dlv-pg-unit").count() == sum(start["config"]["networkShape"])
    first = _pixels(mk)
    mk.click(f"{EXPLORER} .dlv-pg-play")
    _wait(mk, "Number(r.dataset.epoch) >= 40")
    mk.click(f"{EXPLORER} .dlv-pg-play")                       # pause
    _wait(mk, "r.dataset.playing === 'false'")
    epoch = _state(mk, "epoch")
    assert float(_state(mk, "trainLoss")) < 0.8 * expected
    assert _pixels(mk) != first
    assert mk.locator(f"{EXPLORER} .dlv-pg-epoch").inner_text().lstrip("0") == epoch
    mk.click(f"{EXPLORER} .dlv-pg-step")                       # one epoch more
    _wait(mk, f"r.dataset.epoch === '{int(epoch) + 1}'")
    mk.click(f"{EXPLORER} .dlv-pg-reset")                      # back to the build's weights
    _wait(mk, "r.dataset.epoch === '0'")
    assert float(_state(mk, "trainLoss")) == pytest.approx(expected, rel=1e-12)
    assert _pixels(mk) == first


def test_every_kind_of_control_changes_the_picture(mk) -> None:
    _open(mk)
    seen = [_pixels(mk)]

    def changed(action, condition: str = "true") -> None:
        action()
        _wait(mk, condition)
        now = _pixels(mk)
        assert now not in seen
        seen.append(now)

    sel = lambda name, value: lambda: mk.select_option(f"{EXPLORER} select[data-control={name}]", value)
    changed(sel("activation", "relu"), "location.hash.includes('activation=relu')")
    changed(lambda: mk.click(f"{EXPLORER} [data-set=spiral]"), "location.hash.includes('dataset=spiral')")
    changed(lambda: mk.fill(f"{EXPLORER} input[data-control=noise]", "30"), "location.hash.includes('noise=30')")
    changed(lambda: mk.fill(f"{EXPLORER} input[data-control=percTrainData]", "70"),
            "location.hash.includes('percTrainData=70')")
    changed(lambda: mk.click(f"{EXPLORER} [data-feature=sinX]"), "location.hash.includes('sinX=true')")
    changed(lambda: mk.click(f"{EXPLORER} .dlv-pg-regen"), f"location.hash.includes('seed={DEFAULT_SEED + 1}')")
    changed(lambda: mk.check(f"{EXPLORER} input[data-control=showTestData]"))      # outlined points
    changed(lambda: mk.check(f"{EXPLORER} input[data-control=discretize]"))
    # Hovering a hidden unit shows its map in the output area, and says whose it is.
    changed(lambda: mk.hover(f"{EXPLORER} .dlv-pg-unit >> nth=0"), "r.dataset.showing !== 'output'")
    assert mk.locator(f"{EXPLORER} .dlv-pg-maptitle").inner_text() == "Showing the map of neuron 1 of layer 1"
    # Regression: the two regression sets replace the four classification ones.
    changed(sel("problem", "regression"), "location.hash.includes('problem=regression')")
    shown = mk.locator(f"{EXPLORER} [data-set]:visible")
    assert [shown.nth(i).get_attribute("data-set") for i in range(shown.count())] == ["reg-plane", "reg-gauss"]
    changed(lambda: mk.click(f"{EXPLORER} [data-set=reg-gauss]"), "location.hash.includes('regDataset=reg-gauss')")
    # Learning rate, regularisation and batch size keep the network (and the picture) as it is.
    before = _pixels(mk)
    mk.select_option(f"{EXPLORER} select[data-control=learningRate]", "0.3")
    _wait(mk, "location.hash.includes('learningRate=0.3')")
    assert _pixels(mk) == before


def test_plus_and_minus_change_the_network(mk) -> None:
    _open(mk)
    units = lambda: mk.locator(f"{EXPLORER} .dlv-pg-unit").count()
    edges = lambda: mk.locator(f"{EXPLORER} .dlv-pg-edges path").count()
    assert (units(), edges(), _state(mk, "layers")) == (6, 2 * 4 + 4 * 2 + 2, "2")
    mk.click(f"{EXPLORER} [aria-label='add a neuron to layer 1']")
    _wait(mk, "location.hash.includes('networkShape=5,2')")
    assert (units(), edges()) == (7, 2 * 5 + 5 * 2 + 2)
    mk.click(f"{EXPLORER} [aria-label='add a hidden layer']")
    _wait(mk, "r.dataset.layers === '3'")
    assert units() == 9 and "networkShape=5,2,2" in mk.evaluate("location.hash")
    mk.click(f"{EXPLORER} [aria-label='remove a neuron from layer 2']")
    _wait(mk, "location.hash.includes('networkShape=5,1,2')")
    for _ in range(3):
        mk.click(f"{EXPLORER} [aria-label='remove a hidden layer']")
    _wait(mk, "r.dataset.layers === '0'")
    assert (units(), edges()) == (0, 2)                       # x1, x2 straight to the output
    assert mk.locator(f"{EXPLORER} [aria-label='remove a hidden layer']").is_disabled()
    mk.click(f"{EXPLORER} [data-feature=xSquared]")            # an input is a toggle too
    _wait(mk, "location.hash.includes('xSquared=true')")
    assert edges() == 3
    # The widest network: 6 layers of 8; + is then disabled.
    _open(mk, "#networkShape=8,8,8,8,8,8")
    assert units() == 48
    assert mk.locator(f"{EXPLORER} [aria-label='add a hidden layer']").is_disabled()
    assert mk.locator(f"{EXPLORER} [aria-label='add a neuron to layer 6']").is_disabled()


def test_the_setting_round_trips_through_the_hash(mk) -> None:
    _open(mk)
    mk.select_option(f"{EXPLORER} select[data-control=learningRate]", "0.1")
    mk.select_option(f"{EXPLORER} select[data-control=activation]", "sigmoid")
    mk.select_option(f"{EXPLORER} select[data-control=regularization]", "L2")
    mk.select_option(f"{EXPLORER} select[data-control=regularizationRate]", "0.01")
    mk.click(f"{EXPLORER} [data-set=xor]")
    mk.fill(f"{EXPLORER} input[data-control=noise]", "20")
    mk.fill(f"{EXPLORER} input[data-control=batchSize]", "25")
    mk.click(f"{EXPLORER} [data-feature=xTimesY]")
    mk.click(f"{EXPLORER} [aria-label='add a hidden layer']")
    mk.check(f"{EXPLORER} input[data-control=showTestData]")
    _wait(mk, "r.dataset.layers === '3'")
    controls = """[...document.querySelectorAll('.dlv-explorer-playground [data-control]')]
        .map(c => [c.dataset.control, c.type === 'checkbox' ? c.checked : c.value])"""
    pressed = """[...document.querySelectorAll('.dlv-explorer-playground [aria-pressed=true], .dlv-explorer-playground [aria-checked=true]')]
        .map(b => b.dataset.feature || b.dataset.set)"""
    before = (mk.evaluate(controls), mk.evaluate(pressed), mk.locator(f"{EXPLORER} .dlv-pg-unit").count())
    hash_ = mk.evaluate("location.hash")
    assert hash_ == ("#activation=sigmoid&batchSize=25&dataset=xor&regDataset=reg-plane&learningRate=0.1"
                     f"&regularization=L2&regularizationRate=0.01&noise=20&networkShape=4,2,2&seed={DEFAULT_SEED}"
                     "&showTestData=true&discretize=false&percTrainData=50&x=true&y=true&xSquared=false"
                     "&ySquared=false&xTimesY=true&sinX=false&sinY=false&problem=classification")
    _open(mk, hash_)
    assert (mk.evaluate(controls), mk.evaluate(pressed), mk.locator(f"{EXPLORER} .dlv-pg-unit").count()) == before
    assert dict(before[0])["noise"] == "20" and "xTimesY" in before[1]
    assert mk.locator(f"{EXPLORER} .dlv-pg-notice").is_hidden()
    # A link followed on the page (hashchange) applies its setting.
    mk.evaluate("location.hash = '#activation=relu&networkShape=3&problem=regression'")
    _wait(mk, "r.dataset.layers === '1'")
    assert mk.locator(f"{EXPLORER} select[data-control=activation]").input_value() == "relu"
    assert mk.locator(f"{EXPLORER} select[data-control=problem]").input_value() == "regression"


def test_the_pages_setting_links_apply_without_a_notice(mk) -> None:
    """Each "things to try" link (a hash on this page) is a setting the explorer takes
    whole: no notice, and its activation and layers shown. The first is also clicked."""
    from urllib.parse import parse_qsl

    _open(mk)
    links = mk.evaluate("""[...document.querySelectorAll('article a.dlv-pg-setting')]
        .map(a => a.getAttribute('href'))""")
    assert links and all(h.startswith("#") and "=" in h for h in links), links  # hrefs set by the script
    shown = f"""(() => {{ const r = document.querySelector('{EXPLORER}');
        const a = r && r.querySelector('select[data-control=activation]');  // null while re-drawn
        return a ? [a.value, r.dataset.layers] : null; }})()"""
    for href in dict.fromkeys(links):
        setting = dict(parse_qsl(href[href.index("#") + 1:], keep_blank_values=True))
        want = [setting["activation"], str(len([w for w in setting["networkShape"].split(",") if w]))]
        _open(mk, href[href.index("#"):])
        assert _state(mk, "ignored") == "", href
        assert mk.locator(f"{EXPLORER} .dlv-pg-notice").is_hidden()
        assert mk.evaluate(shown) == want, href
    _open(mk, "#activation=relu&networkShape=1,1,1,1,1")      # unlike every link
    mk.click(f"article a[href={json.dumps(links[0])}] >> nth=0")
    setting = dict(parse_qsl(links[0][links[0].index("#") + 1:], keep_blank_values=True))
    want = [setting["activation"], str(len([w for w in setting["networkShape"].split(",") if w]))]
    mk.wait_for_function(f"JSON.stringify({shown}) === {json.dumps(json.dumps(want, separators=(',', ':')))}")


def test_a_bad_link_falls_back_and_says_so(mk) -> None:
    _open(mk, "#noise=90&activation=softmax&learningRate=0.5&networkShape=4,9&cosX=true&batchSize=12")
    notice = mk.locator(f"{EXPLORER} .dlv-pg-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    for part in ("noise=90 (0–50", "activation=softmax", "learningRate=0.5", "networkShape=4,9", "cosX=true"):
        assert part in text
    assert mk.locator(f"{EXPLORER} input[data-control=noise]").input_value() == "0"          # the default
    assert mk.locator(f"{EXPLORER} select[data-control=activation]").input_value() == "tanh"
    assert mk.locator(f"{EXPLORER} select[data-control=learningRate]").input_value() == "0.03"
    assert mk.locator(f"{EXPLORER} input[data-control=batchSize]").input_value() == "12"      # good keys kept
    assert mk.locator(f"{EXPLORER} .dlv-pg-unit").count() == 6
    _open(mk, "#x=false&y=false")                                 # no input at all: not allowed
    assert "every feature off" in notice.inner_text()
    assert mk.locator(f"{EXPLORER} [data-feature][aria-pressed=true]").count() == 2


def test_a_diverging_run_stops_with_a_message_and_reset_recovers(mk) -> None:
    _open(mk, "#problem=regression&regDataset=reg-plane&activation=relu&learningRate=10"
              "&networkShape=8,8,8&batchSize=30")
    mk.click(f"{EXPLORER} .dlv-pg-play")
    _wait(mk, "r.dataset.diverged === 'true' && r.dataset.playing === 'false'")
    alert = mk.locator(f"{EXPLORER} .dlv-pg-alert")
    assert re.fullmatch(r"Training diverged at epoch \d+, step \d+: lower the learning rate, then reset\.",
                        alert.inner_text())
    assert mk.locator(f"{EXPLORER} .dlv-pg-play").is_disabled()
    mk.select_option(f"{EXPLORER} select[data-control=learningRate]", "0.001")
    mk.click(f"{EXPLORER} .dlv-pg-reset")
    _wait(mk, "r.dataset.diverged === 'false' && r.dataset.epoch === '0'")
    assert alert.is_hidden()
    mk.click(f"{EXPLORER} .dlv-pg-step")
    _wait(mk, "r.dataset.epoch === '1'")
    assert np.isfinite(float(_state(mk, "trainLoss")))


@pytest.mark.parametrize("width", [390, 320])
def test_a_phone_column_holds_it(browser, built_site, site_port: int, width: int) -> None:
    """Nothing makes the page scroll sideways, the widest network scrolls inside the
    explorer, thumbnails stay at least 24 px, the output canvas fits the column."""
    with checked_page(browser, built_site("mkdocs"), site_port, viewport={"width": width, "height": 800},
                      has_touch=True, is_mobile=True) as pg:
        _open(pg, "#networkShape=8,8,8,8,8,8&x=true&y=true&sinX=true")
        got = pg.evaluate(f"""(() => {{
            const r = document.querySelector('{EXPLORER}'), box = r.getBoundingClientRect();
            const scroll = r.querySelector('.dlv-pg-netscroll');
            const inside = [...r.querySelectorAll('canvas, select, input, button')].filter(e => e.offsetParent
                && !scroll.contains(e)).map(e => e.getBoundingClientRect())
                .filter(b => b.left < box.left - 0.5 || b.right > box.right + 0.5).length;
            const thumbs = [...r.querySelectorAll('.dlv-pg-node canvas')].map(c => c.getBoundingClientRect().width);
            return {{ page: document.documentElement.scrollWidth, view: innerWidth, inside,
                      right: box.right, scrolls: scroll.scrollWidth > scroll.clientWidth,
                      thumb: Math.min(...thumbs),
                      plot: r.querySelector('.dlv-pg-output').getBoundingClientRect().right }}; }})()""")
        assert got["page"] <= got["view"] and got["right"] <= got["view"]
        assert got["inside"] == 0 and got["plot"] <= got["right"]
        assert got["scrolls"] and got["thumb"] >= 24
        pg.tap(f"{EXPLORER} .dlv-pg-play")                       # by touch
        _wait(pg, "Number(r.dataset.epoch) >= 2")
        pg.tap(f"{EXPLORER} .dlv-pg-play")


def test_explorer_survives_instant_navigation(page) -> None:
    _open(page)
    page.evaluate("window.__sameDocument = true")
    page.click(f"{EXPLORER} .dlv-pg-play")
    page.click("nav.md-nav--primary a:has-text('Home')")
    page.wait_for_url(page.base)
    page.go_back()
    page.wait_for_function(f"document.querySelector('{EXPLORER}')?.dataset.epoch === '0'")
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator(EXPLORER).count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_is_painted_in_the_points_colours(browser, built_site, site_port: int, scheme: str) -> None:
    """Discretized, the map has two colours (the points and axes cover only a little of
    it): each class's colour (from playground.css) three quarters over the page colour."""
    with checked_page(browser, built_site("mkdocs"), site_port, color_scheme=scheme) as pg:
        _open(pg, "#discretize=true")
        got = pg.evaluate(f"""(() => {{
            const r = document.querySelector('{EXPLORER}'), c = r.querySelector('.dlv-pg-output');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, count = new Map();
            for (let i = 0; i < d.length; i += 4) {{
                const k = [d[i], d[i + 1], d[i + 2]].join(',');
                count.set(k, (count.get(k) || 0) + 1); }}
            const top = [...count.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
            const rgb = (s) => s.match(/\\d+/g).slice(0, 3).map(Number);
            const fill = (sel) => rgb(getComputedStyle(r.querySelector('.dlv-pg-key ' + sel)).fill);
            return {{ top, total: d.length / 4, neg: fill('.dlv-pg-cneg'), pos: fill('.dlv-pg-cpos'),
                      bg: rgb(getComputedStyle(document.body).backgroundColor) }}; }})()""")
    mix = lambda c: ",".join(str(round(b * 0.25 + x * 0.75)) for x, b in zip(c, got["bg"]))
    colours = {k: n for k, n in got["top"]}
    assert colours.get(mix(got["neg"]), 0) > 0.1 * got["total"]
    assert colours.get(mix(got["pos"]), 0) > 0.1 * got["total"]
    from generators.style import themes
    theme = themes()[scheme == "dark"]
    hexed = lambda c: "#" + "".join(f"{x:02x}" for x in c)
    assert (hexed(got["neg"]), hexed(got["pos"])) == (theme.negative.lower(), theme.positive.lower())
