"""Reading the YAML files under ``site_config/`` with errors that give file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A configuration file is malformed or holds a wrong value; the message names the file."""


def load_yaml(path: Path, *, missing_ok: bool = False) -> Any:
    """Parse ``path``; a syntax error becomes ``ConfigError("file:line:col: problem")``."""
    if not path.exists():
        if missing_ok:
            return None
        raise ConfigError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        # libyaml's loader when PyYAML has it (10x faster); on an error, the pure-Python
        # loader parses again, for its clearer messages.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        context = ""
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            context = f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ConfigError(f"{where}: malformed YAML: {exc.problem or exc.context}{context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: malformed YAML: {exc}") from None
