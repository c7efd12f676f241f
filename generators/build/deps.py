"""Which repository files a generator module depends on: its transitive import closure.

Found by reading the source (``ast``), not by importing it, so checking whether anything
changed costs a few file reads. Every ``import`` statement counts, including ones inside
functions. Only modules that live in the repository are followed; installed packages are
covered by their versions in the cache key instead. Importing ``a.b.c`` runs
``a/__init__.py`` and ``a/b/__init__.py`` too, so those are included.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path


def module_file(root: Path, module: str) -> Path | None:
    """The file defining dotted ``module`` inside ``root``, or None if it is not ours."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(root: Path, path: Path) -> str:
    """Dotted module name of repository file ``path`` (``generators/nn/__init__.py`` -> ``generators.nn``)."""
    parts = list(path.resolve().relative_to(root.resolve()).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


class ImportMemo:
    """Parsed imports keyed by a hash of (module name, source): unchanged files are not
    parsed again. ``used`` holds only the entries asked for, so saving it prunes the rest."""

    def __init__(self, known: dict[str, list[str]] | None = None) -> None:
        self.known = known or {}
        self.used: dict[str, list[str]] = {}
        # Within one run files do not change: remember lookups and whole closures.
        self.files: dict[str, Path | None] = {}
        self.closures: dict[Path, list[Path]] = {}
        self.parsed: dict[Path, set[str]] = {}
        self.edges: dict[Path, list[tuple[Path, str]]] = {}

    def module_file(self, root: Path, module: str) -> Path | None:
        if module not in self.files:
            found = module_file(root, module)
            self.files[module] = found.resolve() if found else None
        return self.files[module]

    def names(self, path: Path, name: str) -> set[str]:
        if path in self.parsed:  # each file is read once per run
            return self.parsed[path]
        source = path.read_bytes()
        key = hashlib.sha256(name.encode() + b"\0" + source).hexdigest()
        if key not in self.known:
            self.known[key] = sorted(_parse_imports(path, name, source))
        self.used[key] = self.known[key]
        self.parsed[path] = set(self.used[key])
        return self.parsed[path]


    def imports(self, root: Path, path: Path, name: str) -> list[tuple[Path, str]]:
        """(file, module name) of the repository modules ``path`` imports; once per run."""
        if path not in self.edges:
            found = ((self.module_file(root, dotted), dotted) for dotted in sorted(self.names(path, name)))
            self.edges[path] = [(dep, dotted) for dep, dotted in found if dep is not None]
        return self.edges[path]


def _parse_imports(path: Path, name: str, source: bytes) -> set[str]:
    """Dotted names a module's import statements may load (modules and their parents)."""
    tree = ast.parse(source, filename=str(path))
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base:
                found.add(base)
            # ``from pkg import x`` may load the submodule ``pkg.x``.
            found.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
    expanded: set[str] = set()
    for dotted in found:
        pieces = dotted.split(".")
        expanded.update(".".join(pieces[: i + 1]) for i in range(len(pieces)))
    return expanded


def import_closure(root: Path, entry: Path, memo: ImportMemo | None = None) -> list[Path]:
    """Sorted repository files that ``entry`` runs when imported, ``entry`` included.

    Raises ``SyntaxError`` (naming the file) if a module cannot be parsed.
    """
    memo = memo or ImportMemo()
    root = root.resolve()
    entry = entry.resolve()
    if entry in memo.closures:
        return memo.closures[entry]
    seen: dict[Path, str] = {}
    todo = [(entry, module_name(root, entry))]
    # The packages containing the entry run first.
    parents = module_name(root, entry).split(".")[:-1]
    for i in range(len(parents)):
        parent = memo.module_file(root, ".".join(parents[: i + 1]))
        if parent:
            todo.append((parent, ".".join(parents[: i + 1])))
    while todo:
        path, name = todo.pop()
        if path in seen:
            continue
        seen[path] = name
        todo += [(dep, dotted) for dep, dotted in memo.imports(root, path, name) if dep not in seen]
    memo.closures[entry] = sorted(seen)
    return memo.closures[entry]
