"""Which files each explorer loads (``generators/site/explorer_assets.py``): planned from
``site_config/assets/``, so no list of scripts is kept by hand in JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.site import explorer_assets as ea
from sitekit import REPO


def _assets(tmp_path: Path, files: list[str]) -> Path:
    for rel in files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("/* */")
    return tmp_path


def test_each_kind_loads_its_libraries_then_its_script_and_its_own_stylesheet(tmp_path: Path) -> None:
    assets = _assets(tmp_path, ["js/explorers.js", "js/graph.js", "js/vendor/lib.js", "js/plain.js",
                                "css/graph.css", "css/extra.css"])
    planned = ea.explorer_assets(assets, needs={"graph": ("vendor/lib.js",)})
    assert planned == {
        "graph": ea.ExplorerAssets(("assets/js/vendor/lib.js", "assets/js/graph.js"), ("assets/css/graph.css",)),
        "plain": ea.ExplorerAssets(("assets/js/plain.js",), ()),
    }
    # A stylesheet named for no explorer is the course's own: every page loads it.
    assert ea.shared_styles(assets, planned) == ["assets/css/extra.css"]


def test_a_missing_library_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"js/vendor/lib\.js: the graph explorer needs it"):
        ea.explorer_assets(_assets(tmp_path, ["js/graph.js"]), needs={"graph": ("vendor/lib.js",)})


def test_the_course_s_explorers() -> None:
    planned = ea.explorer_assets(REPO / "site_config" / "assets")
    assert planned["dataflow"].scripts == ("assets/js/vendor/dagre.min.js", "assets/js/dataflow.js")
    assert {"playground", "trajectories", "trainanim"} <= planned.keys()
    # The live playground: the course's trainer and data sets, then the page's script.
    assert planned["playground"] == ea.ExplorerAssets(
        ("assets/js/lib/playground-nn.js", "assets/js/lib/playground-data.js", "assets/js/playground.js"),
        ("assets/css/playground.css",))
    assert "explorers" not in planned
    assert ea.shared_styles(REPO / "site_config" / "assets", planned) == []
