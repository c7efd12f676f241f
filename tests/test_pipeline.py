"""The figure pipeline: cache hits and misses, failures, atomicity, determinism."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakerepo import FakeRepo


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    r.write("generators/shared/__init__.py", "")
    r.write("generators/shared/helper.py", "FACTOR = 3\n")
    r.write("site_config/data.txt", "1 2 3\n")
    r.add("alpha", "one")
    r.add("alpha", "two", imports="from generators.shared import helper")
    r.add("beta", "three", data_files='"site_config/data.txt",',
          body='open(os.path.join(os.getcwd(), "site_config/data.txt")).read()')
    return r


def index(repo: FakeRepo) -> dict:
    return json.loads((repo.root / "content/generated/_index.json").read_text())


def built(run) -> set[str]:
    return {ln.split()[1] for ln in run.lines("built")}


def test_cold_build_publishes_every_figure_and_result(repo: FakeRepo) -> None:
    run = repo.run()
    assert run.code == 0, run.out
    assert built(run) == {"alpha/one", "alpha/two", "beta/three"}
    files = repo.generated()
    for name in ("alpha/one-plot", "alpha/two-plot", "beta/three-plot"):
        assert files[f"{name}.svg"].startswith(b"<?xml")
        assert files[f"{name}.dark.svg"] != files[f"{name}.svg"]  # drawn in two themes
    idx = index(repo)
    assert idx["results"] == {"alpha/one_value": 2.0, "alpha/two_value": 2.0,
                              "beta/three_value": 2.0}
    fig = idx["figures"]["alpha/one-plot"]
    assert fig["alt"] == "A flat line." and fig["caption"] == "A one line."
    assert fig["files"] == {"light": "alpha/one-plot.svg", "dark": "alpha/one-plot.dark.svg"}
    assert "figures: 3 built, 0 cached, 0 failed" in run.out


def test_noop_rebuild_runs_nothing_and_touches_nothing(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    out = repo.root / "content/generated"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    run = repo.run()
    assert run.code == 0 and built(run) == set()
    assert len(run.lines("cached")) == 3
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "change, expected, reason",
    [
        (lambda r: r.add("alpha", "one", factor=5.0), {"alpha/one"},
         "generators/alpha/fig_one.py changed"),
        (lambda r: r.write("generators/shared/helper.py", "FACTOR = 4\n"), {"alpha/two"},
         "generators/shared/helper.py changed"),
        (lambda r: r.write("site_config/figures.yml", "beta/three:\n  scale: 2\n"), {"beta/three"},
         "parameter scale override '<default>' -> 2"),
        (lambda r: r.write("site_config/data.txt", "4 5 6\n"), {"beta/three"},
         "data file site_config/data.txt changed"),
        (lambda r: r.write("generators/style.py", (r.root / "generators/style.py").read_text() + "\n# restyled\n"),
         {"alpha/one", "alpha/two", "beta/three"}, "generators/style.py changed"),
    ],
    ids=["generator-source", "imported-module", "parameter", "data-file", "shared-style"],
)
def test_each_kind_of_change_rebuilds_exactly_its_dependents(repo, change, expected, reason) -> None:
    assert repo.run().code == 0
    change(repo)
    run = repo.run()
    assert run.code == 0, run.out
    assert built(run) == expected
    assert all(reason in ln for ln in run.lines("built")), run.out


def test_file_times_do_not_matter(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    path = repo.root / "generators/alpha/fig_one.py"
    path.write_text(path.read_text())  # new mtime, same content
    assert built(repo.run()) == set()


def test_parameter_override_changes_the_result(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/one:\n  scale: 1.5\n")
    assert repo.run().code == 0
    assert index(repo)["results"]["alpha/one_value"] == 3.0


def test_deleted_output_is_restored_without_rerunning(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    target = repo.root / "content/generated/alpha/one-plot.svg"
    good = target.read_bytes()
    target.unlink()
    (repo.root / "content/generated/alpha/two-plot.svg").write_text("hand edited")
    run = repo.run()
    assert built(run) == set() and target.read_bytes() == good
    assert (repo.root / "content/generated/alpha/two-plot.svg").read_bytes().startswith(b"<?xml")


def test_stray_generated_files_are_removed(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    (repo.root / "generators/beta/fig_three.py").unlink()
    stray = repo.root / "content/generated/alpha/old.svg"
    stray.write_text("<svg/>")
    assert repo.run().code == 0
    files = repo.generated()
    assert "alpha/old.svg" not in files and "beta/three-plot.svg" not in files
    assert "beta/three_value" not in index(repo)["results"]


def test_failing_generator_is_isolated_named_and_unpublished(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    repo.add("alpha", "one", body='raise RuntimeError("boom in training")')
    run = repo.run()
    assert run.code == 1
    assert "error: generator alpha/one failed: RuntimeError: boom in training" in run.out
    files = repo.generated()
    assert "alpha/one-plot.svg" not in files and "alpha/one-plot.dark.svg" not in files
    assert "alpha/two-plot.svg" in files and "beta/three-plot.svg" in files
    assert "alpha/one-plot" not in index(repo)["figures"]
    # The cache is not poisoned: reverting the source restores the last good outputs.
    repo.add("alpha", "one")
    run = repo.run()
    assert run.code == 0 and built(run) == set()
    assert "alpha/one-plot.svg" in repo.generated()


def test_nan_result_fails_the_generator(repo: FakeRepo) -> None:
    repo.add("alpha", "one", factor=float("nan"))  # writes `* nan` -> NameError
    repo.add("alpha", "one", imports="nan = float('nan')", factor="nan")
    run = repo.run()
    assert run.code == 1
    assert "alpha/one" in run.out and "'one_value' is nan" in run.out


def test_unknown_override_key_names_key_generator_and_closest_keys(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/one:\n  scael: 2\n")
    run = repo.run()
    assert run.code == 2  # checked before any job runs (tests/test_schema.py has the rest)
    assert "site_config/figures.yml:2: alpha/one.scael: unknown parameter; did you mean 'scale'" in run.out


def test_wrong_override_type_is_reported(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/one:\n  scale: big\n")
    run = repo.run()
    assert run.code == 2
    assert "site_config/figures.yml:2: alpha/one.scale: expected a number like the default 1.0, got 'big'" in run.out


def test_unknown_generator_in_overrides(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/onee:\n  scale: 2\n")
    run = repo.run()
    assert run.code == 2 and "site_config/figures.yml:1: alpha/onee: unknown generator; did you mean 'alpha/one'" in run.out
    assert "beta/three" not in run.out  # the closest names, not the whole list


def test_malformed_yaml_gives_file_and_line(repo: FakeRepo) -> None:
    repo.write("site_config/figures.yml", "alpha/one:\n  scale: [1, 2\n  label: x\n")
    run = repo.run()
    assert run.code == 2
    assert "site_config/figures.yml:3:" in run.out and "malformed YAML" in run.out


def test_duplicate_figure_names_fail_naming_both(repo: FakeRepo) -> None:
    repo.write("generators/alpha/fig_copy.py",
               (repo.root / "generators/alpha/fig_one.py").read_text())
    run = repo.run()
    assert run.code != 0
    assert "'alpha/one-plot' is declared by both generators alpha/copy and alpha/one" in run.out


def test_syntax_error_in_a_generator_is_a_named_failure(repo: FakeRepo) -> None:
    repo.write("generators/beta/fig_three.py", "def broken(:\n")
    run = repo.run()
    assert run.code == 1 and "beta/three" in run.out and "SyntaxError" in run.out
    assert "alpha/one-plot.svg" in repo.generated()


def test_interrupted_build_is_redone_correctly(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    good = repo.generated()
    repo.add("alpha", "one", factor=7.0, body="import time; time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-m", "generators", "--jobs", "2"], cwd=repo.root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while not (repo.root / "build/cache/figures/tmp/alpha__one").exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    import os
    os.killpg(proc.pid, signal.SIGKILL)  # as hard as it gets: no cleanup code runs
    proc.wait()
    repo.add("alpha", "one", factor=7.0)
    run = repo.run()
    assert run.code == 0 and built(run) == {"alpha/one"}
    assert index(repo)["results"]["alpha/one_value"] == 7.0
    assert not (repo.root / "build/cache/figures/tmp").exists()
    assert repo.generated()["alpha/two-plot.svg"] == good["alpha/two-plot.svg"]


def test_two_cold_builds_are_byte_identical(repo: FakeRepo, tmp_path: Path) -> None:
    import shutil

    assert repo.run(env={"SOURCE_DATE_EPOCH": "1700000000"}).code == 0
    first = repo.generated()
    shutil.rmtree(repo.root / "build" / "cache")
    shutil.rmtree(repo.root / "content/generated")
    assert repo.run(env={"SOURCE_DATE_EPOCH": "1800000000"}).code == 0
    assert repo.generated() == first
    svg = first["alpha/one-plot.svg"].decode()
    assert "<dc:date>" not in svg


def test_a_draw_function_may_return_ready_svg_bytes(repo: FakeRepo) -> None:
    repo.write("generators/gamma/__init__.py", "")
    repo.write("generators/gamma/fig_graph.py", '''
        from generators.figure import Figure, Generator

        def draw(data, p, theme):
            return (f'<svg xmlns="http://www.w3.org/2000/svg" width="30pt" height="15pt">'
                    f'<text fill="{theme.fg}">{theme.name}</text></svg>').encode()

        GENERATOR = Generator(compute=lambda p: {}, figures=(
            Figure("graph", draw, caption="A graph.", alt="A graph drawn by another tool."),))
        ''')
    run = repo.run()
    assert run.code == 0, run.out
    files = repo.generated()
    assert b">light<" in files["gamma/graph.svg"] and b">dark<" in files["gamma/graph.dark.svg"]
    fig = index(repo)["figures"]["gamma/graph"]
    assert (fig["width"], fig["height"]) == (40.0, 20.0)  # 30pt x 15pt in CSS pixels


def test_exports_are_published_as_json_for_explorers(repo: FakeRepo) -> None:
    repo.write("generators/gamma/__init__.py", "")
    repo.write("generators/gamma/fig_data.py", '''
        from generators.figure import Export, Generator

        GENERATOR = Generator(compute=lambda p: {"xs": [3, 1, 2]}, exports=(
            Export("points", lambda d, p: {"sorted": sorted(d["xs"])}),))
        ''')
    run = repo.run()
    assert run.code == 0, run.out
    assert repo.generated()["gamma/points.json"] == b'{"sorted":[1,2,3]}'
    assert index(repo)["exports"]["gamma/points"] == {"file": "gamma/points.json", "bytes": 18}
