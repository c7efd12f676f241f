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
