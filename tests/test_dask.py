"""The figure jobs on a Dask distributed cluster (issue 16): same bytes, clear errors.

A ``distributed.LocalCluster`` with two worker processes is started from a fake
repository's checkout (as an instructor starts workers from a checkout of the course),
and the pipeline is pointed at it with ``DLV_EXECUTOR=dask://HOST:PORT``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fakerepo import FakeRepo

pytest.importorskip("distributed", reason="dask distributed is not installed "
                                          "(pip install -r requirements.txt)")

CLUSTER = textwrap.dedent("""
    import sys
    import dask
    from distributed import LocalCluster

    # Job processes are children of the worker; a job that kills its worker fails at once.
    dask.config.set({"distributed.worker.daemon": False,
                     "distributed.scheduler.allowed-failures": 0})
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, scheduler_port=0) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the test closes it
""")


def good(repo: FakeRepo) -> None:
    repo.write("generators/shared/__init__.py", "FACTOR = 3\n")
    repo.write("site_config/data.txt", "1 2 3\n")
    repo.add("alpha", "one")
    repo.add("alpha", "two", imports="from generators.shared import FACTOR", factor=3.0)
    repo.add("beta", "three", data_files='"site_config/data.txt",',
             body='open(os.path.join(os.getcwd(), "site_config/data.txt")).read()')


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """(fake repository, a local copy of it, scheduler address): workers import its code."""
    base = tmp_path_factory.mktemp("dask")
    repo = FakeRepo(base / "repo")
    good(repo)
    repo.add("bad", "raises", body='raise RuntimeError("boom on purpose")')
    repo.add("bad", "dies", body="os._exit(3)")
    twin = base / "twin"
    shutil.copytree(repo.root, twin)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CLUSTER], cwd=repo.root, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(repo.root),
                                 "DLV_TEST_ON_DASK": "1"})
    address = proc.stdout.readline().strip()
    assert address.startswith("tcp://"), "the LocalCluster did not start"
    print(f"\nLocalCluster with 2 workers up in {time.perf_counter() - start:.1f} s")
    twin_repo = FakeRepo.__new__(FakeRepo)  # a copy made before any build: for the local build
    twin_repo.root = twin
    yield repo, twin_repo, twin, address
    proc.stdin.close()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_dask_build_publishes_the_same_bytes_names_failures_and_resumes_locally(cluster) -> None:
    repo, twin_repo, _, address = cluster
    start = time.perf_counter()
    run = repo.run(env={"DLV_EXECUTOR": "dask://" + address.removeprefix("tcp://")})
    seconds = time.perf_counter() - start
    print(f"\ndistributed build of 5 generators: {seconds:.1f} s")
    assert run.code != 0
    built = {ln.split()[1] for ln in run.lines("built")}
    assert built == {"alpha/one", "alpha/two", "beta/three"}, run.out
    assert "generator bad/raises failed: RuntimeError: boom on purpose" in run.out
    assert "raise RuntimeError(\"boom on purpose\")" in run.out  # its traceback
    assert "the worker running bad/dies on Dask worker" in run.out and "(exit status 3)" in run.out
    files = repo.generated()
    assert not any(name.startswith("bad/") for name in files)  # nothing partial

    start = time.perf_counter()
    local = twin_repo.run()
    print(f"local build of the same: {time.perf_counter() - start:.1f} s")
    assert {ln.split()[1] for ln in local.lines("built")} == built
    assert twin_repo.generated() == files  # byte-identical, the index too

    again = repo.run()  # local, from the cache the distributed build filled
    assert {ln.split()[1] for ln in again.lines("built")} == set(), again.out
    assert len(again.lines("FAILED")) == 2 and "3 up to date" in again.out


def test_the_cluster_s_threads_set_how_many_jobs_are_in_flight(cluster) -> None:
    """Two workers of one thread each: two jobs at a time, whatever this machine's CPU
    count (the pipeline's default for local workers); ``--jobs`` still overrides it."""
    from distributed import Client

    from generators.build.dask_executor import DaskExecutor

    with Client(cluster[3], set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)
    executor = DaskExecutor(cluster[3])
    try:
        assert executor.slots == 2
    finally:
        executor.shutdown()
    repo, address = cluster[0], cluster[3]
    one = repo.run("--jobs", "1", "--force", "alpha/one", "alpha/two",
                   env={"DLV_EXECUTOR": "dask://" + address.removeprefix("tcp://")})
    assert "on 1 worker(s)" in one.out, one.out


def test_unreachable_scheduler_is_named_and_nothing_changes(tmp_path: Path) -> None:
    repo = FakeRepo(tmp_path / "repo")
    good(repo)
    assert repo.run().code == 0
    before = repo.generated()
    repo.add("alpha", "one", factor=5.0)  # out of date: its last good output must stay
    run = repo.run(env={"DLV_EXECUTOR": "dask://127.0.0.1:9",
                        "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert run.code != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2 s" in run.out, run.out
    assert run.lines("built") == [] and repo.generated() == before


def test_a_bad_executor_value_is_named(tmp_path: Path) -> None:
    repo = FakeRepo(tmp_path / "repo")
    good(repo)
    run = repo.run(env={"DLV_EXECUTOR": "dask://nohost"})
    assert run.code != 0 and "EXECUTOR='dask://nohost'" in run.out and "dask://HOST:PORT" in run.out
    assert not (repo.root / "content/generated/alpha").exists()


def test_other_library_versions_on_the_workers_are_refused(cluster, monkeypatch) -> None:
    from generators.build import cache
    from generators.build.dask_executor import DaskExecutor
    from generators.build.yamlfile import ConfigError

    real = cache.library_versions()
    monkeypatch.setattr(cache, "library_versions", lambda: {**real, "numpy": "0.0.1"})
    with pytest.raises(ConfigError) as err:
        DaskExecutor(cluster[3])
    message = str(err.value)
    assert f"numpy {real['numpy']}, this machine 0.0.1" in message and "Dask worker tcp://" in message


def test_a_worker_checkout_that_differs_fails_the_job_naming_the_file(cluster, tmp_path) -> None:
    from generators.build.dask_executor import DaskExecutor
    from generators.build.jobs import run_job

    repo, _, _, address = cluster
    other = tmp_path / "other"
    shutil.copytree(repo.root, other, ignore=shutil.ignore_patterns("build", "generated"))
    (other / "generators/alpha/fig_one.py").write_text("# edited here, not on the workers\n")
    executor = DaskExecutor(address)
    try:
        fut = executor.submit(run_job, "figures", str(other), "generators.alpha.fig_one",
                              "alpha/one", {}, str(tmp_path / "out"), None, timeout=60)
        res = fut.result(timeout=60)
    finally:
        executor.shutdown()
    assert not res["ok"]
    assert "generator alpha/one cannot run on the Dask cluster" in res["message"]
    assert "generators/alpha/fig_one.py differs (worker sha256" in res["message"]


def test_a_dask_worker_that_dies_mid_job_fails_that_job_naming_it(cluster, tmp_path) -> None:
    """Its job kills the Dask worker process running it (as the OOM killer would)."""
    from generators.build.dask_executor import DaskExecutor
    from generators.build.jobs import run_job
    from generators.build.runner import Limit, outcome

    repo, _, _, address = cluster
    repo.add("bad", "killer", body='import signal\n    if os.environ.get("DLV_TEST_ON_DASK"): '
                                   'os.kill(os.getppid(), signal.SIGKILL)')
    executor = DaskExecutor(address)
    try:
        fut = executor.submit(run_job, "figures", str(repo.root), "generators.bad.fig_killer",
                              "bad/killer", {}, str(tmp_path / "out"), None, timeout=60)
        res = outcome(fut, "generator bad/killer", Limit(60, "test"))
    finally:
        executor.shutdown()
    assert not res["ok"]
    assert res["message"].startswith("generator bad/killer: a Dask worker died running it"), res
    print(res["message"])
    assert "tcp://" in res["message"]  # the worker
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_stopped_build_stops_its_jobs_on_the_workers(cluster, tmp_path) -> None:
    """Ctrl-C (``shutdown(cancel_futures=True)``): the running job's process ends at once."""
    from distributed import Client

    from generators.build import dask_executor
    from generators.build.dask_executor import DaskExecutor
    from generators.build.jobs import run_job

    repo, _, _, address = cluster
    repo.add("slow", "sleeper", body="import time\n    time.sleep(120)")
    executor = DaskExecutor(address)
    fut = executor.submit(run_job, "figures", str(repo.root), "generators.slow.fig_sleeper",
                          "slow/sleeper", {}, str(tmp_path / "out"), None, timeout=300)

    with Client(address, timeout=10) as client:
        def running() -> int:
            return sum(client.run(lambda: len(dask_executor._RUNNING)).values())

        deadline = time.monotonic() + 30
        while running() == 0:
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.2)
        start = time.monotonic()
        executor.shutdown(cancel_futures=True)
        while running():
            assert time.monotonic() - start < 10, "the job still runs on its worker"
            time.sleep(0.2)
    if fut.done():  # stopped, never reported as built
        assert fut.exception() is not None or not fut.result()["ok"]

