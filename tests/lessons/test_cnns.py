"""The lesson "Convolutional neural networks": the trained CNN does what the text says."""

from __future__ import annotations

from types import MappingProxyType

import matplotlib
import numpy as np
import pytest

from generators.cnns import CNN_PARAMS, build_cnn, fig_inside, fig_training
from generators.nn import CrossEntropy, numerical_gradient, relative_error
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes, test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)

matplotlib.use("Agg")
MODULES = (fig_training, fig_inside)


def test_cnn_learns_the_digits(computed) -> None:
    d = computed[fig_training.__name__]
    assert d["cnn_test_accuracy"] >= 0.97                      # the lesson's network
    assert d["cnn_seeds"] >= 5 and d["cnn"]["test_accuracy"].shape == (d["cnn_seeds"], d["cnn_epochs"] + 1)
    assert np.all(d["cnn"]["test_accuracy"][:, 0] < 0.3)       # every run did start out guessing
    assert np.all(d["cnn"]["loss"][:, -1] < d["cnn"]["loss"][:, 0] / 10)
    assert d["cnn_test_mean"] >= 0.97


def test_both_networks_are_trained_to_convergence_with_their_own_recipe(computed) -> None:
    d = computed[fig_training.__name__]
    # The MLP's learning rate is the best of those tried, on held-out training digits.
    assert d["mlp_eta"] == min(d["mlp_tuning"], key=d["mlp_tuning"].get)
    assert set(d["mlp_tuning"]) == set(params(fig_training)["mlp_etas"])
    assert d["mlp_eta_low"] < d["mlp_eta"] < d["mlp_eta_high"]   # not at an edge of those tried
    # Converged: every run's test cost was lowest well before its last epoch ...
    assert d["mlp_best_epoch_max"] <= 0.8 * d["mlp_epochs"]
    assert d["cnn_best_epoch_max"] <= 0.8 * d["cnn_epochs"]
    # ... and the last epochs did not change the test accuracy: it is flat at the end.
    for net in ("cnn", "mlp"):
        late = d[net]["test_accuracy"][:, -5:].mean(axis=0)
        assert np.ptp(late) < 0.005, net
    assert d["mlp_train_mean"] > 0.99                         # it fits its training digits


def test_cnn_matches_the_mlp_with_fewer_parameters_and_epochs(computed) -> None:
    """The page: with a fair recipe the test accuracies differ by less than the spread over
    the seeds; the CNN has fewer parameters and its test cost bottoms out sooner."""
    d = computed[fig_training.__name__]
    assert d["cnn_params"] < 0.7 * d["mlp_params"]
    assert abs(d["accuracy_gap_mean"]) < d["accuracy_gap_sd"]
    assert abs(d["cnn_test_mean"] - d["mlp_test_mean"]) < d["cnn_test_sd"] + d["mlp_test_sd"]
    assert d["accuracy_gap_mean"] == pytest.approx(d["cnn_test_mean"] - d["mlp_test_mean"])
    assert d["cnn_best_epoch_mean"] + d["cnn_best_epoch_sd"] < d["mlp_best_epoch_mean"] - d["mlp_best_epoch_sd"]
    # Stopped after the lesson's epochs, the CNN would have looked better, beyond the spread.
    assert d["cnn_test_early_mean"] - d["mlp_test_early_mean"] > max(d["cnn_test_early_sd"],
                                                                     d["mlp_test_early_sd"])


def test_architecture_numbers_match_the_model(computed) -> None:
    d = computed[fig_training.__name__]
    c, k = CNN_PARAMS["channels"], CNN_PARAMS["kernel"]
    assert d["conv1_params"] == c * k * k + c
    assert (d["conv1_c"], d["conv1_h"], d["conv1_w"]) == (c, 8, 8)       # padding keeps 8 x 8
    assert (d["maxpool1_h"], d["maxpool1_w"]) == (4, 4)
    assert d["flatten1_n"] == c * 16 and d["dense1_n"] == d["softmax1_n"] == 10
    assert d["dense1_params"] == d["flatten1_n"] * 10 + 10
    assert d["cnn_params"] == d["conv1_params"] + d["dense1_params"]
    assert d["mlp_params"] == 64 * d["hidden"] + d["hidden"] + d["hidden"] * 10 + 10
    assert (d["nopad_conv1_h"], d["nopad_maxpool1_h"]) == (8 - k + 1, (8 - k + 1) // 2)
    assert d["nopad_dense1_params"] == d["nopad_flatten1_n"] * 10 + 10


def test_confusion_matrix_agrees_with_accuracy(computed) -> None:
    d = computed[fig_training.__name__]
    cm = d["confusion"]
    assert cm.sum() == d["n_test"]
    assert np.trace(cm) / cm.sum() == pytest.approx(d["cnn_test_accuracy"])
    assert d["n_errors"] == cm.sum() - np.trace(cm)


def test_inside_shows_the_same_trained_network(computed) -> None:
    np.testing.assert_array_equal(computed[fig_inside.__name__]["filters"],
                                  computed[fig_training.__name__]["filters"][:, 0])
    d = computed[fig_inside.__name__]
    assert np.all(d["outputs"]["relu1"] >= 0)
    np.testing.assert_array_equal(d["outputs"]["relu1"], np.maximum(d["outputs"]["conv1"], 0))
    assert d["probs"].sum() == pytest.approx(1.0)
    assert d["example_pred"] == d["example_label"]              # the caption shows a success


def test_backpropagation_through_the_cnn_matches_numerical_gradients() -> None:
    rng = np.random.default_rng(1)
    model = build_cnn(MappingProxyType({**CNN_PARAMS, "channels": 2}), rng)
    x = rng.random((3, 1, 8, 8))
    y = np.eye(10)[[1, 4, 7]]
    cost = CrossEntropy()
    model.backward(cost.value_and_grad(model.forward(x), y)[1])
    for name, value in model.params().items():
        numeric = numerical_gradient(lambda: cost(model.predict(x), y), value)
        assert relative_error(model.grads[name], numeric) < 1e-6, name


def test_the_digits_explorer_export_is_the_lesson_network(computed) -> None:
    """``cnns/model``: the trained CNN layer by layer (the library's names, kinds, shapes
    and weights, dense W as (n_out, n_in)), the 450 test digits as 0-16 counts and their
    labels; its test accuracy is the one the lesson quotes (the same network)."""
    import json

    d = computed[fig_inside.__name__]
    (export,) = fig_inside.GENERATOR.exports
    model = json.loads(json.dumps(export.build(d, params(fig_inside)), allow_nan=False))
    layers = model["layers"]
    assert [l["name"] for l in layers] == ["conv1", "relu1", "maxpool1", "flatten1", "dense1", "softmax1"]
    assert [l["kind"] for l in layers] == ["conv", "relu", "maxpool", "flatten", "dense", "softmax"]
    p = params(fig_inside)
    k, c, m = p["kernel"], p["channels"], p["pool"]
    conv, pool, dense = layers[0], layers[2], layers[4]
    assert np.array(conv["W"]).shape == (c, 1, k, k) and len(conv["b"]) == c
    assert conv["kernel"] == [k, k] and conv["stride"] == [1, 1] and conv["padding"] == k // 2
    assert pool["size"] == [m, m] and pool["stride"] == [m, m]
    n_in = c * (8 // m) ** 2
    assert np.array(dense["W"]).shape == (10, n_in) and len(dense["b"]) == 10
    # The weights are the trained ones, to the last bit (JSON keeps every float64).
    net = build_cnn(p, np.random.default_rng(99))
    for layer, entry in zip(net.layers, layers):
        for key in layer.params:
            layer.params[key] = np.array(entry[key])
    from generators.nn import data

    _, _, X_test, Y_test = data.digits(images=True)
    np.testing.assert_array_equal(net.predict(X_test), d["test_probs"])
    assert d["test_accuracy"] == computed[fig_training.__name__]["cnn_test_accuracy"]
    digits, labels = model["test"]["digits"], model["test"]["labels"]
    assert len(digits) == len(labels) == len(X_test) == 450
    counts = np.array([[fig_inside.DIGITS.index(ch) for ch in s] for s in digits])
    np.testing.assert_array_equal(counts, X_test.reshape(450, 64) * 16)
    assert labels == Y_test.argmax(1).tolist()
    assert model["scale"] == 16 and model["input"] == [1, 8, 8]
    assert len(json.dumps(model, separators=(",", ":"))) < 80_000     # the page's download stays small


def test_the_export_refuses_what_the_page_cannot_run() -> None:
    from generators.nn import Sequential, Sigmoid

    with pytest.raises(TypeError, match="no JS for Sigmoid"):
        fig_inside.model_json(Sequential([Sigmoid()]))
    with pytest.raises(ValueError, match="multiples of 1/16"):
        fig_inside.digit_strings(np.full((1, 1, 8, 8), 0.3))
