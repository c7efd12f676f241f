"""Every page on a phone: nothing wider than the text column, the page never scrolls sideways.

Loads every page of the built site at 390x844 and at 320x640 in headless Chromium, with
its folded solutions opened, its images loaded, its explorers started and each of its
content tabs chosen in turn, and fails if

- the page itself scrolls sideways (``documentElement.scrollWidth > innerWidth``), or
- any element of the article (figure, image, table, code block, equation, explorer, ...)
  reaches past the article's column, unless it sits inside a scroll container a reader
  can reach and hear: ``overflow-x: auto|scroll``, ``tabindex="0"`` and an accessible
  name (``aria-label`` or ``aria-labelledby``); that container must fit the column.

Each failure names the page, the width, the element (tag, classes, text) and by how many
pixels it overflows; only the outermost element of an overflowing subtree is named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import checked_page

pytestmark = pytest.mark.browser

PHONES = {"390x844": (390, 844), "320x640": (320, 640)}

# Content a reader can open is measured as it would be drawn: folded solutions open, and
# the TAB-th tab of every set of content tabs chosen (the last, in a set with fewer).
OPEN_DETAILS = "document.querySelectorAll('article details').forEach(d => { d.open = true; })"
TAB_COUNT = """Math.max(0, ...[...document.querySelectorAll('article .tabbed-set')]
    .map(s => s.querySelectorAll(':scope > input').length))"""
CHOOSE_TAB = """(tab) => document.querySelectorAll('article .tabbed-set').forEach(s => {
    const inputs = s.querySelectorAll(':scope > input');
    inputs[Math.min(tab, inputs.length - 1)].checked = true;
})"""

# Every image is measured at its real size: a lazy one far down the page loads now.
LOAD_IMAGES = "document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"

# A phone's scrollbars float over the page; a desktop Chromium's take 15 px of its width.
OVERLAY_SCROLLBARS = "html { scrollbar-width: none; }"

EXPLORERS_STARTED = """[...document.querySelectorAll('article .dlv-explorer')]
    .every(e => e.dataset.started && !e.hidden && e.children.length > 0)"""

# The measurement, in the page: the article's column, and every visible element of the
# article that reaches outside it without a focusable, named scroll container around it.
MEASURE = """() => {
    const article = document.querySelector('.md-content article') || document.querySelector('article');
    const box = article.getBoundingClientRect();
    const cs = getComputedStyle(article);
    const left = box.left + parseFloat(cs.paddingLeft), right = box.right - parseFloat(cs.paddingRight);
    const describe = (el) => {
        const cls = typeof el.className === 'string' ? el.className : el.getAttribute('class') || '';
        const text = (el.textContent || el.getAttribute('alt') || el.getAttribute('aria-label')
                      || el.querySelector('img[alt]')?.alt || '').replace(/\\s+/g, ' ').trim();
        return el.tagName.toLowerCase() + (cls ? '.' + cls.trim().split(/\\s+/).join('.') : '')
            + (text ? ' "' + text.slice(0, 50) + (text.length > 50 ? '…' : '') + '"' : '');
    };
    const named = (el) => {
        if ((el.getAttribute('aria-label') || '').trim()) return true;
        const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        return ids.some(id => (document.getElementById(id)?.textContent || '').trim());
    };
    // The nearest ancestor (inside the article) that clips el horizontally, or null.
    const clipper = (el) => {
        for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return a;
        }
        return null;
    };
    const reachable = (sc) => ['auto', 'scroll'].includes(getComputedStyle(sc).overflowX)
        && sc.getAttribute('tabindex') === '0' && named(sc);
    const problems = new Map();  // element -> what is wrong with it
    const skip = new Set();  // subtrees already reported, or inside a good scroll container
    for (const el of article.querySelectorAll('*')) {
        if (el.parentElement && skip.has(el.parentElement)) { skip.add(el); continue; }
        if (el.ownerSVGElement) continue;  // inside a drawing: the <svg> itself is measured
        if (!el.checkVisibility({ visibilityProperty: true })) continue;
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) continue;  // visually hidden helpers
        const over = Math.round(Math.max(r.right - right, left - r.left));
        if (over <= 1) continue;
        const sc = clipper(el);
        skip.add(el);
        if (!sc) {
            problems.set(el, { element: describe(el), over, why: 'not in a scroll container' });
        } else if (reachable(sc)) {
            skip.add(sc);
        } else {  // the container is named once, with the farthest its content reaches
            const scrolls = ['auto', 'scroll'].includes(getComputedStyle(sc).overflowX);
            const seen = problems.get(sc);
            problems.set(sc, { element: describe(sc), over: Math.max(over, seen ? seen.over : 0),
                               why: scrolls ? 'its content scrolls, but it has no tabindex="0" and accessible name'
                                            : 'its content is cut off' });
        }
    }
    return { column: Math.round(right - left), scrollWidth: document.documentElement.scrollWidth,
             innerWidth: window.innerWidth, problems: [...problems.values()] };
}"""


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as URLs relative to its root ('' is the home page)."""
    pages = sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html"))
    return ["" if p == "./" else p for p in pages] + ["404.html"]


def phone_overflows(pg, url: str) -> list[str]:
    """Load ``url`` in ``pg`` (sized like a phone) and describe everything too wide."""
    pg.goto(url, wait_until="networkidle")
    pg.add_style_tag(content=OVERLAY_SCROLLBARS)
    pg.evaluate(OPEN_DETAILS)
    pg.evaluate(LOAD_IMAGES)
    pg.wait_for_function("[...document.images].every(i => i.complete)")
    pg.wait_for_function(EXPLORERS_STARTED)
    lines: list[str] = []
    for tab in range(max(1, pg.evaluate(TAB_COUNT))):
        pg.evaluate(CHOOSE_TAB, tab)
        pg.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        found = pg.evaluate(MEASURE)
        if found["scrollWidth"] > found["innerWidth"]:
            lines.append(f"the page scrolls sideways: {found['scrollWidth']} px wide "
                         f"in a {found['innerWidth']}-px window")
        lines += [f"{p['element']} overflows the {found['column']}-px column by {p['over']} px "
                  f"({p['why']})" for p in found["problems"]]
    return list(dict.fromkeys(lines))  # a problem outside the tabs is seen once per tab


@pytest.mark.parametrize("phone", PHONES)
def test_every_page_fits_a_phone(browser, site: Path, site_port: int, phone: str) -> None:
    width, height = PHONES[phone]
    failures: list[str] = []
    with checked_page(browser, site, site_port,
                      viewport={"width": width, "height": height}) as pg:
        for page_url in site_pages(site):
            failures += [f"/{page_url} at {phone}: {line}"
                         for line in phone_overflows(pg, pg.base + page_url)]
    assert not failures, f"{len(failures)} overflows on a phone:\n" + "\n".join(failures)
