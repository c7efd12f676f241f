"""How a figure generator declares what it makes.

A generator is one module ``generators/<lesson>/fig_<name>.py`` holding one
``GENERATOR = Generator(...)``. It declares, once and next to the code that draws them:

- ``params``: default parameters (numbers, strings, booleans, tuples of those), each
  either a plain value or a ``Param(default, "one-line meaning", min=, max=, choices=)``
  that also says what it means and which values make sense; an instructor may override
  them in ``site_config/figures.yml``, and overrides are checked against the declaration;
- ``compute(params) -> dict``: the expensive part (training), returning the data the
  figures draw and the named ``results`` the lessons quote;
- ``figures``: each with a name, a ``draw(data, params, theme)`` function returning a
  matplotlib Figure, a caption (Markdown, maths allowed) and alt text;
- ``exports``: JSON data for in-page explorers, ``build(data, params) -> dict``.

Lessons embed a figure as ``{{ figure <lesson>/<name> }}`` and quote a result as
``{{ result <lesson>/<name> [format] }}``, e.g. ``{{ result neurons/test_accuracy .1% }}``.

This module only declares; running, caching and saving live in ``pipeline.py`` and
``render.py``. It deliberately imports no matplotlib so that declaring is cheap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ParamValue = bool | int | float | str | tuple
Params = Mapping[str, Any]


@dataclass(frozen=True)
class Param:
    """A parameter's default, its one-line meaning, and the values it accepts.

    ``min``/``max`` bound a number (or every number in a tuple), inclusively;
    ``choices`` lists the only values allowed. ``make describe`` shows all of it, and an
    instructor's override outside it is an error naming ``site_config/figures.yml``'s line.
    """

    default: ParamValue
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[ParamValue, ...] | None = None

    def __post_init__(self) -> None:
        if self.choices is not None and self.default not in self.choices:
            raise ValueError(f"default {self.default!r} is not one of its choices {self.choices!r}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min!r} is above max {self.max!r}")
        numbers = self.default if isinstance(self.default, tuple) else (self.default,)
        for x in numbers:
            if isinstance(x, (int, float)) and not isinstance(x, bool) and (
                    (self.min is not None and x < self.min) or (self.max is not None and x > self.max)):
                raise ValueError(f"default {self.default!r} is outside [{self.min}, {self.max}]")


@dataclass(frozen=True)
class Figure:
    """One picture a generator draws, in a light and a dark variant.

    ``draw(data, params, theme)`` gets what ``compute`` returned, the effective parameters
    and a ``generators.style.Theme``; it returns a ``matplotlib.figure.Figure``, or, for
    an "svg" figure made by another tool (Graphviz's ``AGraph.draw(format="svg")``), the
    SVG document as bytes, which is published as it is.
    """

    name: str
    draw: Callable[..., Any]
    caption: str
    alt: str
    format: str = "svg"  # "svg" for line art, "png" for images with many pixels


@dataclass(frozen=True)
class Export:
    """JSON data for an in-page explorer: ``build(data, params) -> dict`` (JSON-ready).

    Published as ``<lesson>/<name>.json``; a page shows it with
    ``{{ explorer <kind> <lesson>/<name> }}``, where ``<kind>`` names the script that
    draws it (``site_config/assets/js/<kind>.js``).
    """

    name: str
    build: Callable[..., Any]


@dataclass(frozen=True)
class Generator:
    """Everything one ``fig_*.py`` module makes: figures and results from one computation."""

    compute: Callable[[Params], Mapping[str, Any]]
    figures: tuple[Figure, ...] = ()
    # Declared as values or ``Param``s; after construction ``params`` holds the plain
    # default values (what ``compute`` is given when nothing is overridden) and
    # ``param_specs`` a ``Param`` for every name.
    params: Mapping[str, ParamValue | Param] = field(default_factory=dict)
    results: tuple[str, ...] = ()  # keys of compute()'s dict published for lesson text
    data_files: tuple[str, ...] = ()  # repository-relative files that compute() reads
    exports: tuple[Export, ...] = ()  # JSON data for in-page explorers
    # False leaves this generator out of the lesson's notebook (say why in its docstring):
    # for batch jobs such as the playground's grid of trainings, too slow to rerun there.
    notebook: bool = True
    # Seconds this generator may run before the build stops it and names it; None: the
    # build's default (generous; `make TIMEOUT=...`). Give a number literal here.
    timeout: float | None = None

    param_specs: Mapping[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        specs = {k: v if isinstance(v, Param) else Param(v) for k, v in self.params.items()}
        object.__setattr__(self, "param_specs", MappingProxyType(specs))
        object.__setattr__(self, "params", MappingProxyType({k: v.default for k, v in specs.items()}))
        for fig in self.figures:
            if not NAME_RE.match(fig.name):
                raise ValueError(f"figure name {fig.name!r} must match {NAME_RE.pattern}")
            if fig.format not in ("svg", "png"):
                raise ValueError(f"figure {fig.name!r}: format must be 'svg' or 'png'")
            if not fig.caption.strip() or not fig.alt.strip():
                raise ValueError(f"figure {fig.name!r} needs a caption and alt text")
        for key in self.results:
            if not NAME_RE.match(key):
                raise ValueError(f"result name {key!r} must match {NAME_RE.pattern}")
        for export in self.exports:
            if not NAME_RE.match(export.name):
                raise ValueError(f"export name {export.name!r} must match {NAME_RE.pattern}")
        names = [f.name for f in self.figures] + list(self.results) + [e.name for e in self.exports]
        if len(names) != len(set(names)):
            raise ValueError(f"figure and result names repeat: {sorted(names)}")


class OverrideError(ValueError):
    """An instructor override names an unknown parameter or gives a wrong type."""


def effective_params(
    defaults: Mapping[str, ParamValue], overrides: Mapping[str, Any], figure_id: str
) -> Params:
    """Merge ``overrides`` into ``defaults``, checking names and types; read-only result."""
    merged = dict(defaults)
    for key, value in overrides.items():
        if key not in defaults:
            valid = ", ".join(sorted(defaults)) or "(none)"
            raise OverrideError(
                f"unknown parameter {key!r} for generator {figure_id}; valid keys: {valid}"
            )
        merged[key] = _coerce(value, defaults[key], key, figure_id)
    return MappingProxyType(merged)


def _coerce(value: Any, default: ParamValue, key: str, figure_id: str) -> ParamValue:
    """Return ``value`` with the type of ``default`` (int accepted for float, list for tuple)."""
    want = type(default)
    ok = isinstance(value, want) and not (isinstance(value, bool) and want is not bool)
    if want is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if want is tuple and isinstance(value, list):
        value, ok = tuple(value), True
    if want is tuple and ok and default and value:
        inner = type(default[0])
        ok = all(isinstance(v, (int, float)) if inner is float else isinstance(v, inner)
                 for v in value)
    if isinstance(value, float) and not math.isfinite(value):
        ok = False
    if not ok:
        raise OverrideError(
            f"parameter {key!r} of generator {figure_id} must be {want.__name__} "
            f"like the default {default!r}, got {value!r}"
        )
    return value
