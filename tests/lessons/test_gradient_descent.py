"""The "Cost functions and gradient descent" lesson: the valley, the update rule, the rates."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pytest

import generators.gradient_descent.fig_valley as fig_valley
from generators.gradient_descent import plots
from generators.gradient_descent.valley import (cost_and_grad, critical_eta, descend, make_data,
                                                minimum)
from generators.nn import QuadraticCost, numerical_gradient, relative_error
from generators.build.render import draw_figures

PARAMS = MappingProxyType(dict(fig_valley.GENERATOR.params))


@pytest.fixture(scope="module")
def data():
    return make_data(PARAMS)


@pytest.fixture(scope="module")
def valley():
    return fig_valley.compute(PARAMS)


def test_library_gradient_matches_formula_and_numerical_gradient(data):
    x, y = data
    for w, b in [(-0.5, 3.5), (1.0, 0.0), (2.5, -1.0)]:
        C, g = cost_and_grad(w, b, x, y)
        a = w * x + b
        assert C == pytest.approx(np.mean((y - a) ** 2) / 2, rel=1e-12)
        formula = np.array([np.mean((a - y) * x), np.mean(a - y)])   # the lesson's derivatives
        np.testing.assert_allclose(g, formula, rtol=1e-10, atol=1e-12)
        v = np.array([w, b])
        numeric = numerical_gradient(lambda: QuadraticCost()(v[0] * x + v[1], y), v)
        assert relative_error(g, numeric) < 1e-6


def test_minimum_is_the_lowest_point_of_the_map(valley):
    assert valley["C"].min() >= valley["cost_min"] - 1e-12
    C, g = cost_and_grad(valley["w_min"], valley["b_min"], *make_data(PARAMS))
    assert np.linalg.norm(g) < 1e-10                     # the gradient vanishes at the bottom


def test_critical_learning_rate_separates_converging_from_diverging(data):
    x, y = data
    crit = critical_eta(x)
    w_min, b_min = minimum(x, y)
    C_min = cost_and_grad(w_min, b_min, x, y)[0]
    below = descend(-0.5, 3.5, 0.95 * crit, 400, x, y)
    above = descend(-0.5, 3.5, 1.05 * crit, 400, x, y)
    assert not below["diverged"] and below["cost"][-1] == pytest.approx(C_min, rel=1e-6)
    assert above["diverged"] and above["cost"][-1] > 1e3 * above["cost"][0]


def test_overflowing_run_is_recorded_not_raised(data):
    x, y = data
    run = descend(-0.5, 3.5, 50.0, 400, x, y)
    assert run["diverged"] and len(run["path"]) < 401   # train stopped at the non-finite cost


def test_the_three_rates_behave_as_the_lesson_says(valley):
    small, good, large = valley["runs"]
    assert not small["diverged"] and not good["diverged"] and large["diverged"]
    assert valley["eta_small"] < valley["eta_good"] < valley["eta_critical"] < valley["eta_large"]
    assert valley["cost_good"] < 1.05 * valley["cost_min"]
    assert valley["cost_small"] > 2 * valley["cost_min"]
    assert np.all(np.diff(small["cost"]) <= 0) and np.all(np.diff(good["cost"]) <= 1e-15)
    assert np.all(np.diff(large["cost"][-10:]) > 0)      # "keeps climbing"
    w, b = large["path"][-1]
    assert not (PARAMS["w_range"][0] <= w <= PARAMS["w_range"][1]
                and PARAMS["b_range"][0] <= b <= PARAMS["b_range"][1])   # it leaves the map


def test_first_order_prediction_holds_for_small_steps_only(valley):
    change, predicted = valley["step_change"][1:], valley["step_predicted"][1:]
    assert change[0] == pytest.approx(predicted[0], rel=0.01)
    assert np.all(change >= predicted - 1e-12)           # the bowl curves up: never better than promised
    assert change[-1] > 0                                # "can even raise the cost"
    assert 0 < valley["step_eta_best"] < valley["step_eta_zero"] < PARAMS["step_eta_max"]


def test_figures_draw_in_both_themes(valley, tmp_path):
    figures, files = draw_figures(fig_valley.GENERATOR, valley, PARAMS, "t", tmp_path)
    # light and dark of every figure, and of its narrow layout when it has one
    assert len(files) == 2 * len(fig_valley.GENERATOR.figures) + 2 * sum(
        "narrow" in entry for entry in figures.values())
    assert plots.decade_label(1e5) == "10\u2075"

def test_arrows_point_across_the_valley_not_at_the_minimum(valley):
    """The caption's claim, measured at the drawn arrow points."""
    x, y = make_data(PARAMS)
    W, B = np.meshgrid(valley["aw"], valley["ab"])
    down = -valley["arrows"] / np.linalg.norm(valley["arrows"], axis=-1, keepdims=True)
    to_min = np.stack([valley["w_min"] - W, valley["b_min"] - B], axis=-1)
    cos = np.sum(down * to_min, axis=-1) / np.linalg.norm(to_min, axis=-1)
    by_hand = np.degrees(np.arccos(np.clip(cos, -1, 1)))
    np.testing.assert_allclose(valley["arrow_to_min"], by_hand, atol=1e-9)
    assert valley["arrow_angle_mean"] > 20 and valley["arrow_angle_max"] > 45   # not at the cross
    assert valley["arrows_across"] > 0.75                                      # mostly across
    assert valley["n_arrows"] == W.size
    # downhill: every arrow lowers the cost a little way along it
    for (w, b), u in zip(np.stack([W, B], -1).reshape(-1, 2), down.reshape(-1, 2)):
        assert cost_and_grad(w + 1e-4 * u[0], b + 1e-4 * u[1], x, y)[0] < cost_and_grad(w, b, x, y)[0]


def test_angles_of_a_round_bowl_are_zero():
    """In a round bowl (Hessian a multiple of the identity) -grad C points at the minimum."""
    from generators.gradient_descent.valley import arrow_angles
    x = np.array([[-1.0], [1.0]])                     # mean x = 0, mean x^2 = 1: H = I
    points = np.array([[1.0, 2.0], [-3.0, 0.5]])
    to_min, _ = arrow_angles(points, points - np.array([0.2, 0.1]), (0.2, 0.1), x)
    np.testing.assert_allclose(to_min, 0.0, atol=1e-6)


def test_maps_have_equal_aspect_so_paths_and_angles_are_not_distorted(valley):
    """A unit of w is as long as a unit of b on every map: right angles look right."""
    import matplotlib.pyplot as plt

    from dataclasses import replace

    from generators.style import themes

    light = themes()[0]
    for theme in (light, replace(light, layout="narrow")):   # the desktop and the phone layout
        for draw in (plots.draw_surface, plots.draw_paths):
            fig = draw(valley, PARAMS, theme)
            try:
                maps = [ax for ax in fig.axes if ax.get_xlabel() == "weight $w$"]
                assert maps and all(ax.get_aspect() == 1.0 for ax in maps)
                fig.canvas.draw()
                for ax in maps:                               # and the drawn box keeps it
                    box = ax.get_window_extent()
                    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
                    assert box.width / (x1 - x0) == pytest.approx(box.height / (y1 - y0), rel=0.01)
            finally:
                plt.close(fig)
