"""Feature visualization: input gradients, the regularisers, synthesis and facets."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pytest

from generators.feature_visualization import (Regularisers, blur, logits, synthesize,
                                              train_digits_net, unit_score_grad)
from generators.feature_visualization import fig_deepvis
from generators.nn import Sequential, numerical_gradient, relative_error
from generators.build.render import draw_figures


@pytest.fixture(scope="module")
def net():
    return train_digits_net(seed=0, epochs=5)


def test_input_gradient_of_a_logit_matches_central_differences(net) -> None:
    model, ds, _ = net
    x = ds.X_test[:1].copy()
    for layer, unit in ((0, 3), (2, 7)):
        g = unit_score_grad(model, layer, x, np.array([unit]))[0]
        head = Sequential(model.layers[: layer + 1])
        numeric = numerical_gradient(lambda: head.forward(x)[0, unit], x)[0]
        assert relative_error(g, numeric) < 1e-6


def test_blur_keeps_a_constant_image_and_smooths_a_spike() -> None:
    flat = np.full((1, 8, 8), 0.3)
    assert np.allclose(blur(flat, 0.6), flat)
    spike = np.zeros((1, 8, 8))
    spike[0, 4, 4] = 1.0
    out = blur(spike, 0.6)
    assert out[0, 4, 4] < 1.0 and out[0, 4, 5] > 0 and np.isclose(out.sum(), 1.0)


def test_synthesis_raises_the_chosen_logit_and_stays_in_range(net) -> None:
    model, ds, _ = net
    mean = ds.X_train.mean(axis=0)
    classes = np.arange(10)
    start = np.tile(mean, (10, 1))
    out = synthesize(model, 2, classes, start, mean, Regularisers(decay=0.05), 60, 0.05)
    before, after = logits(model, start)[classes, classes], logits(model, out)[classes, classes]
    assert np.all(after > before + 1.0)
    assert out.min() >= 0 and out.max() <= 1


def test_the_page_generator(tmp_path) -> None:
    p = MappingProxyType({**fig_deepvis.GENERATOR.params, "steps": 60})
    d = fig_deepvis.compute(p)
    assert d["test_accuracy"] > 0.95 and d["prob_none"] > 0.9 and d["prob_all"] > 0.9
    for rows in d["facets"].values():
        assert sum(size for _, _, size in rows) == p["facet_pool"]
    figures, files = draw_figures(fig_deepvis.GENERATOR, d, p, "t", tmp_path)
    assert all("narrow" in entry for entry in figures.values())     # every grid has a phone layout
    assert len(files) == 12                                         # 3 figures x 2 layouts x 2 themes
    with pytest.raises(ValueError, match="chosen must be one of"):
        fig_deepvis.compute(MappingProxyType({**p, "chosen": "jitter"}))
