"""Helpers the lesson tests share."""

from __future__ import annotations

from types import MappingProxyType


def params(module, **changes) -> MappingProxyType:
    """A generator module's default parameters, with ``changes``, read-only as the build passes them."""
    return MappingProxyType({**module.GENERATOR.params, **changes})
