"""Live-preview benchmark: edit-to-reload time of ``make serve``, per engine and kind of edit.

    make bench-serve        (python -m benchmarks.bench_serve [--repeat N] [--engines ...])

For each engine, in a throwaway copy of the repository (tracked files and the figure
cache, so nothing is retrained that an edit does not touch), this starts
``python -m generators.site serve``, opens a lesson in headless Chromium (Debian's,
every non-local request blocked) and makes each kind of edit in turn. The time is from
the moment the file is written until the browser has reloaded the page (a mark set on
the old page is gone) and the page shows the change: new text, or for a figure
parameter new pixels in the figure. Medians (and the range) of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_build import copy_repo

REPO = Path(__file__).resolve().parents[1]

ENGINES = ("mkdocs", "zensical")
LESSON = "lessons/neurons/"
TIMEOUT = 180.0  # seconds an edit may take to show before the run counts as failed

# A fingerprint of the light-theme activations figure as the browser draws it.
FIGURE_PIXELS = """() => {
  const img = document.querySelector('img[src$="neurons/activations.svg"]');
  if (!img) return null;
  img.loading = 'eager';
  if (!img.complete || !img.naturalWidth) return null;
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  c.getContext('2d').drawImage(img, 0, 0);
  return c.toDataURL();
}"""
HAS_TEXT = "token => document.body.innerText.includes(token)"


@dataclass
class Edit:
    """One kind of edit: ``apply(root, run)`` writes it and returns what the page must show."""

    name: str
    apply: Callable[[Path, int], str]  # returns the token the page must show ("" = new pixels)


_tokens = itertools.count(1)


def _token() -> str:
    """A word no page contains yet (each edit shows a new one)."""
    return f"Benchmark{next(_tokens)}x{os.getpid() % 1000}"


def _replace(path: Path, pattern: str, new: str) -> None:
    text, count = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1, f"{pattern!r} not found in {path}"
    path.write_text(text, encoding="utf-8")


def edit_lesson(root: Path, run: int) -> str:
    token = _token()
    page = root / "content/lessons/neurons.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{token} paragraph.\n", encoding="utf-8")
    return token


def edit_generator(root: Path, run: int) -> str:
    """A new caption: the figure generator reruns, and the page shows its caption."""
    token = _token()
    _replace(root / "generators/neurons/fig_activations.py", r"\$f\$ \(solid[^)]*\)",
             f"$f$ (solid, {token})")
    return token


def edit_parameter(root: Path, run: int) -> str:
    """A new z range for the activations figure: only the figure changes, not the text."""
    (root / "site_config/figures.yml").write_text(
        f"neurons/activations:\n  z_max: {6 + run}.0\n", encoding="utf-8")
    return ""


def edit_course(root: Path, run: int) -> str:
    """The course title: it is in build/engine.yml (site_name), shown in every header."""
    token = _token()
    _replace(root / "site_config/course.yml", r"^title: .*$", f"title: Deep Learning {token}")
    return token


def edit_bibliography(root: Path, run: int) -> str:
    """The title of a work the lesson cites: its "Further reading" shows it."""
    token = _token()
    _replace(root / "site_config/references.bib",
             r"(@book\{nielsen2015,\n\s*author\s*=.*\n\s*title\s*=\s*)\{[^}]*\}",
             rf"\1{{Neural Networks and Deep Learning {token}}}")
    return token


EDITS = [Edit("lesson (content/)", edit_lesson), Edit("generator (.py)", edit_generator),
         Edit("figure parameter", edit_parameter), Edit("course.yml (title)", edit_course),
         Edit("references.bib", edit_bibliography)]


def copy_with_cache(dest: Path) -> None:
    """The repository's files (tracked and new, not ignored) and its figure cache."""
    copy_repo(dest)
    if (REPO / "build/cache").is_dir():
        shutil.copytree(REPO / "build/cache", dest / "build/cache",
                        ignore=shutil.ignore_patterns("lock"))


def start_serve(root: Path, engine: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg",
           "PYTHONDONTWRITEBYTECODE": "1"}
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "generators.site", "serve", "--engine", engine,
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_served(url: str, proc: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"serve exited ({proc.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"serve did not come up in {timeout:.0f}s:\n{log.read_text()}")


def stop_serve(proc: subprocess.Popen) -> None:
    proc.terminate()  # serve stops its engine
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()


def time_edit(page, root: Path, edit: Edit, run: int) -> float:
    """Seconds from the edit's write until the reloaded page shows it (``inf``: never)."""
    for _ in range(100):  # a reload left over from the previous edit may still be under way
        try:
            page.wait_for_load_state("load")
            before = page.evaluate(FIGURE_PIXELS)
            page.evaluate("window.__dlvStale = true")
            break
        except Exception:  # its context went away mid-call: try again on the new page
            time.sleep(0.1)
    start = time.perf_counter()
    token = edit.apply(root, run)
    while time.perf_counter() - start < TIMEOUT:
        try:
            if not page.evaluate("() => window.__dlvStale === true"):
                shown = (page.evaluate(HAS_TEXT, token) if token else
                         page.evaluate(FIGURE_PIXELS) not in (None, before))
                if shown:
                    return time.perf_counter() - start
        except Exception:  # the page is reloading: its context went away mid-call
            pass
        time.sleep(0.02)
    return float("inf")


def settle(log: Path, quiet: float = 1.5) -> None:
    """Wait until serve and the engine have printed nothing for ``quiet`` seconds."""
    size, since = -1, time.monotonic()
    while time.monotonic() - since < quiet:
        now = log.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
        time.sleep(0.1)


def bench_engine(browser, engine: str, repeat: int, edits: list[Edit]) -> dict[str, list[float]]:
    from tools.screenshots import block_outside
    from tools.serve_static import free_port

    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="dlv-bench-serve-") as tmp:
        root = Path(tmp)
        copy_with_cache(root)
        port = free_port()
        log = root / "serve.log"
        proc = start_serve(root, engine, port, log)
        try:
            wait_until_served(f"http://127.0.0.1:{port}/{LESSON}", proc, log)
            settle(log)
            ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
            ctx.route("**/*", block_outside)
            page = ctx.new_page()
            page.goto(f"http://127.0.0.1:{port}/{LESSON}", wait_until="load")
            for edit in edits:
                for run in range(repeat):
                    seconds = time_edit(page, root, edit, run)
                    times.setdefault(edit.name, []).append(seconds)
                    print(f"  {engine:9s} {edit.name:20s} run {run + 1}: {seconds:6.2f} s", flush=True)
                    settle(log)
            ctx.close()
        finally:
            stop_serve(proc)
        if "--verbose" in sys.argv:
            print(log.read_text())
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine and kind of edit")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--verbose", action="store_true", help="print serve's log at the end")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tools.screenshots import CHROMIUM_ARGS, chromium_path

    exe = chromium_path()
    if exe is None:
        sys.exit("error: no Chromium found; install Debian's package: apt-get install chromium")
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for engine in args.engines:
            results[engine] = bench_engine(browser, engine, args.repeat, EDITS)
        browser.close()
    print(f"\nedit-to-reload, seconds: median (min-max) of {args.repeat} runs; "
          f"machine: {os.cpu_count()} CPUs; page: /{LESSON}")
    print(f"{'edit':22s}" + "".join(f"{e:>22s}" for e in args.engines))
    for edit in EDITS:
        cells = []
        for engine in args.engines:
            runs = results[engine][edit.name]
            cells.append(f"{statistics.median(runs):6.2f} ({min(runs):.2f}-{max(runs):.2f})")
        print(f"{edit.name:22s}" + "".join(f"{c:>22s}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
