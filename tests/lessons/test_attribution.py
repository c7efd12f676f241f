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
    return fig_noise.compute(params(fig_noise, seeds=2))


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
    assert 0 < d["background_saliency"] < 1
    for key in ("occ_black", "occ_grey"):
        assert np.all(np.abs(d[key]) <= 1)
    assert d["black_max_drop"] == pytest.approx(d["occ_black"][right].max())


def test_noise_lowers_accuracy_and_moves_the_probabilities(noise) -> None:
    d = noise
    assert d["sigmas"][0] == 0
    for name, r in d["runs"].items():
        assert r["accuracy"].shape == (2, len(d["sigmas"]))
        np.testing.assert_allclose(r["change"][:, 0], 0.0, atol=1e-12)  # sigma = 0: no change
        assert np.all(r["accuracy"][:, 0] == r["accuracy"][0, 0])      # ...whatever the draw
        assert r["accuracy"].mean(0)[-1] < r["accuracy"].mean(0)[0] - 0.3, name
        assert np.all(np.diff(r["change"].mean(0)) > 0), name          # more noise, more change
    assert d["cnn_clean_accuracy"] >= 0.95 and d["mlp_clean_accuracy"] >= 0.9
    assert d["strip"].shape == (len(d["sigmas"]), 8, 8)


@pytest.mark.parametrize("module", (fig_maps, fig_noise), ids=("maps", "noise"))
def test_every_figure_draws_in_both_themes(module, maps, noise, tmp_path) -> None:
    data = maps if module is fig_maps else noise
    figures, files = draw_figures(module.GENERATOR, data, params(module), "t", tmp_path)
    assert all("narrow" in entry for entry in figures.values())     # every figure has a phone layout
    assert len(files) == 4 * len(module.GENERATOR.figures)          # 2 layouts x 2 themes
