"""Every explorer driven by the keyboard alone: Tab reaches each control in a sensible
order, Enter, Space and the arrow keys operate it, and the focused control shows a ring.

Each test puts focus just before an explorer, then only presses keys (no clicks, no
``select_option``) and checks what the page shows. Headless Debian Chromium through
Playwright, every non-local request blocked (``sitekit.checked_page``). The explorers'
scripts are the same under both engines, so these run against the MkDocs build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import checked_page


pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, built_site, site_port: int):
    """A desktop page of the MkDocs build, with reduced motion (animations step exactly)."""
    with checked_page(browser, built_site("mkdocs"), site_port, reduced_motion="reduce") as pg:
        yield pg


def _open(pg, url: str, root: str, drawn: str) -> None:
    """Load ``url``, wait for the explorer ``root`` to draw ``drawn``, focus just before it."""
    pg.goto(pg.base + url, wait_until="networkidle")
    pg.wait_for_selector(f"{root} {drawn}")
    pg.evaluate(f"""(() => {{ const r = document.querySelector('{root}');
        r.tabIndex = -1; r.focus(); }})()""")     # Tab from here reaches its first control


def _focused(pg) -> dict:
    """What has focus: a short name, and whether it shows a focus indicator (an outline,
    or for a box or edge of an SVG graph, its shape, line or title in the accent colour)."""
    return pg.evaluate("""(() => {
        const a = document.activeElement, s = getComputedStyle(a);
        const probe = document.createElement('span');
        probe.style.color = 'var(--md-accent-fg-color)';
        document.body.append(probe);
        const accent = getComputedStyle(probe).color;
        probe.remove();
        const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1)
            || [...a.querySelectorAll('rect, ellipse, .df-line, text')].some(e => {
                   const t = getComputedStyle(e);
                   return t.stroke === accent || t.fill === accent; });
        const name = a.dataset.problem || a.dataset.control || a.dataset.name || a.dataset.edge
            || a.getAttribute('aria-label')
            || (a.tagName === 'BUTTON' ? a.textContent.trim() : a.type);
        return { tag: a.tagName.toLowerCase(), name, ring };
    })()""")


def _tab(pg, n: int = 1, back: bool = False) -> dict:
    for _ in range(n):
        pg.keyboard.press("Shift+Tab" if back else "Tab")
    return _focused(pg)


def test_playground_by_keyboard(page) -> None:
    root = ".dlv-explorer-playground"
    _open(page, "visualization/playground/", root, ".dlv-pg-controls select")
    state = lambda: page.evaluate(f"""(() => {{ const r = document.querySelector('{root}');
        return {{ run: r.dataset.run, epoch: r.dataset.epoch,
                  problem: r.querySelector('[aria-checked=true]').dataset.problem,
                  test: r.querySelectorAll('circle.dlv-pg-test').length,
                  play: r.querySelector('.dlv-pg-play').textContent.trim() }}; }})()""")
    start = state()
    # The data sets are one radio group: one Tab stop, on the chosen set.
    first = _tab(page)
    assert first["name"] == start["problem"] and first["ring"]
    page.keyboard.press("ArrowRight")                        # the next data set, chosen and focused
    page.wait_for_function(f"document.querySelector('{root} [aria-checked=true]').dataset.problem"
                           f" !== {start['problem']!r}")
    assert _focused(page)["name"] == state()["problem"] != start["problem"]
    # Then the four selects, in the order drawn; the arrow keys change a closed select.
    names = [_tab(page)["name"] for _ in range(4)]
    assert names == ["activation", "regularization", "rate", "architecture"]
    before = state()["run"]
    _tab(page, 3, back=True)                                 # back to the activation select
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"document.querySelector('{root}').dataset.run !== {before!r}")
    # Play/pause, the checkpoint slider, the two checkboxes.
    play = _tab(page, 4)
    assert play["tag"] == "button" and "Play" in play["name"] and play["ring"]
    page.keyboard.press("Enter")
    assert "Pause" in state()["play"]
    page.keyboard.press("Space")
    assert "Play" in state()["play"]
    slider = _tab(page)
    assert slider["tag"] == "input" and slider["name"] == "Training checkpoint" and slider["ring"]
    page.keyboard.press("Home")
    first_epoch = state()["epoch"]
    page.keyboard.press("End")
    assert state()["epoch"] != first_epoch
    assert _tab(page)["name"] == "checkbox"                  # "Show test data"
    page.keyboard.press("Space")
    assert state()["test"] > 0


def test_trajectories_by_keyboard(page) -> None:
    root = ".dlv-explorer-trajectories"
    _open(page, "visualization/loss-landscapes/", root, "polyline.dlv-traj-path")
    paths = lambda: page.evaluate(f"""[...document.querySelectorAll('{root} .dlv-traj-path')]
        .map(p => p.style.display === 'none' ? 'hidden' : p.getAttribute('points'))""")
    start = paths()
    eta = _tab(page)
    assert eta["tag"] == "input" and eta["name"].startswith("learning rate") and eta["ring"]
    page.keyboard.press("ArrowRight")
    moved = paths()
    assert moved != start and "hidden" not in moved
    mu = _tab(page)
    assert mu["name"].startswith("momentum")
    page.keyboard.press("Home")
    boxes = [_tab(page) for _ in range(len(start))]          # one checkbox per method
    assert all(b["name"].startswith("show ") and b["ring"] for b in boxes)
    page.keyboard.press("Space")                             # hide the last method's path
    assert paths()[-1] == "hidden" and paths()[0] != "hidden"


def test_trainanim_by_keyboard(page) -> None:
    root = ".dlv-explorer-trainanim"
    _open(page, "visualization/training-dynamics/", root, "rect.dlv-anim-cell")
    readout = lambda: page.evaluate(f"document.querySelector('{root} output').textContent")
    pressed = lambda: page.evaluate(f"document.querySelector('{root} button').getAttribute('aria-pressed')")
    play = _tab(page)
    assert play["tag"] == "button" and play["name"].endswith("Play") and play["ring"]
    page.keyboard.press("Enter")
    assert pressed() == "true" and _focused(page)["name"].endswith("Pause")
    page.keyboard.press("Space")
    assert pressed() == "false"
    slider = _tab(page)
    assert slider["tag"] == "input" and slider["name"] == "epoch" and slider["ring"]
    page.keyboard.press("Home")
    first = readout()
    page.keyboard.press("End")
    assert readout() != first and readout().startswith("epoch")


def test_dataflow_by_keyboard(page) -> None:
    root = ".dlv-explorer-dataflow"
    _open(page, "visualization/dataflow-graphs/", root, "svg.df-svg [data-name='inputs']")
    boxes = lambda: int(page.evaluate(f"document.querySelector('{root}').dataset.boxes"))
    # The toolbar: the colour select, the series checkbox, Expand all, Collapse all, Full size.
    order = [_tab(page) for _ in range(5)]
    assert [o["tag"] for o in order] == ["select", "input", "button", "button", "button"]
    assert all(o["ring"] for o in order)
    # The graph is one Tab stop: its top box; the arrow keys move between boxes and edges.
    box = _tab(page)
    if page.evaluate("document.activeElement.classList.contains('df-scroll')"):
        box = _tab(page)                  # a focusable scroll box around the graph comes first
    assert box["tag"] == "g" and box["name"] and box["ring"]
    page.keyboard.press("ArrowDown")
    assert _focused(page)["ring"] and _focused(page)["name"] != box["name"]
    assert page.locator(f"{root} .df-tip").first.is_visible()     # focus shows what hover shows
    page.keyboard.press("End")
    last = _focused(page)["name"]
    page.keyboard.press("Home")
    assert _focused(page)["name"] == box["name"] != last
    # Open a group with Enter: more boxes, focus stays on the group, now an open heading.
    while not page.evaluate("document.activeElement.getAttribute('aria-expanded') === 'false'"):
        page.keyboard.press("ArrowRight")
    group, closed = _focused(page)["name"], boxes()
    page.keyboard.press("Enter")
    page.wait_for_function(f"Number(document.querySelector('{root}').dataset.boxes) > {closed}")
    assert _focused(page)["name"] == group
    page.keyboard.press("Space")                             # and close it again
    page.wait_for_function(f"Number(document.querySelector('{root}').dataset.boxes) === {closed}")
    page.keyboard.press("Escape")
    assert not page.locator(f"{root} .df-tip").first.is_visible()
    # Tab leaves the graph in one step; Shift+Tab comes back to the box last focused.
    _tab(page)
    assert page.evaluate(f"!document.querySelector('{root}').contains(document.activeElement)")
    assert _tab(page, back=True)["name"] == group
