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
  matplotlib Figure, a caption (Markdown, maths allowed) and alt text; ``draw`` is
  called for the desktop column and, when the text would be too small on a phone,
  again with ``theme.narrow`` true (``generators/layout.py``);
- ``exports``: JSON data for in-page explorers, ``build(data, params) -> dict``.

Lessons embed a figure as ``{{ figure <lesson>/<name> }}`` and quote a result as
``{{ result <lesson>/<name> [format] }}``, e.g. ``{{ result neurons/test_accuracy .1% }}``.

This module only declares; running, caching and saving live in ``pipeline.py`` and
``render.py``. It deliberately imports no matplotlib so that declaring is cheap.

Compute once: the build saves each generator's ``compute(params)`` result next to its
figures (in the cache, not the site). When it then runs the lesson's notebook, it hands
the kernel those results through ``$DLV_COMPUTE_RESULTS`` (a JSON table, see
``stored_result``), and ``GENERATOR.compute(params)`` called there with the same
parameters returns the stored result instead of training again. Anywhere else (a
student's notebook, other parameters, no or a damaged table) it trains for real.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
GENERATOR_MODULE_RE = re.compile(r"generators\.([A-Za-z0-9_]+)\.fig_([A-Za-z0-9_]+)")
# A JSON table {generator id: {"params": ..., "file": ..., "sha256": ...}} of compute
# results the build already has (``file`` relative to the table's folder); set by the
# build for a lesson notebook's kernel only.
COMPUTE_RESULTS_ENV = "DLV_COMPUTE_RESULTS"
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
    # True: ``draw`` honours ``theme.narrow`` (a phone's layout, generators/layout.py),
    # used when the wide picture's text would be too small on a phone. False: the wide
    # picture is shown shrunk on phones, and every build warns about it.
    narrow: bool = True


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
        gen_id = _declaring_generator()
        if gen_id is not None and not hasattr(self.compute, "train"):
            object.__setattr__(self, "compute", _reusing(self.compute, gen_id))


def _declaring_generator() -> str | None:
    """The id ``<lesson>/<name>`` of the ``generators.<lesson>.fig_<name>`` module whose
    code is constructing a ``Generator`` (None for any other module, e.g. a test's)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back  # __post_init__, and the __init__ dataclasses wrote here
    match = GENERATOR_MODULE_RE.fullmatch(frame.f_globals.get("__name__", "")) if frame else None
    return f"{match[1]}/{match[2]}" if match else None


def _reusing(compute: Callable[[Params], Mapping[str, Any]], gen_id: str
             ) -> Callable[[Params], Mapping[str, Any]]:
    """``compute``, returning the build's stored result for ``gen_id`` when there is one
    for the same parameters (``stored_result``); its ``train`` is the plain ``compute``."""

    @functools.wraps(compute)
    def compute_once(params: Params) -> Mapping[str, Any]:
        stored = stored_result(gen_id, params)
        return compute(params) if stored is None else stored

    compute_once.train = compute  # type: ignore[attr-defined]
    return compute_once


def train(gen: Generator, params: Params) -> Mapping[str, Any]:
    """Run ``gen``'s own ``compute(params)``: always trains, never a stored result (the build)."""
    return getattr(gen.compute, "train", gen.compute)(params)


def _canonical(params: Params) -> str:
    """Parameters as text that is equal exactly when they are (a tuple as a list, 1 != 1.0)."""
    return json.dumps(dict(params), sort_keys=True, default=repr)


def stored_result(gen_id: str, params: Params) -> Mapping[str, Any] | None:
    """The result the build stored for ``gen_id`` computed with ``params``, or None.

    Read from ``$DLV_COMPUTE_RESULTS``'s table; None (so the caller trains for real)
    when the variable is unset, the table has no entry for ``gen_id``, the entry was
    computed with other parameters, or its file is missing, does not have its recorded
    SHA-256 or does not unpickle. The build puts an entry in the table only while the
    generator's cache key is the current one, so a stale result is never offered.
    """
    table_path = os.environ.get(COMPUTE_RESULTS_ENV)
    if not table_path:
        return None
    try:
        table = json.loads(open(table_path, encoding="utf-8").read())
        entry = table.get(gen_id)
        if not isinstance(entry, dict) or _canonical(entry["params"]) != _canonical(params):
            return None
        with open(os.path.join(os.path.dirname(table_path), entry["file"]), "rb") as fh:
            blob = fh.read()
        if hashlib.sha256(blob).hexdigest() != entry["sha256"]:
            return None
        import cloudpickle  # only here: declaring stays cheap

        return cloudpickle.loads(blob)
    except Exception:  # any damage means: train for real, as a student's copy does
        return None


class OverrideError(ValueError):
    """An instructor override names an unknown parameter or gives a value the parameter refuses."""


def effective_params(
    params: Mapping[str, ParamValue | Param], overrides: Mapping[str, Any], figure_id: str
) -> Params:
    """Merge ``overrides`` into the declared ``params`` (plain defaults or ``Param``s); read-only.

    Every override is checked as ``check_override`` does; the first problem raises
    ``OverrideError("<figure_id>.<name>: <problem>")``. The build checks the whole of
    ``site_config/figures.yml`` before any job runs, with lines (``build/overrides.py``);
    this is the same check for whoever calls a generator directly.
    """
    specs = {k: v if isinstance(v, Param) else Param(v) for k, v in params.items()}
    merged = {k: spec.default for k, spec in specs.items()}
    for key, value in overrides.items():
        if key not in specs:
            from generators.build.suggest import did_you_mean

            raise OverrideError(f"{figure_id}.{key}: unknown parameter" + did_you_mean(
                key, specs, hint=f"`make describe ID={figure_id}` lists them"))
        merged[key], problem = check_override(specs[key], value)
        if problem:
            raise OverrideError(f"{figure_id}.{key}: {problem}")
    return MappingProxyType(merged)


TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text",
              tuple: "a list"}
PLURALS = {bool: "true/false values", int: "whole numbers", float: "numbers", str: "texts"}
# Text that looks like a number. YAML 1.1 (PyYAML) reads 1e6, and even 1.0e6, as text: its
# floats need a dot and a signed exponent (1.0e+6).
NUMBER_LIKE = re.compile(r"^[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?$")


def check_override(spec: Param, value: Any) -> tuple[Any, str | None]:
    """``(value with the default's type, None)``, or ``(None, what is wrong)``.

    Today's type rules: an int is accepted for a float, a list for a tuple (its items of
    the default's first item's type); then the declared range and choices. A float that
    is NaN or infinite "must be finite"; text that reads as a number says YAML made it text.
    """
    items = value if isinstance(value, (list, tuple)) else (value,)
    for x in items:
        if isinstance(x, float) and not math.isfinite(x):
            return None, f"must be finite, got {x}"
    value, problem = _coerce(value, spec.default)
    if problem:
        return None, problem
    for x in value if isinstance(value, tuple) else (value,):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            continue
        if spec.min is not None and x < spec.min:
            return None, f"must be >= {spec.min}, got {x}"
        if spec.max is not None and x > spec.max:
            return None, f"must be <= {spec.max}, got {x}"
    if spec.choices is not None and value not in spec.choices:
        from generators.build.suggest import did_you_mean

        near = did_you_mean(value, spec.choices) if isinstance(value, str) else ""
        near = near if near.startswith("; did") else ""
        return None, (f"must be one of {', '.join(repr(c) for c in spec.choices)}, "
                      f"got {value!r}{near}")
    return value, None


def _coerce(value: Any, default: ParamValue) -> tuple[Any, str | None]:
    """``value`` with the type of ``default`` (int accepted for float, list for tuple), or a problem."""
    want = type(default)
    if want is tuple:
        if not isinstance(value, (list, tuple)):
            return None, _wrong(value, default)
        if not default:
            return tuple(value), None
        items = [_coerce(v, default[0]) for v in value]
        bad = next((v for v, (_, problem) in zip(value, items) if problem), None)
        if any(problem for _, problem in items):
            return None, _wrong(list(value), default, bad)
        return tuple(v for v, _ in items), None
    if want is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value), None
    if isinstance(value, want) and not (isinstance(value, bool) and want is not bool):
        return value, None
    return None, _wrong(value, default)


def _wrong(value: Any, default: ParamValue, bad_item: Any = None) -> str:
    """"expected <type> like the default ..., got ..."; says so when YAML read a number as text."""
    if isinstance(default, tuple):
        listed = isinstance(value, list) and bool(default)  # a list, of the wrong items
        what = f"a list of {PLURALS.get(type(default[0]), 'values')}" if listed else "a list"
        want, shown = (type(default[0]) if default else tuple), list(default)
    else:
        what, want, shown = TYPE_NAMES.get(type(default), type(default).__name__), type(default), default
    problem = f"expected {what} like the default {shown!r}, got {value!r}"
    text = bad_item if isinstance(value, list) else value
    if want in (int, float) and isinstance(text, str) and NUMBER_LIKE.match(text.strip()) \
            and any(c.isdigit() for c in text):
        import yaml  # only here, on an error: declaring stays cheap

        number = text.strip()
        if isinstance(yaml.safe_load(number), (int, float)):
            return problem + " (a number in quotes is text: remove the quotes)"
        better = number
        if want is int:
            better = str(int(float(number))) if float(number).is_integer() else "a whole number"
        elif "e" in number.lower():  # YAML 1.1 wants a dot and a signed exponent: 1.0e+6
            mantissa, _, exponent = number.lower().partition("e")
            mantissa = mantissa if "." in mantissa else mantissa + ".0"
            mantissa = mantissa + "0" if mantissa.endswith(".") else mantissa
            better = f"{mantissa}e{exponent if exponent[0] in '+-' else '+' + exponent}"
        problem += f" (text, not a number: YAML reads {number} as text; write {better})"
    return problem
