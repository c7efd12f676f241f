"""The lesson "A single neuron": its figures show what their captions say."""

from __future__ import annotations

import matplotlib
import numpy as np

import generators.neurons.fig_activations as fig_activations
import generators.neurons.fig_training as fig_training
from generators.style import themes
from lessonkit import params
from lessonkit import test_every_declared_result_is_a_finite_number  # noqa: F401 (shared tests)
from lessonkit import test_every_figure_draws_in_both_themes  # noqa: F401 (shared tests)

matplotlib.use("Agg")
MODULES = (fig_activations, fig_training)


def test_sigmoid_slope_peaks_at_a_quarter(computed) -> None:
    d = computed[fig_activations.__name__]
    assert abs(d["sigmoid_max_slope"] - 0.25) < 1e-4


def test_training_fit_keeps_improving_while_the_test_fit_does_not(computed) -> None:
    """The curves caption: solid and dashed part, the training cost still falls."""
    d = computed[fig_training.__name__]
    h = d["history"]
    loss, test_loss = np.array(h["loss"]), np.array(h["test_loss"])
    assert np.all(np.diff(loss[-20:]) < 0)                       # still improving at the end
    assert test_loss[-1] > 1.2 * test_loss.min()                 # ...while the test cost rose again
    assert d["best_epoch"] < d["epochs"] and d["best_test_accuracy"] > d["test_accuracy"]


def test_the_epoch_axis_is_labelled_for_its_scale(computed) -> None:
    """A symlog axis is linear near 0: its label must not call it plainly logarithmic."""
    import matplotlib.pyplot as plt

    d = computed[fig_training.__name__]
    fig = fig_training.draw_curves(d, params(fig_training), themes()[0])
    try:
        for ax in fig.axes:
            assert ax.get_xscale() == "symlog"
            linthresh = ax.xaxis.get_transform().linthresh
            assert f"linear to {linthresh:g}" in ax.get_xlabel()
            assert "logarithmic beyond" in ax.get_xlabel()
    finally:
        plt.close(fig)


def test_the_drawn_runs_gap_is_checked_on_other_draws(computed) -> None:
    """The page: the training cost still falls in every draw, the test accuracy peaks early in
    most, and the drawn run's rise of the test cost is the largest (it was picked to show it)."""
    d = computed[fig_training.__name__]
    assert d["draws"] >= 5 and len(d["draws_rises"]) == d["draws"]
    assert d["draws_train_cost_falls"] == d["draws"]
    assert d["n_draws_peaked_early"] > d["draws"] / 2
    rises = d["draws_rises"]
    assert rises[0] == d["test_cost_rise"]                    # the drawn run is the first draw
    assert np.all(rises >= 0)                                 # never below the minimum it includes
    assert d["draws_cost_rise"] == np.mean(rises)
    assert d["n_draws_rise_as_large"] == np.sum(rises >= d["test_cost_rise"])
    assert d["test_cost_rise"] > np.median(rises)             # "more than most"
    assert d["n_draws_rise_as_large"] <= d["draws"] / 2
