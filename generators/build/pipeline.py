"""The figure pipeline: find jobs, run the out-of-date ones in parallel, publish.

``run(root)`` is what ``python -m generators`` calls. For each job (``jobs.py``: figure
generators, lesson notebooks, notebook pages):

1. compute its inputs (``cache.Inputs``) and compare with its manifest: up to date,
   restorable from the object store, or out of date (and why);
2. run the out-of-date ones in worker processes (``runner.py``), each under its time
   limit, showing progress (``progress.py``): the job with the longest chain of work
   first, and a lesson notebook only after its generators' jobs, whose stored compute
   results its kernel reuses instead of training again (compute once: ``figure.py``);
   then print the critical path against the total worker time;
3. publish a success atomically (``publish.py``); on a failure (an error, a timeout, a
   worker that died) remove that job's published files and keep its last good manifest,
   so the cache is never poisoned; the other jobs go on;
4. write ``content/generated/_index.json`` for the expand step and delete any file in
   ``content/generated/`` that no job owns.

One pipeline runs at a time on a checkout (a lock in ``build/cache/figures/``). Ctrl-C or
SIGTERM stops the running jobs and every process they started, keeps what finished
(published with its manifest) and raises ``runner.Interrupted``.
"""

from __future__ import annotations

import fcntl
import math
import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

from generators.build.cache import (FORMAT_VERSION, Inputs, library_versions, read_json, sha256_file,
                              why_changed, write_json)
from generators.build.deps import ImportMemo, import_closure
from generators.build.jobs import Job, discover, run_job
from generators.build.overrides import parameter_errors, read_overrides, unknown_generators
from generators.build.progress import Progress, say
from generators.build.publish import (CACHE, manifest_path, publish, published_state, store,
                                      stored, unpublish, write_index)
from generators.build.runner import (Descendants, Interrupted, StopRequest, new_executor,
                                     outcome, stop_signals)
from generators.build.yamlfile import ConfigError


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
DEFAULT_TIMEOUT = 1800.0  # seconds per job unless its generator says otherwise: generous
POOL_ATTEMPTS = 3  # a job caught in a broken pool (not its own fault) is run again this often


@dataclass
class Task:
    job: Job
    inputs: Inputs
    manifest: dict[str, Any] | None
    reasons: list[str] = field(default_factory=list)
    error: str | None = None  # set when the job cannot even be read
    restore: bool = False  # up to date, but a published output must be put back

    @property
    def id(self) -> str:
        return self.job.id


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)  # up to date (restored ones too)
    failed: dict[str, str] = field(default_factory=dict)  # job id -> one line naming it
    seconds: float = 0.0
    restored: list[str] = field(default_factory=list)  # outputs put back from the store
    # The jobs run: the longest chain of their times through the notebook -> generator
    # dependencies (seconds, job ids), their total time in workers, and how many workers.
    critical: tuple[float, list[str]] = (0.0, [])
    worker_seconds: float = 0.0
    workers: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def _sources(root: Path, job: Job, memo: ImportMemo, hashes: dict[Path, str]) -> dict[str, str]:
    files = set(import_closure(root, root / "generators" / "build" / "render.py", memo))
    for entry in job.entries:
        files |= set(import_closure(root, entry, memo))
    for f in files - hashes.keys():
        hashes[f] = sha256_file(f)
    return {f.relative_to(root).as_posix(): hashes[f] for f in sorted(files)}  # root is resolved


def _hash_data(root: Path, paths: list[str]) -> dict[str, str]:
    return {p: sha256_file(root / p) if (root / p).is_file() else "<missing>" for p in paths}


def plan(root: Path, force: list[str] | None = None) -> tuple[list[Task], list[Task]]:
    """Split jobs into (to run, up to date). ``force``: ids to rerun ([] = all).

    Raises ``ConfigError`` for unknown forced ids, and with every error of
    ``site_config/figures.yml`` (malformed, unknown generators, and the parameters of
    the generators to run: unknown, or values they refuse), before any job runs.
    """
    root = root.resolve()
    overrides, located, errors = read_overrides(root)
    try:
        found = discover(root)
    except (SyntaxError, ValueError) as exc:
        raise ConfigError(f"cannot read a notebook: {exc}") from None
    figure_ids = [j for j, job in found.items() if job.kind == "figures"]
    errors += unknown_generators(overrides, located, figure_ids)
    for key in force or []:
        if key not in found:
            raise ConfigError(f"unknown job {key!r} after --force; valid: {', '.join(found)}")
    versions = library_versions()
    memo_path = root / CACHE / "imports.json"
    memo = ImportMemo(read_json(memo_path))
    hashes: dict[Path, str] = {}  # each source file is hashed once per run
    todo, fresh = [], []
    for job_id, job in found.items():
        manifest = read_json(manifest_path(root, job_id))
        if manifest is not None and manifest.get("format") != FORMAT_VERSION:
            manifest = None
        data = _hash_data(root, sorted(set((manifest or {}).get("data_files", {})) | set(job.data)))
        job_overrides = {g: overrides[g] for g in job.generators if g in overrides}
        if job.kind == "figures":
            job_overrides = job_overrides.get(job_id, {})
        if job.problem:
            todo.append(Task(job, Inputs({}, {}, {}, {}), manifest, ["unreadable"], job.problem))
            continue
        try:
            sources = _sources(root, job, memo, hashes)
        except SyntaxError as exc:
            error = f"SyntaxError: {exc.msg} ({exc.filename}, line {exc.lineno})"
            todo.append(Task(job, Inputs({}, {}, {}, {}), manifest, ["unreadable"], error))
            continue
        task = Task(job, Inputs(sources, data, job_overrides, versions), manifest)
        if force is not None and (not force or job_id in force):
            task.reasons = ["forced"]
        elif manifest is None or manifest["key"] != task.inputs.key():
            task.reasons = why_changed(manifest, task.inputs) or ["cache key changed"]
        elif (state := published_state(root, manifest)) == "missing":
            task.reasons = ["output missing"]
        else:
            task.restore = state == "restore"
            fresh.append(task)
            continue
        todo.append(task)
    write_json(memo_path, memo.used)
    # Overrides of the generators about to run (an up-to-date one was checked when built).
    errors += parameter_errors(overrides, located, {t.id: t.job.target for t in todo
                                                    if t.job.kind == "figures" and t.id in overrides})
    if errors:
        raise ConfigError(*errors)
    return todo, fresh


def setting(name: str, given: float | None, default: float | None) -> float | None:
    """``given`` if not None, else the environment variable ``name`` (a positive number), else ``default``.

    Raises ``ConfigError`` if the variable is set to anything else.
    """
    if given is not None:
        return given
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"{name}={raw!r}: must be a positive number")
    return value


def run(root: Path, jobs: int | None = None, force: list[str] | None = None,
        echo: Callable[[str], None] = say, *, timeout: float | None = None,
        memory_mb: int | None = None, live: bool | None = None) -> Summary:
    """Bring ``content/generated/`` up to date; never raises for a failing job.

    ``timeout``: seconds a job may run unless its generator declares its own
    (default ``$DLV_TIMEOUT``, else 30 minutes); ``memory_mb``: each job's address-space
    limit (default ``$DLV_MEMORY``, else none); ``live``: draw a progress bar (default:
    when stderr is a terminal). Raises ``ConfigError`` for a configuration error and
    ``Interrupted`` (a ``KeyboardInterrupt``) after a SIGINT or SIGTERM, once every job
    it started is stopped and what finished is published.
    """
    start = time.perf_counter()
    root = root.resolve()
    default = setting("DLV_TIMEOUT", timeout, DEFAULT_TIMEOUT)
    memory = setting("DLV_MEMORY", memory_mb, None)
    summary = Summary()
    (root / CACHE).mkdir(parents=True, exist_ok=True)
    with stop_signals() as stop, open(root / CACHE / "lock", "w") as lock:
        _lock(lock, echo)
        tmp_root = root / CACHE / "tmp"
        shutil.rmtree(tmp_root, ignore_errors=True)  # leftovers of an interrupted build
        todo, fresh = plan(root, force)
        manifests = {}
        for task in fresh:
            if task.restore:  # an output was deleted or edited: put it back from the store
                publish(root, task.manifest["outputs"])
                summary.restored.append(task.id)
            manifests[task.id] = task.manifest
            summary.cached.append(task.id)
        for task in [t for t in todo if t.error]:
            _fail(root, summary, task, {"error": task.error, "seconds": 0.0}, echo)
        todo = [t for t in todo if not t.error]
        if todo:
            stop.immediate = False  # from here on a stop is handled between jobs
            stop.message = "interrupted after every job had finished; all are published"
            try:
                _run_tasks(root, todo, manifests, summary, jobs, default, memory and int(memory),
                           echo, live, stop, tmp_root)
            finally:
                write_index(root, manifests)
                shutil.rmtree(tmp_root, ignore_errors=True)
        else:
            write_index(root, manifests)
            shutil.rmtree(tmp_root, ignore_errors=True)
    if stop.signum:
        raise Interrupted(stop.signum, stop.message)
    summary.seconds = time.perf_counter() - start
    cached = f"{len(summary.cached)} up to date" + (
        f" ({len(summary.restored)} restored from {CACHE.as_posix()})" if summary.restored else "")
    if summary.built or summary.failed:
        echo(f"figures: {len(summary.built)} built, {cached}, {len(summary.failed)} failed "
             f"({summary.seconds:.1f} s)")
    else:
        echo(f"figures: {cached} ({summary.seconds:.1f} s)")
    if summary.workers:
        seconds, chain = summary.critical
        echo(f"figures: critical path {seconds:.1f} s ({' -> '.join(chain)}), worker time "
             f"{summary.worker_seconds:.1f} s on {summary.workers} worker(s), "
             f"wall {summary.seconds:.1f} s")
    for message in summary.failed.values():
        echo(f"error: {message}")
    return summary


def _lock(lock: IO[str], echo: Callable[[str], None]) -> None:
    """Hold the checkout's pipeline lock (one pipeline at a time: make, make serve, CI)."""
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        echo(f"figures: waiting for another build of this checkout to finish "
             f"({(CACHE / 'lock').as_posix()})")
        fcntl.flock(lock, fcntl.LOCK_EX)


def priorities(todo: list[Task]) -> dict[str, float]:
    """Each job's longest chain of expected seconds (last build's, unknown: very long)
    from its start to the end of the jobs that wait for it (a lesson notebook waits for
    its generators). Jobs start in this order, so a job others wait for starts early."""
    expected = {t.id: (t.manifest or {}).get("seconds", 1e9) for t in todo}
    dependants: dict[str, list[str]] = {}
    for task in todo:
        for dep in task.job.needs:
            dependants.setdefault(dep, []).append(task.id)
    chain: dict[str, float] = {}

    def longest(job_id: str) -> float:
        if job_id not in chain:
            chain[job_id] = expected[job_id] + max(
                (longest(d) for d in dependants.get(job_id, ()) if d in expected), default=0.0)
        return chain[job_id]

    return {t.id: longest(t.id) for t in todo}


def critical_path(durations: dict[str, float], needs: dict[str, tuple[str, ...]]
                  ) -> tuple[float, list[str]]:
    """The longest chain of job ``durations`` through ``needs`` (job -> the jobs it waited
    for; a job not in ``durations`` did not run and is left out): its seconds and its
    jobs, first to last."""
    memo: dict[str, tuple[float, list[str]]] = {}

    def chain(job_id: str) -> tuple[float, list[str]]:
        if job_id not in memo:
            before = max((chain(d) for d in needs.get(job_id, ()) if d in durations),
                         default=(0.0, []), key=lambda c: c[0])
            memo[job_id] = (before[0] + durations[job_id], [*before[1], job_id])
        return memo[job_id]

    return max((chain(j) for j in durations), default=(0.0, []), key=lambda c: c[0])


def _computed(root: Path, task: Task, manifests: dict[str, Any], keys: dict[str, str]
              ) -> dict[str, dict[str, Any]]:
    """The stored compute results a lesson notebook may reuse: those of its generators
    whose manifest is current (built in this run, or up to date: never a stale or failed
    one) and whose stored object is intact."""
    computed = {}
    for gen_id in task.job.needs:
        manifest = manifests.get(gen_id)
        if manifest is None or manifest.get("key") != keys.get(gen_id):
            continue
        for sha in (manifest.get("kept") or {}).values():
            blob = stored(root, sha)
            if blob is not None:
                computed[gen_id] = {"params": manifest.get("params", {}), "sha256": sha,
                                    "blob": blob}
    return computed


def _run_tasks(root: Path, todo: list[Task], manifests: dict[str, Any], summary: Summary,
               jobs: int | None, default: float, memory_mb: int | None,
               echo: Callable[[str], None], live: bool | None, stop: StopRequest,
               tmp_root: Path) -> None:
    """Run ``todo`` in worker processes; publish each success, record each failure.

    A lesson notebook starts once the jobs of the generators it runs have finished (or
    failed), with their stored compute results. At most ``workers`` jobs are handed to
    the executor at a time, the ready job with the longest chain first (``priorities``).
    """
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    # The course's networks are small: a multi-threaded BLAS only adds overhead, and
    # its idle threads spin on the cores the other workers need (measured: 2-4x
    # slower cold builds). Workers, and the notebook kernels they start, inherit this.
    for var in BLAS_THREADS:
        os.environ.setdefault(var, "1")
    rank = priorities(todo)
    order = sorted(todo, key=lambda t: -rank[t.id])
    try:
        executor = new_executor(os.environ.get("DLV_EXECUTOR"), workers, memory_mb)
    except BaseException:  # e.g. an unreachable Dask scheduler: no job ran, all keep their outputs
        for task in todo:
            if task.manifest is not None:
                manifests.setdefault(task.id, task.manifest)
        raise
    # A cluster runs as many jobs at a time as it has slots, unless --jobs says otherwise.
    slots = getattr(executor, "slots", None)
    if slots and not jobs:
        workers = max(1, min(slots, len(todo)))
    progress = Progress({t.id: (t.manifest or {}).get("seconds") for t in order}, workers,
                        echo, live)
    descendants = Descendants()
    pending: dict[Future, Task] = {}
    waiting = list(order)  # not yet submitted, highest priority first
    unfinished = {t.id for t in todo}
    # The current key of each job whose outputs are good now: the up-to-date ones (checked
    # by ``plan``), then each job as it succeeds. A notebook reuses only these results.
    keys = {job_id: m.get("key") for job_id, m in manifests.items()}
    attempts: dict[str, int] = {}
    scratch: dict[str, str] = {}  # job id -> its kernel's folder (short path: socket names)
    durations: dict[str, float] = {}

    def submit(task: Task) -> None:
        tmp = _tmp(tmp_root, task.id)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        attempts[task.id] = attempts.get(task.id, 0) + 1
        if task.job.kernel and task.id not in scratch:
            scratch[task.id] = tempfile.mkdtemp(prefix="dlv-kernel-")
        args = (task.job.kind, str(root), task.job.target, task.id, task.inputs.overrides,
                str(tmp), scratch.get(task.id))
        if task.job.needs:
            args += (_computed(root, task, manifests, keys),)
        fut = executor.submit(run_job, *args, timeout=task.job.limit(default).seconds)
        pending[fut] = task

    def fill() -> None:
        """Submit ready jobs (nothing they need is unfinished) until ``workers`` run."""
        for task in list(waiting):
            if len(pending) >= workers:
                return
            if not unfinished.intersection(task.job.needs):
                waiting.remove(task)
                submit(task)

    try:
        fill()
        while pending and not stop.signum:
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for fut, task in pending.items():
                if fut.running():
                    progress.started(task.id)
            descendants.watch()
            broken = []
            for fut in done:
                task = pending.pop(fut)
                try:
                    res = outcome(fut, task.job.label, task.job.limit(default))
                except BrokenProcessPool as exc:
                    if attempts[task.id] >= POOL_ATTEMPTS:
                        res = {"ok": False, "seconds": 0.0, "error": f"the worker pool broke: {exc}"}
                    else:
                        broken.append(task)
                        continue
                if "message" in res and _stopped_with_the_build(res, stop):
                    pending[fut] = task  # not a failure: reported as stopped, like the others
                    continue
                if "message" in res:  # its worker was stopped or died: reap what it started
                    descendants.reap()
                    res["seconds"] = res["seconds"] or time.monotonic() - progress.started_at.get(
                        task.id, time.monotonic())
                if memory_mb and "MemoryError" in res.get("error", "").split(":", 1)[0]:
                    res["message"] = (f"{task.job.label} ran out of memory: over its limit of "
                                      f"{memory_mb} MB (raise it with make MEMORY=MB)")
                _finish(root, task, res, manifests, summary, progress, tmp_root)
                if res["ok"]:
                    keys[task.id] = manifests[task.id]["key"]
                durations[task.id] = res["seconds"]
                unfinished.discard(task.id)
                if task.id in scratch:
                    shutil.rmtree(scratch.pop(task.id), ignore_errors=True)
            if broken:  # the pool itself failed: start a new one, run the innocent jobs again
                again = [*broken, *pending.values()]
                pending.clear()
                executor.shutdown(cancel_futures=True)
                descendants.reap()
                executor = new_executor(os.environ.get("DLV_EXECUTOR"), workers, memory_mb)
                waiting[:0] = sorted(again, key=lambda t: -rank[t.id])
            if not stop.signum:
                fill()
            progress.tick()
    finally:
        progress.close()
        # Running when stopped (a job whose worker the stop itself ended is done, and counts).
        running = sum(1 for f in pending if f.running() or f.done())
        executor.shutdown(cancel_futures=bool(pending))
        descendants.reap()
        for folder in scratch.values():
            shutil.rmtree(folder, ignore_errors=True)
        unstarted = list(waiting)
        if pending or unstarted:  # interrupted: the unfinished jobs keep their last good outputs
            for task in [*pending.values(), *unstarted]:
                if task.manifest is not None:
                    manifests.setdefault(task.id, task.manifest)
            stop.message = (f"interrupted: stopped {running} running job(s) and "
                            f"{len(pending) + len(unstarted) - running} waiting; "
                            f"{len(summary.built)} finished job(s) are published")
    summary.critical = critical_path(durations, {t.id: t.job.needs for t in todo})
    summary.worker_seconds = sum(durations.values())
    summary.workers = workers


def _stopped_with_the_build(res: dict[str, Any], stop: StopRequest) -> bool:
    """Did this job's worker end because the whole build is being stopped?

    Ctrl-C or SIGTERM reaches the workers too (they share the terminal's process group);
    a worker ended by SIGTERM may be seen before the build's own handler has run, so that
    case waits a moment for it.
    """
    if not stop.signum and any(f"({how})" in res.get("error", "") for how in
                               ("exit status 143", "exit status 130", "killed by signal 15, SIGTERM",
                                "killed by signal 2, SIGINT")):
        time.sleep(0.5)
    return bool(stop.signum)


def _tmp(tmp_root: Path, job_id: str) -> Path:
    """The folder a job writes its outputs into before they are published."""
    return tmp_root / job_id.replace("/", "__").replace(":", "_")


def _finish(root: Path, task: Task, res: dict[str, Any], manifests: dict[str, Any],
            summary: Summary, progress: Progress, tmp_root: Path) -> None:
    """Publish a finished job's outputs with its manifest, or record its failure."""
    tmp = _tmp(tmp_root, task.id)
    if res["ok"]:
        manifest = store(root, tmp, task.id, task.inputs, res)
        publish(root, manifest["outputs"])
        write_json(manifest_path(root, task.id), manifest)
        manifests[task.id] = manifest
        summary.built.append(task.id)
        why = "; ".join(task.reasons[:3]) + (f"; +{len(task.reasons) - 3} more"
                                              if len(task.reasons) > 3 else "")
        progress.finished(task.id, f"  built   {task.id}  {res['seconds']:.1f}s  ({why})")
    else:
        _fail(root, summary, task, res, progress.line)
        progress.finished(task.id)
    shutil.rmtree(tmp, ignore_errors=True)


def _fail(root: Path, summary: Summary, task: Task, res: dict[str, Any],
          echo: Callable[[str], None]) -> None:
    """Record a failure: unpublish the job's outputs, keep its last good manifest.

    Prints the failure as it happens (with the traceback, once); the one-line message
    naming the job is printed again in the summary's list.
    """
    unpublish(root, task.manifest)
    summary.failed[task.id] = res.get("message") or f"{task.job.label} failed: {res['error']}"
    echo(f"  FAILED  {task.id}  {res['seconds']:.1f}s")
    if res.get("traceback"):
        echo("    " + res["traceback"].rstrip().replace("\n", "\n    "))
