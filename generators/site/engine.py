"""Render ``build/docs/`` with an engine, MkDocs or Zensical, and publish ``site/`` whole.

The engine only renders plain Markdown (``mkdocs.yml``, which INHERITs the expand step's
``build/engine.yml``). It builds into a staging folder; only a build that succeeded
replaces the site folder, by renaming, so a failed build leaves the last good ``site/``
as it was and a reader never sees half a site.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENGINES = ("mkdocs", "zensical")
STAGING = Path("build")  # staging folders go here: Zensical wants them inside the repository
LOCK = Path("build") / "lock"


class EngineError(RuntimeError):
    """The engine is missing or its build failed (it has printed why)."""


def engine_command(engine: str, action: str) -> list[str]:
    """The command line that runs ``engine``'s ``action`` ("build" or "serve")."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    try:
        __import__(engine)
    except ImportError:
        raise EngineError(f"the {engine} engine is not installed in this environment: "
                          f"run `make ENGINE={engine}`, which installs it") from None
    strict = ["--strict"] if action == "build" else []
    return [sys.executable, "-m", engine, action, *strict]


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """One expand-and-render at a time per repository (``make`` beside ``make serve``)."""
    (root / LOCK).parent.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(root: Path, engine: str, site_dir: Path, quiet: bool = False) -> None:
    """Render with ``engine`` into a staging folder, then swap it in as ``site_dir``."""
    root = root.resolve()
    staging = Path(tempfile.mkdtemp(prefix="site.new-", dir=root / STAGING))
    cmd = engine_command(engine, "build")
    if quiet and engine == "mkdocs":
        cmd.append("-q")
    env = {**os.environ, "DLV_SITE_DIR": str(staging)}
    done = subprocess.run(cmd, cwd=root, env=env)
    if done.returncode != 0 or not (staging / "index.html").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise EngineError(f"{engine} build failed (exit status {done.returncode}); "
                          f"{site_dir} is unchanged")
    publish(staging, site_dir)


def publish(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``staging`` with two renames (a copy first across file systems)."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    new = site_dir.with_name(f".{site_dir.name}.new")
    old = site_dir.with_name(f".{site_dir.name}.old")
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.move(str(staging), str(new))
    if site_dir.exists():
        os.rename(site_dir, old)
    os.rename(new, site_dir)
    shutil.rmtree(old, ignore_errors=True)
