"""The page "Training dynamics": what each monitored run shows is what the page says."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pytest

import generators.training_dynamics.fig_animation as fig_animation
import generators.training_dynamics.fig_monitoring as fig_monitoring
import generators.training_dynamics.fig_parallel as fig_parallel
import generators.training_dynamics.fig_plateau as fig_plateau
import generators.training_dynamics.fig_saturation as fig_saturation
from generators.nn import (BinaryCrossEntropy, CrossEntropy, Dense, Sequential, Sigmoid, Tanh,
                           data, numerical_gradient, relative_error)
from generators.training_dynamics import digits_mlp
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes, test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)

MODULES = (fig_monitoring, fig_plateau, fig_saturation, fig_animation, fig_parallel)


def test_small_training_set_overfits_in_every_seed(computed) -> None:
    d = computed[fig_monitoring.__name__]
    h, per = d["history"], d["per_seed"]
    assert d["mon_seeds"] >= 5 and h["loss"].shape[0] == d["mon_seeds"]
    assert np.all(per["final_train_cost"] < h["loss"][:, 0] / 100)
    assert np.all(per["final_train_accuracy"] == 1.0)
    assert np.all(per["final_train_accuracy"] - per["final_test_accuracy"] > 0.05)    # the gap
    assert np.all((0 < per["best_test_epoch"]) & (per["best_test_epoch"] < d["epochs"] / 2))
    assert np.all(per["final_test_cost"] > 1.05 * per["best_test_cost"])    # "creeps back up"
    assert np.array_equal(per["best_test_cost"], h["test_loss"].min(axis=1))
    assert d["best_test_epoch"] == pytest.approx(per["best_test_epoch"].mean())
    assert d["best_test_epoch_sd"] == pytest.approx(per["best_test_epoch"].std(ddof=1))


def test_learning_rates_slow_good_and_too_large_in_every_seed(computed) -> None:
    d = computed[fig_monitoring.__name__]
    rates = d["rates"]                                                      # seed x rate x epoch
    assert rates.shape[:2] == (d["mon_seeds"], len(params(fig_monitoring)["etas"]))
    for costs in rates:
        start = costs[0, 0]
        assert np.allclose(costs[:, 0], start)                              # the same start
        assert costs[1, -1] < costs[0, -1] / 10 < start                     # fast beats slow
        assert np.all(np.diff(costs[0]) < 0)                                # slow but steady
        assert costs[2].min() > start / 2 and np.mean(costs[3][1:]) > 2 * start  # no progress
        assert np.any(np.diff(costs[2]) > 0) and np.any(np.diff(costs[3]) > 0)  # it jumps about
    # the quoted means are ordered beyond their spread
    assert d["lr_cost_1"] + d["lr_cost_1_sd"] < d["lr_cost_0"] - d["lr_cost_0_sd"]
    assert d["lr_cost_0"] + d["lr_cost_0_sd"] < d["lr_start_cost"] - d["lr_start_cost_sd"]


def test_all_zero_network_is_a_critical_point_but_for_the_output_bias() -> None:
    model = Sequential([Dense(2, 4), Tanh(), Dense(4, 4), Tanh(), Dense(4, 1), Sigmoid()],
                       rng=np.random.default_rng(0))
    for value in model.params().values():
        value[...] = 0.0
    rng = np.random.default_rng(1)
    X, Y = rng.uniform(-1, 1, (20, 2)), (rng.uniform(size=(20, 1)) < 0.3).astype(float)
    _, dC_da = BinaryCrossEntropy().value_and_grad(model.forward(X), Y)
    model.backward(dC_da)
    for name, grad in model.grads.items():
        if name == "dense3/b":
            assert grad[0] == pytest.approx(0.5 - Y.mean())                 # a - y, averaged
        else:
            assert not grad.any(), name


def test_backprop_matches_numerical_gradient_near_the_saddle() -> None:
    rng = np.random.default_rng(3)
    model = Sequential([Dense(2, 3, init="normal"), Tanh(), Dense(3, 2, init="normal"), Tanh(),
                        Dense(2, 1, init="normal"), Sigmoid()], rng=rng)
    for value in model.params().values():
        value *= 0.05
    X, Y = rng.uniform(-1, 1, (8, 2)), rng.integers(0, 2, (8, 1)).astype(float)
    cost = BinaryCrossEntropy()
    model.backward(cost.value_and_grad(model.forward(X), Y)[1])
    for name, value in model.params().items():
        numeric = numerical_gradient(lambda: cost(model.predict(X), Y), value)
        assert relative_error(model.grads[name], numeric) < 1e-6, name


def test_plateau_then_escape_with_a_growing_gradient_in_every_seed(computed) -> None:
    d = computed[fig_plateau.__name__]
    small, large = d["runs"][d["small"]], d["runs"][d["large"]]
    assert d["plateau_seeds"] >= 5 and small["cost"].shape[0] == d["plateau_seeds"]
    assert np.all(small["escape"] > 2 * large["escape"]) and np.all(large["escape"] > 0)
    assert d["escape_small"] - d["escape_small_sd"] > d["escape_large"] + d["escape_large_sd"]
    half = small["cost"][np.arange(d["plateau_seeds"]), small["escape"] // 2]
    assert half == pytest.approx(math.log(2), abs=0.01)                     # guessing
    for grad, escape in zip(small["grad"], small["escape"]):
        plateau = np.log(grad[: int(0.6 * escape)])                         # grows steadily:
        assert np.mean(np.diff(plateau) > 0) > 0.9                          # almost always up,
        assert np.corrcoef(np.arange(len(plateau)), plateau)[0, 1] > 0.97   # a straight line
        assert plateau[-1] - plateau[0] > math.log(5)                       # by a lot
        assert np.argmax(grad) + 1 >= escape                                # peaks as C drops
    assert d["grad_growth_small"] > 20
    assert d["accuracy_small"] == d["accuracy_large"] == 1.0               # every seed learns
    typical = small["escape"][d["typical"]]
    assert np.sum(small["escape"] < typical) == d["plateau_seeds"] // 2    # the median seed


def test_large_initial_weights_saturate_and_learn_slower_in_every_seed(computed) -> None:
    d = computed[fig_saturation.__name__]
    n, s = d["runs"]["normal"], d["runs"]["scaled"]
    assert d["sat_seeds"] >= 5 and n["saturated"].shape[0] == d["sat_seeds"]
    assert np.all(n["saturated"][:, 0] > 0.2) and np.all(s["saturated"][:, 0] < 0.01)
    assert np.all(n["saturated"][:, -1] > n["saturated"][:, 0])             # creeps up in both
    assert np.all(s["saturated"][:, -1] > s["saturated"][:, 0])
    k = d["sat_compare_epoch"]
    assert np.all(n["accuracy"][:, k] < s["accuracy"][:, k] - 0.05)         # slower, every seed
    assert np.all(n["accuracy"][:, -1] <= s["accuracy"][:, -1])             # never ahead at the end
    assert np.all(s["accuracy"][:, -1] > 0.9)
    assert d["accuracy_at_normal"] + d["accuracy_at_normal_sd"] < d["accuracy_at_scaled"] - d["accuracy_at_scaled_sd"]
    model = digits_mlp(np.random.default_rng(0))                           # the counter itself
    model.layers[0].params["W"][...] = 0.0
    model.layers[0].params["b"][:15] = 10.0                                 # a = sigma(10) > 0.95
    X = data.digits().X_train[:5]
    assert fig_saturation.saturated(model, X) == pytest.approx(0.5)


def test_animation_frames_end_linearly_separable_in_the_hidden_layer(computed) -> None:
    d, p = computed[fig_animation.__name__], params(fig_animation)
    assert len(d["epochs"]) >= 10 and d["epochs"][-1] == p["epochs"]
    w1, w2, b = d["readout"][-1]
    h = d["hidden"][-1]
    side = (w1 * h[:, 0] + w2 * h[:, 1] + b) > 0                           # the output's line
    assert d["accuracy"][-1] == 1.0 and np.array_equal(side, d["labels"] == 1)
    assert d["anim_final_test_accuracy"] > d["anim_initial_test_accuracy"] + 0.3
    assert np.all(np.abs(h) <= 1)                                           # tanh units
    data_json = json.dumps(fig_animation.export(d, p), allow_nan=False)
    assert len(data_json) < 1_000_000
    frames = json.loads(data_json)
    grids = np.array([np.frombuffer(base64.b64decode(g), dtype=np.uint8) for g in frames["outputs"]])
    assert grids.shape == (len(d["epochs"]), p["grid"] ** 2)
    assert np.array_equal(grids, np.round(255 * np.array(d["outputs"]).reshape(grids.shape)))
    assert len(frames["hidden"][0]) == len(frames["points"]) == 2 * len(frames["labels"])


def test_data_parallel_averaging_helps_a_little_staleness_hurts(computed) -> None:
    """The page's claims, each beyond the spread over the seeds."""
    d = computed[fig_parallel.__name__]
    assert d["par_seeds"] >= 5 and d["sync"]["$n_\\mathrm{w}$ = 1"].shape[0] == d["par_seeds"]
    cost = [d[f"sync_cost_{i}"] for i in range(3)]
    sd = [d[f"sync_cost_{i}_sd"] for i in range(3)]
    # A little better with more workers at the same eta: more than the spread, less than 2x.
    assert cost[0] - cost[2] > sd[0] + sd[2] and cost[2] > 0.6 * cost[0]
    assert abs(cost[1] - cost[2]) < min(sd[1], sd[2])                      # 4 as good as 8
    jagged = [d[f"sync_jagged_{i}"] for i in range(3)]
    assert jagged[0] > jagged[1] > jagged[2]                              # smoother curves
    assert d["scaled_cost"] + d["scaled_cost_sd"] < (cost[2] - sd[2]) / 2   # k x eta: much better
    stale = [d[f"stale_cost_{i}"] for i in range(4)]
    stale_sd = [d[f"stale_cost_{i}_sd"] for i in range(4)]
    assert stale[0] == cost[0]                                             # d = 0 is k = 1
    assert all(a + sa < b - sb for a, b, sa, sb in zip(stale, stale[1:], stale_sd, stale_sd[1:]))
    assert stale[-1] > 0.9 * d["start_cost"]                               # a long delay stalls


def test_jaggedness_is_zero_for_a_steady_fall_and_grows_with_noise() -> None:
    steady = np.exp(-0.1 * np.arange(20))[None]
    assert fig_parallel.jaggedness(steady) == pytest.approx(0.0, abs=1e-12)
    noisy = steady * np.exp(0.1 * np.random.default_rng(0).standard_normal(steady.shape))
    assert fig_parallel.jaggedness(noisy) > 0.05


def test_averaging_worker_gradients_is_the_gradient_of_their_union() -> None:
    X, Y = data.digits().X_train[:12], data.digits().Y_train[:12]
    model, cost = digits_mlp(np.random.default_rng(0)), CrossEntropy()
    parts = []
    for batch in (slice(0, 4), slice(4, 8), slice(8, 12)):
        model.backward(cost.value_and_grad(model.forward(X[batch]), Y[batch])[1])
        parts.append({k: v.copy() for k, v in model.grads.items()})
    model.backward(cost.value_and_grad(model.forward(X), Y)[1])
    for name, grad in model.grads.items():
        np.testing.assert_allclose(np.mean([g[name] for g in parts], axis=0), grad, atol=1e-12)
