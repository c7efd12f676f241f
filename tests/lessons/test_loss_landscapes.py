"""The page "Loss landscapes and descent trajectories": slices, paths and optimizers."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import generators.loss_landscapes.fig_landscape as fig_landscape
import generators.loss_landscapes.fig_optimizers as fig_optimizers
from generators.loss_landscapes import filter_normalised, flatten, load
from generators.loss_landscapes.valley import cost, descend, hessian, optimizer
from generators.nn import CrossEntropy, Dense, Sequential, Sigmoid, Softmax
from generators.site.refs import format_result
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes, test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)

MODULES = (fig_landscape, fig_optimizers)
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


def test_the_explorers_claims_hold_on_the_grid(computed) -> None:
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    runs, H = d["runs"], d["H"]
    last, full = len(p["etas"]) - 1, p["steps"] + 1
    for j, mu in enumerate(p["mus"]):
        assert len(runs["gd"][(last, j)]) < full and len(runs["momentum"][(last, j)]) < full
        assert len(runs["adam"][(last, j)]) == full and cost(H, runs["adam"][(last, j)])[-1] < 1e-3
        if mu == 0.0:                                                 # mu = 0 is plain descent
            for i in range(len(p["etas"])):
                np.testing.assert_array_equal(runs["momentum"][(i, j)], runs["gd"][(i, j)])
    slow_gd = cost(H, runs["gd"][(0, 0)])[-1]
    assert cost(H, runs["momentum"][(0, len(p["mus"]) - 1)])[-1] < 1e-3 * slow_gd
    # The default choice, as the caption and the text describe it.
    assert d["steps_momentum"] > 0
    assert d["final_cost_momentum"] < d["final_cost_gd"] < p["tol"] * 100 < d["final_cost_adam"]
    assert d["n_runs"] >= 3 * 3 * 2 + 3


def test_export_is_small_complete_json(computed) -> None:
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    data = fig_optimizers.export(d, p)
    text = json.dumps(data, allow_nan=False)
    assert len(text) < 500_000
    assert len(data["etas"]) >= 3 and len(data["mus"]) >= 3 and len(data["methods"]) == 3
    for m in data["methods"]:
        grid = data["runs"][m["key"]]
        assert len(grid) == len(data["etas"]) and all(len(row) == len(data["mus"]) for row in grid)
        for row in grid:
            for path in row:
                assert len(path) % 2 == 0 and path[:2] == list(p["start"])
    assert all(row[0] == row[-1] for row in data["runs"]["gd"])     # gd ignores mu


def test_cross_entropy_of_the_loaded_parameters_is_the_models_cost() -> None:
    rng = np.random.default_rng(2)
    model, X = small_model(rng), rng.uniform(size=(7, 5))
    Y = np.eye(3)[rng.integers(0, 3, 7)]
    theta = rng.standard_normal(model.n_params())
    a = load(model, theta).predict(X)
    assert CrossEntropy()(a, Y) == pytest.approx(-np.mean(np.sum(Y * np.log(a), axis=1)))


def test_the_grid_has_learning_rates_where_only_momentum_converges(computed) -> None:
    """The explorer offers the band 2/k2 < eta < 2(1 + mu)/k2 the page talks about."""
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    k2, mu = max(p["curvatures"]), p["mu"]
    inside = [eta for eta in p["etas"] if 2 / k2 < eta < 2 * (1 + mu) / k2]
    assert inside and d["n_band_etas"] == len(inside)
    assert d["band_eta_low"] == min(inside) and d["band_eta_high"] == max(inside)
    j, full = p["mus"].index(mu), p["steps"] + 1
    for eta in inside:                       # and the runs there do what the band says
        i = p["etas"].index(eta)
        assert len(d["runs"]["gd"][(i, j)]) < full
        path = d["runs"]["momentum"][(i, j)]
        assert len(path) == full and cost(d["H"], path)[-1] < p["tol"]
    data = fig_optimizers.export(d, p)
    low, high = p["etas"].index(d["band_eta_low"]), p["etas"].index(d["band_eta_high"])
    first = data["outcomes"]["momentum"][low][j]            # "swings out and back but arrives"
    assert first["arrived"] >= 0 and not first["in_view"] and not first["diverged"]
    assert any(data["outcomes"]["momentum"][high][jj]["diverged"]   # "lower mu: it leaves too"
               for jj, m in enumerate(p["mus"]) if 0 < m < mu)
    assert data["eta_gd_max"] == pytest.approx(2 / k2)
    assert data["eta_momentum_max"][j] == pytest.approx(2 * (1 + mu) / k2)


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
    """Each cost the page quotes is written exactly as the explorer writes it at its start."""
    d, p = computed[fig_optimizers.__name__], params(fig_optimizers)
    data = fig_optimizers.export(d, p)
    i, j = data["eta"], data["mu"]
    assert (data["etas"][i], data["mus"][j]) == (d["valley_eta"], d["valley_mu"])
    text = PAGE.read_text(encoding="utf-8")
    quoted = re.findall(r"\{\{ result loss_landscapes/final_cost_(gd|momentum|adam) ([^ }]*) ?\}\}",
                        text)
    assert {"gd", "adam"} <= {m for m, _ in quoted}
    for m, spec in quoted:
        assert format_result(d[f"final_cost_{m}"], spec) == data["outcomes"][m][i][j]["final"], m
    assert data["outcomes"]["momentum"][i][j]["arrived"] == d["steps_momentum"]


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
