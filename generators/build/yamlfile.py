"""Reading the YAML files under ``site_config/`` with errors that give file and line.

``load_yaml`` gives the data; ``load_located`` also gives a ``Located``: the line of
every key and value, from PyYAML's node tree, so a schema error can name its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader when PyYAML has it (10x faster); on an error, the pure-Python loader
# parses again, for its clearer messages.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(ValueError):
    """A configuration file is malformed or holds wrong values; each message names the file.

    ``errors`` holds one message per problem. ``str()`` joins them with ``"\\nerror: "``,
    so that ``print(f"error: {exc}")``, as every command prints it, shows one per line.
    """

    def __init__(self, *errors: str) -> None:
        self.errors = [line for error in errors for line in str(error).splitlines()]
        super().__init__("\nerror: ".join(self.errors))


class Located:
    """Where each key and value of a parsed YAML document is: ``line(path)`` is 1-based.

    ``path`` is a sequence of mapping keys and list indexes (``("schedule", 0, "page")``);
    a path that does not exist gives the line of its deepest part that does.
    ``offset`` is added to every line (front matter starts on a page's second line).
    """

    def __init__(self, node: yaml.Node | None, offset: int = 0) -> None:
        self.node = node
        self.offset = offset

    def line(self, path: Sequence[str | int], *, key: bool = False) -> int | None:
        """The line of the value at ``path``, or with ``key=True`` of its key."""
        node = self.node
        if node is None:
            return None
        at = node.start_mark.line
        for part in path:
            child, key_node = _child(node, part)
            if child is None:
                break
            node = child
            at = key_node.start_mark.line if key and key_node is not None else child.start_mark.line
        return at + 1 + self.offset

    def duplicate_keys(self) -> list[tuple[list[str | int], int, int]]:
        """Keys given twice in one mapping (YAML keeps the last silently): (path, first, second line)."""
        found: list[tuple[list[str | int], int, int]] = []

        def walk(node: yaml.Node, path: list[str | int]) -> None:
            if isinstance(node, yaml.MappingNode):
                seen: dict[str, int] = {}
                for k, v in node.value:
                    name = str(k.value)
                    if isinstance(k, yaml.ScalarNode) and name in seen:
                        found.append(([*path, name], seen[name], k.start_mark.line + 1 + self.offset))
                    seen.setdefault(name, k.start_mark.line + 1 + self.offset)
                    walk(v, [*path, name])
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    walk(item, [*path, i])

        if self.node is not None:
            walk(self.node, [])
        return found


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        for k, v in reversed(node.value):  # the last of a repeated key is the one YAML keeps
            if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                return v, k
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


def shown_path(path: Path, root: Path | None = None) -> str:
    """``path`` as messages show it: relative to ``root`` (the repository) when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def load_yaml(path: Path, *, missing_ok: bool = False, root: Path | None = None) -> Any:
    """Parse ``path``; a syntax error becomes ``ConfigError("file:line:col: problem")``.

    ``root``: the repository, so that messages name the file relative to it.
    """
    return load_located(path, missing_ok=missing_ok, root=root)[0]


def load_located(path: Path, *, missing_ok: bool = False, root: Path | None = None
                 ) -> tuple[Any, Located]:
    """Parse ``path`` into its data and where each part of it is (``Located``)."""
    shown = shown_path(path, root)
    if not path.exists():
        if missing_ok:
            return None, Located(None)
        raise ConfigError(f"{shown}: file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                          "save the file as UTF-8") from None
    return parse_located(text, shown)


def parse_located(text: str, shown: str, offset: int = 0) -> tuple[Any, Located]:
    """Parse YAML ``text`` (from file ``shown``, starting ``offset`` lines in) with its lines."""
    try:
        return _parse(FAST_LOADER, text, offset)
    except yaml.YAMLError:
        pass
    try:
        return _parse(yaml.SafeLoader, text, offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1 + offset}:{mark.column + 1}" if mark else shown
        context = ""
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            context = f" ({exc.context} at line {exc.context_mark.line + 1 + offset})"
        raise ConfigError(f"{where}: malformed YAML: {exc.problem or exc.context}{context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: malformed YAML: {exc}") from None


def _parse(loader_class: type, text: str, offset: int) -> tuple[Any, Located]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, Located(node, offset)
