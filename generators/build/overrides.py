"""Instructors' parameter overrides: ``site_config/figures.yml``.

The file maps a generator id (``<lesson>/<module without fig_>``) to the parameters to
change, for example::

    neurons/training:
      eta: 1.0
      epochs: 200

Names and types are checked against the generator's declared defaults when it runs
(``generators.figure.effective_params``); this module only reads the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.build.yamlfile import ConfigError, load_yaml

OVERRIDES_FILE = Path("site_config") / "figures.yml"


def load_overrides(root: Path) -> dict[str, dict[str, Any]]:
    """Generator id -> overridden parameters; empty when the file is absent or empty."""
    path = root / OVERRIDES_FILE
    data = load_yaml(path, missing_ok=True)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of generator id to parameters")
    for key, section in data.items():
        if not isinstance(section, dict):
            raise ConfigError(
                f"{path}: {key!r} must map parameter names to values, got {section!r}"
            )
    return {str(k): dict(v) for k, v in data.items()}
