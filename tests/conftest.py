"""Shared fixtures: a built site, and throwaway copies of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def build_site(root: Path, site_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of the repository at ``root`` into ``site_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
        cwd=root, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000",
             **(env or {})},
    )


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the browser tests serve the site on (the site is built for it)."""
    from tools.serve_static import free_port

    return free_port()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The course site, built once per test session from this checkout."""
    out = tmp_path_factory.mktemp("site")
    done = build_site(REPO, out, env={"DLV_SITE_URL": f"http://127.0.0.1:{site_port}/"})
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture
def repo_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the repository's files (tracked and new, not ignored) to a temp dir.

    ``with_cache=True`` also copies the figure cache so nothing is retrained.
    """

    def make(with_cache: bool = True) -> Path:
        dest = tmp_path / "repo"
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO, capture_output=True, text=True, check=True).stdout.split("\0")
        for rel in filter(None, listed):
            src = REPO / rel
            if src.is_file():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / rel)
        if with_cache and (REPO / ".cache").is_dir():
            shutil.copytree(REPO / ".cache", dest / ".cache", ignore=shutil.ignore_patterns("lock"))
        return dest

    return make
