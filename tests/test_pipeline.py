"""The figure pipeline: cache hits and misses, failures, atomicity, determinism.

Each promise of the cache contract has a test here that fails when the promise is
broken (checked by planting the bug): what rebuilds, what is restored, what is never
published, and that two pipelines never run at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from fakerepo import FakeRepo, REPO


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    # Relative imports, as generators/nn uses them: shared -> .helper -> .consts
    r.write("generators/shared/__init__.py", "from .helper import FACTOR\n")
    r.write("generators/shared/helper.py", "from .consts import BASE\n\nFACTOR = 3 * BASE\n")
    r.write("generators/shared/consts.py", "BASE = 1\n")
    r.write("site_config/data.txt", "1 2 3\n")
    r.add("alpha", "one")
    r.add("alpha", "two", imports="from generators.shared import FACTOR")
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
    assert re.search(r"^figures: 3 built, 0 up to date, 0 failed \(\d+\.\d s\)$", run.out, re.M)


def test_noop_rebuild_runs_nothing_touches_nothing_and_says_one_line(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    out = repo.root / "content/generated"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    run = repo.run()
    assert run.code == 0 and built(run) == set()
    assert re.fullmatch(r"figures: 3 up to date \(\d+\.\d s\)\n", run.out), run.out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "change, expected, reason",
    [
        (lambda r: r.add("alpha", "one", factor=5.0), {"alpha/one"},
         "generators/alpha/fig_one.py changed"),
        (lambda r: r.write("generators/shared/helper.py", "from .consts import BASE\nFACTOR = 4\n"),
         {"alpha/two"}, "generators/shared/helper.py changed"),
        (lambda r: r.write("generators/shared/consts.py", "BASE = 2\n"), {"alpha/two"},
         "generators/shared/consts.py changed"),
        (lambda r: r.write("site_config/figures.yml", "beta/three:\n  scale: 2\n"), {"beta/three"},
         "parameter scale override '<default>' -> 2"),
        (lambda r: r.write("site_config/data.txt", "4 5 6\n"), {"beta/three"},
         "data file site_config/data.txt changed"),
        (lambda r: r.write("generators/style.py", (r.root / "generators/style.py").read_text() + "\n# restyled\n"),
         {"alpha/one", "alpha/two", "beta/three"}, "generators/style.py changed"),
    ],
    ids=["generator-source", "imported-module", "relative-import", "parameter", "data-file",
         "shared-style"],
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
    for rel in ("generators/alpha/fig_one.py", "generators/shared/consts.py", "site_config/data.txt"):
        path = repo.root / rel
        os.utime(path, (1, 1))  # another time, same content
    run = repo.run()
    assert run.code == 0 and run.out.startswith("figures: 3 up to date"), run.out


def test_a_library_version_change_rebuilds(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    # An installed distribution's metadata, found first on the import path (the
    # repository root): to the pipeline, pygraphviz now has another version.
    dist = repo.root / "pygraphviz-0.0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pygraphviz\nVersion: 0.0.1\n")
    run = repo.run()
    assert run.code == 0, run.out
    assert built(run) == {"alpha/one", "alpha/two", "beta/three"}
    assert all(re.search(r"pygraphviz \S+ -> 0\.0\.1", ln) for ln in run.lines("built")), run.out


def test_the_import_memo_never_hides_a_source_change(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    repo.write("generators/shared/extra.py", "EXTRA = 1\n")
    repo.write("generators/shared/helper.py", "from . import extra\nfrom .consts import BASE\n\n"
                                              "FACTOR = 3 * BASE\n")
    run = repo.run()
    assert built(run) == {"alpha/two"} and "generators/shared/extra.py now imported" in run.out
    repo.write("generators/shared/extra.py", "EXTRA = 2\n")  # reached only through the new import
    run = repo.run()
    assert built(run) == {"alpha/two"} and "generators/shared/extra.py changed" in run.out
    repo.write("generators/shared/helper.py", "from .consts import BASE\n\nFACTOR = 3 * BASE\n")
    run = repo.run()  # the old source again: the memo must give its old imports back
    assert built(run) == {"alpha/two"}
    assert "generators/shared/extra.py no longer imported" in run.out


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
    repo.write("generators/shared/consts.py", "BASE = 2\n")  # the others have work to do too
    repo.add("beta", "three", factor=5.0)
    run = repo.run()
    assert run.code == 1
    assert built(run) == {"alpha/two", "beta/three"}  # every other job still finished
    assert "error: generator alpha/one failed: RuntimeError: boom in training" in run.err
    assert run.out.count("Traceback (most recent call last)") == 1  # printed once
    files = repo.generated()
    assert "alpha/one-plot.svg" not in files and "alpha/one-plot.dark.svg" not in files
    assert "alpha/two-plot.svg" in files and "beta/three-plot.svg" in files
    assert "alpha/one-plot" not in index(repo)["figures"]
    assert index(repo)["results"]["beta/three_value"] == 5.0  # published
    # The cache is not poisoned: reverting the source restores the last good outputs.
    repo.add("alpha", "one")
    run = repo.run()
    assert run.code == 0 and built(run) == set()
    assert "alpha/one-plot.svg" in repo.generated()


def test_a_figure_illegible_on_a_phone_fails_naming_it(
        repo: FakeRepo) -> None:
    assert repo.run().code == 0
    # A 9-inch-wide figure whose draw ignores theme.narrow: 4 px text in a phone's column.
    repo.add("alpha", "one", draw='import matplotlib.pyplot as plt; fig, ax = plt.subplots(figsize=(9, 2)); '
                                  'ax.set_title("wide"); return fig')
    run = repo.run()
    assert run.code == 1
    assert ("error: generator alpha/one failed: FitError: figure alpha/one-plot: on a 320-px phone "
            "its smallest text would show at") in run.err
    assert "ignores theme.narrow" in run.err
    assert built(run) == set()
    assert "alpha/two-plot.svg" in repo.generated()  # the other figures stay published


def test_nan_result_fails_the_generator(repo: FakeRepo) -> None:
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


class Lines:
    """The lines a running process prints, read in a thread so a test can wait for one."""

    def __init__(self, stream) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, text: str, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if text in line:
                return line
        pytest.fail(f"{text!r} never printed; got:\n{''.join(self.seen)}")


def wait_until(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def test_a_killed_build_is_redone_correctly(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    good = repo.generated()
    # alpha/one writes its light figure, then hangs drawing the dark one; beta/three finishes.
    repo.add("alpha", "one", factor=7.0,
             draw="import time; time.sleep(600) if theme.name == 'dark' else None")
    repo.add("beta", "three", factor=9.0)
    proc = repo.start()
    try:
        Lines(proc.stdout).wait_for("built   beta/three")
        partial = repo.root / "build/cache/figures/tmp/alpha__one/alpha/one-plot.svg"
        wait_until(partial.exists, "alpha/one to write its first figure")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # as hard as it gets: no cleanup code runs
        proc.wait()
    files = repo.generated()
    assert files["alpha/one-plot.svg"] == good["alpha/one-plot.svg"]  # the old one, whole
    assert files["beta/three-plot.svg"] != good["beta/three-plot.svg"]  # finished: published
    manifest = json.loads((repo.root / "build/cache/figures/manifests/beta__three.json").read_text())
    assert manifest["outputs"]["beta/three-plot.svg"] == published_sha(repo, "beta/three-plot.svg")
    repo.add("alpha", "one", factor=7.0)
    run = repo.run()
    assert run.code == 0 and built(run) == {"alpha/one"}, run.out  # beta/three's manifest was kept
    assert index(repo)["results"]["alpha/one_value"] == 7.0
    assert not (repo.root / "build/cache/figures/tmp").exists()
    assert repo.generated()["alpha/two-plot.svg"] == good["alpha/two-plot.svg"]


KILL_MID_WRITE = """
import builtins, io, os, signal, sys

def half(fh, name):
    if "content/generated/" not in str(name) or "one-plot.svg" not in str(name):
        return fh
    class Half:  # writes half of the data, then the whole process group is killed
        def __enter__(self): return self
        def __exit__(self, *exc): fh.close()
        def __getattr__(self, attr): return getattr(fh, attr)
        def write(self, data):
            fh.write(data[: len(data) // 2]); fh.flush(); os.killpg(0, signal.SIGKILL)
    return Half()

real_fdopen, real_open = os.fdopen, builtins.open
os.fdopen = lambda fd, *a, **k: half(real_fdopen(fd, *a, **k), os.readlink(f"/proc/self/fd/{fd}"))
builtins.open = io.open = lambda file, *a, **k: half(real_open(file, *a, **k), file)
from generators.__main__ import main
sys.exit(main())
"""


def test_a_kill_mid_write_leaves_the_published_file_whole(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    good = repo.generated()
    manifest = (repo.root / "build/cache/figures/manifests/alpha__one.json").read_bytes()
    repo.add("alpha", "one", factor=7.0)
    proc = repo.start(command=("-c", KILL_MID_WRITE))
    proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGKILL  # it was killed while publishing alpha/one
    files = repo.generated()
    assert files["alpha/one-plot.svg"] == good["alpha/one-plot.svg"]
    assert (repo.root / "build/cache/figures/manifests/alpha__one.json").read_bytes() == manifest
    run = repo.run()
    assert run.code == 0 and built(run) == {"alpha/one"}, run.out
    assert index(repo)["results"]["alpha/one_value"] == 7.0
    assert not [f for f in repo.generated() if f.endswith(".tmp")]  # half-written temp files go


def test_atomic_write_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "content/generated/alpha/one-plot.svg"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old" * 1000)
    script = KILL_MID_WRITE.replace("from generators.__main__ import main\nsys.exit(main())", textwrap.dedent(f"""
        from pathlib import Path
        from generators.build.cache import atomic_write
        atomic_write(Path({str(target)!r}), b"new" * 1000)
        """))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, process_group=0,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"old" * 1000


def test_two_pipelines_never_run_at_once_on_one_checkout(repo: FakeRepo) -> None:
    lock_path = repo.root / "build/cache/figures/lock"
    lock_path.parent.mkdir(parents=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build holds the checkout
        proc = repo.start()
        first = proc.stdout.readline()
        assert first.startswith("figures: waiting for another build of this checkout"), first
        assert not (repo.root / "content/generated").exists()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "figures: 3 built" in out, out + err


def published_sha(repo: FakeRepo, rel: str) -> str:
    return hashlib.sha256((repo.root / "content/generated" / rel).read_bytes()).hexdigest()


def test_an_output_deleted_with_no_stored_copy_is_rebuilt(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    manifest = json.loads((repo.root / "build/cache/figures/manifests/alpha__one.json").read_text())
    sha = manifest["outputs"]["alpha/one-plot.svg"]
    (repo.root / "content/generated/alpha/one-plot.svg").unlink()
    (repo.root / "build/cache/figures/objects" / sha).unlink()
    run = repo.run()
    assert run.code == 0 and built(run) == {"alpha/one"} and "(output missing)" in run.out
    assert published_sha(repo, "alpha/one-plot.svg") == sha


def test_a_truncated_object_is_detected_by_its_hash_and_not_republished(repo: FakeRepo) -> None:
    assert repo.run().code == 0
    manifest = json.loads((repo.root / "build/cache/figures/manifests/alpha__one.json").read_text())
    sha = manifest["outputs"]["alpha/one-plot.svg"]
    obj = repo.root / "build/cache/figures/objects" / sha
    obj.write_bytes(obj.read_bytes()[:100])  # a disk filled up, a copy cut short
    (repo.root / "content/generated/alpha/one-plot.svg").unlink()
    run = repo.run()
    assert run.code == 0 and built(run) == {"alpha/one"}, run.out
    assert published_sha(repo, "alpha/one-plot.svg") == sha
    assert hashlib.sha256(obj.read_bytes()).hexdigest() == sha  # the store is mended too


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
