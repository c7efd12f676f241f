"""The figure pipeline: find generators, run the out-of-date ones in parallel, publish.

``run(root)`` is what ``python -m generators`` calls. For each ``generators/<lesson>/fig_*.py``:

1. compute its inputs (``cache.Inputs``) and compare with its manifest: up to date,
   restorable from the object store, or out of date (and why);
2. run the out-of-date ones in worker processes (``render.run_generator``), printing
   progress as each finishes;
3. publish a success atomically (object store first, then ``content/generated/``, then the
   manifest, so an interrupted build is redone, never half-trusted); on a failure remove
   that generator's published files and keep its last good manifest;
4. write ``content/generated/_index.json`` (figures, captions, alt texts, results) for the
   MkDocs hook, and delete any file in ``content/generated/`` that no generator owns.
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

from generators.cache import (Inputs, atomic_write, library_versions, read_json,
                              sha256_file, why_changed, write_json, FORMAT_VERSION)
from generators.deps import ImportMemo, import_closure
from generators.overrides import load_overrides
from generators.yamlfile import ConfigError

GENERATED = Path("content") / "generated"
CACHE = Path(".cache") / "figures"
INDEX = "_index.json"


@dataclass
class Task:
    gen_id: str  # "<lesson>/<name>" for generators/<lesson>/fig_<name>.py
    module: str
    inputs: Inputs
    manifest: dict[str, Any] | None
    reasons: list[str] = field(default_factory=list)
    error: str | None = None  # set when the generator cannot even be read


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # generator id -> error
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def discover(root: Path) -> dict[str, Path]:
    """Generator id -> module file, for every ``generators/<lesson>/fig_*.py``."""
    found = {}
    for path in sorted((root / "generators").glob("*/fig_*.py")):
        found[f"{path.parent.name}/{path.stem.removeprefix('fig_')}"] = path
    return found


def _manifest_path(root: Path, gen_id: str) -> Path:
    return root / CACHE / "manifests" / (gen_id.replace("/", "__") + ".json")


def _sources(root: Path, path: Path, memo: ImportMemo) -> dict[str, str]:
    files = (set(import_closure(root, path, memo))
             | set(import_closure(root, root / "generators" / "render.py", memo)))
    return {f.relative_to(root.resolve()).as_posix(): sha256_file(f) for f in sorted(files)}


def _hash_data(root: Path, paths: list[str]) -> dict[str, str]:
    return {p: sha256_file(root / p) if (root / p).is_file() else "<missing>" for p in paths}


def _published_state(root: Path, manifest: dict[str, Any]) -> str:
    """"ok" if every output is in place, "restore" if the object store has the rest, else "missing"."""
    state = "ok"
    for rel, sha in manifest["outputs"].items():
        dest = root / GENERATED / rel
        if dest.is_file() and sha256_file(dest) == sha:
            continue
        if not (root / CACHE / "objects" / sha).is_file():
            return "missing"
        state = "restore"
    return state


def _publish(root: Path, outputs: dict[str, str]) -> None:
    """Copy outputs (relative path -> sha) from the object store into content/generated."""
    for rel, sha in outputs.items():
        dest = root / GENERATED / rel
        if not (dest.is_file() and sha256_file(dest) == sha):
            atomic_write(dest, (root / CACHE / "objects" / sha).read_bytes())


def _unpublish(root: Path, manifest: dict[str, Any] | None) -> None:
    for rel in (manifest or {}).get("outputs", {}):
        (root / GENERATED / rel).unlink(missing_ok=True)


def plan(root: Path, force: list[str] | None = None) -> tuple[list[Task], list[Task]]:
    """Split generators into (to run, up to date). ``force``: ids to rerun ([] = all).

    Raises ``ConfigError`` for malformed or unknown overrides and unknown forced ids.
    """
    overrides = load_overrides(root)
    found = discover(root)
    for key in [*overrides, *(force or [])]:
        if key not in found:
            raise ConfigError(f"unknown generator {key!r} (in site_config/figures.yml or "
                              f"--force); valid generators: {', '.join(found)}")
    versions = library_versions()
    memo_path = root / CACHE / "imports.json"
    memo = ImportMemo(read_json(memo_path))
    todo, fresh = [], []
    for gen_id, path in found.items():
        manifest = read_json(_manifest_path(root, gen_id))
        if manifest is not None and manifest.get("format") != FORMAT_VERSION:
            manifest = None
        data = _hash_data(root, list((manifest or {}).get("data_files", {})))
        module = f"generators.{path.parent.name}.{path.stem}"
        try:
            sources = _sources(root, path, memo)
        except SyntaxError as exc:
            error = f"SyntaxError: {exc.msg} ({exc.filename}, line {exc.lineno})"
            todo.append(Task(gen_id, module, Inputs({}, {}, {}, {}), manifest, ["unreadable"], error))
            continue
        inputs = Inputs(sources, data, overrides.get(gen_id, {}), versions)
        task = Task(gen_id, module, inputs, manifest)
        forced = force is not None and (not force or gen_id in force)
        if forced:
            task.reasons = ["forced"]
        elif manifest is None or manifest["key"] != inputs.key():
            task.reasons = why_changed(manifest, inputs) or ["cache key changed"]
        elif _published_state(root, manifest) == "missing":
            task.reasons = ["output missing"]
        else:
            fresh.append(task)
            continue
        todo.append(task)
    write_json(memo_path, memo.used)
    return todo, fresh


def _store(root: Path, tmp: Path, task: Task, res: dict[str, Any]) -> dict[str, Any]:
    """Move a successful run's files into the object store; return its new manifest."""
    outputs = {}
    for fig in res["figures"].values():
        for rel in fig["files"].values():
            blob = (tmp / rel).read_bytes()
            sha = sha256_file(tmp / rel)
            obj = root / CACHE / "objects" / sha
            if not obj.is_file():
                atomic_write(obj, blob)
            outputs[rel] = sha
    inputs = Inputs(task.inputs.sources, res["data_files"], task.inputs.overrides,
                    task.inputs.versions)
    return {"format": FORMAT_VERSION, "generator": task.gen_id, "key": inputs.key(),
            "sources": inputs.sources, "data_files": inputs.data_files,
            "overrides": inputs.overrides, "versions": inputs.versions,
            "params": res["params"], "figures": res["figures"], "results": res["results"],
            "outputs": outputs, "seconds": round(res["seconds"], 3)}


def _write_index(root: Path, manifests: dict[str, dict[str, Any]]) -> None:
    """Write the hook's index of figures and results; remove files no generator owns."""
    figures: dict[str, Any] = {}
    results: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for gen_id, man in sorted(manifests.items()):
        for name, entry in [*man["figures"].items(), *man["results"].items()]:
            if name in owner:
                raise ConfigError(f"{name!r} is declared by both generators {owner[name]} and {gen_id}")
            owner[name] = gen_id
        figures.update({k: {**v, "generator": gen_id} for k, v in man["figures"].items()})
        results.update(man["results"])
    out = root / GENERATED
    write_json(out / INDEX, {"figures": figures, "results": results})
    keep = {out / INDEX} | {out / rel for man in manifests.values() for rel in man["outputs"]}
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def run(root: Path, jobs: int | None = None, force: list[str] | None = None,
        echo: Callable[[str], None] = print) -> Summary:
    """Bring ``content/generated/`` up to date; never raises for a failing generator."""
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
            _publish(root, task.manifest["outputs"])
            manifests[task.gen_id] = task.manifest
            summary.cached.append(task.gen_id)
            echo(f"  cached  {task.gen_id}")
        for task in [t for t in todo if t.error]:
            _fail(root, summary, task, {"error": task.error, "seconds": 0.0}, echo)
        todo = [t for t in todo if not t.error]
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        if todo:
            echo(f"  running {len(todo)} generator(s) on {workers} worker(s)")
            ctx = multiprocessing.get_context("spawn")  # each worker starts clean
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                futures = {}
                for task in todo:
                    tmp = tmp_root / task.gen_id.replace("/", "__")
                    tmp.mkdir(parents=True)
                    fut = pool.submit(_run_in_worker, str(root), task.module, task.gen_id,
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
                        manifest = _store(root, tmp, task, res)
                        _publish(root, manifest["outputs"])
                        write_json(_manifest_path(root, task.gen_id), manifest)
                        manifests[task.gen_id] = manifest
                        summary.built.append(task.gen_id)
                        echo(f"  built   {task.gen_id}  {res['seconds']:.1f}s  ({why})")
                    else:
                        _fail(root, summary, task, res, echo)
                    shutil.rmtree(tmp, ignore_errors=True)
        _write_index(root, manifests)
        shutil.rmtree(tmp_root, ignore_errors=True)
    summary.seconds = time.perf_counter() - start
    echo(f"figures: {len(summary.built)} built, {len(summary.cached)} cached, "
         f"{len(summary.failed)} failed in {summary.seconds:.1f}s")
    for gen_id, error in summary.failed.items():
        echo(f"error: generator {gen_id} failed: {error}")
    return summary


def _fail(root: Path, summary: Summary, task: Task, res: dict[str, Any],
          echo: Callable[[str], None]) -> None:
    """Record a failure: unpublish the generator's outputs, keep its last good manifest."""
    _unpublish(root, task.manifest)
    summary.failed[task.gen_id] = res["error"]
    echo(f"  FAILED  {task.gen_id}  {res['seconds']:.1f}s")
    echo("    " + res.get("traceback", res["error"]).rstrip().replace("\n", "\n    "))


def _run_in_worker(*args: Any) -> dict[str, Any]:
    from generators.render import run_generator  # imported in the worker, not the parent

    return run_generator(*args)
