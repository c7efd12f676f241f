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
from lessonkit import test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)
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
    """In every seed, not only on average: the page compares the two kinds of unit."""
    d = computed[fig_training.__name__]
    seeds = d["deep_seeds"]
    assert seeds >= 5
    assert np.all(d["per_seed"]["sigmoid_grad_ratio"] > 5)   # the page: W^(1) gets much less
    assert np.all(d["per_seed"]["relu_grad_ratio"] < 3)      # ...than W^(4) with sigmoid, not ReLU
    for kind in fig_training.KINDS:
        med = d["runs"][kind]["median"]
        assert med.shape == (seeds, d["n_weight_layers"], d["epochs"]) and np.all(med > 0)
    ratio = d["per_seed"]["sigmoid_grad_ratio"]
    assert d["sigmoid_grad_ratio"] == pytest.approx(ratio.mean())
    assert d["sigmoid_grad_ratio_sd"] == pytest.approx(ratio.std(ddof=1))


def test_the_accuracy_comparison_is_counted_over_the_seeds(computed) -> None:
    """The page quotes how many seeds the ReLU network won: the count matches the runs."""
    d = computed[fig_training.__name__]
    last = d["accuracy_epochs"]
    acc = {kind: d["runs"][kind]["accuracy"][:, -last:].mean(axis=1) for kind in fig_training.KINDS}
    assert d["n_relu_more_accurate"] == np.sum(acc["ReLU"] > acc["sigmoid"])
    assert d["n_relu_more_accurate"] > d["deep_seeds"] / 2   # the ReLU network wins most seeds
    assert np.median(acc["ReLU"]) > np.median(acc["sigmoid"])
    # "falling by up to ... in one epoch": the quoted drop is the largest in the curves
    curves = np.concatenate([d["runs"][kind]["accuracy"] for kind in fig_training.KINDS])
    assert d["deep_accuracy_drop"] == pytest.approx(np.max(curves[:, :-1] - curves[:, 1:]))
    assert d["deep_accuracy_drop"] > 0.05                     # large enough to be worth saying


def test_sigmoid_units_saturate_during_training(computed) -> None:
    d = computed[fig_training.__name__]
    flat = d["runs"]["sigmoid"]["flat"]                     # (seeds, epochs + 1)
    assert np.all(flat[:, -1] > flat[:, 0] + 0.2)           # in every seed
    sig, relu = d["runs"]["sigmoid"], d["runs"]["ReLU"]
    np.testing.assert_allclose(sig["hists"].sum(axis=1), 1.0)        # every activation binned
    zeros = relu["flat"][:, list(d["hist_epochs"])].mean(axis=0)     # pooled over the seeds
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
    """The page's comparison holds in every seed, not only on average."""
    d = computed[fig_dead_units.__name__]
    s = d["per_seed"]
    assert d["dead_seeds"] >= 5 and len(s["dead_large"]) == d["dead_seeds"]
    assert d["eta_large"] > d["eta_sane"]
    assert np.all(s["dead_large"] >= 0.5) and np.all(s["dead_large"] > s["dead_sane"] + 0.3)
    assert np.all(s["acc_sane"] >= 0.93) and np.all(s["acc_large"] < s["acc_sane"] - 0.3)
    assert np.all(s["dead_large_epoch1"] >= 0.5)            # "start dying within the first epoch"
    assert d["acc_large"] == pytest.approx(s["acc_large"].mean())
    assert d["acc_large_sd"] == pytest.approx(s["acc_large"].std(ddof=1))
    large = d["runs"][-1]
    assert np.all(np.diff(large["steps"]) > 0) and large["steps"][-1] == d["epochs"] * d["steps_per_epoch"]
    assert large["accuracy"].shape == (d["dead_seeds"], d["epochs"] + 1)


def test_dead_units_never_come_back_and_test_silent_ones_do(computed) -> None:
    d = computed[fig_dead_units.__name__]
    assert d["revived"] == 0                                # the page: "0 of the units ... came back"
    for r in d["runs"]:
        assert np.all(np.diff(r["dead"], axis=1) >= 0)     # no seed's curve falls, nor their mean
    assert d["revived_test"] > 0                            # "would be misleading": some do return


def test_revived_counts_units_dead_then_alive() -> None:
    masks = np.array([[False, True, False, True],
                      [True, False, False, True],
                      [True, True, False, True]])
    assert fig_dead_units.revived(masks) == 1               # unit 2 died, came back, died again
    assert fig_dead_units.revived(masks[:, [0, 2, 3]]) == 0
