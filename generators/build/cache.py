"""Cache keys and manifests: when a generator must run again, and why.

A generator's key is a SHA-256 over the content of everything its outputs depend on:
its source and every repository module it imports (transitively), its declared data
files, the instructor's overrides for it, the versions of the libraries that compute and
draw, and the pipeline's own format version. Never file times.

After a successful run, ``build/cache/figures/manifests/<id>.json`` records the key, the
inputs it was made from, and what it produced. Outputs are kept content-addressed in
``build/cache/figures/objects/`` so a deleted or hand-edited published file is restored without
running the generator again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT_VERSION = 3  # bump when the manifest layout or the way outputs are saved changes
LIBRARIES = ("numpy", "matplotlib", "scikit-learn", "pygraphviz", "nbformat", "nbclient",
             "nbconvert", "ipykernel")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose behaviour shapes the outputs (absent ones: "-")."""
    versions = {"python": "%d.%d" % sys.version_info[:2]}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return versions


@dataclass(frozen=True)
class Inputs:
    """What one generator's outputs depend on, as content hashes."""

    sources: dict[str, str]  # repository path -> sha256
    data_files: dict[str, str]
    overrides: dict[str, Any]
    versions: dict[str, str]

    def key(self) -> str:
        blob = json.dumps(
            {"format": FORMAT_VERSION, "sources": self.sources, "data": self.data_files,
             "overrides": self.overrides, "versions": self.versions},
            sort_keys=True, default=str,
        )
        return sha256_bytes(blob.encode())


def why_changed(old: dict[str, Any] | None, new: Inputs) -> list[str]:
    """Human reasons the inputs differ from a manifest's (empty when they are the same)."""
    if old is None:
        return ["not built before"]
    reasons: list[str] = []
    for (added, removed, changed), before, after in (
        (("{} now imported", "{} no longer imported", "{} changed"),
         old.get("sources", {}), new.sources),
        (("data file {} added", "data file {} no longer read", "data file {} changed"),
         old.get("data_files", {}), new.data_files),
    ):
        for path in sorted(set(before) | set(after)):
            if path not in before:
                reasons.append(added.format(path))
            elif path not in after:
                reasons.append(removed.format(path))
            elif before[path] != after[path]:
                reasons.append(changed.format(path))
    old_over, new_over = old.get("overrides", {}), new.overrides
    for key in sorted(set(old_over) | set(new_over)):
        if old_over.get(key, "<default>") != new_over.get(key, "<default>"):
            reasons.append(
                f"parameter {key} override {old_over.get(key, '<default>')!r} -> "
                f"{new_over.get(key, '<default>')!r}"
            )
    for lib in sorted(set(old.get("versions", {})) | set(new.versions)):
        a, b = old.get("versions", {}).get(lib), new.versions.get(lib)
        if a != b:
            reasons.append(f"{lib} {a} -> {b}")
    if not reasons and old.get("format") != FORMAT_VERSION:
        reasons.append("pipeline format changed")
    return reasons


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> bool:
    """Atomically write ``data`` as stable JSON; return False (and touch nothing) if unchanged."""
    blob = (json.dumps(data, indent=1, sort_keys=True, default=str) + "\n").encode()
    if path.exists() and path.read_bytes() == blob:
        return False
    atomic_write(path, blob)
    return True


def read_json(path: Path) -> Any | None:
    """The JSON in ``path``, or None if it is missing or unreadable (treated as no cache)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
