"""Running figure jobs: time limits, workers that die, Ctrl-C, and what the build prints."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import psutil
import pytest

from fakerepo import FakeRepo
from generators.build.jobs import Job, declared_timeout
from generators.build.progress import clock, estimate

ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    r = FakeRepo(tmp_path / "repo")
    r.add("alpha", "one")
    r.add("alpha", "two")
    r.add("beta", "three")
    return r


def built(run) -> set[str]:
    return {ln.split()[1] for ln in run.lines("built")}


def test_a_hanging_generator_times_out_by_its_own_limit_and_the_others_are_published(repo):
    repo.add("alpha", "one", body="import time; time.sleep(600)", extra="timeout=3,")
    run = repo.run()
    assert run.code == 1
    assert built(run) == {"alpha/two", "beta/three"}
    assert ("error: generator alpha/one timed out after 3 s (its own timeout, "
            "Generator(timeout=...) in generators/alpha/fig_one.py; raise it there)\n") in run.err
    files = repo.generated()
    assert "alpha/two-plot.svg" in files and "beta/three-plot.svg" in files
    assert "alpha/one-plot.svg" not in files


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_default_time_limit_is_set_globally(repo, how):
    repo.add("alpha", "one", body="import time; time.sleep(600)")
    for lesson, name in (("alpha", "two"), ("beta", "three")):  # generous: a cold worker is slow
        repo.add(lesson, name, extra="timeout=600,")
    run = repo.run("--timeout", "3") if how == "option" else repo.run(env={"DLV_TIMEOUT": "3"})
    assert run.code == 1 and built(run) == {"alpha/two", "beta/three"}
    assert ("error: generator alpha/one timed out after 3 s (the default timeout; raise it with "
            "make TIMEOUT=SECONDS, or for this generator alone with Generator(timeout=...))"
            ) in run.err


def test_a_bad_time_limit_setting_is_a_configuration_error(repo):
    run = repo.run(env={"DLV_TIMEOUT": "soon"})
    assert run.code == 2 and "error: DLV_TIMEOUT='soon': must be a positive number" in run.err


@pytest.mark.parametrize("value, message", [
    ("LIMIT", "Generator(timeout=...) must be a number literal such as timeout=600 (seconds), "
              "got 'LIMIT': the build reads it without running the module"),
    ("-5", "Generator(timeout=...) must be a positive number of seconds, got -5"),
])
def test_a_timeout_that_is_not_a_positive_literal_fails_that_generator_naming_its_line(
        repo, value, message):
    path = repo.add("alpha", "one", imports="LIMIT = 60", extra=f"timeout={value},")
    line = next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if "timeout=" in ln)
    run = repo.run()
    assert run.code == 1 and built(run) == {"alpha/two", "beta/three"}
    assert f"error: generator alpha/one failed: generators/alpha/fig_one.py:{line}: {message}" in run.err


def test_declared_timeouts_are_read_without_importing(tmp_path):
    gen = tmp_path / "generators/x/fig_y.py"
    gen.parent.mkdir(parents=True)
    gen.write_text("raise SystemExit('never imported')\nGENERATOR = Generator(compute=f, timeout=90)\n")
    assert declared_timeout(tmp_path, gen) == (90.0, None)
    gen.write_text("GENERATOR = Generator(compute=f)\n")
    assert declared_timeout(tmp_path, gen) == (None, None)
    gen.write_text("def broken(:\n")  # the pipeline reports the SyntaxError itself
    assert declared_timeout(tmp_path, gen) == (None, None)


def test_a_lesson_notebook_may_run_as_long_as_its_generators_together(tmp_path):
    job = Job("notebook:x", "lesson-notebook", "x", (), generators=("x/a", "x/b"), timeouts=(90.0, None))
    assert job.limit(1800).seconds == 1890
    assert "the sum of its generators' timeouts" in job.limit(1800).why
    page = Job("page:explore", "page-notebook", "explore.ipynb", ())
    assert page.limit(60).seconds == 60 and "make TIMEOUT=SECONDS" in page.limit(60).why


def test_a_worker_killed_by_the_system_is_named_and_only_its_job_fails(repo):
    assert repo.run().code == 0
    good = repo.generated()
    repo.add("alpha", "one", body="import signal, time; time.sleep(1); os.kill(os.getpid(), signal.SIGKILL)")
    repo.add("beta", "three", factor=5.0)
    run = repo.run("--force")  # every job runs again: innocent ones are in flight
    assert run.code == 1
    assert "error: the worker running alpha/one died (killed by signal 9; out of memory?)\n" in run.err
    assert built(run) == {"alpha/two", "beta/three"}
    files = repo.generated()
    assert "alpha/one-plot.svg" not in files
    assert files["alpha/two-plot.svg"] == good["alpha/two-plot.svg"]
    assert files["beta/three-plot.svg"] != good["beta/three-plot.svg"]  # the new one, published


def test_a_worker_that_exits_is_named(repo):
    repo.add("alpha", "one", body="os._exit(3)")
    run = repo.run()
    assert run.code == 1 and built(run) == {"alpha/two", "beta/three"}
    assert "error: the worker running alpha/one died (exit status 3)" in run.err


def test_a_job_over_the_memory_limit_fails_with_memoryerror_named(repo):
    repo.add("alpha", "one", body="import numpy; numpy.ones(400 * 2**20)")  # 3.2 GB
    run = repo.run("--memory", "2000")
    assert run.code == 1 and built(run) == {"alpha/two", "beta/three"}
    assert ("error: generator alpha/one ran out of memory: over its limit of 2000 MB "
            "(raise it with make MEMORY=MB)") in run.err
    assert "MemoryError" in run.out  # the traceback says where


def kernels(procs: list[psutil.Process]) -> list[psutil.Process]:
    found = []
    for proc in procs:
        try:
            if "ipykernel" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def wait_for_kernel(proc: subprocess.Popen, seconds: float = 120) -> list[psutil.Process]:
    """The descendants of ``proc`` once a Jupyter kernel is among them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        family = psutil.Process(proc.pid).children(recursive=True)
        if kernels(family):
            return family
        time.sleep(0.1)
    out, err = proc.communicate() if proc.poll() is not None else ("", "")
    pytest.fail(f"no kernel started (exit {proc.poll()}):\n{out}{err}")


def kernel_folder(kernel: psutil.Process) -> Path:
    args = kernel.cmdline()
    return Path(args[args.index("-f") + 1]).parent


@pytest.fixture
def hanging(repo: FakeRepo) -> FakeRepo:
    """A lesson whose notebook hangs in its kernel, and a figure job that hangs in a worker."""
    # Hangs in draw: the notebook's compute reuses the figure job's result (compute once).
    repo.add("alpha", "one", draw="import time; time.sleep(600) if 'JPY_PARENT_PID' in os.environ else None")
    # In a lesson of its own: a notebook starts only after its lesson's generators.
    repo.add("gamma", "slow", body="import time; time.sleep(600)")
    repo.write("content/lessons/alpha.md", "# Alpha\n")
    return repo


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stopped_build_says_one_line_and_leaves_nothing_running(hanging, sig):
    proc = hanging.start()
    family = wait_for_kernel(proc)
    folders = [kernel_folder(k) for k in kernels(family)]
    os.killpg(proc.pid, sig)  # as a terminal sends Ctrl-C: to the whole foreground group
    stopped = time.monotonic()
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - stopped < 20  # "within a few seconds", generously
    assert proc.returncode == 128 + sig
    assert len(err.splitlines()) == 1 and err.startswith("interrupted: stopped "), err
    assert "job(s) are published" in err
    assert "Traceback" not in out + err
    _, alive = psutil.wait_procs(family, timeout=10)  # workers, resource tracker, kernels
    assert alive == [], alive
    assert folders and not any(f.exists() for f in folders)
    assert not (hanging.root / "build/cache/figures/tmp").exists()
    # What finished stays published with its manifest; the next build runs only the rest.
    hanging.add("alpha", "one")
    hanging.add("gamma", "slow")
    run = hanging.run()
    assert run.code == 0 and "alpha/two" not in built(run) and "beta/three" not in built(run)


@pytest.mark.slow  # waits out a 20-second limit
def test_a_notebook_over_its_time_limit_is_stopped_with_its_kernel(repo):
    repo.add("alpha", "one", extra="timeout=12,",
             draw="import time; time.sleep(600) if 'JPY_PARENT_PID' in os.environ else None")
    repo.add("alpha", "two", extra="timeout=8,")
    repo.write("content/lessons/alpha.md", "# Alpha\n")
    proc = repo.start()
    kernel = kernels(wait_for_kernel(proc))[0]
    folder = kernel_folder(kernel)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, out + err
    assert ("error: job notebook:alpha timed out after 20 s (the sum of its generators' timeouts; "
            "raise them with Generator(timeout=...) or make TIMEOUT=SECONDS)") in err
    assert "built   alpha/one" in out
    assert not kernel.is_running() and not folder.exists()


def test_output_in_a_log_is_plain_lines(repo):
    repo.add("beta", "three", body='raise RuntimeError("boom")')
    run = repo.run()
    assert run.code == 1
    assert not ANSI.search(run.out) and "\r" not in run.out
    lines = run.out.splitlines()
    assert lines[0] == "  running 3 job(s) on 2 worker(s)"
    assert {ln.split()[1] for ln in lines if ln.startswith("  built")} == {"alpha/one", "alpha/two"}
    assert re.search(r"^  FAILED  beta/three  \d+\.\d+s$", run.out, re.M)


def test_a_terminal_gets_a_progress_bar_with_an_estimate(repo):
    assert repo.run().code == 0  # the last build's timings give the estimate
    main, tty = pty.openpty()
    fcntl.ioctl(tty, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen([sys.executable, "-m", "generators", "--jobs", "2", "--force"],
                            cwd=repo.root, stdout=subprocess.PIPE, stderr=tty, env=repo.env(),
                            text=True)
    os.close(tty)
    screen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    out, _ = proc.communicate(timeout=300)
    os.close(main)
    assert proc.returncode == 0
    text = screen.decode()
    assert re.search(r"figures +\d+%\|.*\| \d/3 done, \d running, \d left, ETA \d+:\d\d", text), text
    assert re.search(r"running 3 job\(s\) on 2 worker\(s\); about \d+:\d\d by the last build's timings",
                     out), out


def test_estimate_deals_the_waiting_jobs_to_the_first_free_worker():
    assert estimate([], [], 2) == 0
    assert estimate([], [10, 5, 5], 2) == 10
    assert estimate([3], [10, 4], 2) == 10
    assert estimate([3, 8], [4], 2) == 8
    assert estimate([], [6, 6, 6], 1) == 18
    assert clock(75) == "1:15" and clock(3725) == "1:02:05"
