"""Instructors' parameter overrides: ``site_config/figures.yml``, read and checked.

The file maps a generator id (``<lesson>/<module without fig_>``) to the parameters to
change, for example::

    neurons/training:
      eta: 1.0
      epochs: 200

Every error of the file is reported at once, before any job runs, each naming the
line and ``generator.param``::

    site_config/figures.yml:4: neurons/training.epochs: must be >= 1, got -5
    site_config/figures.yml:7: neurons/trainin: unknown generator; did you mean 'neurons/training'?

Generator ids are checked against the generator modules found (no import). Parameter
names and values need the generator's declarations, so ``parameter_errors`` imports the
generators it is asked about, and forgets them again so that a long-running process
(``make serve``) reads an edited generator afresh. The pipeline asks only about the
generators that are out of date: an up-to-date one was built, and so checked, with
exactly these overrides and this declaration (both are in its cache key), so a no-op
build imports nothing. The values are checked by ``generators.figure.check_override``,
the check every run of a generator makes too.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generators.build.schema import got, where
from generators.build.suggest import did_you_mean
from generators.build.yamlfile import ConfigError, Located, load_located
from generators.figure import Generator, Param, check_override

OVERRIDES_FILE = Path("site_config") / "figures.yml"
SHOWN = OVERRIDES_FILE.as_posix()
# The build machinery stays imported; lesson modules (generators.<lesson>.*, generators.nn,
# ...) are imported afresh for each check and forgotten after it.
KIT = ("generators.build", "generators.site", "generators.figure")


def load_overrides(root: Path) -> dict[str, dict[str, Any]]:
    """Generator id -> overridden parameters; empty when the file is absent or empty.

    ``ConfigError`` (with lines) if the file is not a mapping of mappings.
    """
    overrides, _, errors = read_overrides(root)
    if errors:
        raise ConfigError(*errors)
    return overrides


def read_overrides(root: Path) -> tuple[dict[str, dict[str, Any]], Located, list[str]]:
    """The well-formed sections, where each part of the file is, and the malformed ones' errors.

    ``ConfigError`` only for a file that is not YAML.
    """
    data, located = load_located(root / OVERRIDES_FILE, missing_ok=True, root=root)
    errors = [f"{where(SHOWN, located, path, key=True)}: {'.'.join(map(str, path))}: given twice "
              f"(lines {first} and {second}); YAML keeps only the last: remove one"
              for path, first, second in located.duplicate_keys()]
    if data is None:
        return {}, located, errors
    if not isinstance(data, dict):
        return {}, located, [f"{where(SHOWN, located, [])}: expected a mapping of generator id to "
                             f"parameters (neurons/training: ...), got {got(data)}"]
    overrides = {}
    for key, section in data.items():
        if isinstance(section, dict):
            overrides[str(key)] = {str(k): v for k, v in section.items()}
        else:
            errors.append(f"{where(SHOWN, located, [key])}: {key}: expected a mapping of parameter "
                          f"names to values (eta: 1.0), got {got(section)}")
    return overrides, located, errors


def unknown_generators(overrides: Mapping[str, Any], located: Located, generator_ids: Iterable[str]
                       ) -> list[str]:
    """An error for each overridden generator id that no module declares."""
    ids = list(generator_ids)
    return [f"{where(SHOWN, located, [key], key=True)}: {key}: unknown generator"
            + did_you_mean(key, ids, hint="`make list-figures` lists them")
            for key in overrides if key not in ids]


def parameter_errors(overrides: Mapping[str, Mapping[str, Any]], located: Located,
                     modules: Mapping[str, str]) -> list[str]:
    """An error for each unknown parameter or refused value of the generators in ``modules``.

    ``modules``: generator id -> module name. A generator that cannot be imported is
    skipped: its job fails with the import's own error when it runs.
    """
    errors = []
    for gen_id, module in modules.items():
        specs = declared_params(module)
        if specs is None:
            continue
        for key, value in overrides.get(gen_id, {}).items():
            name = f"{gen_id}.{key}"
            if key not in specs:
                errors.append(f"{where(SHOWN, located, [gen_id, key], key=True)}: {name}: unknown "
                              "parameter" + did_you_mean(
                                  key, specs, hint=f"`make describe ID={gen_id}` lists them"))
                continue
            _, problem = check_override(specs[key], value)
            if problem:
                errors.append(f"{where(SHOWN, located, [gen_id, key])}: {name}: {problem}")
    return errors


def declared_params(module: str) -> Mapping[str, Param] | None:
    """The ``Param`` of every parameter ``module``'s generator declares; None if it cannot be read.

    The module and the lesson code it imports are imported afresh and forgotten after.
    """
    def lesson_modules() -> list[str]:
        return [n for n in sys.modules if n.startswith("generators.") and not n.startswith(KIT)]

    saved = {name: sys.modules.pop(name) for name in lesson_modules()}
    importlib.invalidate_caches()
    try:
        gen = getattr(importlib.import_module(module), "GENERATOR", None)
        return gen.param_specs if isinstance(gen, Generator) else None
    except Exception:  # the job reports it, with its traceback, when it runs
        return None
    finally:
        for name in lesson_modules():
            del sys.modules[name]
        sys.modules.update(saved)
