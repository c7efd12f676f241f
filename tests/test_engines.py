"""MkDocs and Zensical render the same course: every page's article, page for page.

The expand step writes plain Markdown and the engines only render it, so the content a
reader sees (``<article>``: text, images, links, maths, explorer mounts, figures, code) must not
depend on the engine. Each page's article is compared as a whole tree (every tag, attribute
and text) and, for readable failures, field by field. Engine-made differences are listed in
``KNOWN`` with the reason for each; the test fails if one of them disappears, so the list
stays true. Outside the articles, both builds must hold the same pages, the same course
files byte for byte, and search indexes and sitemaps over the same addresses.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from sitekit import ENGINES

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Known:
    """An element one engine adds to every article, and why it is harmless."""

    selector: str  # CSS (soupsieve) that a direct child of <article> matches
    reason: str


KNOWN: dict[str, tuple[Known, ...]] = {
    "mkdocs": (),
    "zensical": (
        Known("a#__skip[tabindex='-1']:first-child:empty",
              "Zensical's 'Skip to content' link points at an empty anchor it puts first in "
              "the article (href=\"#__skip\"); Material's points at the first heading's id "
              "instead. Same behaviour, no content."),
    ),
}

# Files each engine makes for itself; everything else in the site must be byte-identical.
ENGINE_FILES: dict[str, str] = {
    r"assets/javascripts/.*": "the theme's scripts (Material's bundle and lunr search; "
                              "Zensical's bundle and search worker)",
    r"assets/stylesheets/.*": "the theme's styles (Zensical ships 'classic' and 'modern')",
    r"search/search_index\.json|search\.json": "the search index: each engine its own "
                                                "format and path; compared by address below",
    r"sitemap\.xml": "MkDocs adds <lastmod>; compared by address below",
    r"sitemap\.xml\.gz": "MkDocs also writes a gzipped copy of the sitemap",
}


@cache
def parsed(path: Path) -> BeautifulSoup:
    """A built page, parsed once per session (callers must not change it)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The ids (and ``<a name>``) a link's #fragment can reach in a built page."""
    soup = parsed(path)
    return frozenset({t["id"] for t in soup.find_all(id=True)}
                     | {t["name"] for t in soup.find_all("a", attrs={"name": True})})


@dataclass(frozen=True)
class Article:
    """What a reader gets from one page's ``<article>``, in document order."""

    text: str
    images: tuple[tuple[str | None, ...], ...]      # (src, alt, width, height)
    links: tuple[str, ...]                          # every href
    maths: tuple[str, ...]                          # each <math> element, serialised
    explorers: tuple[tuple[str | None, ...], ...]   # (data-explorer, data-src)
    figures: tuple[tuple[tuple[str, ...], str], ...]  # (image srcs, caption text)
    code: tuple[str, ...]                           # each <pre>, whitespace kept
    tree: tuple[str, ...]                           # every tag, attribute and text node


def _words(text: str) -> str:
    return " ".join(text.split())


def _tree(node: Tag, depth: int = 0) -> list[str]:
    """One line per element (name, sorted attributes) and per non-blank text node."""
    out: list[str] = []
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if text := _words(child):
                out.append("  " * depth + repr(text))
        elif isinstance(child, Tag):
            attrs = " ".join(f"{k}={' '.join(v) if isinstance(v, list) else v!r}"
                             for k, v in sorted(child.attrs.items()))
            out.append("  " * depth + f"<{child.name} {attrs}>".replace(" >", ">"))
            out += _tree(child, depth + 1)
    return out


def article_of(page: BeautifulSoup | str, engine: str) -> Article:
    """The article of a built page, without the elements ``KNOWN[engine]`` explains.

    Raises ``AssertionError`` if the page has no article or a known difference is missing.
    """
    soup = BeautifulSoup(page, "html.parser") if isinstance(page, str) else page
    root = soup.find("article")
    assert root is not None, "no <article> in the page"
    children = [c for c in root.children if isinstance(c, Tag)]
    removed: list[tuple[int, Tag]] = []
    for known in KNOWN[engine]:
        found = [c for c in children if c.css.match(known.selector)]
        assert found, (f"{engine} no longer adds {known.selector!r}: remove it from KNOWN "
                       f"({known.reason})")
        removed += [(root.index(c), c) for c in found]
    for _, element in sorted(removed, key=lambda r: r[0], reverse=True):
        element.extract()
    try:
        return _summary(root)
    finally:  # put them back: the page may be a cached one
        for index, element in sorted(removed, key=lambda r: r[0]):
            root.insert(index, element)


def _summary(root: Tag) -> Article:
    return Article(
        text=_words(root.get_text(" ")),
        images=tuple((i.get("src"), i.get("alt"), i.get("width"), i.get("height"))
                     for i in root.find_all("img")),
        links=tuple(a["href"] for a in root.find_all("a", href=True)),
        maths=tuple(str(m) for m in root.find_all("math")),
        explorers=tuple((e.get("data-explorer"), e.get("data-src"))
                        for e in root.find_all(class_="dlv-explorer")),
        figures=tuple((tuple(i.get("src", "") for i in f.find_all("img")),
                       _words(c.get_text(" ")) if (c := f.find("figcaption")) else "")
                      for f in root.find_all("figure")),
        code=tuple(pre.get_text() for pre in root.find_all("pre")),
        tree=tuple(_tree(root)),
    )


def differences(a: Article, b: Article, names: tuple[str, str] = ENGINES) -> list[str]:
    """Each field where ``a`` and ``b`` differ, with the first few differing lines."""
    out = []
    for field in fields(Article):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if x == y:
            continue
        if field.name == "text":
            x, y = x.split(), y.split()
        diff = [line for line in difflib.unified_diff(
            [str(v) for v in x], [str(v) for v in y], *names, lineterm="", n=0)][2:]
        out.append(f"{field.name}: " + "\n    ".join(diff[:8]))
    return out


@pytest.fixture(scope="session")
def sites(built_site: Callable[[str], Path]) -> dict[str, Path]:
    """The course built by each engine (shared with the browser tests' builds)."""
    return {engine: built_site(engine) for engine in ENGINES}


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _pages(site: Path) -> list[str]:
    return sorted(f for f in _files(site) if f.endswith(".html"))


def _engine_own(rel: str) -> bool:
    return any(re.fullmatch(pattern, rel) for pattern in ENGINE_FILES)


def test_both_engines_build_the_same_pages(sites: dict[str, Path]) -> None:
    pages = {engine: _pages(site) for engine, site in sites.items()}
    assert pages["mkdocs"] == pages["zensical"]
    assert len(pages["mkdocs"]) >= 20 and "lessons/neurons/index.html" in pages["mkdocs"]


def test_course_files_are_byte_identical(sites: dict[str, Path]) -> None:
    """Figures, notebooks, explorer data, the course's scripts, styles and fonts."""
    own = {engine: {f for f in _files(site) if not f.endswith(".html") and not _engine_own(f)}
           for engine, site in sites.items()}
    assert own["mkdocs"] == own["zensical"]
    assert any(f.startswith("generated/") for f in own["mkdocs"])
    assert "assets/js/explorers.js" in own["mkdocs"]
    differ = [f for f in sorted(own["mkdocs"])
              if (sites["mkdocs"] / f).read_bytes() != (sites["zensical"] / f).read_bytes()]
    assert not differ, f"course files differ between the engines: {differ[:10]}"


def test_search_indexes_and_sitemaps_cover_the_same_addresses(sites: dict[str, Path]) -> None:
    mk, zs = sites["mkdocs"], sites["zensical"]
    mk_search = {d["location"] for d in json.loads((mk / "search/search_index.json").read_text())["docs"]}
    zs_search = {d["location"] for d in json.loads((zs / "search.json").read_text())["items"]}
    assert mk_search == zs_search
    assert "lessons/neurons/" in mk_search

    def locs(site: Path) -> list[str]:
        return sorted(re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text()))

    assert locs(mk) == locs(zs) and len(locs(mk)) >= len(_pages(mk)) - 1  # all but 404


def test_every_article_is_the_same_under_both_engines(sites: dict[str, Path]) -> None:
    """Text, images, links, maths, explorers, figures and the whole tree, page by page."""
    report = []
    for rel in _pages(sites["mkdocs"]):
        articles = [article_of(parsed(sites[e] / rel), e) for e in ENGINES]
        report += [f"{rel}: {d}" for d in differences(*articles)]
    assert not report, "the engines render different articles:\n" + "\n".join(report)


def broken_targets(site: Path, rel: str, page: BeautifulSoup, base: str) -> list[str]:
    """Links and images in ``page``'s article that miss a built file or its #anchor.

    ``rel`` is the page's file in ``site``; ``base`` the site's URL (what links to
    other sites start with is left alone: there is no network to check them).
    """
    page_url = base + rel.removesuffix("index.html")
    article = page.find("article")
    targets = [a["href"] for a in article.find_all("a", href=True)]
    targets += [i["src"] for i in article.find_all("img", src=True)]
    broken = []
    for target in targets:
        url = urljoin(page_url, target)
        if not url.startswith(base):
            continue
        parts = urlsplit(url)
        file = unquote(parts.path[len(urlsplit(base).path):])
        if not file or file.endswith("/") or (site / file).is_dir():
            file = file.rstrip("/") + "/index.html" if file.strip("/") else "index.html"
        if not (site / file).is_file():
            broken.append(f"{rel}: {target} (no {file})")
        elif (parts.fragment and file.endswith(".html")
              and unquote(parts.fragment) not in anchors(site / file)):
            broken.append(f"{rel}: {target} (no #{parts.fragment} in {file})")
    return broken


def test_every_article_link_and_image_resolves(sites: dict[str, Path], site_port: int) -> None:
    """Every link and image inside the articles reaches a built file (and its #anchor)."""
    base = f"http://127.0.0.1:{site_port}/"
    for engine, site in sites.items():
        broken = [b for rel in _pages(site) for b in broken_targets(site, rel, parsed(site / rel), base)]
        assert not broken, f"{engine}: broken links or images in articles: {broken[:10]}"


def test_the_link_check_flags_broken_links(sites: dict[str, Path], site_port: int) -> None:
    site, rel = sites["zensical"], "lessons/neurons/index.html"
    soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
    soup.select_one("article a[href^='../../reading-list/#']")["href"] = "../../reading-list/#ref-nope"
    soup.select_one("article a[href$='.ipynb']")["href"] = "../generated/neurons/neurons.ipynb"
    soup.select_one("article .dlv-figure img")["src"] = "../../generated/nope.svg"
    broken = broken_targets(site, rel, soup, f"http://127.0.0.1:{site_port}/")
    assert {b.split(" (")[0] for b in broken} == {
        f"{rel}: ../../reading-list/#ref-nope", f"{rel}: ../generated/neurons/neurons.ipynb",
        f"{rel}: ../../generated/nope.svg"}, broken


# The comparison itself must catch a real difference: each mutation of a real article
# (as one engine might get it wrong) has to show up in the named fields.
def _replace_first(selector: str, new: Callable[[BeautifulSoup, Tag], Tag | str]) -> Callable:
    def mutate(soup: BeautifulSoup) -> None:
        element = soup.select_one(f"article {selector}")
        assert element is not None, selector
        element.replace_with(new(soup, element))
    return mutate


def _set_attr(selector: str, name: str, value: str) -> Callable:
    def mutate(soup: BeautifulSoup) -> None:
        element = soup.select_one(f"article {selector}")
        assert element is not None, selector
        element[name] = value
    return mutate


def _append_text(selector: str, text: str) -> Callable:
    def mutate(soup: BeautifulSoup) -> None:
        soup.select_one(f"article {selector}").append(text)
    return mutate


MUTATIONS = {
    "raw-directive": ("lessons/neurons/index.html", _append_text("p", " {{ figure neurons/x }}"),
                      {"text", "tree"}),
    "unconverted-latex": ("lessons/neurons/index.html",
                          _replace_first("math", lambda s, m: "$z = W^\\top x + b$"),
                          {"text", "maths", "tree"}),
    "broken-relative-link": ("lessons/neurons/index.html",
                             _set_attr("a[href^='../../reading-list/']", "href", "../reading-list/"),
                             {"links", "tree"}),
    "image-size": ("lessons/neurons/index.html", _set_attr(".dlv-figure img", "width", "1"),
                   {"images", "tree"}),
    "image-alt": ("lessons/neurons/index.html", _set_attr(".dlv-figure img", "alt", ""),
                  {"images", "tree"}),
    "explorer-data": ("visualization/playground/index.html",
                      _set_attr(".dlv-explorer", "data-src", "../../generated/nope.json"),
                      {"explorers", "tree"}),
    "figure-caption": ("lessons/neurons/index.html", _append_text("figcaption", " (changed)"),
                       {"text", "figures", "tree"}),
    "code-indent": ("lessons/neurons/index.html", _append_text("pre code", "\n    "), {"code"}),
    "class-only": ("lessons/neurons/index.html", _set_attr("h2", "class", "other"), {"tree"}),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_the_comparison_flags_a_real_difference(sites: dict[str, Path], name: str) -> None:
    rel, mutate, expected = MUTATIONS[name]
    html = (sites["zensical"] / rel).read_text(encoding="utf-8")
    reference = article_of(parsed(sites["mkdocs"] / rel), "mkdocs")
    assert differences(reference, article_of(html, "zensical")) == []
    soup = BeautifulSoup(html, "html.parser")
    mutate(soup)
    flagged = {d.split(":", 1)[0] for d in differences(reference, article_of(str(soup), "zensical"))}
    assert flagged == expected


def test_a_missing_known_difference_is_reported(sites: dict[str, Path]) -> None:
    with pytest.raises(AssertionError, match="no longer adds"):
        article_of(parsed(sites["mkdocs"] / "index.html"), "zensical")  # MkDocs' page has no skip anchor in its article
