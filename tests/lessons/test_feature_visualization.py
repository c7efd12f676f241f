"""Feature visualization: input gradients, the regularisers, synthesis and facets, and the
numbers the page quotes to say the images show what it claims."""

from __future__ import annotations

import numpy as np
import pytest

from generators.feature_visualization import (Regularisers, blur, logits, nearest_distance,
                                              precondition_matrix, shift, synthesize,
                                              train_digits_net, unit_score_grad)
from generators.feature_visualization import fig_deepvis
from generators.nn import Sequential, numerical_gradient, relative_error
from lessonkit import params
from lessonkit import test_every_declared_result_is_a_finite_number  # noqa: F401
from lessonkit import test_every_figure_draws_in_both_themes  # noqa: F401

MODULES = (fig_deepvis,)


@pytest.fixture(scope="module")
def net():
    return train_digits_net(seed=0, epochs=5)


@pytest.fixture(scope="module")
def d(computed) -> dict:
    return computed[fig_deepvis.__name__]


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


def test_shift_moves_pixels_and_fills_with_blank_paper() -> None:
    x = np.arange(64.0)[None] + 1
    moved = shift(x, 1, -1).reshape(8, 8)
    assert moved[1, 0] == x[0, 1] and np.all(moved[0] == 0) and np.all(moved[:, 7] == 0)
    assert np.allclose(shift(shift(x, 1, -1), -1, 1).reshape(8, 8)[:7, 1:], x.reshape(8, 8)[:7, 1:])


def test_decorrelated_steps_never_move_a_pixel_blank_in_every_digit(net) -> None:
    model, ds, _ = net
    P = precondition_matrix(ds.X_train)
    assert np.isclose(np.linalg.eigvalsh(P)[-1], 1.0)
    blank = ds.X_train.max(axis=0) == 0
    assert blank.any()
    mean = ds.X_train.mean(axis=0)
    out = synthesize(model, 2, np.arange(10), np.tile(mean, (10, 1)), mean,
                     Regularisers(decorrelate=True), 30, 0.2, precondition=P)
    assert np.all(out[:, blank] == 0)
    with pytest.raises(ValueError, match="precondition"):
        synthesize(model, 2, np.arange(1), mean[None], mean, Regularisers(decorrelate=True), 1, 0.1)


def test_synthesis_raises_the_chosen_logit_and_stays_in_range(net) -> None:
    model, ds, _ = net
    mean = ds.X_train.mean(axis=0)
    classes = np.arange(10)
    start = np.tile(mean, (10, 1))
    for reg in (Regularisers(decay=0.05), Regularisers(jitter=1)):
        out = synthesize(model, 2, classes, start, mean, reg, 60, 0.05,
                         rng=np.random.default_rng(0))
        before, after = logits(model, start)[classes, classes], logits(model, out)[classes, classes]
        assert np.all(after > before + 1.0)
        assert out.min() >= 0 and out.max() <= 1


def test_nearest_distance_is_zero_for_a_training_digit(net) -> None:
    X = net[1].X_train
    assert np.allclose(nearest_distance(X[:3], X), 0, atol=1e-6)
    assert np.all(nearest_distance(X[:3] + 0.1, X) > 0)


def test_the_regularisers_make_the_class_images_digit_like(d) -> None:
    """The ablation's claims, over the seeds: no regulariser and jitter land far from real
    digits; L2 decay and blur help; decorrelated + L2 is as near as a real test digit."""
    near = {label: d[f"near_{fig_deepvis.slug(label)}"] for label in fig_deepvis.SETTINGS}
    sd = {label: d[f"near_{fig_deepvis.slug(label)}_sd"] for label in fig_deepvis.SETTINGS}
    plain = near["unregularised"]
    low = plain - 2 * sd["unregularised"]
    assert 2.5 < plain / d["near_test"] < 3.5, near            # "about three times as far"
    for label in ("L2 decay", "blur"):
        assert near[label] + 2 * sd[label] < low, (label, near)
    assert near["jitter"] > low, near                           # jitter does not help here
    assert min(near, key=near.get) == "decorrelated + L2", near
    assert near["decorrelated + L2"] < 1.2 * d["near_test"], near
    scores = [d[f"score_{fig_deepvis.slug(label)}"] for label in fig_deepvis.SETTINGS]
    assert min(scores) > d["logit_real"], (scores, d["logit_real"])  # every row scores higher


def test_hidden_units_synthetic_images_resemble_their_top_digits(d) -> None:
    assert d["corr_decorrelated_l2"] > d["corr_random"] + 0.5, d["corr_random"]
    assert d["corr_min"] > 0.5
    assert d["corr_decorrelated_l2"] > d["corr_unregularised"] + 2 * d["corr_unregularised_sd"]
    assert d["z_synth"] > 0.8 * d["z_top"]                           # "about as strongly"


def test_facets_stay_apart_and_do_not_depend_on_the_start(d) -> None:
    assert d["facet_margin"] > 0.1          # nearer its own facet's mean than any other's
    assert d["facet_pair_min"] > 10 * d["facet_spread"]  # distinct, compared with the seeds' spread
    assert d["facet_spread"] < 1e-6                   # "they differ by less than 10⁻⁶"
    assert d["facet_logit_gain"] > 0.5
    assert d["facet_pair_min_global"] < 1e-6           # towards the overall mean: one image
    for rows in d["facets"].values():
        assert sum(size for *_, size in rows) == params(fig_deepvis)["facet_pool"]

