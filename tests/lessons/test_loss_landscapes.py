"""The page "Loss landscapes and descent trajectories": slices, paths and optimizers."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import generators.loss_landscapes.fig_landscape as fig_landscape
import generators.loss_landscapes.fig_descent_reference as fig_descent_reference
import generators.loss_landscapes.fig_optimizers as fig_optimizers
from generators.loss_landscapes import filter_normalised, flatten, load
from generators.loss_landscapes.valley import cost, cost_label, descend, hessian, optimizer, steps_to
from generators.nn import CrossEntropy, Dense, Sequential, Sigmoid, Softmax
from generators.site.refs import format_result
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes, test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)

MODULES = (fig_landscape, fig_optimizers, fig_descent_reference)
PAGE = Path(__file__).parents[2] / "content/visualization/loss-landscapes.md"


def small_model(rng: np.random.Generator) -> Sequential:
    return Sequential([Dense(5, 4), Sigmoid(), Dense(4, 3), Softmax()], rng=rng)


def test_flat_parameters_round_trip_and_filter_normalisation() -> None:
    rng = np.random.default_rng(1)
    model = small_model(rng)
    theta = flatten(model.params())
    assert theta.size == model.n_params()
    other = rng.standard_normal(theta.size)
    assert np.array_equal(flatten(load(model, other).params()), other)
    d = filter_normalised(model, other, rng)
    parts = load(small_model(rng), d).params()
    trained = load(small_model(rng), other).params()
    for name, value in parts.items():
        if name.endswith("/W"):  # every unit's row as long as the trained row
            np.testing.assert_allclose(np.linalg.norm(value, axis=1),
                                       np.linalg.norm(trained[name], axis=1), rtol=1e-12)
        else:
            assert not value.any(), name  # biases do not move


def test_straight_line_falls_without_a_bump_and_the_text_holds(computed) -> None:
    d = computed[fig_landscape.__name__]
    ts, train, test = d["ts"], d["line"]["train"], d["line"]["test"]
    assert d["initial_cost"] == pytest.approx(math.log(10), abs=0.3)  # untrained: guessing
    assert d["test_accuracy"] > 0.95 and d["trained_cost"] < d["initial_cost"] / 10
    inside = (ts >= 0) & (ts <= 1)
    assert np.all(np.diff(train[inside, 0]) <= 0)                      # "without a single bump"
    assert d["far_cost"] < d["trained_cost"]                           # keeps falling past theta*
    beyond = test[ts >= 1, 0]
    assert beyond[-1] > beyond.min() + 1e-3                            # test cost turns up again
    assert train[0, 0] < d["initial_cost"]                             # falls again left of 0
    assert d["left_test_accuracy"] > d["initial_test_accuracy"] + 0.1  # exercise 2


def test_random_plane_is_a_bowl_and_misses_the_path_the_pca_plane_keeps(computed) -> None:
    d = computed[fig_landscape.__name__]
    n = len(d["grid"])
    i, j = np.unravel_index(np.argmin(d["rand_costs"]), d["rand_costs"].shape)
    assert abs(i - n // 2) <= 1 and abs(j - n // 2) <= 1             # lowest at the centre
    assert d["random_plane_kept"] < 0.01 and d["pca_variance"] > 0.9
    assert d["pca_plane_kept"] == pytest.approx(d["pca_variance"], rel=1e-9)
    path = d["pca_path"]
    np.testing.assert_allclose(path[-1], 0, atol=1e-12)
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    assert steps[:3].mean() > 3 * steps[-3:].mean()                   # big strides, then small
    b, a = np.unravel_index(np.argmin(d["pca_costs"]), d["pca_costs"].shape)
    assert d["pca_a"][a] > 0                                          # lowest a little past theta*


def test_gradient_descent_diverges_exactly_past_two_over_k(computed) -> None:
    p = params(fig_optimizers, steps=400)
    H = hessian(p)
    crit = computed[fig_optimizers.__name__]["eta_critical_gd"]
    below = descend(optimizer("gd", 0.97 * crit, 0.0), H, p)
    above = descend(optimizer("gd", 1.03 * crit, 0.0), H, p)
    assert len(below) == p["steps"] + 1 and cost(H, below)[-1] < 1e-6
    assert len(above) < p["steps"] + 1                                # left the region
    mu = 0.5                                                          # momentum: 2 (1 + mu) / k
    crit_m = 2 * (1 + mu) / max(p["curvatures"])
    assert len(descend(optimizer("momentum", 0.97 * crit_m, mu), H, p)) == p["steps"] + 1
    assert len(descend(optimizer("momentum", 1.03 * crit_m, mu), H, p)) < p["steps"] + 1


def test_the_things_to_try_hold(computed) -> None:
    """Each claim of the page's "things to try", at the values it names, with the library."""
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    H, full, mu = hessian(p), p["steps"] + 1, p["mu"]
    run = lambda m, eta, mu: descend(optimizer(m, eta, mu), H, p)
    lo, hi = p["eta_range"]
    # the slider spans well below 2/k2 to above 2(1 + mu_max)/k2
    assert lo < d["eta_critical_gd"] / 10 and hi > 2 * (1 + p["mu_max"]) / d["k_large"]
    # band_eta_low: gradient descent leaves, momentum swings out of the view and arrives
    gd, mom = run("gd", d["band_eta_low"], mu), run("momentum", d["band_eta_low"], mu)
    x0, x1, y0, y1 = p["view"]
    assert len(gd) < full and len(mom) == full and cost(H, mom)[-1] < p["tol"]
    assert not np.all((mom[:, 0] >= x0) & (mom[:, 0] <= x1) & (mom[:, 1] >= y0) & (mom[:, 1] <= y1))
    # band_eta_high: momentum arrives at mu, leaves once mu is below mu_band_high
    assert d["mu_band_high"] < mu
    assert cost(H, run("momentum", d["band_eta_high"], mu))[-1] < p["tol"]
    assert len(run("momentum", d["band_eta_high"], d["mu_band_high"] - 0.05)) < full
    # the largest eta: only Adam arrives
    assert len(run("gd", hi, mu)) < full and len(run("momentum", hi, mu)) < full
    assert steps_to(cost(H, run("adam", hi, mu)), p["tol"]) >= 0
    # the slow setting: momentum ends far below gradient descent
    assert 0 < d["slow_steps_momentum"] < p["steps"] and d["slow_cost_gd"] > 1e3 * p["tol"]
    # mu = 0: momentum is gradient descent, bit for bit
    np.testing.assert_array_equal(run("momentum", 0.03, 0.0), run("gd", 0.03, 0.0))
    # the default choice, as the caption and the text describe it
    assert d["steps_momentum"] > 0
    assert d["final_cost_momentum"] < d["final_cost_gd"] < p["tol"] * 100 < d["final_cost_adam"]


def test_export_is_small_complete_json(computed) -> None:
    """The explorer's data: the exact Hessian (not rounded), the valley, the sliders."""
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    data = fig_optimizers.export(d, p)
    text = json.dumps(data, allow_nan=False)
    assert len(text) < 20_000                                        # no grid of paths
    back = json.loads(text)
    assert back["hessian"] == hessian(p).ravel().tolist()            # bit for bit
    assert len(data["methods"]) == 3 and data["start"] == list(p["start"])
    lo, hi = data["eta_range"]
    assert all(lo <= e <= hi for e in data["eta_marks"])
    assert {p["eta"], d["band_eta_low"], d["band_eta_high"], d["slow_eta"]} <= set(data["eta_marks"])
    assert 0 <= p["mu"] <= data["mu_max"] < 1 and data["eta_gd_max"] == 2 / max(p["curvatures"])


def test_the_reference_paths_are_the_librarys_on_the_pages_valley(computed) -> None:
    """The agreement test's reference uses the figure's valley and covers every band."""
    ref = fig_descent_reference.compute(fig_descent_reference.GENERATOR.params)["reference"]
    p = params(fig_optimizers)
    assert ref["hessian"] == hessian(p).ravel().tolist() and ref["start"] == list(p["start"])
    assert (ref["steps"], ref["escape"]) == (p["steps"], p["escape"])
    k2 = max(p["curvatures"])
    bands = {fig_optimizers.band(c["eta"], 2 / k2, 2 * (1 + c["mu"]) / k2) for c in ref["cases"]}
    assert bands == {0, 1, 2} and len(ref["cases"]) >= 8
    c = ref["cases"][fig_descent_reference.CASES.index((p["eta"], p["mu"]))]
    np.testing.assert_array_equal(np.reshape(c["paths"]["momentum"], (-1, 2)),
                                  computed[fig_optimizers.__name__]["shown"]["momentum"])


def test_cross_entropy_of_the_loaded_parameters_is_the_models_cost() -> None:
    rng = np.random.default_rng(2)
    model, X = small_model(rng), rng.uniform(size=(7, 5))
    Y = np.eye(3)[rng.integers(0, 3, 7)]
    theta = rng.standard_normal(model.n_params())
    a = load(model, theta).predict(X)
    assert CrossEntropy()(a, Y) == pytest.approx(-np.mean(np.sum(Y * np.log(a), axis=1)))


def test_the_band_learning_rates_are_in_the_band(computed) -> None:
    """The rates the page names lie between 2/k2 and 2(1 + mu)/k2 at the page's mu."""
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    gd_max, momentum_max = fig_optimizers.eta_limits(p)
    assert gd_max == pytest.approx(2 / max(p["curvatures"]))
    assert momentum_max == pytest.approx(2 * (1 + p["mu"]) / max(p["curvatures"]))
    for eta in (d["band_eta_low"], d["band_eta_high"]):
        assert fig_optimizers.band(eta, gd_max, momentum_max) == 1


def test_the_figures_paths_stay_inside_its_view(computed) -> None:
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    x0, x1, y0, y1 = p["view"]
    for m, path in d["shown"].items():
        assert x0 <= path[:, 0].min() and path[:, 0].max() <= x1, m
        assert y0 <= path[:, 1].min() and path[:, 1].max() <= y1, m


def test_the_order_of_the_three_holds_from_every_start(computed) -> None:
    """Momentum arrives, gradient descent ends lower than Adam, from all starts of equal cost."""
    d = computed[fig_optimizers.__name__]
    assert d["n_starts"] >= 5 and d["order_holds"] == d["n_starts"]
    assert d["starts_momentum_arrived"] == d["n_starts"]
    assert d["starts_gd_arrived"] == 0 == d["starts_adam_arrived"]
    assert d["steps_momentum_sd"] < 0.25 * d["steps_momentum_mean"] < d["steps"]
    assert d["final_cost_gd_max"] < d["final_cost_adam_min"]
    J0 = d["J_starts"]["gd"][:, 0]
    np.testing.assert_allclose(J0, d["start_cost"], rtol=1e-9)       # the same starting cost


def test_prose_numbers_are_the_explorers_numbers_for_its_first_setting(computed) -> None:
    """Each cost the page quotes is written as the explorer writes it at its opening setting
    (valley.cost_label; the JS's copy is checked by tests/test_descent_agreement.py)."""
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    data = fig_optimizers.export(d, p)
    assert (data["eta"], data["mu"]) == (d["valley_eta"], d["valley_mu"])
    text = PAGE.read_text(encoding="utf-8")
    quoted = re.findall(r"\{\{ result loss_landscapes/final_cost_(gd|momentum|adam) ([^ }]*) ?\}\}",
                        text)
    assert {"gd", "adam"} <= {m for m, _ in quoted}
    for m, spec in quoted:
        assert format_result(d[f"final_cost_{m}"], spec) == cost_label(d[f"final_cost_{m}"]), m
    assert "n_runs" not in text and "The build ran all three" not in text


def test_plane_maps_are_to_scale_and_their_log_colour_bar_starts_above_zero(computed) -> None:
    """Equal aspect on both maps; the logarithmic colour bar's levels and ticks are > 0."""
    import matplotlib.pyplot as plt

    from generators.loss_landscapes.plots import draw_planes
    from generators.style import themes

    d = computed[fig_landscape.__name__]
    assert np.ptp(d["pca_b"]) >= fig_landscape.PCA_ASPECT * np.ptp(d["pca_a"]) - 1e-9
    fig = draw_planes(d, params(fig_landscape), themes()[0])
    try:
        maps = [ax for ax in fig.axes if ax.get_title()]
        assert len(maps) == 2 and all(ax.get_aspect() == 1.0 for ax in maps)
        bar = next(ax for ax in fig.axes if not ax.get_title())
        ticks = bar.get_yticks() if bar.get_ylabel() else bar.get_xticks()
        labels = [t.get_text() for t in (bar.get_yticklabels() if bar.get_ylabel()
                                         else bar.get_xticklabels())]
        assert len(ticks) >= 2 and min(ticks) > 0 and "0" not in labels
        norm = maps[0].collections[0].norm
        assert norm.vmin > 0 and norm.vmin <= min(d["rand_costs"].min(), d["pca_costs"].min())
    finally:
        plt.close(fig)


def test_the_line_and_plane_claims_hold_for_every_seed(computed) -> None:
    """No bump along the line, the principal plane keeps the path, random planes miss it:
    for every one of the networks trained from ``seeds`` seeds, not only the one drawn."""
    d, p = computed[fig_landscape.__name__], params(fig_landscape)
    checks = d["seed_checks"]
    assert d["n_seeds"] == p["seeds"] >= 5 and len(checks["monotone"]) == d["n_seeds"]
    assert d["seeds_monotone"] == d["n_seeds"]
    assert checks["pca_variance"].min() > 0.9 and checks["random_kept"].max() < 0.01
    assert checks["test_accuracy"].min() > 0.95
    assert checks["pca_variance"][0] == pytest.approx(d["pca_variance"])      # row 0: drawn
    assert checks["random_kept"][0] == pytest.approx(d["random_plane_kept"])
    assert d["pca_variance_sd"] < 0.01 and d["random_kept_sd"] < 0.01
