"""``make serve`` under both engines: an edit is served, a bad edit keeps the last good page,
and stopping leaves no process behind. (The browser's reload is timed by bench_serve.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from sitekit import ENGINES

LESSON = "content/lessons/neurons.md"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], what: str, log: Path, timeout: float = 60) -> None:
    """Poll ``condition`` until it holds; fail with serve's output after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:  # not serving yet, or the engine is swapping the page
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout:.0f}s; serve printed:\n{log.read_text()}")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_serve_rebuilds_an_edit_keeps_the_last_good_page_and_stops_cleanly(
        engine: str, repo_copy: Callable[..., Path], tmp_path: Path) -> None:
    from tools.serve_static import free_port

    pytest.importorskip(engine)
    root = repo_copy()
    url = f"http://127.0.0.1:{free_port()}/lessons/neurons/"
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generators.site", "serve", "--engine", engine,
             "--dev-addr", url.split("/")[2]],
            cwd=root, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"})
    try:
        wait_for(lambda: "A single neuron" in fetch(url), "the lesson was not served", log)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "serve started no engine"

        page = root / LESSON
        page.write_text(page.read_text(encoding="utf-8") + "\nServeTestGoodEdit paragraph.\n",
                        encoding="utf-8")
        wait_for(lambda: "ServeTestGoodEdit" in fetch(url), "the edit was not served", log)

        # A bad edit: an unknown figure. The error names the page and line; nothing changes.
        title, rest = page.read_text(encoding="utf-8").split("\n", 1)
        page.write_text(f"{title}\n\n{{{{ figure neurons/no-such-figure }}}} ServeTestBadEdit\n{rest}",
                        encoding="utf-8")
        line = 3
        wait_for(lambda: "no-such-figure" in log.read_text(), "the bad edit was not reported", log)
        assert f"error: {LESSON}:{line}: unknown figure 'neurons/no-such-figure'" in log.read_text()
        time.sleep(1)  # time for the engine to re-render, were anything written
        served = fetch(url)
        assert "ServeTestGoodEdit" in served and "ServeTestBadEdit" not in served
        assert proc.poll() is None, "serve stopped on a bad edit"
    finally:
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(30)
    assert status == 0, log.read_text()
    alive = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"left running: {[c.cmdline() for c in alive]}"
    assert not list((root / "build").glob("serve-*")), "the engine's scratch folder was left"


def test_only_sources_trigger_a_rebuild(tmp_path: Path) -> None:
    from generators.site.serve import relevant

    for rel in ("content/lessons/neurons.md", "generators/neurons/fig_activations.py",
                "site_config/course.yml", "site_config/references.bib", "mkdocs.yml"):
        assert relevant(tmp_path, str(tmp_path / rel)) == rel
    for rel in ("content/generated", "content/generated/_index.json", "build/docs/index.md", "build/engine.yml",
                "generators/neurons/__pycache__/fig.cpython-311.pyc", "content/.neurons.md.swp",
                "content/lessons/neurons.md~", "content/notebooks/.ipynb_checkpoints/a.ipynb",
                "site/index.html", "README.md"):
        assert relevant(tmp_path, str(tmp_path / rel)) is None, rel
