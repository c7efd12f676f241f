"""Run the pipeline's jobs on a Dask distributed cluster (``make figures EXECUTOR=dask://HOST:PORT``).

``DaskExecutor`` keeps the contract of ``runner.ProcessExecutor`` (``submit(fn, *args,
timeout=)`` returns a ``concurrent.futures.Future``; ``shutdown``), so the pipeline plans,
caches and publishes exactly as it does for local jobs. Distributed does the scheduling,
through the ``concurrent.futures`` executor of its ``Client``; nothing here schedules.

On a worker each job runs the way a local one does: in a clean child process of a
``pebble`` pool on the worker machine (``worker.call``: the job's time limit, its memory
limit, its Jupyter kernels killed after), with the job's ``root`` replaced by the
worker's own checkout (the repository its ``generators`` package is imported from) and
``out_dir`` by a temporary folder there. The worker sends back the job's result with
the bytes of the files it wrote; here they are written into the ``out_dir`` the pipeline
gave, which then stores and publishes them as it does local ones (the same bytes).

Workers need the same code and the same pinned environment as this machine (both are
part of the cache key). On connect every worker is asked for its library versions
(``cache.library_versions()``) and whether it can run jobs at all; before the first job
of a checkout, and again with every job, the worker's checkout is compared file by file
(SHA-256 of ``generators/**/*.py`` and the lesson pages and notebooks under
``content/``) with this one; data files a job read are compared with the local ones when
its result comes back. A difference is a clear error naming the worker, the package or
file and both versions.

A stopped build (Ctrl-C) also stops its running jobs' processes on the workers
(``cancel_jobs``); a closing worker stops its job processes (``JobPools``).
"""

from __future__ import annotations

import hashlib
import inspect
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from generators.build import cache, worker
from generators.build.runner import WorkerLost
from generators.build.yamlfile import ConfigError

CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler (or $DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
WORKERS_TIMEOUT = 30.0  # seconds to wait for the first worker to join
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
HOW_TO_START = ("start each worker from a checkout of this repository at the same commit, in "
                "the same pinned environment (pip install -r requirements.txt): cd REPO && "
                "DASK_DISTRIBUTED__WORKER__DAEMON=False PYTHONPATH=$PWD .venv/bin/dask worker "
                "tcp://HOST:PORT")


def parse_address(spec: str) -> str:
    """``dask://HOST:PORT`` -> ``tcp://HOST:PORT``; ``ConfigError`` naming the value otherwise."""
    rest = spec.removeprefix("dask://")
    host, sep, port = rest.rpartition(":")
    if not spec.startswith("dask://") or not sep or not host or not port.isdigit() or "/" in rest:
        raise ConfigError(f"EXECUTOR={spec!r}: a Dask scheduler is named dask://HOST:PORT, "
                          "e.g. dask://10.0.0.5:8786")
    return f"tcp://{host}:{port}"


def checkout_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of the files of a checkout that a job's code and pages come from.

    ``generators/**/*.py`` and the Markdown pages and notebooks under ``content/`` (not
    ``content/generated/``, the build's own output), by repository-relative path.
    """
    files = [p for p in (root / "generators").rglob("*.py") if "__pycache__" not in p.parts]
    content = root / "content"
    if content.is_dir():
        for pattern in ("*.md", "*.ipynb"):
            files += [p for p in content.rglob(pattern)
                      if not p.relative_to(content).as_posix().startswith("generated/")
                      and ".ipynb_checkpoints" not in p.parts]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(files)}


def compare_checkouts(local: dict[str, str], remote: dict[str, str], limit: int = 3) -> list[str]:
    """How the worker's checkout ``remote`` differs from ``local``: one phrase per file."""
    diffs = []
    for path in sorted(set(local) | set(remote)):
        if path not in remote:
            diffs.append(f"{path} is missing there")
        elif path not in local:
            diffs.append(f"{path} exists only there")
        elif local[path] != remote[path]:
            diffs.append(f"{path} differs (worker sha256 {remote[path][:12]}, "
                         f"local {local[path][:12]})")
    if len(diffs) > limit:
        diffs = diffs[:limit] + [f"{len(diffs) - limit} more"]
    return diffs


def worker_root() -> Path:
    """The checkout this process imports ``generators`` from."""
    import generators

    return Path(generators.__file__).resolve().parents[1]


def probe() -> dict[str, Any]:
    """What the local side checks on connect; runs on every worker (``Client.run``)."""
    import multiprocessing

    return {"versions": cache.library_versions(), "root": str(worker_root()),
            "daemon": bool(multiprocessing.current_process().daemon)}


def probe_checkout() -> dict[str, str]:
    """The worker's ``checkout_hashes`` (``Client.run``)."""
    return checkout_hashes(worker_root())


# --- on the worker -----------------------------------------------------------------------

_POOLS: dict[str, Any] = {}  # checkout digest -> pebble pool (fresh imports when code changes)
_POOLS_LOCK = threading.Lock()
_RUNNING: dict[str, Any] = {}  # job token -> its pebble future, while it runs here


def _pool(digest: str) -> Any:
    """This worker's pool of job processes for code ``digest`` (one process per thread)."""
    import multiprocessing

    from pebble import ProcessPool

    with _POOLS_LOCK:
        if digest not in _POOLS:
            for old in _POOLS.values():  # the code changed: its processes imported the old one
                old.close()
            _POOLS.clear()
            try:
                from distributed import get_worker

                size = get_worker().state.nthreads
            except (ImportError, ValueError, AttributeError):
                size = 1
            _POOLS[digest] = ProcessPool(max_workers=max(1, size), initializer=worker.initialize,
                                         context=multiprocessing.get_context("spawn"))
        return _POOLS[digest]


def stop_pools() -> None:
    """Stop this worker's job processes (when the Dask worker closes: they would keep it alive)."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.stop()
            pool.join(timeout=5)
        _POOLS.clear()


try:
    from distributed import WorkerPlugin
except ImportError:  # the local side reports it when a dask:// executor is asked for
    WorkerPlugin = object  # type: ignore[assignment,misc]


class JobPools(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Registered by ``DaskExecutor`` on every worker: its job processes end with it."""

    name = "dlv-job-pools"

    def teardown(self, worker: Any) -> None:
        stop_pools()


def _digest(hashes: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()


def run_remote(fn: Callable[..., dict[str, Any]], args: tuple, names: dict[str, int],
               timeout: float | None, memory_mb: int | None, expected: dict[str, str],
               env: dict[str, str], token: str) -> dict[str, Any]:
    """Run job ``fn(*args)`` on this Dask worker as a local worker would; never raises.

    ``names``: positions of ``root``, ``out_dir`` and ``scratch`` in ``args``, replaced by
    this worker's checkout and temporary folders. ``expected``: the local checkout's
    hashes; ``token``: names the job for ``cancel_jobs``. Returns ``{"kind": "result", "result": ..., "files": {rel: bytes}}``, or
    ``{"kind": ...}`` for a checkout that differs, a timeout, a dead job process, an error.
    """
    import traceback

    from pebble import ProcessExpired

    where = _where()
    root = worker_root()
    mine = checkout_hashes(root)
    diffs = compare_checkouts(expected, mine)
    if diffs:
        return {"kind": "mismatch", "worker": where,
                "detail": f"its checkout {root} differs from this one: {'; '.join(diffs)}"}
    for var, value in env.items():
        os.environ[var] = value  # the job processes inherit these (BLAS threads)
    args = list(args)
    out = Path(tempfile.mkdtemp(prefix="dlv-dask-out-"))
    scratch = tempfile.mkdtemp(prefix="dlv-k-") if args[names["scratch"]] else None
    args[names["root"]], args[names["out_dir"]] = str(root), str(out)
    if scratch:
        args[names["scratch"]] = scratch
    try:
        fut = _pool(_digest(mine)).schedule(worker.call, args=(fn, tuple(args), memory_mb),
                                            timeout=timeout)
        _RUNNING[token] = fut
        try:
            res = fut.result()
        except FutureTimeout:
            return {"kind": "timeout", "worker": where}
        except ProcessExpired as exc:
            return {"kind": "died", "worker": where, "exitcode": exc.exitcode}
        except BaseException as exc:
            trace = getattr(exc, "traceback", None) or traceback.format_exc()
            return {"kind": "error", "worker": where, "error": f"{type(exc).__name__}: {exc}",
                    "traceback": trace}
        files = {}
        if res.get("ok"):
            # Published outputs, and files only stored (a generator's compute result).
            files = {rel: (out / rel).read_bytes() for rel in [*res["outputs"], *res.get("kept", [])]}
        return {"kind": "result", "worker": where, "result": res, "files": files}
    finally:
        _RUNNING.pop(token, None)
        shutil.rmtree(out, ignore_errors=True)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def cancel_jobs(tokens: list[str]) -> int:
    """Stop the process of each of these jobs running on this worker (``Client.run``, on
    Ctrl-C: Dask cannot interrupt a running task); returns how many were stopped."""
    stopped = 0
    for token in tokens:
        fut = _RUNNING.get(token)
        if fut is not None and fut.cancel():  # pebble stops the job's process
            stopped += 1
    return stopped


def _where() -> str:
    try:
        from distributed import get_worker

        w = get_worker()
        return f"{w.name} ({w.address})" if str(w.name) != w.address else w.address
    except (ImportError, ValueError):
        return "?"


# --- on this machine ---------------------------------------------------------------------


class DaskExecutor:
    """Jobs on the Dask cluster whose scheduler is at ``address`` (``tcp://HOST:PORT``).

    Raises ``ConfigError`` (before any job runs) if the scheduler cannot be reached, no
    worker joins, or a worker cannot run jobs or has other library versions.
    """

    def __init__(self, address: str, memory_mb: int | None = None, *,
                 connect_timeout: float = CONNECT_TIMEOUT,
                 workers_timeout: float = WORKERS_TIMEOUT) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError(f"EXECUTOR=dask://...: the dask and distributed packages are not "
                              "installed here (pip install -r requirements.txt)") from None
        self.address = address
        self.memory_mb = memory_mb
        if os.environ.get("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"):  # Dask's own setting
            import dask
            from dask.utils import parse_timedelta

            connect_timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
        try:
            self._client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"EXECUTOR=dask://{address.removeprefix('tcp://')}: cannot reach the "
                              f"Dask scheduler at {address} within {connect_timeout:g} s "
                              f"({type(exc).__name__}: {exc}); is `dask scheduler` running "
                              "there, and the port open?") from None
        try:
            self._check_workers(workers_timeout)
        except BaseException:
            self._client.close()
            raise
        self._client.register_plugin(JobPools())
        self._executor = self._client.get_executor(pure=False)
        self._checked: dict[str, dict[str, str]] = {}  # local root -> its checkout hashes
        self._futures: dict[Any, str] = {}  # Dask future -> its job's token
        self._lock = threading.Lock()

    @property
    def slots(self) -> int:
        """Jobs the cluster runs at a time: its workers' threads (each a job process), at
        least 1. The pipeline keeps this many jobs in flight unless ``--jobs`` says otherwise."""
        workers = self._client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def _check_workers(self, timeout: float) -> None:
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ConfigError(f"the Dask scheduler at {self.address} has no worker (waited "
                              f"{timeout:g} s); {HOW_TO_START}") from None
        local = cache.library_versions()
        errors = []
        for addr, info in sorted(self._client.run(probe).items()):
            if info["daemon"]:
                errors.append(f"Dask worker {addr} runs as a daemon process, which may not start "
                              "the job processes: start it with DASK_DISTRIBUTED__WORKER__DAEMON=False")
            for lib in sorted(set(local) | set(info["versions"])):
                theirs, ours = info["versions"].get(lib, "-"), local.get(lib, "-")
                if theirs != ours:
                    errors.append(f"Dask worker {addr} has {lib} {theirs}, this machine {ours}: "
                                  "the versions are part of the cache key; install the pinned "
                                  "requirements.txt on the workers")
        if errors:
            raise ConfigError(*errors)

    def _check_checkout(self, root: str) -> dict[str, str]:
        """The local checkout's hashes; ``ConfigError`` if a worker's checkout differs."""
        if root not in self._checked:
            local = checkout_hashes(Path(root))
            errors = []
            for addr, remote in sorted(self._client.run(probe_checkout).items()):
                diffs = compare_checkouts(local, remote)
                if diffs:
                    errors.append(f"Dask worker {addr}: its checkout differs from {root}: "
                                  f"{'; '.join(diffs)}; update it (git pull) or {HOW_TO_START}")
            if errors:
                raise ConfigError(*errors)
            self._checked[root] = local
        return self._checked[root]

    def check(self, root: str | Path) -> None:
        """Compare every worker's checkout with ``root`` now; ``ConfigError`` naming the files."""
        self._check_checkout(str(Path(root).resolve()))

    def submit(self, fn: Callable[..., dict[str, Any]], *args: Any,
               timeout: float | None = None) -> Future:
        """Run job ``fn(*args)`` on a worker; its files land in the ``out_dir`` of ``args``.

        ``fn`` takes ``root``, ``out_dir`` and ``scratch`` parameters (``jobs.run_job``).
        A checkout that differs fails the job (naming the worker and the files).
        """
        params = list(inspect.signature(fn).parameters)
        names = {n: params.index(n) for n in ("root", "out_dir", "scratch")}
        padded = list(args) + [None] * (len(params) - len(args))
        root, out_dir = padded[names["root"]], padded[names["out_dir"]]
        result: Future = Future()
        try:
            expected = self._check_checkout(str(root))
        except ConfigError as exc:
            result.set_result({"ok": False, "seconds": 0.0, "error": str(exc), "message":
                               f"{_label(args)} cannot run on the Dask cluster: {exc}"})
            return result
        env = {v: os.environ[v] for v in BLAS_THREADS if v in os.environ}
        token = uuid.uuid4().hex
        remote = self._executor.submit(run_remote, fn, tuple(padded), names, timeout,
                                       self.memory_mb, expected, env, token)
        with self._lock:
            self._futures[remote] = token

        def done(remote: Future) -> None:
            with self._lock:
                self._futures.pop(remote, None)
            if not result.set_running_or_notify_cancel():
                return
            try:
                _deliver(result, remote, Path(out_dir), Path(str(root)), _label(args), timeout)
            except BaseException as exc:  # never leave the pipeline waiting
                if not result.done():
                    result.set_exception(exc)

        remote.add_done_callback(done)
        return result

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Wait for the submitted jobs (or stop those not finished) and disconnect."""
        with self._lock:
            futures = dict(self._futures)
        if cancel_futures and futures:
            for fut in futures:
                fut.cancel()
            try:  # the running ones too: their processes on the workers
                self._client.run(cancel_jobs, list(futures.values()))
            except Exception:  # noqa: BLE001 - a worker gone already has nothing to stop
                pass
        self._executor.shutdown(wait=wait and not cancel_futures)
        self._client.close()


def _label(args: tuple) -> str:
    kind, job_id = args[0], args[3]
    return f"generator {job_id}" if kind == "figures" else f"job {job_id}"


def _deliver(result: Future, remote: Future, out_dir: Path, root: Path, label: str,
             timeout: float | None) -> None:
    """Turn what ``run_remote`` sent back into what ``runner.outcome`` reads."""
    from pebble import ProcessExpired

    try:
        reply = remote.result()
    except Exception as exc:
        name = type(exc).__name__
        if name == "KilledWorker":  # the Dask worker process itself died running it
            result.set_exception(WorkerLost(f"a Dask worker died running it: {exc}"))
        elif name in ("CancelledError", "FutureCancelledError"):
            result.set_exception(WorkerLost(f"the Dask cluster dropped it ({name}: {exc}); "
                                            "was the scheduler stopped?"))
        else:
            result.set_exception(exc)
        return
    where = reply.get("worker", "?")
    kind = reply["kind"]
    if kind == "mismatch":
        result.set_result({"ok": False, "seconds": 0.0, "error": reply["detail"],
                           "message": f"{label} cannot run on Dask worker {where}: "
                                      f"{reply['detail']}; update its checkout"})
    elif kind == "timeout":
        result.set_exception(FutureTimeout())
    elif kind == "died":
        exc = ProcessExpired(f"the job's process on Dask worker {where} died",
                             code=reply["exitcode"])
        exc.where = f" on Dask worker {where}"
        result.set_exception(exc)
    elif kind == "error":
        result.set_result({"ok": False, "seconds": 0.0, "error": reply["error"],
                           "traceback": reply["traceback"]})
    else:
        res = reply["result"]
        if res.get("ok"):
            for rel, data in reply["files"].items():
                path = out_dir / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            for rel, sha in res.get("data_files", {}).items():
                local = cache.sha256_file(root / rel) if (root / rel).is_file() else "<missing>"
                if local != sha:
                    result.set_result({
                        "ok": False, "seconds": res.get("seconds", 0.0),
                        "error": f"data file {rel} differs on Dask worker {where}",
                        "message": f"{label} read a different {rel} on Dask worker {where} "
                                   f"(worker sha256 {sha[:12]}, local {local[:12]}); update its "
                                   "checkout"})
                    return
        result.set_result(res)
