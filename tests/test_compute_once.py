"""Compute once: a lesson notebook reuses its generators' stored compute results.

The fake generators append a line to ``calls.log`` each time their compute really runs,
so a test can count trainings across the figure job and the notebook's kernel.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import types
from pathlib import Path

import cloudpickle
import pytest

from fakerepo import FakeRepo
from generators.build.pipeline import critical_path, priorities
from generators.figure import COMPUTE_RESULTS_ENV, Figure, Generator

COUNT = ('open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "calls.log"), '
         '"a").write(__name__ + "\\n")')


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    r.add("alpha", "one", body=COUNT)
    r.write("content/lessons/alpha.md", "# Alpha lesson\n\n{{ figure alpha/one-plot }}\n")
    return r


def calls(repo: FakeRepo) -> int:
    log = repo.root / "calls.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def built(run) -> set[str]:
    return {ln.split()[1] for ln in run.lines("built")}


def kept_objects(repo: FakeRepo, gen_id: str) -> list[Path]:
    manifest = json.loads((repo.root / "build/cache/figures/manifests"
                           / (gen_id.replace("/", "__") + ".json")).read_text())
    return [repo.root / "build/cache/figures/objects" / sha for sha in manifest["kept"].values()]


def test_a_cold_build_trains_once_and_the_notebook_shows_the_result(repo: FakeRepo) -> None:
    run = repo.run()
    assert run.code == 0, run.out
    assert built(run) == {"alpha/one", "notebook:alpha"}
    assert calls(repo) == 1  # the figure job trained; the notebook's kernel reused it
    text = repo.generated()["alpha/alpha.ipynb"].decode()
    assert "'one_value': 2.0" in text
    assert "GENERATOR.compute(params)" in text  # the student's cell is unchanged
    assert not [p for p in repo.generated() if ".pkl" in p or ".computed" in p]  # not published
    assert len(kept_objects(repo, "alpha/one")) == 1
    assert re.search(r"^figures: critical path \d+\.\d s \(alpha/one -> notebook:alpha\), "
                     r"worker time \d+\.\d s on 2 worker\(s\), wall \d+\.\d s$", run.out, re.M), run.out


@pytest.mark.parametrize("damage", ["corrupt", "delete"])
def test_without_a_good_stored_result_the_notebook_trains_and_is_byte_identical(
        repo: FakeRepo, damage: str) -> None:
    assert repo.run().code == 0 and calls(repo) == 1
    reused = repo.generated()["alpha/alpha.ipynb"]
    for obj in kept_objects(repo, "alpha/one"):
        obj.write_bytes(b"not a pickle") if damage == "corrupt" else obj.unlink()
    run = repo.run("--force", "notebook:alpha")
    assert run.code == 0, run.out
    assert built(run) == {"notebook:alpha"}
    assert calls(repo) == 2  # trained for real in the kernel
    assert repo.generated()["alpha/alpha.ipynb"] == reused


def test_a_changed_generator_reruns_both_and_the_notebook_gets_the_new_result(repo: FakeRepo) -> None:
    assert repo.run().code == 0 and calls(repo) == 1
    repo.add("alpha", "one", body=COUNT, factor=3.0)
    run = repo.run()
    assert built(run) == {"alpha/one", "notebook:alpha"}, run.out
    assert calls(repo) == 2  # once more, not twice
    assert "'one_value': 3.0" in repo.generated()["alpha/alpha.ipynb"].decode()


def test_an_override_reruns_both_and_the_notebook_reuses_the_new_result(repo: FakeRepo) -> None:
    assert repo.run().code == 0 and calls(repo) == 1
    repo.write("site_config/figures.yml", "alpha/one:\n  scale: 4\n")
    run = repo.run()
    assert built(run) == {"alpha/one", "notebook:alpha"}, run.out
    assert calls(repo) == 2
    assert "'one_value': 8.0" in repo.generated()["alpha/alpha.ipynb"].decode()


def test_a_failed_figure_job_means_the_notebook_trains_for_real(repo: FakeRepo) -> None:
    # draw fails in the figure job's worker, not in the notebook's kernel
    repo.add("alpha", "one", body=COUNT,
             draw="assert 'JPY_PARENT_PID' in os.environ, 'drawn outside a kernel'")
    run = repo.run()
    assert run.code == 1 and "error: generator alpha/one failed" in run.err, run.out
    assert built(run) == {"notebook:alpha"}
    assert calls(repo) == 2


def _declare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Generator, list[dict]]:
    """A Generator declared by a module named like a generator (generators.zeta.fig_demo)."""
    trained: list[dict] = []
    module = types.ModuleType("generators.zeta.fig_demo")

    def compute(p):
        trained.append(dict(p))
        return {"value": p["scale"] * 2}

    module.__dict__.update(compute=compute, Generator=Generator, Figure=Figure)
    exec("GENERATOR = Generator(compute=compute, params={'scale': 1.0, 'sizes': (1, 2)})",
         module.__dict__)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module.GENERATOR, trained


def _table(tmp_path: Path, gen_id: str, params: dict, result: object, sha: str | None = None) -> Path:
    blob = cloudpickle.dumps(result)
    (tmp_path / "r.pkl").write_bytes(blob)
    table = tmp_path / "table.json"
    table.write_text(json.dumps({gen_id: {"params": params, "file": "r.pkl",
                                          "sha256": sha or hashlib.sha256(blob).hexdigest()}}))
    return table


def test_compute_returns_the_stored_result_only_for_the_same_parameters(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen, trained = _declare(tmp_path, monkeypatch)
    params = {"scale": 1.0, "sizes": (1, 2)}
    assert gen.compute(params) == {"value": 2.0} and len(trained) == 1  # no table: trains
    monkeypatch.setenv(COMPUTE_RESULTS_ENV, str(_table(tmp_path, "zeta/demo", params, {"value": -1})))
    assert gen.compute(params) == {"value": -1} and len(trained) == 1  # reused
    assert gen.compute({"scale": 1, "sizes": (1, 2)}) == {"value": 2} and len(trained) == 2  # 1 != 1.0
    assert gen.compute({"scale": 3.0, "sizes": (1, 2)}) == {"value": 6.0} and len(trained) == 3
    monkeypatch.setenv(COMPUTE_RESULTS_ENV, str(_table(tmp_path, "zeta/other", params, {"value": -1})))
    assert gen.compute(params) == {"value": 2.0} and len(trained) == 4  # another generator's
    monkeypatch.setenv(COMPUTE_RESULTS_ENV, str(_table(tmp_path, "zeta/demo", params, {"value": -1},
                                                       sha="0" * 64)))
    assert gen.compute(params) == {"value": 2.0} and len(trained) == 5  # damaged: trains


def test_a_generator_declared_outside_a_generator_module_is_not_wrapped() -> None:
    def compute(p):
        return {}

    assert Generator(compute=compute).compute is compute


def test_priorities_start_a_notebooks_generators_first_and_the_critical_path_follows_them() -> None:
    from generators.build.cache import Inputs
    from generators.build.jobs import Job
    from generators.build.pipeline import Task

    def task(job_id: str, seconds: float, needs: tuple[str, ...] = ()) -> Task:
        job = Job(job_id, "lesson-notebook" if needs else "figures", job_id, (), needs=needs)
        return Task(job, Inputs({}, {}, {}, {}), {"seconds": seconds})

    todo = [task("a/big", 10.0), task("b/small", 3.0), task("notebook:b", 9.0, ("b/small",))]
    rank = priorities(todo)
    assert rank == {"a/big": 10.0, "b/small": 12.0, "notebook:b": 9.0}
    durations = {"a/big": 10.0, "b/small": 3.0, "notebook:b": 9.0}
    assert critical_path(durations, {"notebook:b": ("b/small",)}) == (12.0, ["b/small", "notebook:b"])
    assert critical_path({"notebook:b": 9.0}, {"notebook:b": ("b/small",)}) == (9.0, ["notebook:b"])
    assert critical_path({}, {}) == (0.0, [])


def test_a_notebook_waits_only_for_the_generators_it_runs(repo: FakeRepo) -> None:
    from generators.build.jobs import discover

    repo.add("alpha", "batch", extra="notebook=False,")
    repo.add("alpha", "later", extra="notebook=True,")
    job = discover(repo.root)["notebook:alpha"]
    assert job.generators == ("alpha/batch", "alpha/later", "alpha/one")
    assert job.needs == ("alpha/later", "alpha/one")  # the batch job is not run in the notebook
