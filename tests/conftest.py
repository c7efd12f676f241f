"""Shared fixtures: a built site, throwaway copies of the repository, a browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitekit import ENGINES, REPO, build_site, checked_page, copy_repository


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the browser tests serve the site on (the site is built for it)."""
    from tools.serve_static import free_port

    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Callable[[str], Path]:
    """``built_site(engine)``: the course site rendered by ``engine``, built once per session.

    Built for the browser tests' port (``DLV_SITE_URL``), so instant navigation stays on
    the served site; the engines take turns on the same port.
    """
    built: dict[str, Path] = {}

    def get(engine: str) -> Path:
        if engine not in built:
            out = tmp_path_factory.mktemp(f"site-{engine}")
            done = build_site(REPO, out, engine=engine,
                              env={"DLV_SITE_URL": f"http://127.0.0.1:{site_port}/"})
            assert done.returncode == 0, f"{engine} build failed:\n{done.stdout}{done.stderr}"
            built[engine] = out
        return built[engine]

    return get


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: tests that use ``site`` run once per engine (``[mkdocs]``, ...)."""
    return request.param


@pytest.fixture(scope="session")
def site(built_site: Callable[[str], Path], engine: str) -> Path:
    """The course site as ``engine`` renders it, built once per test session from this checkout."""
    return built_site(engine)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the repository's files (tracked and new, not ignored) to a temp dir.

    ``with_cache=True`` also copies the figure cache so nothing is retrained.
    """

    def make(with_cache: bool = True) -> Path:
        dest = copy_repository(tmp_path / "repo")
        if with_cache and (REPO / "build/cache").is_dir():
            shutil.copytree(REPO / "build/cache", dest / "build/cache",
                            ignore=shutil.ignore_patterns("lock"))
        return dest

    return make


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright; never a downloaded browser.

    Skips with a message when Chromium is missing, except under ``CI=true``, where a
    missing browser fails the run.
    """
    from tools.screenshots import CHROMIUM_ARGS, chromium_path

    exe = chromium_path()
    if exe is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site: Path, site_port: int):
    """A light-theme desktop page of the built site (see ``checked_page``)."""
    with checked_page(browser, site, site_port) as pg:
        yield pg


# Fixtures that build the whole site (under each engine) or start a browser: a test that
# uses one is slow whatever its own code does, so `pytest -m "not slow"` leaves it out.
SLOW_FIXTURES = {"built_site", "site", "browser", "page"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
