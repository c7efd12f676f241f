"""Notebooks: each lesson's notebook is built, executed and cached; notebook pages convert."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from fakerepo import FakeRepo
from generators.style import themes


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    r.add("alpha", "one")
    r.write("content/lessons/alpha.md", "# Alpha lesson\n\n{{ figure alpha/one-plot }}\n")
    return r


def built(run) -> set[str]:
    return {ln.split()[1] for ln in run.lines("built")}


def test_lesson_notebook_reproduces_the_figures_and_is_cached(repo: FakeRepo) -> None:
    run = repo.run()
    assert run.code == 0, run.out
    assert built(run) == {"alpha/one", "notebook:alpha"}
    nb = nbformat.reads(repo.generated()["alpha/alpha.ipynb"].decode(), as_version=4)
    assert nb.cells[0].source.startswith("# Alpha lesson")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figure was drawn
    assert "'one_value': 2.0" in json.dumps([o.get("data") for o in outputs])
    index = json.loads(repo.generated()["_index.json"])
    assert index["notebooks"] == {"alpha": "alpha/alpha.ipynb"}
    assert built(repo.run()) == set()


def test_lesson_notebook_uses_the_instructors_overrides(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/one:\n  scale: 4\n")
    run = repo.run()
    assert run.code == 0, run.out
    text = repo.generated()["alpha/alpha.ipynb"].decode()
    assert "'scale': 4.0" in text and "'one_value': 8.0" in text


def test_a_broken_lesson_notebook_fails_the_build_naming_it(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    assert "alpha/alpha.ipynb" in repo.generated()  # published by the good build
    # Broken in draw: the notebook's compute reuses the figure job's result (compute once),
    # but it draws its figures itself.
    repo.add("alpha", "one", draw="assert 'JPY_PARENT_PID' not in os.environ, 'no kernel'")
    run = repo.run()  # the figure job runs outside a kernel; the notebook runs in one
    assert run.code == 1
    assert "error: job notebook:alpha failed" in run.err and "no kernel" in run.out
    assert "alpha/one-plot.svg" in repo.generated()
    assert "alpha/alpha.ipynb" not in repo.generated()  # unpublished: no stale notebook


def write_notebook(repo: FakeRepo, rel: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    path = repo.root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("breakage, message", [
    (lambda text: text.replace('"cells": [', '"cells": [,', 1),
     r"content/notebooks/broken\.ipynb:2: not valid notebook JSON: Expecting value \(column 12\)"),
    (lambda text: text.replace("6 * 7", "6 \u00d7 7"),  # a copied multiplication sign
     r"content/notebooks/broken\.ipynb:\d+: code cell 2 is not Python: invalid character "
     r".* \(line 1 of the cell\)"),
    (lambda text: text.encode("utf-8").replace(b"6 * 7", b"6 \xd7 7"),  # saved as Latin-1
     r"content/notebooks/broken\.ipynb:\d+: not UTF-8 text \(byte 0xd7\); save the notebook as UTF-8"),
    (lambda text: "[1, 2]", r"content/notebooks/broken\.ipynb: not a Jupyter notebook"),
], ids=["json", "not-python", "not-utf8", "not-a-notebook"])
def test_an_unreadable_notebook_page_fails_alone_naming_its_file(repo: FakeRepo, breakage, message) -> None:
    write_notebook(repo, "notebooks/good.ipynb", "print(6 * 9)")
    path = write_notebook(repo, "notebooks/broken.ipynb", "x = 1", "print(6 * 7)")
    broken = breakage(path.read_text())
    path.write_bytes(broken if isinstance(broken, bytes) else broken.encode())
    run = repo.run()
    assert run.code == 1
    assert re.search(r"^error: job page:notebooks/broken failed: " + message, run.err, re.M), run.err
    assert "Traceback" not in run.out
    assert built(run) == {"alpha/one", "notebook:alpha", "page:notebooks/good"}
    assert "54" in repo.generated()["pages/notebooks/good.md"].decode()


def test_notebook_page_is_executed_and_converted(repo: FakeRepo) -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Explore\n\nSome maths: $a = f(z)$."),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])",
                                  metadata={"alt": "A rising line."}),
        nbformat.v4.new_code_cell("print(6 * 7)"),
    ])
    nbformat.write(nb, repo.root / "content/notebooks/explore.ipynb") if (
        repo.root / "content/notebooks").mkdir() is None else None
    run = repo.run()
    assert run.code == 0, run.out
    files = repo.generated()
    page = files["pages/notebooks/explore.md"].decode()
    assert page.startswith("# Explore") and "$a = f(z)$" in page and "42" in page
    assert "![A rising line.](../generated/pages/notebooks/explore_files/output_1_" in page
    assert any(name.startswith("pages/notebooks/explore_files/") for name in files)
    # drawn once per theme, each shown in its own palette, on the page's own colour
    light, dark = themes()
    png = next(n for n in files if re.fullmatch(r"pages/notebooks/explore_files/output_1_\d+\.png", n))
    light_png, dark_png = files[png], files[png.replace("_files/", "_files/dark/")]
    name = png.rsplit("/", 1)[1]
    assert f"explore_files/{name}#only-light)![A rising line.](" in page
    assert f"explore_files/dark/{name}#only-dark)" in page
    for png, theme, other in ((light_png, light, dark), (dark_png, dark, light)):
        assert _pixels_of(png, theme.palette[0]) > 100      # the line, in the theme's first colour
        assert _pixels_of(png, other.palette[0]) == 0
        assert _pixels_of(png, theme.fg) > 0                # and text in the theme's ink
    index = json.loads(files["_index.json"])
    assert index["pages"]["notebooks/explore.md"]["notebook"] == "notebooks/explore.ipynb"
    # Editing the notebook reruns it; nothing else.
    nb.cells[2].source = "print(6 * 9)"
    nbformat.write(nb, repo.root / "content/notebooks/explore.ipynb")
    run = repo.run()
    assert built(run) == {"page:notebooks/explore"}
    assert "data file content/notebooks/explore.ipynb changed" in run.out
    assert "54" in repo.generated()["pages/notebooks/explore.md"].decode()


def _pixels_of(png: bytes, colour: str) -> int:
    """How many opaque pixels of an image (on a transparent background) are ``colour``."""
    import io

    import numpy as np
    from matplotlib.colors import to_rgb
    from matplotlib.image import imread

    rgba = imread(io.BytesIO(png))
    assert rgba[0, 0, 3] == 0                      # a transparent background: the page's colour
    opaque = rgba[rgba[..., 3] > 0.99][:, :3]
    return int(np.sum(np.abs(opaque - np.array(to_rgb(colour))).max(axis=1) < 0.02))


def test_a_themes_matplotlib_settings_survive_the_matplotlibrc_syntax(tmp_path: Path) -> None:
    import matplotlib
    from matplotlib.colors import to_hex

    from generators.build.notebooks import _matplotlibrc

    for theme in themes():
        (tmp_path / "matplotlibrc").write_text(_matplotlibrc(theme.rc), encoding="utf-8")
        rc = matplotlib.rc_params_from_file(str(tmp_path / "matplotlibrc"), use_default_template=False)
        assert set(rc) == set(theme.rc)
        assert to_hex(rc["text.color"]) == to_hex(theme.fg)
        assert [to_hex(c) for c in rc["axes.prop_cycle"].by_key()["color"]] == [
            to_hex(c) for c in theme.palette]
        assert rc["savefig.transparent"] is True
