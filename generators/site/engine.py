"""Render ``build/docs/`` with an engine, MkDocs or Zensical, and publish ``site/`` whole.

The engine only renders plain Markdown (``mkdocs.yml``, which INHERITs the expand step's
``build/engine.yml``). It builds, in this process, into a staging folder; only a build that succeeded
replaces the site folder, by renaming, so a failed build leaves the last good ``site/``
as it was and a reader never sees half a site.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENGINES = ("mkdocs", "zensical")
STAGING = Path("build")  # staging folders go here: Zensical wants them inside the repository
LOCK = Path("build") / "lock"
CONFIG = Path("mkdocs.yml")  # both engines read it


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
    """Render with ``engine`` into a staging folder, then swap it in as ``site_dir``.

    The engine runs in this process (as its command line would), which spares a second
    Python start-up and the import of its code: a third of a no-op build.
    """
    root = root.resolve()
    engine_command(engine, "build")  # a clear error if it is not installed
    staging = Path(tempfile.mkdtemp(prefix="site.new-", dir=root / STAGING))
    os.environ.update(DLV_SITE_DIR=str(staging), NO_MKDOCS_2_WARNING="1")
    cwd = Path.cwd()
    try:
        os.chdir(root)
        (_mkdocs_build if engine == "mkdocs" else _zensical_build)(root / CONFIG, quiet)
        if not (staging / "index.html").is_file():
            raise EngineError(f"{engine} wrote no index.html")
    except Exception as exc:  # the engine's own errors, and any it did not expect (a template's)
        shutil.rmtree(staging, ignore_errors=True)
        reason = str(exc) if isinstance(exc, EngineError) else f"{type(exc).__name__}: {exc}"
        raise EngineError(f"{engine} build failed: {reason}; {_shown(site_dir, root)} is unchanged") from None
    except BaseException:  # anything else (Ctrl-C included): no staging folder left behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.chdir(cwd)
        os.environ.pop("DLV_SITE_DIR", None)
    publish(staging, site_dir)


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to the repository when it is inside it (as messages name files)."""
    try:
        return path.resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def _mkdocs_build(config_file: Path, quiet: bool) -> None:
    """``mkdocs build --strict``, in process; ``EngineError`` with MkDocs' reason."""
    import logging

    from mkdocs import config, exceptions
    from mkdocs.commands.build import build as mkdocs_build

    log = logging.getLogger("mkdocs")
    if not any(getattr(h, "name", "") == "dlv" for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.name = "dlv"
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(logging.WARNING)  # its INFO lines (cleaning, building into, built in) are noise here
    try:
        cfg = config.load_config(config_file=str(config_file), strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except exceptions.MkDocsException as exc:
        raise EngineError(str(exc)) from None


def _zensical_build(config_file: Path, quiet: bool) -> None:
    """``zensical build --strict``, in process; ``EngineError`` with Zensical's reason."""
    import zensical

    try:
        with _routine_lines_dropped():
            zensical.build(str(config_file), {"config_file": str(config_file), "clean": False,
                                              "strict": True})
    except Exception as exc:  # Zensical raises its own types, and plain ones from Rust
        raise EngineError(f"{type(exc).__name__}: {exc}") from None


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colour and cursor codes
ROUTINE = re.compile(r"^(Build started|No issues found|Build finished in [\d.]+m?s)$")


@contextmanager
def _routine_lines_dropped() -> Iterator[None]:
    """Zensical's own lines, without its routine ones ("Build started", "No issues found",
    "Build finished in 1.7s"): what it says about the pages stays, on standard error.

    It writes from Rust to file descriptors 1 and 2, so those are what is caught, in a
    file; in colour even into a log, so the colour codes go when it is not a terminal.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    plain = not os.isatty(2)
    with tempfile.TemporaryFile() as caught:
        for fd in saved:
            os.dup2(caught.fileno(), fd)
        try:
            yield
        finally:
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            caught.seek(0)
            for line in caught.read().decode("utf-8", "replace").splitlines():
                bare = ANSI.sub("", line)
                if not ROUTINE.match(bare.strip()):
                    print(bare if plain else line, file=sys.stderr, flush=True)


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
