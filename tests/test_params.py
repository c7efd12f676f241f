"""Every generator parameter says what it means and which values it accepts.

``make describe`` shows each ``Param``'s one-line meaning and range, and an instructor's
override in ``site_config/figures.yml`` is checked against the range; a default outside
its own range fails on import (``Param`` checks it). Here: every parameter of every
generator the build runs has a meaning; the limits fixed by the data are the data's;
and the combinations at the edges of the CNN's and the photo's ranges work (cheap
checks, no training).
"""

from __future__ import annotations

import importlib
from types import MappingProxyType

import numpy as np
import pytest

from generators.build.jobs import discover
from sitekit import REPO

GENERATORS = {job.id: job.target for job in discover(REPO).values() if job.kind == "figures"}


def generator(gen_id: str):
    return importlib.import_module(GENERATORS[gen_id]).GENERATOR


def test_every_generator_is_found() -> None:
    assert len(GENERATORS) >= 38


@pytest.mark.parametrize("gen_id", sorted(GENERATORS))
def test_every_parameter_says_what_it_means(gen_id: str) -> None:
    specs = generator(gen_id).param_specs       # importing checks every default against its range
    assert specs, f"{gen_id} declares no parameters"
    for key, spec in specs.items():
        where = f"{gen_id}: parameter {key!r}"
        assert spec.help.strip(), f"{where} has no help"
        assert "\n" not in spec.help and len(spec.help) < 100, f"{where}: help is not one short line"
        if isinstance(spec.default, str):
            assert spec.choices, f"{where} is a string with no choices"


def test_limits_fixed_by_the_data_are_the_datas() -> None:
    from generators.convolution.fig_worked import IMAGE, KERNEL
    from generators.nn import data

    X, Y, X_test, _ = data.digits(images=True)
    n_train, n_test, classes, side = len(X), len(X_test), Y.shape[1], X.shape[-1]
    expected = {
        ("cnns/inside", "example"): (0, n_test - 1),
        ("attribution/maps", "classes"): (0, classes - 1),
        ("attribution/maps", "patch"): (1, side),
        ("feature_visualization/deepvis", "facet_classes"): (0, classes - 1),
        ("backpropagation/decay", "n_train"): (1, n_train),
        ("backpropagation/vanishing", "batch"): (1, n_train),
        ("dataflow_graphs/mlp", "batch_size"): (1, n_train),
        ("dataflow_graphs/cnn", "batch_size"): (1, n_train),
        ("loss_landscapes/landscape", "plane_examples"): (1, n_train),
        ("sgd/compare", "n_train"): (1, n_train),
        ("training_dynamics/monitoring", "n_train"): (1, n_train),
        ("training_dynamics/parallel", "probe"): (1, n_train),
        ("training_dynamics/saturation", "probe"): (1, n_train),
        ("convolution/worked", "window"): (0, len(IMAGE) - len(KERNEL)),
    }
    for (gen_id, key), (lo, hi) in expected.items():
        spec = generator(gen_id).param_specs[key]
        assert (spec.min, spec.max) == (lo, hi), f"{gen_id}: {key} should be in [{lo}, {hi}]"


def test_the_cnn_builds_at_every_corner_of_its_ranges() -> None:
    from generators.cnns import CNN_PARAMS, build_cnn
    from generators.cnns.fig_training import architecture

    specs = generator("cnns/training").param_specs
    for kernel in (specs["kernel"].min, specs["kernel"].max):
        for pool in (specs["pool"].min, specs["pool"].max):
            p = MappingProxyType({**CNN_PARAMS, "kernel": kernel, "pool": pool})
            for padding in (None, 0):                # the lesson's network, the exercise's
                model = build_cnn(p, np.random.default_rng(0), padding=padding)
                assert architecture(model, (1, 8, 8))["softmax1_n"] == 10, (kernel, pool, padding)


def test_the_photo_pools_at_the_edge_of_its_ranges() -> None:
    from generators.convolution import fig_pooling

    specs = fig_pooling.GENERATOR.param_specs
    p = MappingProxyType({**fig_pooling.GENERATOR.params, "shrink": specs["shrink"].max,
                          "sizes": (specs["sizes"].min, specs["sizes"].max)})
    d = fig_pooling.compute(p)
    assert d["pooled_h"] >= 1 and d["pooled_w"] >= 1
