"""The dataflow-graph lesson in a real browser: static SVGs, and the explorer opened and
closed by mouse and keyboard, in both themes and after instant navigation.

Headless Debian Chromium through Playwright, every non-local request blocked, as in
tests/test_browser.py (skipped without Chromium, a failure under ``CI=true``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitekit import checked_page


pytestmark = pytest.mark.browser
URL = "visualization/dataflow-graphs/"
MLP = ".dlv-explorer-dataflow >> nth=0"


@pytest.fixture(params=["light", "dark"])
def page(request, browser, site: Path, site_port: int):
    """The lesson page in both themes, its explorers drawn (see ``checked_page``)."""
    with checked_page(browser, site, site_port, color_scheme=request.param) as pg:
        pg.goto(pg.base + URL, wait_until="networkidle")
        pg.wait_for_selector(".dlv-explorer-dataflow svg.df-svg [data-name='inputs']")
        yield pg


def names(pg, explorer: int = 0) -> set[str]:
    return set(pg.evaluate(
        f"""[...document.querySelectorAll('.dlv-explorer-dataflow')[{explorer}]
            .querySelectorAll('.df-svg [data-name]')].map(e => e.dataset.name)"""))


def test_static_svgs_are_in_the_page(site: Path, page) -> None:
    html = (site / URL / "index.html").read_text(encoding="utf-8")
    for name in ("mlp-raw", "mlp-series", "mlp-expanded", "cnn-overview", "cnn-expanded"):
        for suffix in ("", ".dark"):
            rel = f"generated/dataflow_graphs/{name}{suffix}.svg"
            assert rel in html and (site / rel).read_bytes().lstrip().startswith(b"<?xml")
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("[...document.querySelectorAll('.dlv-figure img')].every(i => i.complete)")
    shown = page.evaluate("""[...document.querySelectorAll('.dlv-figure img')]
        .filter(i => i.checkVisibility()).map(i => i.naturalWidth)""")
    assert len(shown) == 5 and all(w > 0 for w in shown)


def test_overview_matches_the_build(site: Path, page) -> None:
    data = json.loads((site / "generated/dataflow_graphs/mlp.json").read_text(encoding="utf-8"))
    explorer = page.locator(MLP)
    assert int(explorer.get_attribute("data-edges")) == data["stats"]["overview_edges"]
    assert int(explorer.get_attribute("data-boxes")) == data["stats"]["top_boxes"]
    assert {"dense1", "gradients", "init"} <= names(page)
    assert "dense1/matmul" not in names(page)


def test_click_expands_and_collapses_a_group(page) -> None:
    explorer = page.locator(MLP)
    edges = explorer.get_attribute("data-edges")
    explorer.locator(".df-svg [data-name='dense1'].df-node").click()
    page.wait_for_selector(".df-svg [data-name='dense1/matmul']")
    assert {"dense1/W", "dense1/b", "dense1/matmul", "dense1/biasadd"} <= names(page)
    assert explorer.get_attribute("data-edges") != edges       # edges re-routed inside
    explorer.locator(".df-head[data-name='dense1']").click()
    page.wait_for_selector(".df-svg [data-name='dense1'].df-node")
    assert "dense1/matmul" not in names(page)
    assert explorer.get_attribute("data-edges") == edges


def test_keyboard_opens_groups_and_switches_the_overlay(page) -> None:
    explorer = page.locator(MLP)
    node = explorer.locator(".df-svg [data-name='gradients'].df-node")
    node.focus()
    assert page.evaluate("document.activeElement.dataset.name") == "gradients"
    tip = explorer.locator(".df-tip")
    assert tip.is_visible() and "ops inside" in tip.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector(".df-svg [data-name='gradients/dense1']")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    page.keyboard.press(" ")                                   # Space closes it again
    page.wait_for_selector(".df-svg [data-name='gradients'].df-node")
    assert "gradients/dense1" not in names(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.name") != "gradients"
    fill = "getComputedStyle(document.querySelector('.df-svg [data-name=\"dense1\"] rect')).fill"
    before = page.evaluate(fill)
    explorer.locator("select").focus()
    page.keyboard.press("ArrowDown")                           # structure -> parameters
    page.wait_for_function(f"{fill} !== {json.dumps(before)}")
    assert "log(1 + value)" in explorer.locator(".df-legend").inner_text()


def test_series_and_expand_all(page) -> None:
    explorer = page.locator(MLP)
    explorer.locator("input[type=checkbox]").check()
    page.wait_for_selector(".df-svg [data-name='dense[1\u20132]']")
    assert "dense1" not in names(page)
    explorer.locator("input[type=checkbox]").uncheck()
    explorer.get_by_role("button", name="Expand all").click()
    page.wait_for_selector(".df-svg [data-name='gradients/dense2/matmul_grad']")
    assert "init/all" not in names(page) and "init" in names(page)   # the side area stays closed
    explorer.get_by_role("button", name="Collapse all").click()
    page.wait_for_selector(".df-svg [data-name='gradients'].df-node")


def test_hovering_an_edge_describes_it(page) -> None:
    explorer = page.locator(MLP)
    explorer.locator(".df-edge[data-edge='dense1\u2192sgd'] .df-elabel").hover()
    text = explorer.locator(".df-tip").inner_text()
    assert "2 raw edges" in text and "reference" in text and "(30, 64)" in text


def test_explorer_works_after_instant_navigation(page) -> None:
    page.evaluate("window.__sameDocument = true")
    page.click("article a[href$='lessons/backpropagation/']")
    page.wait_for_url("**/lessons/backpropagation/")
    page.go_back()
    page.wait_for_url("**/" + URL)
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    # Both explorers are drawn again (asynchronously: JSON, then layout) in the new content.
    page.wait_for_function("document.querySelectorAll('.dlv-explorer-dataflow svg.df-svg "
                           "[data-name=\"dense1\"]').length === 2")
    page.locator(MLP).locator(".df-svg [data-name='dense1'].df-node").click()
    page.wait_for_selector(".df-svg [data-name='dense1/matmul']")


def _open_dense1(explorer, page) -> None:
    explorer.locator(".df-svg [data-name='dense1'].df-node").click()
    page.wait_for_selector(".df-svg .df-head[data-name='dense1']")


def test_an_open_group_s_title_bar_takes_clicks_over_its_whole_width(page) -> None:
    """Edges run under an open group's title: a click anywhere along the bar closes it."""
    explorer = page.locator(MLP)
    _open_dense1(explorer, page)
    for f in (0.03, 0.25, 0.5, 0.75, 0.97):
        bar = explorer.locator(".df-head[data-name='dense1'] .df-headbar").bounding_box()
        x, y = bar["x"] + f * bar["width"], bar["y"] + bar["height"] / 2
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('.df-head')?.dataset.name",
                            [x, y])
        assert hit == "dense1", f"at {f:.0%} of the title bar the click goes to {hit!r}"
        page.mouse.click(x, y)
        page.wait_for_selector(".df-svg [data-name='dense1'].df-node")
        assert "dense1/matmul" not in names(page)
        _open_dense1(explorer, page)


def test_no_box_lies_under_a_title_bar(page) -> None:
    """Fully expanded, every open group's title bar is clear of the boxes inside it."""
    explorer = page.locator(MLP)
    explorer.get_by_role("button", name="Expand all").click()
    page.wait_for_selector(".df-svg .df-head[data-name='gradients/dense1']")
    overlaps = page.evaluate("""(() => {
        const r = document.querySelector('.dlv-explorer-dataflow'), out = [];
        const heads = [...r.querySelectorAll('.df-head')];
        for (const h of heads) {
            const a = h.querySelector('.df-headbar').getBoundingClientRect();
            for (const n of r.querySelectorAll('.df-node, .df-headbar')) {
                if (n.closest('.df-head') === h) continue;
                const b = n.getBoundingClientRect();
                if (b.left < a.right && a.left < b.right && b.top < a.bottom && a.top < b.bottom)
                    out.push(h.dataset.name + ' / ' + (n.dataset.name || n.parentNode.dataset.name));
            }
        }
        return [heads.length, out]; })()""")
    assert overlaps[0] >= 10 and overlaps[1] == []


FIT = """(() => {
    const r = document.querySelector('.dlv-explorer-dataflow'), sc = r.querySelector('.df-scroll');
    const header = document.querySelector('.md-header').getBoundingClientRect().height;
    sc.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -header);
    const g = r.querySelector('svg.df-svg').getBoundingClientRect(), s = sc.getBoundingClientRect();
    return { g: [g.left, g.top, g.right, g.bottom], box: [s.left, s.right],
             view: [innerWidth, innerHeight], header, scale: Number(r.dataset.scale),
             scrolls: sc.scrollWidth > sc.clientWidth + 1 };
})()"""


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_the_first_view_fits_the_whole_graph(browser, site: Path, site_port: int, width: int,
                                             height: int) -> None:
    """On load the graph lies within the visible viewport, desktop and phone; "Full size"
    then shows it at its natural size (scrolling where it is wider than the column)."""
    with checked_page(browser, site, site_port, viewport={"width": width, "height": height}) as pg:
        pg.goto(pg.base + URL, wait_until="networkidle")
        pg.wait_for_selector(".dlv-explorer-dataflow svg.df-svg [data-name='inputs']")
        fit = pg.evaluate(FIT)
        left, top, right, bottom = fit["g"]
        assert left >= fit["box"][0] - 0.5 and right <= fit["box"][1] + 0.5 and not fit["scrolls"], fit
        assert 0 <= left and right <= fit["view"][0], fit
        assert fit["header"] - 0.5 <= top and bottom <= fit["view"][1] + 0.5, fit
        assert 0 < fit["scale"] <= 1
        pg.locator(MLP).locator(".df-zoom").click()
        assert float(pg.locator(MLP).get_attribute("data-scale")) == 1
        if width < 500:
            assert pg.evaluate(FIT)["scrolls"]      # the natural size is wider than a phone


def _focus_order(pg) -> list[str]:
    """Tab into the MLP graph, then ArrowDown through it: each stop's kind, box or edge."""
    pg.locator(MLP).locator(".df-zoom").focus()        # the toolbar's last control
    pg.keyboard.press("Tab")
    if pg.evaluate("document.activeElement.classList.contains('df-scroll')"):
        pg.keyboard.press("Tab")
    assert pg.evaluate("!!document.activeElement.closest('.df-node, .df-head')")  # the Tab stop: a box
    pg.keyboard.press("Home")
    kinds = []
    total = pg.evaluate("document.querySelectorAll('.dlv-explorer-dataflow')[0]"
                        ".querySelectorAll('.df-focusable').length")
    for _ in range(total):
        kinds.append(pg.evaluate("document.activeElement.classList.contains('df-edge') ? 'edge' : 'box'"))
        pg.keyboard.press("ArrowDown")
    return kinds


def test_tab_reaches_the_boxes_before_the_edges(page) -> None:
    """The graph's Tab stop is a box, and the arrow keys (and the document's order, which
    screen readers follow) give every box and open group's title before any edge."""
    explorer = page.locator(MLP)
    for opened in (False, True):
        if opened:
            _open_dense1(explorer, page)
        n_boxes = page.evaluate("document.querySelectorAll('.dlv-explorer-dataflow')[0]"
                                ".querySelectorAll('.df-node, .df-head').length")
        kinds = _focus_order(page)
        assert kinds[:n_boxes] == ["box"] * n_boxes and set(kinds[n_boxes:]) == {"edge"}, kinds
        in_document = page.evaluate("""[...document.querySelectorAll('.dlv-explorer-dataflow')[0]
            .querySelectorAll('.df-node, .df-edge')].map(e => e.classList.contains('df-edge'))""")
        assert in_document == sorted(in_document)          # every box before every edge
