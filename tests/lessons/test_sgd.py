"""The SGD lesson's generators compute what the lesson says they do."""
from __future__ import annotations


import numpy as np
import pytest

from generators.nn import GradientDescent, Momentum
from generators.sgd import fig_compare, fig_linear, fig_momentum
from lessonkit import params
from lessonkit import test_every_figure_draws_in_both_themes, test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)

MODULES = (fig_compare, fig_linear, fig_momentum)


def test_sgd_wins_per_epoch_and_full_batch_wins_per_update(computed) -> None:
    d = computed[fig_compare.__name__]
    n, runs = d["n_train"], d["runs"]
    assert d["full_updates"] == d["full_epochs"]
    assert d["mini_updates"] == d["epochs"] * -(-n // d["minibatch"])
    assert d["single_updates"] == d["epochs"] * n
    # Per epoch (same work): more updates get further, and full batch lags even with more epochs.
    assert d["single_cost"] < d["mini_cost"] < d["full_cost"]
    assert d["single_test_accuracy"] > 0.85
    # Per update: the exact gradient makes the better step.
    assert d["full_cost_same_updates"] < d["single_cost_same_updates"]
    for r in runs.values():  # examples processed = updates x batch size, capped at the total
        assert np.all(r["examples"] <= r["updates"] * r["batch"])
        assert r["cost"][0] == pytest.approx(runs["full"]["cost"][0])  # same initial weights


def test_linear_paths_start_together_and_single_examples_are_noisiest(computed) -> None:
    d = computed[fig_linear.__name__]
    paths = d["paths"]
    for path in paths.values():
        assert path.shape == (d["path_updates"] + 1, 2)
        assert np.allclose(path[0], fig_linear.GENERATOR.params["start"])
    # Noise: how much the path turns, the sum of the step lengths over the net distance.
    wiggle = {k: np.linalg.norm(np.diff(p, axis=0), axis=1).sum()
              / np.linalg.norm(p[-1] - p[0]) for k, p in paths.items()}
    assert wiggle["full"] < 1.01  # gradient descent on a bowl: a nearly straight path
    assert wiggle["full"] < wiggle["mini"] < wiggle["single"]
    # The least-squares optimum is the true minimum of the grid of costs.
    gw, gb, J = d["grid"]
    assert d["j_min"] <= J.min() + 1e-12


def test_decaying_schedules_get_below_the_noise_floor(computed) -> None:
    d = computed[fig_linear.__name__]
    s = d["schedules"]
    assert np.all(s["constant"]["eta"] == d["linear_eta"])
    assert s["step decay"]["eta"][d["step_every"]] == pytest.approx(d["linear_eta"] / 2)
    assert np.all(np.diff(s["1/t decay"]["eta"]) < 0)
    assert d["excess_step"] < d["excess_constant"] and d["excess_inverse"] < d["excess_constant"]
    assert np.all(s["constant"]["excess"] > 0)


def test_schedule_callback_sets_the_rate_used_in_each_epoch() -> None:
    X, Y, best, J_min = fig_linear.problem(params(fig_linear))
    seen = []

    class Spy(fig_linear.Callback):
        def on_step_end(self, state) -> None:
            seen.append((state.epoch, state.optimizer.eta))

    sched = fig_linear.Schedule(lambda t: 0.1 / (t + 1))
    fig_linear.train(fig_linear.model_at(0.0, 0.0), X, Y, cost=fig_linear.QuadraticCost(),
                     optimizer=GradientDescent(eta=5.0), epochs=3, batch_size=50,
                     rng=np.random.default_rng(0), callbacks=[sched, Spy()])
    assert sorted(set(seen)) == [(1, 0.1), (2, 0.05), (3, 0.1 / 3)]


def test_momentum_beats_gradient_descent_on_the_valley(computed) -> None:
    d = computed[fig_momentum.__name__]
    assert 0 < d["iters_momentum"] < d["iters_gd"]
    assert d["speedup"] > 2
    for name, costs in d["costs"].items():
        k = d["iters_gd"] if name == "gradient descent" else d["iters_momentum"]
        assert costs[k] < d["tol"] <= costs[k - 1]


def test_gradient_descent_zigzags_across_and_diverges_past_the_limit() -> None:
    p = params(fig_momentum, max_iter=20)
    path = fig_momentum.descend(GradientDescent(eta=p["eta"]), p)
    assert np.all(np.sign(path[1:, 1]) == -np.sign(path[:-1, 1]))  # steep coordinate flips
    too_big = 2.2 / max(p["curvatures"])  # beyond eta = 2/k the steep direction blows up
    path = fig_momentum.descend(GradientDescent(eta=too_big), p)
    assert abs(path[-1, 1]) > 10 * abs(path[0, 1])
    assert fig_momentum.descend(Momentum(eta=p["eta"], mu=0.0), p) == pytest.approx(
        fig_momentum.descend(GradientDescent(eta=p["eta"]), p))  # mu = 0 is plain descent


def test_too_few_iterations_fail_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="raise max_iter"):
        fig_momentum.compute(params(fig_momentum, max_iter=10))
