"""The "Networks and forward propagation" lesson: its generators compute what the page claims."""

from __future__ import annotations


import numpy as np
import pytest

import generators.networks.fig_diagram as fig_diagram
import generators.networks.fig_hidden_units as fig_hidden_units
import generators.networks.fig_width as fig_width
from generators.networks.drawing import describe, draw_network
from generators.nn import Dense, Sequential, Sigmoid, Tanh
from generators.build.render import draw_figures
from generators.style import themes
from lessonkit import params


@pytest.fixture(scope="module")
def diagram():
    return fig_diagram.compute(params(fig_diagram))


@pytest.fixture(scope="module")
def circle():
    return fig_hidden_units.compute(params(fig_hidden_units))


@pytest.fixture(scope="module")
def width():
    return fig_width.compute(params(fig_width))


def draws_in_both_themes(module, data, out_dir) -> None:
    figures, files = draw_figures(module.GENERATOR, data, module.GENERATOR.params, "t", out_dir)
    # light and dark of every figure, and of its narrow layout when it has one
    assert len(files) == 2 * len(module.GENERATOR.figures) + 2 * sum(
        "narrow" in entry for entry in figures.values())


def test_scalar_and_matrix_forward_propagation_agree(diagram):
    np.testing.assert_allclose(diagram["a2_scalar"], diagram["a2"], rtol=0, atol=1e-12)
    assert diagram["h_scalar"] == pytest.approx(diagram["h"], abs=1e-12)
    assert 0.0 < diagram["h"] < 1.0                      # a sigmoid output


def test_forward_pass_by_hand_matches_the_lesson_equations(diagram):
    (W1, W2), (b1, b2) = diagram["net"]["W"], diagram["net"]["b"]
    x = diagram["x_vec"]
    z2 = W1 @ x + b1                                     # z^(2) = W^(1) x + b^(1)
    a2 = 1 / (1 + np.exp(-z2))
    h = 1 / (1 + np.exp(-(W2 @ a2 + b2)))
    np.testing.assert_allclose(a2, diagram["a2"], atol=1e-12)
    assert h[0] == pytest.approx(diagram["h"], abs=1e-12)


def test_the_lectures_network_has_16_parameters(diagram):
    assert diagram["net"]["sizes"] == [3, 3, 1]
    assert (diagram["n_weights"], diagram["n_biases"], diagram["n_params"]) == (12, 4, 16)


def test_describe_reads_layers_weights_and_activations():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(2, 4), Tanh(), Dense(4, 3), Sigmoid(), Dense(3, 1)], rng=rng)
    net = describe(model)
    assert net["sizes"] == [2, 4, 3, 1]
    assert net["activations"] == ["tanh", "sigmoid", "identity"]
    assert [W.shape for W in net["W"]] == [(4, 2), (3, 4), (1, 3)]
    net["W"][0][0, 0] += 1.0                             # a copy: drawing never changes the model
    assert net["W"][0][0, 0] != model.layers[0].params["W"][0, 0]


def test_draw_network_places_one_circle_per_unit():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(1)
    model = Sequential([Dense(3, 5), Sigmoid(), Dense(5, 2)], rng=rng)
    fig, ax = plt.subplots()
    info = draw_network(ax, model, themes()[0])
    assert [len(col) for col in info["units"]] == [3, 5, 2]
    assert len(info["bias"]) == 2
    biggest = max(np.abs(v).max() for v in (*describe(model)["W"], *describe(model)["b"]))
    assert info["w_max"] == pytest.approx(biggest)
    # one line per weight and per bias
    assert len(ax.lines) == 3 * 5 + 5 * 2 + 5 + 2
    plt.close(fig)


def test_hidden_layer_solves_the_circle_where_one_neuron_cannot(circle):
    assert circle["circle_test_accuracy"] >= 0.9
    assert circle["circle_neuron_test_accuracy"] <= 0.8
    assert circle["circle_test_accuracy"] - circle["circle_neuron_test_accuracy"] >= 0.2


def test_the_circle_comparison_holds_in_every_seed(circle):
    # the page: "in every seed the network was ahead by at least <gap_min>"
    net, neuron = circle["circle_net_accuracies"], circle["circle_neuron_accuracies"]
    assert len(net) == len(neuron) == circle["circle_seeds"] >= 5
    assert np.all(net >= 0.9), net
    assert np.all(neuron <= 0.8), neuron
    assert circle["circle_seed_gap_min"] == pytest.approx(np.min(net - neuron))
    assert circle["circle_seed_gap_min"] >= 0.2
    assert circle["circle_seed_net_accuracy"] == pytest.approx(net.mean())
    assert circle["circle_seed_neuron_accuracy_sd"] == pytest.approx(neuron.std(ddof=1))


def test_each_hidden_map_is_a_tanh_step_across_a_line(circle):
    g = circle["grid"]
    gx, gy = np.meshgrid(g, g)
    W, b = circle["net"]["W"][0], circle["net"]["b"][0]
    for j, plane in enumerate(circle["hidden"]):
        np.testing.assert_allclose(plane, np.tanh(W[j, 0] * gx + W[j, 1] * gy + b[j]), atol=1e-12)
    out = circle["output"]
    assert out.min() < 0.5 < out.max()                   # a decision boundary crosses the map


def test_wider_networks_fit_the_wave_better_in_every_seed(width):
    costs = width["costs"]                               # (seeds, widths): best of the restarts
    assert list(width["widths"]) == list(fig_width.GENERATOR.params["widths"])
    assert costs.shape[0] == width["fit_seeds"] >= 5
    # the caption: "every seed's line falls with every doubling of the width"
    assert width["fit_seeds_ordered"] == width["fit_seeds"], costs
    assert np.all(np.diff(costs, axis=1) < 0), costs
    # the page: "in every seed the widest network ended at least <ratio_min> times lower"
    assert width["fit_ratio_min"] == pytest.approx(np.min(costs[:, 0] / costs[:, -1]))
    assert width["fit_ratio_min"] >= 5, costs
    assert width["fit_cost_max_width"] < width["fit_cost_min_width"] / 10
    assert width["fit_cost_max_width"] == pytest.approx(costs[:, -1].mean())
    assert width["fit_cost_max_width_sd"] == pytest.approx(costs[:, -1].std(ddof=1))
    for runs in width["losses"]:
        assert np.all(np.isfinite(runs)) and np.all(runs[:, -1] < runs[:, 0])


def test_the_fits_drawn_are_the_median_seeds(width):
    costs = width["costs"]
    shown = width["shown_seed"]
    np.testing.assert_allclose([f["final_cost"] for f in width["fits"]], costs[shown])
    logs = np.log10(costs)
    distance = np.abs(logs - np.median(logs, axis=0)).sum(axis=1)
    assert distance[shown] == distance.min()


def test_a_single_start_can_stall(width):
    # the page: "<stalled> of the <starts> starts with <stall_width> hidden units ended no lower
    # than the best network with one": the reason for restarts
    starts, best_one = width["starts"], width["costs"][:, 0].min()
    assert width["fit_starts"] == starts.shape[0] * starts.shape[2]
    assert width["fit_stall_width"] > width["fit_width_min"]
    i = list(width["widths"]).index(width["fit_stall_width"])
    assert width["fit_starts_stalled"] == np.sum(starts[:, i] >= best_one) > 0
    assert not np.any(starts[:, i + 1:] >= best_one)      # no wider network stalled


def test_representative_picks_the_row_nearest_the_median():
    costs = np.array([[0.2, 0.02], [0.2, 0.002], [0.2, 0.01], [0.3, 0.01], [0.1, 0.01]])
    assert fig_width.representative(costs) == 2


def test_decade_labels_are_plain_text():
    label = fig_width.decade_label
    assert [label(v) for v in (0.01, 0.1, 1.0, 100.0, 1e3, 1e-4)] == [
        "0.01", "0.1", "1", "100", "10\u00b3", "10\u207b\u2074"]
    assert label(2.0) == "" and label(0.0) == ""


def test_figures_draw_in_both_themes(diagram, circle, width, tmp_path):
    draws_in_both_themes(fig_diagram, diagram, tmp_path)
    draws_in_both_themes(fig_hidden_units, circle, tmp_path)
    draws_in_both_themes(fig_width, width, tmp_path)
