"""Helpers the site, pipeline and browser tests share (fixtures are in conftest.py).

A plain module rather than conftest.py, so test files import it by one unambiguous name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIB = REPO / "site_config" / "assets" / "js" / "lib"  # the course's own scripts for explorers


ENGINES = ("mkdocs", "zensical")


def copy_repository(dest: Path) -> Path:
    """Copy the repository's files (tracked and new, not ignored) to ``dest``; return it."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)
    return dest


def build_site(root: Path, site_dir: Path, env: dict[str, str] | None = None,
               engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """What ``make`` runs (figures, expand, render with ``engine``), into ``site_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "generators.site", "build", "-q", "--engine", engine,
         "--site-dir", str(site_dir)],
        cwd=root, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000",
             **(env or {})},
    )


@contextmanager
def checked_page(browser, site: Path, port: int, **context: object) -> Iterator:
    """A page of the built site served on ``port``, every non-local request blocked.

    ``page.base`` is the site's URL. On exit it fails if the page tried to reach
    another host or logged a console error. ``context``: Playwright context options
    (``color_scheme``, ``viewport``, ``reduced_motion``, ...).
    """
    from tools.screenshots import block_outside
    from tools.serve_static import serve

    with serve(site, port) as base:
        ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 900},
                                     "color_scheme": "light", **context})
        outside: list[str] = []

        def route(r):
            if not r.request.url.startswith(base):
                outside.append(r.request.url)
            block_outside(r)

        ctx.route("**/*", route)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.base = base
        yield pg
        ctx.close()
        assert not outside, f"the site requested outside URLs: {outside}"
        assert not errors, f"console errors: {errors}"


@contextmanager
def lib_page(browser, scripts: Sequence[str], sources: Mapping[str, str] | None = None, *,
             no_errors: bool = True) -> Iterator:
    """A blank page, in a browser context of its own, running the course's scripts
    ``lib/NAME`` in the order given: what the agreement tests replay reference cases in
    (no site build, no request). ``sources`` gives a script's text instead of its file's
    (a broken copy, to show a test can fail). On leaving, the context is closed and, with
    ``no_errors``, no script may have raised."""
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_content("<!doctype html><title>scripts</title>")
        for name in scripts:
            page.add_script_tag(content=(sources or {}).get(name) or (LIB / name).read_text())
        yield page
    finally:
        context.close()
    if no_errors:
        assert not errors, errors
