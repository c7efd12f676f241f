"""Publishing: the object store, ``content/generated/``, manifests and the figure index.

Order matters for atomicity: a job's files go into the content-addressed object store
first, then are copied into ``content/generated/`` (each file replaced atomically), and
only then is its manifest written. An interrupted build therefore leaves either the
old manifest (the job reruns) or a complete new one, never a manifest that lies.
An object is trusted only if its content still has its name's hash: a truncated or
edited one is never republished; the job runs again and stores it anew.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.build.cache import (FORMAT_VERSION, Inputs, atomic_write, sha256_bytes, sha256_file,
                                    write_json)
from generators.build.yamlfile import ConfigError

GENERATED = Path("content") / "generated"
CACHE = Path("build") / "cache" / "figures"  # not .cache/: `zensical build --clean` deletes it
INDEX = "_index.json"
SECTIONS = ("figures", "results", "exports", "notebooks", "pages")  # what the index holds


def manifest_path(root: Path, job_id: str) -> Path:
    return root / CACHE / "manifests" / (job_id.replace("/", "__") + ".json")


def _object(root: Path, sha: str) -> bytes | None:
    """The stored output with hash ``sha``, or None if it is missing or corrupt."""
    try:
        data = (root / CACHE / "objects" / sha).read_bytes()
    except OSError:
        return None
    return data if sha256_bytes(data) == sha else None


def published_state(root: Path, manifest: dict[str, Any]) -> str:
    """"ok" if every output is in place, "restore" if the object store has the rest intact,
    else "missing"."""
    state = "ok"
    for rel, sha in manifest["outputs"].items():
        dest = root / GENERATED / rel
        if dest.is_file() and sha256_file(dest) == sha:
            continue
        if _object(root, sha) is None:
            return "missing"
        state = "restore"
    return state


def publish(root: Path, outputs: dict[str, str]) -> None:
    """Copy outputs (relative path -> sha) from the object store into content/generated.

    Raises ``ValueError`` if a stored object no longer has its hash (checked first).
    """
    for rel, sha in outputs.items():
        dest = root / GENERATED / rel
        if not (dest.is_file() and sha256_file(dest) == sha):
            data = _object(root, sha)
            if data is None:
                raise ValueError(f"{(CACHE / 'objects' / sha).as_posix()} (for {rel}) is missing "
                                 "or corrupt; run the build again to remake it")
            atomic_write(dest, data)


def unpublish(root: Path, manifest: dict[str, Any] | None) -> None:
    for rel in (manifest or {}).get("outputs", {}):
        (root / GENERATED / rel).unlink(missing_ok=True)


def stored(root: Path, sha: str) -> bytes | None:
    """The object with hash ``sha`` from the store, or None if it is missing or corrupt."""
    return _object(root, sha)


def store(root: Path, tmp: Path, job_id: str, inputs: Inputs, res: dict[str, Any]) -> dict[str, Any]:
    """Move a successful run's files into the object store; return its new manifest.

    ``res["outputs"]`` are published (``outputs`` in the manifest); ``res["kept"]`` (a
    generator's compute result) are only stored, under the same key (``kept``).
    """
    outputs, kept = {}, {}
    for names, into in ((res["outputs"], outputs), (res.get("kept", []), kept)):
        for rel in names:
            sha = sha256_file(tmp / rel)
            if _object(root, sha) is None:  # new, or a damaged copy to replace
                atomic_write(root / CACHE / "objects" / sha, (tmp / rel).read_bytes())
            into[rel] = sha
    final = Inputs(inputs.sources, res["data_files"], inputs.overrides, inputs.versions)
    return {"format": FORMAT_VERSION, "job": job_id, "key": final.key(),
            "sources": final.sources, "data_files": final.data_files,
            "overrides": final.overrides, "versions": final.versions,
            "params": res.get("params", {}), "index": res["index"], "outputs": outputs,
            "kept": kept,
            "seconds": round(res["seconds"], 3)}


def write_index(root: Path, manifests: dict[str, dict[str, Any]]) -> None:
    """Write the figure index (read by the expand step) from the manifests; remove files no job owns.

    Raises ``ConfigError`` if two jobs declare the same figure, result or notebook.
    """
    index: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    owner: dict[tuple[str, str], str] = {}
    for job_id, man in sorted(manifests.items()):
        for section, entries in man["index"].items():
            for name, entry in entries.items():
                if (section, name) in owner:
                    raise ConfigError(f"{name!r} is declared by both generators "
                                      f"{owner[section, name]} and {job_id}")
                owner[section, name] = job_id
                index[section][name] = {**entry, "generator": job_id} if section == "figures" else entry
    out = root / GENERATED
    write_json(out / INDEX, index)
    keep = {out / INDEX} | {out / rel for man in manifests.values() for rel in man["outputs"]}
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
