"""The figure pipeline: find jobs, run the out-of-date ones in parallel, publish.

``run(root)`` is what ``python -m generators`` calls. For each job (``jobs.py``: figure
generators, lesson notebooks, notebook pages):

1. compute its inputs (``cache.Inputs``) and compare with its manifest: up to date,
   restorable from the object store, or out of date (and why);
2. run the out-of-date ones in worker processes, printing progress as each finishes;
3. publish a success atomically (``publish.py``); on a failure remove that job's
   published files and keep its last good manifest, so the cache is never poisoned;
4. write ``content/generated/_index.json`` for the expand step and delete any file in
   ``content/generated/`` that no job owns.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from generators.build.cache import (FORMAT_VERSION, Inputs, library_versions, read_json, sha256_file,
                              why_changed, write_json)
from generators.build.deps import ImportMemo, import_closure
from generators.build.jobs import Job, discover, run_job
from generators.build.overrides import parameter_errors, read_overrides, unknown_generators
from generators.build.publish import (CACHE, manifest_path, publish, published_state, store,
                                unpublish, write_index)
from generators.build.yamlfile import ConfigError


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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
    cached: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # job id -> error
    seconds: float = 0.0

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


def run(root: Path, jobs: int | None = None, force: list[str] | None = None,
        echo: Callable[[str], None] = print) -> Summary:
    """Bring ``content/generated/`` up to date; never raises for a failing job."""
    start = time.perf_counter()
    root = root.resolve()
    summary = Summary()
    (root / CACHE).mkdir(parents=True, exist_ok=True)
    with open(root / CACHE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one pipeline at a time (make + make serve)
        tmp_root = root / CACHE / "tmp"
        shutil.rmtree(tmp_root, ignore_errors=True)  # leftovers of an interrupted build
        todo, fresh = plan(root, force)
        manifests = {}
        for task in fresh:
            if task.restore:  # an output was deleted or edited: put it back from the store
                publish(root, task.manifest["outputs"])
            manifests[task.id] = task.manifest
            summary.cached.append(task.id)
            echo(f"  cached  {task.id}")
        for task in [t for t in todo if t.error]:
            _fail(root, summary, task, {"error": task.error, "seconds": 0.0}, echo)
        todo = [t for t in todo if not t.error]
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        if todo:
            echo(f"  running {len(todo)} job(s) on {workers} worker(s)")
            # The course's networks are small: a multi-threaded BLAS only adds overhead, and
            # its idle threads spin on the cores the other workers need (measured: 2-4x
            # slower cold builds). Workers, and the notebook kernels they start, inherit this.
            for var in BLAS_THREADS:
                os.environ.setdefault(var, "1")
            ctx = multiprocessing.get_context("spawn")  # each worker starts clean
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                futures = {}
                # Longest first (by the last run's time), so the slowest job never starts last.
                for task in sorted(todo, key=lambda t: -(t.manifest or {}).get("seconds", 1e9)):
                    tmp = tmp_root / task.id.replace("/", "__").replace(":", "_")
                    tmp.mkdir(parents=True)
                    fut = pool.submit(run_job, task.job.kind, str(root), task.job.target, task.id,
                                      task.inputs.overrides, str(tmp))
                    futures[fut] = (task, tmp)
                for fut in as_completed(futures):
                    task, tmp = futures[fut]
                    try:
                        res = fut.result()
                    except BrokenProcessPool as exc:
                        res = {"ok": False, "error": f"worker process died: {exc}", "seconds": 0.0}
                    why = "; ".join(task.reasons[:3]) + (f"; +{len(task.reasons) - 3} more"
                                                          if len(task.reasons) > 3 else "")
                    if res["ok"]:
                        manifest = store(root, tmp, task.id, task.inputs, res)
                        publish(root, manifest["outputs"])
                        write_json(manifest_path(root, task.id), manifest)
                        manifests[task.id] = manifest
                        summary.built.append(task.id)
                        echo(f"  built   {task.id}  {res['seconds']:.1f}s  ({why})")
                    else:
                        _fail(root, summary, task, res, echo)
                    shutil.rmtree(tmp, ignore_errors=True)
        write_index(root, manifests)
        shutil.rmtree(tmp_root, ignore_errors=True)
    summary.seconds = time.perf_counter() - start
    echo(f"figures: {len(summary.built)} built, {len(summary.cached)} cached, "
         f"{len(summary.failed)} failed in {summary.seconds:.1f}s")
    for job_id, error in summary.failed.items():
        echo(f"error: generator {job_id} failed: {error}")
    return summary


def _fail(root: Path, summary: Summary, task: Task, res: dict[str, Any],
          echo: Callable[[str], None]) -> None:
    """Record a failure: unpublish the job's outputs, keep its last good manifest."""
    unpublish(root, task.manifest)
    summary.failed[task.id] = res["error"]
    echo(f"  FAILED  {task.id}  {res['seconds']:.1f}s")
    echo("    " + res.get("traceback", res["error"]).rstrip().replace("\n", "\n    "))
