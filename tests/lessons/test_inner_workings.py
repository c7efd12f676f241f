"""The page "Inner workings of a network": its generators compute what the page claims."""

from __future__ import annotations


import matplotlib
import numpy as np
import pytest

import generators.inner_workings.fig_dead_units as fig_dead_units
import generators.inner_workings.fig_features as fig_features
import generators.inner_workings.fig_training as fig_training
from generators.inner_workings import hidden_activations, mlp
from generators.nn import Dense, ReLU, Sequential, Softmax, data
from lessonkit import test_every_figure_draws_in_both_themes  # noqa: F401 (shared tests)

matplotlib.use("Agg")
MODULES = (fig_features, fig_training, fig_dead_units)


def test_hidden_activations_are_the_forward_pass_by_hand() -> None:
    rng = np.random.default_rng(3)
    model = mlp((64, 7, 5, 10), "ReLU", rng)
    x = rng.random((4, 64))
    (W1, b1), (W2, b2) = [(l.params["W"], l.params["b"]) for l in model.layers[:4:2]]
    a2 = np.maximum(x @ W1.T + b1, 0)                        # a^(2) = ReLU(W^(1) x + b^(1))
    a3 = np.maximum(a2 @ W2.T + b2, 0)
    got = hidden_activations(model, x)
    assert len(got) == 2
    np.testing.assert_allclose(got[0], a2, atol=1e-12)
    np.testing.assert_allclose(got[1], a3, atol=1e-12)


def test_the_digit_network_learns_and_its_activations_are_sigmoids(computed) -> None:
    d = computed[fig_features.__name__]
    n = d["n_hidden"]
    assert d["test_accuracy"] >= 0.93
    assert d["n_params"] == 64 * n + n + n * 10 + 10
    assert d["a_shown"].shape == (10, n) and d["means"].shape == (10, n)
    assert np.all((d["a_shown"] > 0) & (d["a_shown"] < 1))
    assert d["W"].shape == (n, 8, 8)
    assert 0 < d["w_clip"] <= d["w_max"]
    assert 0 <= d["units_on"] <= n and 0 <= d["classes_per_unit"] <= 10
    # the page's "every one of the units" and the class-means caption's "on for some, off for others"
    assert d["selective_units"] == n and d["min_spread"] > 0.5
    assert 1 <= d["classes_on_min"] <= d["classes_per_unit"] <= d["classes_on_max"] <= 9
    assert np.all((d["means"] > 0.5).sum(axis=1) >= 2)          # each class switches on several units
    # The shown row for class k really is the mean's class: its activations match a
    # forward pass of the first test digit of class k through the first layer (by hand).
    _, _, X_test, Y_test = data.digits()
    first0 = X_test[np.flatnonzero(Y_test.argmax(1) == 0)[0]]
    np.testing.assert_allclose(first0.reshape(8, 8), d["images"][0])


def test_sigmoid_gradients_vanish_towards_the_input_and_relu_ones_do_not(computed) -> None:
    d = computed[fig_training.__name__]
    assert d["sigmoid_grad_ratio"] > 5          # the page's claim: W^(1) gets much less
    assert d["relu_grad_ratio"] < 3             # ...than W^(4) with sigmoid, not with ReLU
    for kind in fig_training.KINDS:
        q = d["runs"][kind]["quartiles"]
        assert q.shape == (3, d["n_weight_layers"], d["epochs"])
        assert np.all(q[0] <= q[1]) and np.all(q[1] <= q[2])


def test_sigmoid_units_saturate_during_training(computed) -> None:
    d = computed[fig_training.__name__]
    assert d["sigmoid_flat_end"] > d["sigmoid_flat_start"] + 0.2
    sig, relu = d["runs"]["sigmoid"], d["runs"]["ReLU"]
    np.testing.assert_allclose(sig["hists"].sum(axis=1), 1.0)        # every activation binned
    zeros = relu["flat"][list(d["hist_epochs"])]
    np.testing.assert_allclose(relu["hists"].sum(axis=1) + zeros, 1.0)  # ReLU: zeros apart
    assert fig_training.flat_fraction("sigmoid", np.array([0.01, 0.5, 0.97, 0.6])) == 0.5
    assert fig_training.flat_fraction("ReLU", np.array([0.0, 0.0, 2.0, 0.1])) == 0.5


def test_dead_fraction_counts_units_that_are_zero_for_every_input() -> None:
    rng = np.random.default_rng(0)
    model = Sequential([Dense(4, 3), ReLU(), Dense(3, 2), Softmax()], rng=rng)
    model.layers[0].params["b"][:] = [-100.0, 100.0, -100.0]          # units 1 and 3 dead
    X = rng.random((20, 4))
    assert fig_dead_units.dead_fraction(model, X) == pytest.approx(2 / 3)


def test_a_too_large_learning_rate_kills_units_and_the_accuracy(computed) -> None:
    d = computed[fig_dead_units.__name__]
    assert d["eta_large"] > d["eta_sane"]
    assert d["dead_large"] >= 0.5 and d["dead_large"] > d["dead_sane"] + 0.3
    assert d["acc_sane"] >= 0.93 and d["acc_large"] < d["acc_sane"] - 0.3
    large = d["runs"][-1]
    assert np.all(np.diff(large["steps"]) > 0) and large["steps"][-1] == d["epochs"] * d["steps_per_epoch"]
    assert len(large["accuracy"]) == d["epochs"] + 1


def test_dead_units_never_come_back_and_test_silent_ones_do(computed) -> None:
    d = computed[fig_dead_units.__name__]
    assert d["revived"] == 0                                # the page: "0 of the units ... came back"
    for r in d["runs"]:
        assert np.all(np.diff(r["dead"]) >= 0)             # so no curve of the figure falls
    assert d["revived_test"] > 0                            # "would be misleading": some do return


def test_revived_counts_units_dead_then_alive() -> None:
    masks = np.array([[False, True, False, True],
                      [True, False, False, True],
                      [True, True, False, True]])
    assert fig_dead_units.revived(masks) == 1               # unit 2 died, came back, died again
    assert fig_dead_units.revived(masks[:, [0, 2, 3]]) == 0
