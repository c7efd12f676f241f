"""The backpropagation lesson's generators compute what the lesson says they do."""
from __future__ import annotations


import numpy as np
import pytest

from generators.backpropagation import fig_decay, fig_gradcheck, fig_graph, fig_vanishing
from generators.style import themes
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes, test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)

MODULES = (fig_graph, fig_gradcheck, fig_vanishing, fig_decay)
DRAWN = MODULES[1:]  # the graph figure has its own test


def test_graph_values_follow_the_backpropagation_equations(computed) -> None:
    d = computed[fig_graph.__name__]
    v, g, P, dP = d["values"], d["grads"], d["params"], d["param_grads"]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    # Forward pass by hand: z2 = W1 x + b1, a2 = sigma(z2), z3 = W2 a2 + b2.
    assert np.allclose(v["z2"], P["dense1/W"] @ d["x"] + P["dense1/b"])
    assert np.allclose(v["a3"], sig(P["dense2/W"] @ v["a2"] + P["dense2/b"]))
    assert d["cost"] == pytest.approx(0.5 * (d["output"] - d["y"]) ** 2)
    # delta(L) = (a - y) f'(z); delta(l) = (W^T delta(l+1)) f'(z); dJ/dW = delta a^T.
    delta3 = (v["a3"] - d["y"]) * v["a3"] * (1 - v["a3"])
    assert np.allclose(g["z3"], delta3)
    delta2 = (P["dense2/W"].T @ delta3) * v["a2"] * (1 - v["a2"])
    assert np.allclose(g["z2"], delta2)
    assert np.allclose(dP["dense2/W"], np.outer(delta3, v["a2"]))
    assert np.allclose(dP["dense1/W"], np.outer(delta2, d["x"]))
    assert np.allclose(dP["dense1/b"], delta2)


def test_graph_is_an_svg_with_theme_colours_and_every_number(computed) -> None:
    d = computed[fig_graph.__name__]
    for theme in themes():
        svg = fig_graph.draw(d, params(fig_graph), theme).decode()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert theme.fg.lower() in svg.lower() and theme.palette[0].lower() in svg.lower()
        assert 'fill="white"' not in svg  # transparent background, readable in both themes
        assert fig_graph._num(d["delta_out"], 4) in svg


def test_backpropagation_agrees_with_central_differences(computed) -> None:
    d = computed[fig_gradcheck.__name__]
    assert d["n_params"] == 4 * 5 + 5 + 5 * 3 + 3
    assert d["max_relative_error"] < 1e-6
    assert np.allclose(d["backprop"], d["numeric"], atol=1e-8)
    # Forgetting the weight-decay term is caught; the biases are unaffected by it.
    assert d["broken_max_relative_error"] > 1e-2
    assert np.all(d["broken_errors_each"][~d["is_weight"]] < 1e-6)


def test_sigmoid_gradients_vanish_and_relu_gradients_do_not(computed) -> None:
    d = computed[fig_vanishing.__name__]
    assert d["geo"]["sigmoid"].shape == (d["n_weight_layers"],)
    assert np.all(np.diff(d["geo"]["sigmoid"]) > 0)  # smaller towards the input, every layer
    assert d["sigmoid_ratio"] > 100
    assert d["relu_ratio"] < 10


def test_weight_decay_shrinks_weights_and_does_not_hurt_test_accuracy(computed) -> None:
    d = computed[fig_decay.__name__]
    assert d["decay_seeds"] >= 5 and d["plain_test_accuracy"].shape == (d["decay_seeds"], d["epochs"] + 1)
    # Smaller weights in every seed, not only on average.
    assert d["weight_rms_decay"] < 0.6 * d["weight_rms_plain"]
    assert d["weight_rms_decay"] + 3 * d["weight_rms_decay_sd"] < d["weight_rms_plain"] - 3 * d["weight_rms_plain_sd"]
    assert d["train_accuracy_plain"] > 0.95 and d["train_accuracy_decay"] > 0.95
    # "Weight decay did better in most pairs, by gap +- gap_sd": the mean is above the
    # plain runs', the spread of the runs with decay is smaller.
    assert d["test_accuracy_decay"] > d["test_accuracy_plain"]
    assert d["n_decay_better"] > d["decay_seeds"] / 2 + 1
    assert d["test_accuracy_decay_sd"] < d["test_accuracy_plain_sd"]
    assert d["gap"] == pytest.approx(d["test_accuracy_decay"] - d["test_accuracy_plain"])
    assert d["gap_sd"] > 0.5 * d["gap"]       # "a size that varies ... about as much as the gap"


def test_the_plateau_explains_much_of_the_gap(computed) -> None:
    """The page: runs without decay end on a plateau more often, and over the seeds where
    both runs fitted their training digits the gap is smaller than the average gap."""
    d = computed[fig_decay.__name__]
    assert d["n_stuck_plain"] > d["n_stuck_decay"]
    assert d["n_both_fit"] >= 3 and d["n_stuck_plain"] >= 2            # both groups are quoted
    assert d["gap_both_fit"] < 0.6 * d["gap"] < d["gap_stuck"]
    assert np.count_nonzero(d["stuck_plain"]) == d["n_stuck_plain"]
    stuck = d["plain_accuracy"][d["stuck_plain"]]
    assert np.all(stuck[:, -1] < 1.0)
    assert np.all(stuck[:, -20:] == stuck[:, -1:])        # "flat for tens of epochs"


def test_the_lam_zero_run_has_no_penalty() -> None:
    p = params(fig_decay, epochs=3, n_train=30)
    plain, w_plain = fig_decay.run(p, 0.0)
    same, w_same = fig_decay.run(p, 0.0)
    decayed, w_decayed = fig_decay.run(p, 0.5)
    assert np.array_equal(w_plain, w_same)  # deterministic from the seed
    assert np.sqrt(np.mean(w_decayed ** 2)) < np.sqrt(np.mean(w_plain ** 2))
