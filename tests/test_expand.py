"""The expand step: incremental, all or nothing, engine-free, every error at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generators.site.expand import DOCS, ENGINE_CONFIG, ExpandError, expand_site


@pytest.fixture
def expanded(repo_copy) -> Path:
    """A copy of the repository with its figures published and expanded once."""
    root = repo_copy()
    done = subprocess.run([sys.executable, "-m", "generators"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    expand_site(root)
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_expand_writes_only_what_changed_and_removes_what_is_gone(expanded: Path) -> None:
    root = expanded
    assert expand_site(root).written == []
    page = root / "content/notation.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert expand_site(root).written == ["notation.md"]
    assert "One more line." in (root / DOCS / "notation.md").read_text(encoding="utf-8")
    extra = root / "content/extra/page.md"
    extra.parent.mkdir()
    extra.write_text("# Extra\n\nNot in the navigation, linked from the notation.\n", encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the extra page](extra/page.md).\n",
                    encoding="utf-8")
    assert sorted(expand_site(root).written) == ["extra/page.md", "notation.md"]
    extra.unlink()
    page.write_text(page.read_text(encoding="utf-8").replace("See [the extra page](extra/page.md).\n", ""),
                    encoding="utf-8")
    report = expand_site(root)
    assert report.removed == ["extra/page.md"] and not (root / DOCS / "extra").exists()


def test_a_course_file_change_reaches_the_engine_settings_and_the_pages(expanded: Path) -> None:
    root = expanded
    course = root / "site_config/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "term: Fall 2026", "term: Spring 2031"), encoding="utf-8")
    report = expand_site(root)
    assert "index.md" in report.written and "Spring 2031" in (root / DOCS / "index.md").read_text()
    assert "Spring 2031" in (root / ENGINE_CONFIG).read_text()  # the footer's copyright


def test_a_hand_edited_page_in_the_docs_folder_is_put_back(expanded: Path) -> None:
    root = expanded
    target = root / DOCS / "lessons/neurons.md"
    good = target.read_bytes()
    target.write_text("scribbled", encoding="utf-8")
    assert expand_site(root).written == ["lessons/neurons.md"]
    assert target.read_bytes() == good


def test_errors_in_several_pages_are_all_reported_and_nothing_is_written(expanded: Path) -> None:
    root = expanded
    before = _tree(root / DOCS), (root / ENGINE_CONFIG).read_bytes()
    (root / "content/notation.md").write_text("# N\n\n{{ result nope }}\n", encoding="utf-8")
    (root / "content/lessons/sgd.md").write_bytes(b"# SGD\n\ncaf\xe9\n")  # Latin-1, not UTF-8
    (root / "content/index.md").write_text("# Home\n\n$\\frac{1}{$\n", encoding="utf-8")
    with pytest.raises(ExpandError) as err:
        expand_site(root)
    text = "\n".join(err.value.errors)
    assert len(err.value.errors) == 3, text
    assert "content/notation.md:3: unknown result 'nope'" in text
    assert "content/lessons/sgd.md:3: not UTF-8 text (invalid continuation byte: byte 0xe9)" in text
    assert "content/index.md:3: cannot render" in text
    assert (_tree(root / DOCS), (root / ENGINE_CONFIG).read_bytes()) == before


def test_the_expanded_markdown_is_plain(expanded: Path) -> None:
    """No directive, no citation key and no page-URL path is left for an engine to know about."""
    lesson = (expanded / DOCS / "lessons/neurons.md").read_text(encoding="utf-8")
    assert "{{" not in lesson and "[@" not in lesson
    assert "](../generated/neurons/activations.svg)" in lesson  # relative to the source file
    assert "](../reading-list.md#ref-nielsen2015)" in lesson
    nav = (expanded / ENGINE_CONFIG).read_text(encoding="utf-8")
    assert "lessons/neurons.md" in nav and "Deep Learning & Visualization" in nav
