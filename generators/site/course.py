"""The course file ``site_config/course.yml``: read and check it; the engine settings,
navigation and schedule table made from it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generators.build.yamlfile import ConfigError, load_located

COURSE_FILE = Path("site_config") / "course.yml"
# Without a `navigation` key: the home page, then the lessons.
DEFAULT_NAVIGATION = ({"Home": "index.md"}, "schedule")


def load_course(root: Path) -> dict[str, Any]:
    """The course data; ``ConfigError`` with every problem (file, line, key) if malformed.

    The keys, their types and values are in ``course_schema.py``.
    """
    from generators.site.course_schema import course_errors

    data, located = load_located(root / COURSE_FILE, root=root)
    errors = course_errors(root, data, located, COURSE_FILE.as_posix())
    if errors:
        raise ConfigError(*errors)
    return data


def engine_config(root: Path, course: dict[str, Any], scripts: list[str], styles: list[str],
                  site_url: str | None = None, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The engine settings that come from the course file, for ``mkdocs.yml`` to INHERIT.

    Identity (names, colours, logo, links), the navigation, and the scripts and styles
    every page loads (docs-relative paths: the explorers' starter and the course's
    stylesheets; an explorer's own files load only on pages that show it). Paths and Markdown settings stay in ``mkdocs.yml``;
    nothing here is a list that ``mkdocs.yml`` also sets, since engines merge lists
    differently (MkDocs replaces them, Zensical appends).
    """
    names = ", ".join(i["name"] for i in course.get("instructors") or [])
    palette = []
    for media, scheme, icon, other in (("light", "default", "material/weather-night", "dark"),
                                       ("dark", "slate", "material/weather-sunny", "light")):
        palette.append({"media": f"(prefers-color-scheme: {media})", "scheme": scheme,
                        "primary": "indigo", "accent": "deep orange", **(course.get("colors") or {}),
                        "toggle": {"icon": icon, "name": f"Switch to {other} mode"}})
    theme: dict[str, Any] = {"palette": palette}
    logo = course.get("logo")
    if logo and str(logo).startswith("material/"):
        theme["icon"] = {"logo": logo}
    elif logo:
        theme["logo"] = theme["favicon"] = logo
    config: dict[str, Any] = {
        "site_name": course["title"],
        "site_description": course.get("description", ""),
        "copyright": " · ".join(str(x) for x in (course["code"], course["term"], names) if x),
        "site_url": site_url or course.get("url"),
        "theme": theme,
        "nav": navigation(root, course, titles),
        "extra_javascript": scripts,
        "extra_css": styles,
    }
    repo = course.get("repository")
    if repo:
        config["repo_url"] = repo["url"]
        config["repo_name"] = repo.get("name") or repo["url"].rstrip("/").split("/")[-1]
        config["edit_uri"] = f"edit/{repo.get('branch', 'main')}/content/"
    return config


def navigation(root: Path, course: dict[str, Any], titles: Mapping[str, str] | None = None) -> list[Any]:
    """The site's navigation: course.yml's ``navigation``, its ``schedule`` entry replaced
    by the lessons in teaching order, one section per ``section`` value.

    ``titles``: page (src_uri) -> title, for pages already read (notebook pages have no
    Markdown under ``content/``); other pages are read for their first heading.
    """
    sections: dict[str, list[dict[str, str]]] = {}
    for entry in course["schedule"]:
        page = page_source(entry["page"])
        title = (titles or {}).get(page) or page_title(root, page)
        sections.setdefault(entry.get("section", "Lessons"), []).append({title: page})
    lessons = [{name: pages} for name, pages in sections.items()]
    nav: list[Any] = []
    for item in course.get("navigation") or DEFAULT_NAVIGATION:
        if item == "schedule":
            nav += lessons
        else:
            (title, page), = item.items()
            nav.append({title: page if page.startswith(("http://", "https://")) else page_source(page)})
    return nav


def page_source(page: str) -> str:
    """The Markdown page course.yml's ``page`` names: a notebook ``x.ipynb`` is published as ``x.md``."""
    return page.removesuffix(".ipynb") + ".md" if page.endswith(".ipynb") else page


def listed_pages(course: dict[str, Any]) -> list[str]:
    """Every page the schedule and the navigation list (src_uris), the home page first."""
    pages = ["index.md"]
    pages += [page_source(entry["page"]) for entry in course["schedule"]]
    for item in course.get("navigation") or DEFAULT_NAVIGATION:
        if isinstance(item, dict):
            pages += [page_source(p) for p in item.values() if not p.startswith(("http://", "https://"))]
    return list(dict.fromkeys(pages))


def page_title(root: Path, page: str) -> str:
    """A page's first level-one heading (what MkDocs uses as its title)."""
    return title_of((root / "content" / page).read_text(encoding="utf-8"), page)


def title_of(markdown: str, page: str) -> str:
    """The first level-one heading of ``markdown``, else a title made from the file name."""
    match = re.search(r"^# (.+)$", markdown, re.M)
    return match.group(1).strip() if match else Path(page).stem.replace("-", " ").capitalize()


def add_notebook_link(markdown: str, src_uri: str, notebooks: dict[str, str]) -> str:
    """Offer the notebook of the lesson that page ``src_uri`` presents, before "Further reading"."""
    lesson = Path(src_uri).stem.replace("-", "_")
    if lesson not in notebooks:
        return markdown
    link = posixpath.relpath(f"generated/{notebooks[lesson]}", posixpath.dirname(src_uri) or ".")
    box = (f'!!! example "Run this lesson yourself"\n\n'
           f"    [:material-download: {Path(notebooks[lesson]).name}]({link}){{ download }} is a "
           "Jupyter notebook that reproduces\n    every figure on this page with the course's "
           "library, with the same parameters.\n    To run it, clone the course repository and "
           "run `make` once (it creates `.venv/`);\n    then open the notebook with "
           "`.venv/bin/python` as its kernel, for example in VS Code, or\n    in JupyterLab after "
           "`.venv/bin/python -m pip install jupyterlab`.\n\n")
    match = re.search(r"^## Further reading", markdown, re.M)
    at = match.start() if match else len(markdown)
    return markdown[:at].rstrip("\n") + "\n\n" + box + markdown[at:]


def schedule_table(root: Path, course: dict[str, Any], src_uri: str,
                   titles: Mapping[str, str] | None = None) -> str:
    """The schedule as a Markdown table, with links relative to page ``src_uri``."""
    rows = ["| Week | Lesson | What you will learn |", "|---|---|---|"]
    here = posixpath.dirname(src_uri) or "."
    for entry in course["schedule"]:
        page = page_source(entry["page"])
        link = posixpath.relpath(page, here)
        title = ((titles or {}).get(page) or page_title(root, page)).replace("|", "\\|")
        summary = str(entry.get("summary", "")).replace("|", "\\|")
        rows.append(f"| {entry.get('week', '')} | [{title}]({link}) | {summary} |")
    return "\n\n" + "\n".join(rows) + "\n\n"


def check_site_url(site_url: str | None) -> list[str]:
    """The address given with ``--site-url`` (or ``DLV_SITE_URL``) must be an http(s) URL with
    a host; course.yml's own ``url`` is checked by its schema (``course_schema.py``)."""
    if site_url is None:
        return []
    parts = urlsplit(str(site_url))
    if parts.scheme in ("http", "https") and parts.hostname:
        return []
    return [f"--site-url / DLV_SITE_URL: {site_url!r} is not a web address; give the address the "
            "site is published at, such as https://USER.github.io/REPO/"]


