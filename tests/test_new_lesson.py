"""`make new-lesson`: the scaffolded lesson builds at once and appears in the navigation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import build_site


def test_scaffolded_lesson_builds_cleanly(repo_copy, tmp_path: Path) -> None:
    root = repo_copy()
    done = subprocess.run([sys.executable, "-m", "tools.new_lesson", "attention-maps"],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (root / "generators/attention_maps/fig_example.py").is_file()
    assert "page: lessons/attention-maps.md" in (root / "site_config/course.yml").read_text()
    built = build_site(root, tmp_path / "out")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "out/lessons/attention-maps/index.html").read_text(encoding="utf-8")
    assert "generated/attention_maps/example.svg" in page
    assert "{{" not in page and "% test accuracy" in page
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert 'href="lessons/attention-maps/"' in home  # in the navigation and the schedule


@pytest.mark.parametrize("name, message", [("Bad Name", "use lowercase letters"),
                                           ("neurons", "content/lessons/neurons.md already exists")])
def test_bad_names_are_refused_and_nothing_is_written(repo_copy, name: str, message: str) -> None:
    root = repo_copy(with_cache=False)
    before = (root / "site_config/course.yml").read_text()
    done = subprocess.run([sys.executable, "-m", "tools.new_lesson", name], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 2 and message in done.stderr
    assert (root / "site_config/course.yml").read_text() == before
