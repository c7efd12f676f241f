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
    assert d["compare_seeds"] >= 5 and runs["full"]["cost"].shape[0] == d["compare_seeds"]
    assert d["full_updates"] == d["full_epochs"]
    assert d["mini_updates"] == d["epochs"] * -(-n // d["minibatch"])
    assert d["single_updates"] == d["epochs"] * n
    final = {k: r["cost"][:, -1] for k, r in runs.items()}
    # Per epoch (same work): minibatches beat full batch (even with 10x the epochs) in every seed,
    # by many standard deviations; single examples beat minibatches on average and in most
    # seeds (the page quotes in how many), but vary most from seed to seed.
    assert np.all(final["mini"] < final["full"])
    assert d["mini_cost"] + 3 * d["mini_cost_sd"] < d["full_cost"] - 3 * d["full_cost_sd"]
    assert d["single_cost"] < d["mini_cost"]
    assert np.median(final["single"]) < final["mini"].min()
    assert d["single_cost_sd"] > d["mini_cost_sd"]
    assert d["seeds_work_order"] >= d["compare_seeds"] - 1
    assert d["single_test_accuracy"] - d["single_test_accuracy_sd"] > 0.85
    # Per update: the exact gradient makes the better step, in every seed.
    assert d["seeds_update_order"] == d["compare_seeds"]
    assert np.all(runs["full"]["cost_same_updates"] < runs["mini"]["cost_same_updates"])
    assert np.all(runs["mini"]["cost_same_updates"] < runs["single"]["cost_same_updates"])
    for r in runs.values():  # examples processed = updates x batch size, capped at the total
        assert np.all(r["examples"] <= r["updates"] * r["batch"])
        # same initial weights within a seed, different ones across seeds
        np.testing.assert_allclose(r["cost"][:, 0], runs["full"]["cost"][:, 0])
    assert np.ptp(runs["full"]["cost"][:, 0]) > 0


def test_linear_paths_start_together_and_single_examples_are_noisiest(computed) -> None:
    d = computed[fig_linear.__name__]
    paths = d["paths"]
    for path in paths.values():
        assert path.shape == (d["path_updates"] + 1, 2)
        assert np.allclose(path[0], fig_linear.GENERATOR.params["start"])
    w = d["wiggles"]
    assert all(len(v) == d["linear_seeds"] >= 5 for v in w.values())
    assert np.all(w["full"] < 1.01)  # gradient descent on a bowl: a nearly straight path
    # in every example order, and by several standard deviations on average
    assert np.all(w["full"] < w["mini"].min()) and w["mini"].max() < w["single"].min()
    assert d["wiggle_mini"] + 3 * d["wiggle_mini_sd"] < d["wiggle_single"] - 3 * d["wiggle_single_sd"]
    # the drawn order is the median one, and the drawn paths are that order's
    assert fig_linear.wiggle(paths["single"]) == pytest.approx(np.median(w["single"]))
    # The least-squares optimum is the true minimum of the grid of costs.
    gw, gb, J = d["grid"]
    assert d["j_min"] <= J.min() + 1e-12


def test_decaying_schedules_get_below_the_noise_floor(computed) -> None:
    d = computed[fig_linear.__name__]
    s = d["schedules"]
    assert np.all(s["constant"]["eta"] == d["linear_eta"])
    assert s["step decay"]["eta"][d["step_every"]] == pytest.approx(d["linear_eta"] / 2)
    assert np.all(np.diff(s["1/t decay"]["eta"]) < 0)
    assert s["constant"]["excess"].shape == (d["linear_seeds"], d["schedule_epochs"])
    # in every example order, and the mean gap is several standard deviations
    assert d["seeds_step_below"] == d["seeds_inverse_below"] == d["linear_seeds"]
    for key in ("step", "inverse"):
        assert d[f"excess_{key}"] + 3 * d[f"excess_{key}_sd"] < d["excess_constant"] - 3 * d["excess_constant_sd"]
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
    it = d["iters"]
    assert len(it["momentum"]) == d["valley_seeds"] >= 5
    assert np.all(0 < it["momentum"]) and np.all(it["momentum"] < it["gradient descent"])
    assert d["speedup_min"] > 2                         # from every start
    assert d["speedup"] - 2 * d["speedup_sd"] > 2
    # every start has the same starting cost, in a different direction
    np.testing.assert_allclose(d["costs"]["momentum"][:, 0], d["start_cost"])
    assert len(np.unique(d["starts"].round(6), axis=0)) == d["valley_seeds"]
    # the drawn paths come from the start with the median speed-up
    assert d["shown_iters_gd"] / d["shown_iters_momentum"] == pytest.approx(np.median(d["speedups"]))
    for name, costs in d["costs"].items():
        for c, k in zip(costs, it[name]):
            assert c[k] < d["tol"] <= c[k - 1]


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
