"""Running jobs in worker processes: time limits, workers that die, Ctrl-C.

- ``ProcessExecutor``: a ``concurrent.futures``-like executor (``submit(fn, *args,
  timeout=)`` returns a ``Future``; ``shutdown``) over pebble's ``ProcessPool``, which
  stops the worker of a job that exceeds its time limit and attributes a worker that
  dies to the one job it was running; the other jobs are not touched. Workers start
  clean (spawn) and are set up by ``worker.py``. ``dask_executor.DaskExecutor`` takes
  its place for ``dask://HOST:PORT`` (``new_executor``): same ``submit``/``shutdown``,
  and the errors ``outcome`` reads.
- ``outcome``: a job's result, or a failure that names it (timed out, worker died).
- ``Descendants``: remembers the processes the jobs started (Jupyter kernels run in a
  session of their own) and kills those a dead worker left behind.
- ``stop_signals``: SIGINT and SIGTERM become a request the pipeline acts on between
  jobs, so a stop never cuts a job's publishing in half; ``Interrupted`` reports it.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from generators.build import worker

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
WORKER_NAME = "pebble_pool_worker"  # how pebble names its worker processes


class Interrupted(KeyboardInterrupt):
    """The build was stopped by a signal after cleaning up; ``str()`` is the one line to print.

    A ``KeyboardInterrupt``, so callers that stop on Ctrl-C (``make serve``) need nothing new.
    """

    def __init__(self, signum: int, message: str) -> None:
        super().__init__(message)
        self.signum = signum
        self.status = 128 + signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Limit:
    """A job's time limit in seconds, and where it comes from (said when it is exceeded)."""

    seconds: float
    why: str


class ProcessExecutor:
    """Jobs in ``workers`` spawned processes; ``memory_mb`` caps each job's address space."""

    def __init__(self, workers: int, memory_mb: int | None = None) -> None:
        from pebble import ProcessPool

        self.memory_mb = memory_mb
        self._pool = ProcessPool(max_workers=workers, initializer=worker.initialize,
                                 context=multiprocessing.get_context("spawn"))

    def submit(self, fn: Callable[..., dict[str, Any]], *args: Any,
               timeout: float | None = None) -> Future:
        """Run ``fn(*args)`` in a worker; past ``timeout`` seconds its worker is stopped."""
        return self._pool.schedule(worker.call, args=(fn, args, self.memory_mb), timeout=timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Finish the queued jobs (or, with ``cancel_futures``, stop everything now)."""
        if cancel_futures:
            self._pool.stop()
            stop_workers()
        else:
            self._pool.close()
        if wait or cancel_futures:
            self._pool.join()


class WorkerLost(Exception):
    """A job's worker was lost elsewhere (a Dask worker died, the cluster dropped the job);
    ``str()`` says how. ``outcome`` reports it as a failure naming the job."""


def new_executor(spec: str | None, workers: int, memory_mb: int | None) -> Any:
    """The executor the pipeline runs its jobs on, named by ``spec`` (``$DLV_EXECUTOR``,
    ``make figures EXECUTOR=...``): empty or ``local`` for ``workers`` processes on this
    machine; ``dask://HOST:PORT`` for the Dask cluster with that scheduler
    (``dask_executor.DaskExecutor``; ``workers`` does not apply, the cluster's workers
    decide). ``ConfigError`` naming the value for anything else, or for a cluster that
    cannot be reached or used."""
    from generators.build.yamlfile import ConfigError

    spec = (spec or "").strip()
    if not spec or spec == "local":
        return ProcessExecutor(workers, memory_mb)
    if spec.startswith("dask://"):
        from generators.build.dask_executor import DaskExecutor, parse_address

        return DaskExecutor(parse_address(spec), memory_mb)
    raise ConfigError(f"EXECUTOR={spec!r}: not an executor this build knows "
                      "(local, or dask://HOST:PORT for a Dask scheduler)")


def stop_workers(grace: float = 2.0) -> None:
    """SIGTERM every pool worker at once, SIGKILL those still alive after ``grace`` seconds.

    (pebble stops them one after the other, waiting 3 s for each; a worker blocked in C
    code, such as one waiting on its kernel, would make Ctrl-C slow.)
    """
    import psutil

    procs = []
    for proc in multiprocessing.active_children():
        if proc.name == WORKER_NAME and proc.pid is not None:
            try:
                procs.append(psutil.Process(proc.pid))
            except psutil.Error:
                continue
    for proc in procs:
        try:
            proc.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass


def signal_name(code: int) -> str:
    try:
        return signal.Signals(code).name
    except ValueError:
        return f"signal {code}"


def outcome(future: Future, label: str, limit: Limit) -> dict[str, Any]:
    """What a finished job's future holds, as ``run_job`` reports it: ``{"ok": ...}``.

    A failure of the job's process gets a one-line ``message`` naming the job (``label``,
    e.g. "generator neurons/training"). Raises ``BrokenProcessPool`` if the pool itself
    failed (the job did nothing wrong and may be run again).
    """
    try:
        return future.result()
    except FutureTimeout:
        return {"ok": False, "seconds": limit.seconds,
                "error": f"timed out after {limit.seconds:g} s",
                "message": f"{label} timed out after {limit.seconds:g} s ({limit.why})"}
    except BrokenProcessPool:
        raise
    except Exception as exc:
        from pebble import ProcessExpired

        if isinstance(exc, ProcessExpired):
            code = exc.exitcode or 0
            how = (f"killed by signal {-code}"
                   + ("; out of memory?" if -code == signal.SIGKILL else f", {signal_name(-code)}")
                   if code < 0 else f"exit status {code}")
            job = label.split(" ", 1)[-1]
            where = getattr(exc, "where", "")  # " on Dask worker NAME" for a remote one
            return {"ok": False, "seconds": 0.0, "error": f"its worker died{where} ({how})",
                    "message": f"the worker running {job}{where} died ({how})"}
        if isinstance(exc, WorkerLost):
            return {"ok": False, "seconds": 0.0, "error": str(exc), "message": f"{label}: {exc}"}
        trace = getattr(exc, "traceback", None)  # raised in the worker: pebble keeps its traceback
        return {"ok": False, "seconds": 0.0, "error": f"{type(exc).__name__}: {exc}",
                **({"traceback": trace} if trace else {})}
    except BaseException as exc:  # SystemExit or KeyboardInterrupt raised by the job's own code
        trace = getattr(exc, "traceback", None)
        return {"ok": False, "seconds": 0.0, "error": f"{type(exc).__name__}: {exc}",
                **({"traceback": trace} if trace else {})}


class Descendants:
    """The processes that jobs started, so that none outlives the build.

    ``watch()`` (called often) records every descendant of the pool's workers; ``reap()``
    kills those that a stopped or dead worker left behind: still running, no longer ours.
    """

    def __init__(self) -> None:
        self.seen: dict[int, Any] = {}  # pid -> psutil.Process (which guards against pid reuse)

    def watch(self) -> None:
        import psutil

        for proc in multiprocessing.active_children():
            if proc.name != WORKER_NAME or proc.pid is None:
                continue
            try:
                for child in psutil.Process(proc.pid).children(recursive=True):
                    self.seen.setdefault(child.pid, child)
            except psutil.Error:
                continue

    def reap(self) -> None:
        import psutil

        try:
            ours = {p.pid for p in psutil.Process().children(recursive=True)}
        except psutil.Error:
            ours = set()
        left = []
        for pid, proc in list(self.seen.items()):
            try:
                if pid not in ours and proc.is_running():
                    proc.kill()
                    left.append(proc)
                elif not proc.is_running():
                    del self.seen[pid]
            except psutil.Error:
                del self.seen[pid]
        psutil.wait_procs(left, timeout=2)


@dataclass
class StopRequest:
    """Set by SIGINT/SIGTERM; ``immediate`` raises ``Interrupted`` in the handler instead
    (for stretches with nothing to clean up, such as waiting for the lock)."""

    signum: int | None = None
    immediate: bool = True
    message: str = "interrupted before any job started; nothing changed"


@contextmanager
def stop_signals() -> Iterator[StopRequest]:
    """Catch SIGINT and SIGTERM while the pipeline runs (main thread only); restore after."""
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return

    def handler(signum: int, frame: object) -> None:
        request.signum = request.signum or signum
        if request.immediate:
            request.immediate = False  # raise once; clean-up code is not interrupted again
            raise Interrupted(signum, request.message)

    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    for sig in STOP_SIGNALS:
        signal.signal(sig, handler)
    try:
        yield request
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
