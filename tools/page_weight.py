"""Page weight: the bytes a browser downloads to show one page of the built site.

Used by the budget test (``tests/test_weight.py``) and ``make bench-weight``. A page is
loaded in headless Chromium from a plain static server (no compression, so a body's size
is the file's size); every response body received during the load is recorded, fonts,
scripts, styles, data, the search index when the page fetches it, images, until the
page's explorers have started and the network is quiet. What this leaves out on purpose:
HTTP headers, and anything a reader's later action (scrolling, searching, clicking)
fetches. Figures below the first screen are ``loading=lazy`` and so not loaded.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PHONE = (390, 844)  # the viewport pages are measured at: a phone, as most students first read
# The columns of the table: what a response is, from its path (and figures from the page).
KINDS = ("html", "css", "js", "fonts", "data", "figures", "images", "other")
_BY_EXTENSION = {".html": "html", ".css": "css", ".js": "js", ".mjs": "js", ".woff2": "fonts",
                 ".woff": "fonts", ".ttf": "fonts", ".otf": "fonts", ".json": "data",
                 ".svg": "images", ".png": "images", ".jpg": "images", ".jpeg": "images",
                 ".webp": "images", ".gif": "images", ".ico": "images"}
# The files the engine and its theme add to every site, not the course (paths under the
# site's root): Material's or Zensical's scripts, styles, search index, sitemap, favicon.
THEME_FILES = re.compile(r"assets/(javascripts|stylesheets)/.*|search/search_index\.json|search\.json"
                         r"|sitemap\.xml|assets/images/favicon\.png")
# The images a page shows as its figures (the <img> and <picture> sources in .dlv-figure).
_FIGURE_URLS = """() => {
    const urls = [];
    for (const el of document.querySelectorAll('.dlv-figure img, .dlv-figure source')) {
        if (el.src) urls.push(el.src);
        if (el.currentSrc) urls.push(el.currentSrc);
        for (const part of (el.srcset || '').split(',')) {
            const url = part.trim().split(/\\s+/)[0];
            if (url) urls.push(new URL(url, document.baseURI).href);
        }
    }
    return urls;
}"""
# Every explorer shown (the starter un-hides it once its script has started it).
_EXPLORERS_STARTED = "[...document.querySelectorAll('.dlv-explorer')].every(e => !e.hidden)"


@dataclass(frozen=True)
class Response:
    """One response body the page received: its URL, what it is, its size in bytes."""

    url: str
    kind: str
    size: int
    theme: bool = False  # one of THEME_FILES


@dataclass
class PageWeight:
    """What loading one page downloaded."""

    page: str
    responses: list[Response] = field(default_factory=list)

    def by_kind(self) -> dict[str, int]:
        """Bytes for each of ``KINDS``."""
        sums = dict.fromkeys(KINDS, 0)
        for r in self.responses:
            sums[r.kind] += r.size
        return sums

    def counted(self, figures: bool = True, theme: bool = True) -> list[Response]:
        """The responses, without the figure images unless ``figures``, the theme's unless ``theme``."""
        return [r for r in self.responses
                if (figures or r.kind != "figures") and (theme or not r.theme)]

    def weight(self, figures: bool = True, theme: bool = True) -> int:
        """Bytes of ``counted(figures, theme)``."""
        return sum(r.size for r in self.counted(figures, theme))

    @property
    def total(self) -> int:
        """Every byte received."""
        return self.weight()

    @property
    def theme(self) -> int:
        """The bytes of the engine's and theme's own files (``THEME_FILES``)."""
        return sum(r.size for r in self.responses if r.theme)

    def describe(self, budget: int, figures: bool = True, theme: bool = True) -> str:
        """A failure message: the page, its weight against ``budget``, its five heaviest requests."""
        weight = self.weight(figures, theme)
        left_out = [what for what, kept in (("its figures", figures), ("the theme's files", theme))
                    if not kept]
        lines = [f"{self.page}: {weight:,} bytes{' without ' + ' and '.join(left_out) if left_out else ''}"
                 f" (the theme's files: {self.theme:,}), {weight - budget:+,} against the budget of "
                 f"{budget:,}; its heaviest requests:"]
        heaviest = sorted(self.counted(figures, theme), key=lambda r: -r.size)[:5]
        lines += [f"  {r.size:>10,}  {r.kind:<7} {r.url}{'  (theme)' if r.theme else ''}" for r in heaviest]
        return "\n".join(lines)


def kind_of(url: str, figure_urls: set[str]) -> str:
    """The column a response belongs in: a figure if the page shows it as one, else by extension."""
    if url.split("#")[0] in figure_urls:
        return "figures"
    path = urlsplit(url).path
    if path.endswith("/"):
        return "html"
    return _BY_EXTENSION.get(posixpath.splitext(path)[1].lower(), "other")


def measure(browser, base: str, page_name: str, viewport: tuple[int, int] = PHONE,
            timeout_ms: int = 60_000) -> PageWeight:
    """Load page ``page_name`` (a URL relative to the site's address ``base``) in a fresh
    context (an empty cache) of the Playwright ``browser``; what it downloaded.

    Waits for the load, every explorer to start, and the network to be idle; every
    request to another host is blocked and counted as a failure. Raises ``RuntimeError``
    if a request fails or an explorer never starts.
    """
    from tools.screenshots import block_outside

    finished: list = []
    failed: list[str] = []
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.route("**/*", block_outside)
    page = context.new_page()
    page.on("requestfinished", lambda r: finished.append(r))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    try:
        page.goto(base + page_name, wait_until="networkidle", timeout=timeout_ms)
        try:
            page.wait_for_function(_EXPLORERS_STARTED, timeout=timeout_ms)
        except Exception as exc:  # Playwright's TimeoutError
            raise RuntimeError(f"{page_name}: an explorer never started ({exc})") from None
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        figure_urls = set(page.evaluate(_FIGURE_URLS))
        weight = PageWeight(page_name)
        for request in finished:
            if request.url.startswith("data:"):
                continue
            response = request.response()
            if response is None or response.status >= 400:
                failed.append(f"{request.url}: HTTP {response.status if response else '?'}")
                continue
            # The static server sends every body whole with its Content-Length; Chromium
            # reports 0 bytes for a worker's script, so the header is the measure.
            length = response.headers.get("content-length")
            size = int(length) if length else request.sizes()["responseBodySize"]
            rel = request.url.split("#")[0].split("?")[0].removeprefix(base)
            weight.responses.append(Response(request.url, kind_of(request.url, figure_urls), size,
                                             bool(THEME_FILES.fullmatch(rel))))
    finally:
        context.close()
    if failed:
        raise RuntimeError(f"{page_name}: requests failed: {failed}")
    return weight
