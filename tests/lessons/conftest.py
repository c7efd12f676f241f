"""Shared fixtures for the lesson tests: one BLAS thread, and each file's computed data.

A test file lists its generator modules in ``MODULES``; the ``computed`` fixture runs
each one's ``compute`` once per file with its default parameters, keyed by module name.
"""

from __future__ import annotations

import pytest

from lessonkit import params


@pytest.fixture(scope="session", autouse=True)
def one_blas_thread():
    """One BLAS thread, as the build's workers use: these small matrices only lose by more."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def computed(request) -> dict:
    return {m.__name__: m.GENERATOR.compute(params(m)) for m in request.module.MODULES}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``generator_module``: each of the file's ``DRAWN`` (default ``MODULES``) modules."""
    if "generator_module" in metafunc.fixturenames:
        modules = getattr(metafunc.module, "DRAWN", metafunc.module.MODULES)
        metafunc.parametrize("generator_module", modules,
                             ids=[m.__name__.rsplit(".", 1)[-1] for m in modules])
