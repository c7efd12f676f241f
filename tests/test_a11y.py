"""Accessibility: axe-core on every page of the built site, light and dark, desktop and phone.

axe-core is vendored (``tests/vendor/axe-core/``, see its README) and injected into each
page with Playwright; nothing is downloaded at test time. Each page is checked as a reader
sees it: explorers started, lazy figures loaded. A violation fails the test with its page,
theme, viewport, rule, impact and the offending elements, unless it is on the allow-list
below, which names exactly one rule on one selector and says why it cannot be fixed here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitekit import checked_page


pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 levels A and AA, and Deque's best practices (landmarks, unique
# names, dialog and progress-bar names, ...). Experimental rules are left out: they change
# from release to release.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

THEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# What the theme does that no template block or stylesheet of ours can change. Each entry:
# (axe rule id, CSS selector the offending element matches, why it stays). Only that rule
# on that selector is forgiven; the rule still runs everywhere else.
ALLOWED: list[tuple[str, str, str]] = [
    ("landmark-unique", "nav.md-code__nav",
     "Material's JavaScript (feature content.code.copy) wraps each code block's copy "
     "button in an unnamed <nav>; the markup is built in its bundle, not in a template, "
     "so a page with two code blocks has two unnamed navigation landmarks."),
]


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as URLs relative to its root (``""`` is the home page)."""
    pages = sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html"))
    return ["" if p == "./" else p for p in pages] + ["404.html"]


INTEGER = re.compile(r"[0-9]+")           # HTML: a valid non-negative integer, no unit, no fraction
SIZED = ("img", "source", "svg", "video", "canvas", "iframe")

# Live DOM version of the same check, run after the explorers have drawn.
BAD_SIZES_JS = f"""[...document.querySelectorAll({", ".join(SIZED)!r})].flatMap(e =>
    ['width', 'height'].filter(a => e.hasAttribute(a) && !/^[0-9]+$/.test(e.getAttribute(a)))
        .map(a => e.outerHTML.slice(0, 160)))"""


class _Sizes(HTMLParser):
    """Collects sized elements whose width/height is not an integer, and repeated ids."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.ids: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"]] = self.ids.get(values["id"], 0) + 1
        if tag in SIZED:
            for name in ("width", "height"):
                if name in values and not INTEGER.fullmatch(values[name] or ""):
                    self.bad.append(f"<{tag} {name}={values[name]!r}> ({values.get('src') or values.get('srcset') or ''})")


def _ready(pg) -> None:
    """Wait until the page is as a reader sees it: figures loaded, explorers drawn."""
    pg.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    pg.wait_for_function("[...document.images].every(i => i.complete)")
    pg.wait_for_function("""[...document.querySelectorAll('.dlv-explorer')].every(e =>
        e.dataset.started && !e.hidden && e.childElementCount > 0)""")
    pg.wait_for_load_state("networkidle")                # data an explorer fetched on start


def run_axe(pg) -> list[dict]:
    """axe's violations on the current page, the allow-listed nodes taken out."""
    pg.add_script_tag(path=str(AXE))
    return pg.evaluate(
        """async ([tags, allowed]) => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags },
                                                     resultTypes: ['violations'] });
            const element = (target) => {          // axe's target: selectors down shadow roots
                let root = document, el = null;
                for (const sel of target) { el = root.querySelector(sel); root = el && el.shadowRoot; }
                return el;
            };
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.filter(n => {
                    const el = element(n.target);
                    return !(el && allowed.some(([rule, sel]) => rule === v.id && el.matches(sel)));
                }).map(n => ({ target: n.target.join(' >>> '), html: n.html.slice(0, 200),
                               summary: n.failureSummary })),
            })).filter(v => v.nodes.length);
        }""",
        [TAGS, [[rule, sel] for rule, sel, _ in ALLOWED]])


def _report(found: dict[str, list[dict]], where: str) -> str:
    lines = [f"axe-core found accessibility violations ({where}):"]
    for page, violations in found.items():
        for v in violations:
            lines.append(f"\n  page /{page}  rule {v['id']} ({v['impact']}): {v['help']}")
            for n in v["nodes"][:8]:
                lines.append(f"    {n['target']}\n      {n['html']}\n      "
                             + n["summary"].replace("\n", " ")[:300])
            if len(v["nodes"]) > 8:
                lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def test_allow_list_names_a_rule_a_selector_and_a_reason() -> None:
    """Each allowed exception is one real axe rule on one selector, with its reason."""
    axe = AXE.read_text(encoding="utf-8")
    for rule, selector, reason in ALLOWED:
        assert f'id:"{rule}"' in axe, f"{rule} is not a rule of the vendored axe-core"
        assert selector.strip() and selector.strip() not in ("*", "html", "body"), (rule, selector)
        assert len(reason) > 40, f"say why {rule} on {selector} cannot be fixed"


# Every theme at every viewport under MkDocs, the default engine; under Zensical, which
# renders the same Markdown with its own templates, each theme once and each viewport once.
RUNS = [("mkdocs", theme, viewport) for theme in THEMES for viewport in VIEWPORTS] + [
    ("zensical", "light", "desktop"), ("zensical", "dark", "phone")]


@pytest.mark.parametrize(("engine", "theme", "viewport"), RUNS)
def test_every_page_passes_axe(browser, built_site, site_port: int,
                               engine: str, theme: str, viewport: str) -> None:
    site = built_site(engine)
    found: dict[str, list[dict]] = {}
    with checked_page(browser, site, site_port, color_scheme=theme,
                      viewport=VIEWPORTS[viewport]) as pg:
        for url in site_pages(site):
            pg.goto(pg.base + url, wait_until="networkidle")
            assert pg.evaluate("document.body.getAttribute('data-md-color-scheme')") == THEMES[theme]
            _ready(pg)
            violations = run_axe(pg)
            sizes = pg.evaluate(BAD_SIZES_JS)           # explorers' drawings too
            if sizes:
                violations.append({"id": "integer-width-height", "impact": "serious",
                                   "help": "width and height must be integers (HTML)",
                                   "nodes": [{"target": "", "html": h, "summary": ""} for h in sizes]})
            if violations:
                found[url] = violations
    assert not found, _report(found, f"{engine}, {theme} theme, {viewport} {VIEWPORTS[viewport]}")


def test_built_pages_have_integer_sizes_and_unique_ids(site: Path) -> None:
    """Valid HTML where our figures and templates set it: integer width/height, unique ids.

    (The built pages were also checked once with html-validate 9.7.1's "standard" preset:
    see the README's accessibility notes.)
    """
    problems = []
    for page in sorted(site.rglob("*.html")):
        parser = _Sizes()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site)
        problems += [f"{rel}: {b}" for b in parser.bad]
        problems += [f"{rel}: id {i!r} used {n} times" for i, n in parser.ids.items() if n > 1]
    assert not problems, "invalid HTML in the built site:\n" + "\n".join(problems[:40])
