"""The set-up `make` does: the checkout is on the environment's import path, wherever it is."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest

from sitekit import REPO


def test_the_import_path_survives_moving_the_checkout() -> None:
    """The .pth file names the checkout relative to site-packages (inside .venv), not by
    the absolute path it had when `make` created the environment."""
    purelib = sysconfig.get_paths()["purelib"]
    pth = Path(purelib, "dlv_course.pth")
    if not pth.is_file():
        pytest.skip("not run in the environment `make` sets up")
    line = pth.read_text(encoding="utf-8").strip()
    assert not os.path.isabs(line), f"{pth} holds an absolute path: {line}"
    assert Path(purelib, line).resolve() == REPO.resolve()


def test_the_first_make_says_what_it_is_installing(tmp_path: Path) -> None:
    """`make -n` on a checkout without .venv: the set-up announces itself before pip's
    silent minutes, with the number of pinned packages."""
    import shutil
    import subprocess

    for name in ("Makefile", "requirements.txt", "requirements-zensical.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    done = subprocess.run(["make", "-n", "build"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    pinned = sum(1 for line in (REPO / "requirements.txt").read_text().splitlines() if line[:1].isalpha())
    assert done.returncode == 0, done.stderr
    announce = f'echo "Setting up .venv: installing {pinned} pinned packages (a few minutes, once)"'
    lines = done.stdout.replace(f"$(grep -c '^[A-Za-z]' requirements.txt)", str(pinned)).splitlines()
    assert announce in lines
    assert lines.index(announce) < next(i for i, l in enumerate(lines) if "pip install" in l)


def test_ci_stops_a_hung_test_run_and_says_so(tmp_path: Path) -> None:
    """.ci/run's overall limit, with a `make test` that never ends."""
    import shutil
    import subprocess

    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO / ".ci/run", tmp_path / ".ci/run")
    (tmp_path / "Makefile").write_text("test:\n\tsleep 600\n")
    done = subprocess.run(["bash", str(tmp_path / ".ci/run")], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CI_TIMEOUT": "2s", "HOME": str(tmp_path),
                               "CI_NO_INSTALL": "1"})
    assert done.returncode == 124, done.stdout + done.stderr
    assert "error: .ci/run: `make test` was still running after 2s and was stopped" in done.stderr
