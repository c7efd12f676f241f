"""Helpers and tests the lesson tests share.

A lesson test file lists its generator modules in ``MODULES`` (and, if only some of
them should go through the shared drawing test, those in ``DRAWN``), then imports the
shared tests below by name; ``conftest.py`` parametrizes ``generator_module`` over them.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from generators.build.render import draw_figures


def params(module, **changes) -> MappingProxyType:
    """A generator module's default parameters, with ``changes``, read-only as the build passes them."""
    return MappingProxyType({**module.GENERATOR.params, **changes})


def test_every_figure_draws_in_both_themes(generator_module, computed, tmp_path) -> None:
    module = generator_module
    figures, files = draw_figures(module.GENERATOR, computed[module.__name__], params(module),
                                  "t", tmp_path)
    # light and dark of every figure, and of its narrow layout when it has one
    assert len(files) == 2 * len(module.GENERATOR.figures) + 2 * sum(
        "narrow" in entry for entry in figures.values())


def test_every_declared_result_is_a_finite_number(computed, request) -> None:
    for module in request.module.MODULES:
        for name in module.GENERATOR.results:
            value = computed[module.__name__][name]
            assert isinstance(value, (int, float)) and np.isfinite(value), (module, name)
