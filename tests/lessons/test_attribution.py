"""The page "Attribution": saliency is the true input gradient, occlusion and noise as claimed."""

from __future__ import annotations

from types import MappingProxyType

import matplotlib
import numpy as np
import pytest

import generators.attribution.fig_maps as fig_maps
import generators.attribution.fig_noise as fig_noise
from generators.attribution import CNN_PARAMS, class_scores, occlusion, saliency
from generators.cnns import build_cnn
from generators.nn import Dense, Sequential, Softmax, numerical_gradient, relative_error
from generators.build.render import draw_figures
from lessonkit import params

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def maps() -> dict:
    return fig_maps.compute(params(fig_maps))


@pytest.fixture(scope="module")
def noise() -> dict:
    return fig_noise.compute(params(fig_noise))


def test_saliency_is_the_numerical_gradient_of_the_class_score() -> None:
    rng = np.random.default_rng(2)
    model = build_cnn(MappingProxyType({**CNN_PARAMS, "channels": 2}), rng)
    x = rng.random((2, 1, 8, 8))
    c = np.array([3, 8])
    g = saliency(model, x, c)
    for i in range(2):
        xi = x[i:i + 1].copy()
        numeric = numerical_gradient(lambda: class_scores(model).predict(xi)[0, c[i]], xi)
        assert relative_error(g[i:i + 1], numeric) < 1e-6


def test_attribution_of_a_linear_model_is_its_weights() -> None:
    rng = np.random.default_rng(0)
    model = Sequential([Dense(5, 3), Softmax()], rng=rng)
    x = rng.random((4, 5))
    c = np.array([0, 1, 2, 1])
    W, b = model.layers[0].params["W"], model.layers[0].params["b"]
    np.testing.assert_allclose(saliency(model, x, c), W[c], atol=1e-12)
    # exercise 1: gradient times input adds up to the score minus the bias
    S = x @ W.T + b
    np.testing.assert_allclose((x * saliency(model, x, c)).sum(axis=1),
                               S[np.arange(4), c] - b[c], atol=1e-12)


def test_occlusion_by_hand() -> None:
    rng = np.random.default_rng(1)
    model = build_cnn(MappingProxyType({**CNN_PARAMS, "channels": 2}), rng)
    x = rng.random((1, 8, 8))
    p = model.predict(x[None])[0]
    # a patch as large as the image: every pixel gets the one drop
    np.testing.assert_allclose(occlusion(model, x, 4, 8, 0.0),
                               p[4] - model.predict(np.zeros((1, 1, 8, 8)))[0, 4], atol=1e-12)
    # covering with the values already there changes nothing
    blank = np.zeros((1, 8, 8))
    np.testing.assert_allclose(occlusion(model, blank, 2, 3, 0.0), 0.0, atol=1e-12)


def test_the_maps_come_from_a_trained_cnn_on_right_and_wrong_digits(maps) -> None:
    d = maps
    assert d["test_accuracy"] >= 0.95
    assert d["n_errors"] == round((1 - d["test_accuracy"]) * d["n_test"])
    right = slice(0, d["n_right"])
    assert np.all(d["pred"][right] == d["label"][right])
    assert np.all(d["pred"][d["n_right"]:] != d["label"][d["n_right"]:])
    assert np.all(d["gxi"][d["x"] == 0] == 0)                 # no ink, no contribution
    for key in ("occ_black", "occ_grey"):
        assert np.all(np.abs(d[key]) <= 1)


def test_the_shown_digits_are_typical_ones(maps) -> None:
    d = maps
    # each correctly read digit shown has its class's median share of saliency on the background
    np.testing.assert_allclose(d["shown_background_share"], d["class_background_share"], atol=0.02)
    assert list(d["label"][:d["n_right"]]) == list(fig_maps.GENERATOR.params["classes"])


def test_attribution_numbers_hold_across_seeds(maps) -> None:
    d, per = maps, maps["per_seed"]
    assert d["maps_seeds"] >= 5 and all(len(v) == d["maps_seeds"] for v in per.values())
    assert np.ptp(per["accuracy"]) > 0                           # different networks
    assert d["seeds_accuracy"] - 2 * d["seeds_accuracy_sd"] > 0.95
    # saliency puts a real share on the background in every network, far from 0 and from 1
    assert np.all((0.1 < per["background"]) & (per["background"] < 0.6))
    # a blank patch lowers p_c far more than a grey one: in every network, by several sd,
    # and for most (digit, network) pairs
    assert np.all(per["half"] < per["blank"])
    assert d["grey_max_drop"] + 2 * d["grey_max_drop_sd"] < d["black_max_drop"] - 2 * d["black_max_drop_sd"]
    assert d["grey_below_black"] > 0.8


def test_noise_lowers_accuracy_and_moves_the_probabilities(noise) -> None:
    d = noise
    assert d["noise_levels"][0] == 0
    for name, r in d["runs"].items():
        assert r["accuracy"].shape == (d["network_seeds"], len(d["noise_levels"]))
        np.testing.assert_allclose(r["change"][:, 0], 0.0, atol=1e-12)  # s = 0: no change
        assert np.ptp(r["accuracy"][:, 0]) > 0, name                   # different networks
        assert np.all(r["accuracy"][:, -1] < r["accuracy"][:, 0] - 0.3), name
        assert np.all(np.diff(r["change"].mean(0)) > 0), name          # more noise, more change
    assert d["cnn_clean_accuracy"] >= 0.95 and d["mlp_clean_accuracy"] >= 0.9
    assert d["strip"].shape == (len(d["noise_levels"]), 8, 8)


def test_the_more_accurate_cnn_is_the_less_stable_in_every_seed(noise) -> None:
    d = noise
    assert d["network_seeds"] >= 5
    # the page: clean accuracy does not make a network robust. On clean digits the two are
    # within 2 points of each other; under the quoted noise the MLP keeps more accuracy and
    # moves its p_c less, in every seed and by more than the spread.
    assert abs(d["cnn_clean_accuracy"] - d["mlp_clean_accuracy"]) < 0.02
    assert d["seeds_mlp_more_accurate"] == d["seeds_mlp_steadier"] == d["network_seeds"]
    assert d["mlp_accuracy_quoted"] - d["mlp_accuracy_quoted_sd"] > d["cnn_accuracy_quoted"] + d["cnn_accuracy_quoted_sd"]
    assert d["mlp_change_quoted"] + d["mlp_change_quoted_sd"] < d["cnn_change_quoted"] - d["cnn_change_quoted_sd"]


def test_the_less_stable_network_has_the_steeper_score(noise) -> None:
    # exercise 3: to first order the score moves by s |dS_c/dx| on average; the page says the
    # CNN, the less stable network, has the longer gradient: in every seed, by a wide margin
    d = noise
    assert d["seeds_cnn_steeper"] == d["network_seeds"]
    assert d["cnn_gradient"] - 2 * d["cnn_gradient_sd"] > 1.5 * (d["mlp_gradient"] + 2 * d["mlp_gradient_sd"])


def test_the_noisy_digit_is_the_median_one(noise) -> None:
    d = noise
    assert d["example_score"] == pytest.approx(d["median_score"], abs=0.01)
    assert 0 < d["example_score"] < 1


def test_median_index_picks_the_middle_value() -> None:
    assert fig_noise.median_index(np.array([0.9, 0.1, 0.5, 0.7, 0.2])) == 2
    assert fig_maps.median_index(np.array([3.0, 1.0, 2.0])) == 2


@pytest.mark.parametrize("module", (fig_maps, fig_noise), ids=("maps", "noise"))
def test_every_figure_draws_in_both_themes(module, maps, noise, tmp_path) -> None:
    data = maps if module is fig_maps else noise
    figures, files = draw_figures(module.GENERATOR, data, params(module), "t", tmp_path)
    assert all("narrow" in entry for entry in figures.values())     # every figure has a phone layout
    assert len(files) == 4 * len(module.GENERATOR.figures)          # 2 layouts x 2 themes
