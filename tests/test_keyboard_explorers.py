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
    """Reset, play and step come first, then the selects, the data sets (one radio group),
    the sliders, the inputs and the + / - buttons: each works from the keyboard."""
    root = ".dlv-explorer-playground"
    _open(page, "visualization/playground/", root, ".dlv-pg-unit")
    state = lambda: page.evaluate(f"""(() => {{ const r = document.querySelector('{root}');
        return {{ epoch: r.dataset.epoch, playing: r.dataset.playing, hash: location.hash,
                  set: r.querySelector('[data-set][aria-checked=true]').dataset.set,
                  units: r.querySelectorAll('.dlv-pg-unit').length }}; }})()""")
    wait = lambda cond: page.wait_for_function(
        f"(() => {{ const r = document.querySelector('{root}'); return {cond}; }})()")
    reset = _tab(page)
    assert reset["tag"] == "button" and "Reset" in reset["name"] and reset["ring"]
    play = _tab(page)
    assert "Play" in play["name"] and play["ring"]
    step = _tab(page)
    assert "Step" in step["name"]
    page.keyboard.press("Enter")                                 # one epoch
    wait("r.dataset.epoch === '1'")
    _tab(page, back=True)
    page.keyboard.press("Space")                                 # play ...
    wait("Number(r.dataset.epoch) >= 3")
    page.keyboard.press("Space")                                 # ... and pause
    wait("r.dataset.playing === 'false'")
    assert "Play" in _focused(page)["name"]
    _tab(page, back=True)
    page.keyboard.press("Enter")                                 # reset
    wait("r.dataset.epoch === '0'")
    names = [_tab(page, 3)["name"]] + [_tab(page)["name"] for _ in range(4)]
    assert names == ["learningRate", "activation", "regularization", "regularizationRate", "problem"]
    _tab(page, 3, back=True)                                     # the activation select
    page.keyboard.press("ArrowDown")
    wait("location.hash.includes('activation=sigmoid')")
    # The data sets: one Tab stop, on the chosen set; the arrows choose the next one.
    first = _tab(page, 4)
    assert first["tag"] == "button" and first["name"] == "Circle" and first["ring"]
    page.keyboard.press("ArrowRight")
    wait("location.hash.includes('dataset=xor')")
    assert _focused(page)["name"] == "Exclusive or" == {"xor": "Exclusive or"}[state()["set"]]
    ratio = _tab(page)
    assert ratio["tag"] == "input" and ratio["name"] == "percTrainData" and ratio["ring"]
    noise = _tab(page)
    assert noise["name"] == "noise"
    page.keyboard.press("ArrowRight")
    wait("location.hash.includes('noise=5')")
    # On to the first + for a layer's neurons; Enter adds one and keeps the focus there.
    for _ in range(30):
        if _tab(page)["name"] == "add a neuron to layer 1":
            break
    assert _focused(page)["ring"]
    before = state()["units"]
    page.keyboard.press("Enter")
    wait(f"r.querySelectorAll('.dlv-pg-unit').length === {before + 1}")
    assert _focused(page)["name"] == "add a neuron to layer 1"
    page.keyboard.press("Enter")
    wait(f"r.querySelectorAll('.dlv-pg-unit').length === {before + 2}")
    # A hidden unit takes the focus and shows its map in the output area.
    unit = _tab(page, 2)
    assert unit["name"].startswith("neuron 1 of layer 1") and unit["ring"]
    wait("r.dataset.showing === 'neuron 1 of layer 1'")


def test_trajectories_by_keyboard(page) -> None:
    """The eta and mu sliders, the method checkboxes, then the eta-mu diagram's point."""
    root = ".dlv-explorer-trajectories"
    _open(page, "visualization/loss-landscapes/", root, "polyline.dlv-traj-path")
    paths = lambda: page.evaluate(f"""[...document.querySelectorAll('{root} .dlv-traj-path')]
        .map(p => p.style.display === 'none' ? 'hidden' : p.getAttribute('points'))""")
    data = lambda key: page.evaluate(f"document.querySelector('{root}').dataset.{key}")
    start = paths()
    eta = _tab(page)
    assert eta["tag"] == "input" and eta["name"].startswith("learning rate") and eta["ring"]
    page.keyboard.press("ArrowRight")
    moved = paths()
    assert moved != start and "hidden" not in moved
    mu = _tab(page)
    assert mu["name"].startswith("momentum") and mu["ring"]
    page.keyboard.press("Home")
    assert data("mu") == "0"
    boxes = [_tab(page) for _ in range(len(start))]          # one checkbox per method
    assert all(b["name"].startswith("show ") and b["ring"] for b in boxes)
    page.keyboard.press("Space")                             # hide the last method's path
    assert paths()[-1] == "hidden" and paths()[0] != "hidden"
    point = _tab(page)                                       # the diagram's point
    assert point["tag"] == "g" and point["name"].startswith("learning rate and momentum")
    ring = page.evaluate("""(() => {
        const probe = document.createElement('span');
        probe.style.color = 'var(--md-accent-fg-color)';
        document.body.append(probe);
        const accent = getComputedStyle(probe).color;
        probe.remove();
        return getComputedStyle(document.activeElement.querySelector('.dlv-traj-focus')).stroke === accent;
    })()""")
    assert ring, "the diagram's point shows no focus ring"
    page.keyboard.press("ArrowUp")
    assert data("mu") == "0.01"
    before = data("eta")
    page.keyboard.press("ArrowLeft")
    assert float(data("eta")) < float(before)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")                         # past mu's end: clamped, said
    assert data("mu") == "0" and "mu stays at 0" in data("notice")


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


def test_convolution_by_keyboard(page) -> None:
    """Tab reaches the controls, then the image's grid; the arrow keys move the window."""
    root = ".dlv-explorer-convolution"
    _open(page, "lessons/convolution/", root, ".dlv-cv-output .dlv-cv-cell")
    where = lambda: page.evaluate(f"(() => {{ const r = document.querySelector('{root}');"
                                  f" return [r.dataset.row, r.dataset.col]; }})()")
    assert where() == ["0", "0"]
    first = _tab(page)
    assert first["ring"] and first["tag"] in ("select", "button", "input")
    for _ in range(30):                                     # on through the controls
        if page.evaluate("document.activeElement.classList.contains('dlv-cv-input')"):
            break
        _tab(page)
    grid = _focused(page)
    assert grid["ring"] and "5 by 5" in grid["name"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.querySelector('{root}').dataset.col === '1'")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"document.querySelector('{root}').dataset.row === '1'")
    assert where() == ["1", "1"]


def test_digits_by_keyboard(page) -> None:
    """"Try a test digit" by Enter, then a feature map by Tab: the arrow keys move its cell
    and the input shows that cell's receptive field."""
    root = ".dlv-explorer-digits"
    _open(page, "lessons/cnns/", root, "canvas.dlv-dg-input")
    for _ in range(10):
        if _focused(page)["name"] == "Try a test digit":
            break
        _tab(page)
    assert _focused(page)["ring"]
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector('{root}').dataset.state === 'test'")
    for _ in range(10):
        if _focused(page)["name"].startswith("conv1, map 1"):
            break
        _tab(page)
    assert _focused(page)["ring"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"(document.querySelector('{root}').dataset.field || '') !== ''")
    first = page.evaluate(f"document.querySelector('{root}').dataset.field")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"document.querySelector('{root}').dataset.field !== '{first}'")
