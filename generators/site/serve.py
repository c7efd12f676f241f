"""Live preview (``make serve``): rebuild only what an edit changed; the engine reloads the browser.

How it works:

1. The figure pipeline and the expand step run once, as in ``make``, so ``build/docs/``
   and ``build/engine.yml`` are up to date (built for ``http://DEV_ADDR/``).
2. The engine's own dev server (``mkdocs serve`` or ``zensical serve``) starts as a child
   process, in its own process group, rendering into a throwaway folder in ``build/``
   (never ``site/``). It watches ``build/docs/`` and, through ``watch:`` in ``mkdocs.yml``,
   ``build/engine.yml`` (names, navigation, colours); on a change it re-renders and tells
   the open pages to reload.
3. Watchdog watches the sources: ``content/`` (not ``content/generated/``, the pipeline's
   output), ``generators/``, ``site_config/`` and ``mkdocs.yml``. Once they have been quiet
   for ``QUIET`` seconds, the pipeline and the expand step run again, under
   ``engine.locked`` (so beside a ``make`` they take turns). Both are incremental: only
   figures whose inputs changed are recomputed, and only files whose content changed are
   rewritten in ``build/docs/``, so the engine sees exactly what the edit changed. One line
   says what was regenerated.
4. A failing generator or a bad page is printed (the page errors with file:line) and
   nothing is written: ``build/docs/`` keeps the last good pages and the engine goes on
   serving them. The next good edit brings everything up to date.
5. An edit to the kit's own machinery (``generators/build/``, ``generators/site/``), which
   this process and the engine have imported, restarts both (the page reloads once the new
   engine is up).
6. Ctrl-C or SIGTERM stops the engine's whole process group, then this process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generators.build.cache import atomic_write
from generators.site import engine as engines
from generators.site.expand import DOCS, ENGINE_CONFIG

QUIET = 0.25  # seconds without a change before rebuilding: an editor's save is a burst
WATCHED = ("content", "generators", "site_config")  # and mkdocs.yml
IGNORED = ("content/generated/",)  # the pipeline's own output
KIT = ("generators/build/", "generators/site/")  # imported by this process and the engine
WRITES = {"created", "modified", "moved", "deleted", "closed"}  # not opened/read/attrib
# Ctrl-C too: a shell that starts serve in the background has it ignore SIGINT otherwise.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_WAIT = 5.0  # seconds the engine gets to exit on SIGTERM before SIGKILL


class _Stop(Exception):
    """Ctrl-C, SIGTERM or SIGHUP."""


class SourceChanges(FileSystemEventHandler):
    """Collects the repository-relative paths of changed sources, from watchdog's thread."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: set[str] = set()
        self.last = 0.0
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WRITES or event.is_directory and event.event_type == "modified":
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            rel = relevant(self.root, os.fsdecode(path)) if path else None
            if rel:
                with self.lock:
                    self.paths.add(rel)
                    self.last = time.monotonic()

    def take_quiet(self) -> set[str]:
        """The changes so far, if none came in the last ``QUIET`` seconds (else nothing)."""
        with self.lock:
            if not self.paths or time.monotonic() - self.last < QUIET:
                return set()
            paths, self.paths = self.paths, set()
            return paths


def relevant(root: Path, path: str) -> str | None:
    """``path`` relative to ``root`` if an edit there can change the site, else None."""
    try:
        rel = Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    parts = rel.split("/")
    if rel != "mkdocs.yml" and parts[0] not in WATCHED:
        return None
    if f"{rel}/".startswith(IGNORED) or any(p.startswith(".") or p == "__pycache__" for p in parts):
        return None  # hidden files: editors' swap files, .ipynb_checkpoints
    if rel.endswith(("~", ".pyc", ".swp", ".tmp")):
        return None
    return rel


def say(line: str) -> None:
    """Print a line now: errors (and a failed generator's traceback) to stderr."""
    error = line.startswith(("error", "warning", "  FAILED", "    "))
    print(line, file=sys.stderr if error else sys.stdout, flush=True)


def rebuild(root: Path, site_url: str, echo: Callable[[str], None] = say) -> bool:
    """Pipeline, then expand, under the checkout's lock; print what changed. False on an error.

    On any error ``build/docs/`` is left as it was (the expand step is all or nothing).
    """
    from generators.build.pipeline import run
    from generators.build.yamlfile import ConfigError
    from generators.site.expand import ExpandError, expand_site

    start = time.perf_counter()
    quiet = ("  cached", "figures:")  # 50-odd cached lines and a summary this prints itself
    with engines.locked(root):
        try:
            figures = run(root, echo=lambda line: None if line.startswith(quiet) else echo(line))
            if not figures.ok:
                echo("error: figures failed (above): build/docs/ unchanged, "
                     "serving the last good pages")
                return False
            report = expand_site(root, site_url)
            refreshed = refresh_pages_showing(root / DOCS, report.written)
        except ExpandError as exc:
            for line in exc.errors:
                echo(f"error: {line}")
            echo(f"error: {len(exc.errors)} page error(s): build/docs/ unchanged, "
                 "serving the last good pages")
            return False
        except (ConfigError, ValueError, OSError) as exc:
            echo(f"error: {exc}")
            echo("error: build/docs/ unchanged, serving the last good pages")
            return False
    for line in report.warnings:
        echo(f"warning: {line}")
    docs = [rel for rel in report.written if rel != ENGINE_CONFIG.as_posix()]
    changed = [*docs, *(f"{rel} (removed)" for rel in report.removed)]
    shown = ", ".join(changed[:4]) + (f" +{len(changed) - 4} more" if len(changed) > 4 else "")
    echo(f"regenerated in {time.perf_counter() - start:.1f}s: "
         f"figures: {', '.join(figures.built) or 'none'}; build/docs: {shown or 'nothing changed'}"
         + ("; build/engine.yml" if len(docs) < len(report.written) else "")
         + (f"; reloading {len(refreshed)} page(s) showing them" if refreshed else ""))
    return True


def refresh_pages_showing(docs: Path, written: list[str]) -> list[str]:
    """Rewrite, unchanged, each page that shows a rewritten figure or data file but is itself
    unchanged; return those pages.

    A new figure changes no page, and Zensical reloads a browser only for a page it
    re-rendered: without this, a parameter change would never reach the open page.
    """
    files = [rel for rel in written if rel.startswith("generated/") and not rel.endswith(".md")]
    pages = []
    for page in sorted(docs.rglob("*.md")) if files else []:
        rel = page.relative_to(docs).as_posix()
        text = page.read_bytes()
        if rel not in written and any(f.encode() in text for f in files):
            atomic_write(page, text)  # a new inode: every engine's watcher notices
            pages.append(rel)
    return pages


def start_engine(root: Path, engine: str, dev_addr: str, scratch: Path) -> subprocess.Popen:
    """The engine's dev server, in its own process group, rendering into ``scratch``."""
    cmd = [*engines.engine_command(engine, "serve"), "--dev-addr", dev_addr]
    env = {**os.environ, "DLV_SITE_DIR": str(scratch / "site"),  # zensical renders there
           "TMPDIR": str(scratch)}  # mkdocs renders into a temporary folder
    return subprocess.Popen(cmd, cwd=root, env=env, start_new_session=True)


def stop_engine(proc: subprocess.Popen) -> None:
    """SIGTERM the engine's process group, then SIGKILL whatever is left of it."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(STOP_WAIT)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # a lingering engine, or what it started
    except ProcessLookupError:
        pass
    proc.wait()


def serve(root: Path, engine: str, dev_addr: str) -> int:
    """Serve the course at ``http://dev_addr/`` with ``engine``, rebuilding on every edit.

    Returns 0 when stopped (Ctrl-C, SIGTERM), 1 if the engine exits on its own. An edit
    to the kit's code replaces this process by a fresh one (``os.execv``).
    """
    root = root.resolve()
    site_url = f"http://{dev_addr}/"
    engines.engine_command(engine, "serve")  # fail now if the engine is missing
    (root / "build").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="serve-", dir=root / "build"))
    changes = SourceChanges(root)
    observer = Observer()
    for folder in WATCHED:
        if (root / folder).is_dir():
            observer.schedule(changes, str(root / folder), recursive=True)
    observer.schedule(changes, str(root), recursive=False)  # for mkdocs.yml
    handlers = {sig: signal.signal(sig, _raise_stop) for sig in STOP_SIGNALS}
    proc: subprocess.Popen | None = None
    status, restart = 0, False
    try:
        observer.start()
        rebuild(root, site_url)
        while not restart:
            if proc is None and (root / ENGINE_CONFIG).is_file() and (root / DOCS).is_dir():
                proc = start_engine(root, engine, dev_addr, scratch)  # after a first good build
                print(f"serving at {site_url} with {engine}; watching {', '.join(WATCHED)} "
                      "and mkdocs.yml (Ctrl-C to stop)", flush=True)
            if proc is not None and proc.poll() is not None:
                print(f"error: {engine} serve exited (status {proc.returncode})", file=sys.stderr)
                status = 1
                break
            time.sleep(0.05)
            paths = changes.take_quiet()
            if paths:
                more = f" +{len(paths) - 4} more" if len(paths) > 4 else ""
                print(f"changed: {', '.join(sorted(paths)[:4])}{more}", flush=True)
                restart = any(p.startswith(KIT) for p in paths)
                if not restart:
                    rebuild(root, site_url)
    except (_Stop, KeyboardInterrupt):
        print("stopping", flush=True)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        observer.stop()
        if proc is not None:
            stop_engine(proc)
        observer.join()
        shutil.rmtree(scratch, ignore_errors=True)
    if restart:  # fresh imports of the kit's code, for this process and the engine
        print("the kit's own code changed: restarting", flush=True)
        os.execv(sys.executable, [sys.executable, "-m", "generators.site", "serve",
                                  "--root", str(root), "--engine", engine, "--dev-addr", dev_addr])
    return status


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop
