"""Checking a YAML document against a JSON Schema, with messages an instructor can act on.

``schema_errors(data, schema, located, shown)`` validates with jsonschema and turns each
problem into one line: ``<file>:<line>: <key path>: <what is wrong>``, e.g.

    site_config/course.yml:17: colors: expected a mapping with primary and accent, got 'teal'
    site_config/course.yml:17: colours: unknown key; did you mean 'colors'?

Every error of the document is reported, sorted by line, one per key path. A schema
says what a value should be in plain words with the extra keyword ``x-expected`` (used
for any type, pattern or shape error at that place); unknown keys get "did you mean"
among the keys valid at that place; ``enum`` values get it among the allowed values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from generators.build.suggest import did_you_mean
from generators.build.yamlfile import Located

TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number",
              "boolean": "true or false", "object": "a mapping", "array": "a list",
              "null": "nothing"}


def key_path(path: Sequence[str | int]) -> str:
    """``schedule[0].page`` for ``("schedule", 0, "page")``; ``""`` for the top level."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def got(value: Any) -> str:
    """A value as a message shows it: short, and ``nothing`` for an empty YAML value."""
    if value is None:
        return "nothing (an empty value)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def where(shown: str, located: Located, path: Sequence[str | int], *, key: bool = False) -> str:
    """``file:line`` of ``path`` (or ``file`` when there is no line)."""
    line = located.line(path, key=key)
    return f"{shown}:{line}" if line else shown


class Problem(NamedTuple):
    """One error: its line (0: none), its key path (``colors.primary``) and its message."""

    line: int
    path: str
    message: str


def schema_errors(data: Any, schema: Mapping[str, Any], located: Located, shown: str,
                  reported: Sequence[Problem] = ()) -> list[Problem]:
    """Every way ``data`` breaks ``schema``, one per key path, sorted by line.

    ``reported``: problems already found by other checks; their key paths are skipped.
    """
    import jsonschema  # here, not at the top: the figure step uses this module's helpers only

    found: dict[str, Problem] = {p.path: p for p in reported}

    def add(path: Sequence[str | int], problem: str, *, key: bool = False) -> None:
        name = key_path(path)
        if name not in found:
            found[name] = Problem(located.line(path, key=key) or 0, name,
                                  f"{where(shown, located, path, key=key)}: {_named(name, problem)}")

    for path, first, second in located.duplicate_keys():
        add(path, f"given twice (lines {first} and {second}); YAML keeps only the last: "
                  "remove one", key=True)
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(data), key=lambda e: len(e.absolute_path)):
        path = list(error.absolute_path)
        sub = error.schema if isinstance(error.schema, Mapping) else {}
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            known = sub.get("properties", {})
            for name in error.instance:
                if name not in known:
                    add([*path, name], "unknown key" + did_you_mean(name, known), key=True)
        elif error.validator == "required" and isinstance(error.instance, Mapping):
            for name in sub.get("required", []):
                if name not in error.instance:
                    what = sub.get("properties", {}).get(name, {}).get("x-expected")
                    missing = f"missing key {name!r}" + (f" ({what})" if what else "")
                    if path:
                        add(path, missing)
                    else:  # no line to point at: the top level misses a key
                        found.setdefault(name, Problem(0, name, f"{shown}: {missing}"))
        elif error.validator == "enum":
            add(path, f"{got(error.instance)} is not {sub.get('x-expected', 'allowed')}"
                + did_you_mean(error.instance, error.validator_value,
                               hint=sub.get("x-hint", "")))
        else:
            expected = sub.get("x-expected") or _plain(error)
            add(path, f"expected {expected}, got {got(error.instance)}")
    return sorted(found.values(), key=lambda p: p.line)


def problem(located: Located, shown: str, path: Sequence[str | int], text: str, *,
            key: bool = False) -> Problem:
    """A ``Problem`` at ``path`` (its value's line, or its key's), for checks beyond the schema."""
    name = key_path(path)
    return Problem(located.line(path, key=key) or 0, name,
                   f"{where(shown, located, path, key=key)}: {_named(name, text)}")


def _named(name: str, text: str) -> str:
    return f"{name}: {text}" if name else text


def _plain(error: Any) -> str:
    """What a schema without ``x-expected`` wants, from jsonschema's own error."""
    if error.validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return " or ".join(TYPE_WORDS.get(t, t) for t in types)
    return error.message
