"""The playground page's build: the opening setting, the figures, and every claim the page makes.

The generators train settings with ``config.run`` (the live playground's maths); these tests
hold the numbers the page quotes inside the bounds its prose states, check that the start
export is what ``config.run`` trains, and that every setting the page links to is valid and
is one the build checked.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest

from generators.playground import (config, fig_overview, fig_reference, fig_regularization, fig_start,
                                   fig_tries, links)
from lessonkit import params
from lessonkit import test_every_declared_result_is_a_finite_number, test_every_figure_draws_in_both_themes  # noqa: F401 (shared tests)

MODULES = (fig_start, fig_overview, fig_regularization, fig_tries)
DRAWN = (fig_overview, fig_regularization)
PAGE = Path(__file__).resolve().parents[2] / "content" / "visualization" / "playground.md"
# The page's links to settings (playground.js gives each its href, "#" + the setting), and
# any Markdown link to a "#key=value" fragment, which the engines would reject or rewrite.
SETTING_LINK = re.compile(r'data-setting="([^"]*)"')
HASH_LINK = re.compile(r'\]\((?:\./)?#[^)]*=[^)]*\)|href="[^"]*#[^"]*="')


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _page_settings() -> list[dict]:
    page = _page()
    assert not HASH_LINK.search(page), "link settings as <a class=\"dlv-pg-setting\" data-setting=\"...\">"
    return [links.from_hash(html.unescape(m.group(1))) for m in SETTING_LINK.finditer(page)]


# -- the opening setting ---------------------------------------------------------------

def test_the_start_export_has_the_shared_format(computed) -> None:
    d = computed[fig_start.__name__]
    start = json.loads(json.dumps(d["start"]))  # what the page receives
    assert set(start) == {"config", "train", "test", "init", "build", "options"}
    assert start["config"] == config.check({}) == config.DEFAULT
    n_train = round(config.N_SAMPLES * config.DEFAULT["percTrainData"] / 100)
    assert len(start["train"]) == n_train and len(start["test"]) == config.N_SAMPLES - n_train
    assert all(len(p) == 3 and p[2] in (-1.0, 1.0) for p in start["train"] + start["test"])
    sizes = [len(config.DEFAULT["features"]), *config.DEFAULT["networkShape"], 1]
    assert [np.shape(W) for W in start["init"]["W"]] == list(zip(sizes[1:], sizes[:-1]))
    assert [len(b) for b in start["init"]["b"]] == sizes[1:] and not np.any(np.concatenate(start["init"]["b"]))
    assert {"epochs", "train_loss", "test_loss", "seeds", "test_loss_mean", "test_loss_sd"} <= set(start["build"])
    assert start["options"] == {"learningRate": list(config.RATES),
                                "regularizationRate": list(config.REG_RATES)}


def test_the_start_export_is_what_config_run_trains(computed) -> None:
    """Same points, same initial weights (full precision), same losses after the same epochs."""
    start = computed[fig_start.__name__]["start"]
    setting = config.check({})
    rng = np.random.default_rng(setting["seed"])
    ds = config.make_data(setting, rng)
    model = config.make_model(setting, rng)
    assert np.array_equal(np.array(start["train"])[:, :2], ds.X_train)
    assert np.array_equal(np.array(start["test"])[:, 2], ds.Y_test[:, 0])
    dense = [layer for layer in model.layers if layer.params]
    for W, layer in zip(start["init"]["W"], dense):
        assert np.array_equal(np.array(W), layer.params["W"])
    trained, ds, _ = config.run(setting, start["build"]["epochs"])
    assert config.losses(setting, trained, ds) == (start["build"]["train_loss"], start["build"]["test_loss"])


def test_the_opening_seed_is_the_median_run(computed) -> None:
    d = computed[fig_start.__name__]
    assert d["start_seeds"] >= 5 and d["start_seeds"] % 2 == 1
    assert config.DEFAULT["seed"] == d["start_median_seed"] == d["start_seed"]
    # The page: most seeds solve the circle, and some stall on a plateau far above the median.
    assert d["start_solved"] >= d["start_seeds"] - 2
    assert d["start_worst_test_loss"] > 10 * d["start_test_loss"] and d["start_worst_accuracy"] < 0.95
    assert d["start_accuracy"] >= 0.95 and d["start_diverged"] == 0


# -- the overview -----------------------------------------------------------------------

def test_one_setting_solves_three_problems_but_not_the_spiral(computed) -> None:
    d = computed[fig_overview.__name__]
    for name in ("gauss", "xor", "circle"):
        assert d[f"{name}_accuracy_mean"] >= 0.95, name
    assert d["spiral_accuracy_mean"] < 0.75 and d["spiral_solved"] == 0


def test_regression_beats_answering_zero(computed) -> None:
    d = computed[fig_overview.__name__]
    assert d["reg_plane_test_loss_mean"] < d["reg_plane_zero_loss"] / 50
    assert d["reg_gauss_test_loss_mean"] < d["reg_gauss_zero_loss"]
    assert d["reg_gauss_test_loss_mean"] > 5 * d["reg_plane_test_loss_mean"]  # "harder"


def test_the_overview_draws_the_classes_in_the_theme_s_class_colours() -> None:
    """Orange (theme.negative) is y = -1; blue (theme.positive) y = +1 (playground.css holds
    the same colours, checked by tests/test_colours.py)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from generators.style import themes

    run = {"output": np.zeros((4, 4)), "X": np.array([[-1.0, 0.0], [1.0, 0.0]]),
           "Y": np.array([-1.0, 1.0]), "accuracy": 1.0, "test_loss": 0.0}
    d = {"shown": {n: run for n in fig_overview.PROBLEMS}}
    for theme in themes():
        assert theme.class_colors == (theme.negative, theme.positive)
        fig = fig_overview.draw_classification(d, {}, theme)
        points = fig.axes[0].collections
        assert [to_hex(c.get_facecolor()[0]) for c in points] == [theme.negative.lower(),
                                                                   theme.positive.lower()]
        plt.close(fig)


# -- regularisation ---------------------------------------------------------------------

def test_the_regularisation_setting_overfits_without_a_penalty(computed) -> None:
    d = computed[fig_regularization.__name__]
    assert d["reg_train_points"] == 50
    assert d["reg_none_train_loss_mean"] < d["reg_l2_0_test_loss_mean"] / 2


def test_a_moderate_rate_helps_seed_by_seed(computed) -> None:
    d = computed[fig_regularization.__name__]
    for pen in ("l1", "l2"):
        assert 0.003 <= d[f"reg_{pen}_best_rate"] <= 0.1
        assert d[f"reg_{pen}_best_test_loss"] < d["reg_l2_0_test_loss_mean"] - 0.02
        assert d[f"reg_{pen}_best_wins"] >= d["reg_seeds"] - 1


def test_too_large_a_rate_flattens_the_output(computed) -> None:
    d = computed[fig_regularization.__name__]
    for pen in ("l1", "l2"):
        assert 0.45 < d[f"reg_{pen}_1_test_loss_mean"] < 0.56  # answering 0 costs 0.5
    assert d["reg_l2_1_sumsq_mean"] < 1e-3


def test_both_shrink_the_weights_and_l1_makes_them_near_zero(computed) -> None:
    d = computed[fig_regularization.__name__]
    for pen in ("l1", "l2"):
        assert d[f"reg_{pen}_0_1_sumsq_mean"] < d["reg_l2_0_sumsq_mean"] / 4
    assert abs(d["reg_l1_0_01_test_loss_mean"] - d["reg_l2_0_01_test_loss_mean"]) < 0.03  # "similar"
    assert d["reg_l1_0_01_small_mean"] > 0.5 > 0.1 > d["reg_l2_0_01_small_mean"]
    # L1's steps of ηλ jump over 0: at λ = 10 few weights end near 0, yet the output is flat.
    assert d["reg_l1_10_small_mean"] < 0.2 < d["reg_l1_0_3_small_mean"]
    assert d["reg_l1_10_test_loss_mean"] > 0.45


# -- things to try ----------------------------------------------------------------------

def test_every_thing_to_try_shows_what_the_page_says(computed) -> None:
    d = computed[fig_tries.__name__]
    seeds, t = d["tries_seeds"], lambda name, m: d[f"try_{name}_{m}"]
    assert seeds >= 5
    # 1 linear units: no better than guessing
    assert t("linear", "accuracy_mean") < 0.7 and t("linear", "solved") == 0
    # 2 squares without a hidden layer solve the circle; x1, x2 do not
    assert t("squares", "solved") >= seeds - 2 and t("no_hidden", "solved") == 0
    # 3 xor is one product, in every run
    assert t("xor_product", "solved") == seeds and t("xor_product", "accuracy_mean") >= 0.99
    assert t("xor_no_hidden", "accuracy_mean") < 0.7
    # 4 the spiral: depth helps, the sines solve it
    assert (t("spiral", "accuracy_mean") < t("spiral_deep", "accuracy_mean")
            < t("spiral_sin", "accuracy_mean"))
    assert t("spiral_sin", "solved") >= seeds - 1
    # 5 η = 3: far worse than η = 0.03, and ends above the best loss it passed
    start = computed[fig_start.__name__]
    assert t("rate_3", "test_loss_mean") > 10 * start["start_test_loss_mean"]
    assert t("rate_3", "accuracy_mean") < 0.8 and t("rate_3", "risen") >= seeds // 2
    # 6 L2 at 0.3 flattens the output: the loss of answering 0
    assert t("l2_large", "output_max_mean") < 0.1 and 0.45 < t("l2_large", "test_loss_mean") < 0.55
    # 7 reg-gauss: bumps found but too low; about half the loss of answering 0
    assert t("reg_gauss", "output_max_mean") < 0.8
    assert 0.3 < t("reg_gauss", "test_loss_mean") / t("reg_gauss", "zero_loss") < 0.7
    # 8 overfitting: training loss far below test loss, and the test loss rises again
    assert t("overfit", "train_loss_mean") < t("overfit", "test_loss_mean") / 2
    assert t("overfit", "risen") >= 2


# -- the page's links and references ----------------------------------------------------

def test_every_setting_link_on_the_page_is_valid_and_checked_by_the_build() -> None:
    settings = _page_settings()  # from_hash raises on any bad key or value
    assert len(settings) == len(fig_tries.EXERCISES)
    checked = [fig_tries.setting(name) for name in fig_tries.EXERCISES]
    assert settings == checked, "the page's links and fig_tries.EXERCISES differ (same order)"


def test_the_page_quotes_only_results_the_build_computes() -> None:
    page = _page()
    declared = {r for m in (*MODULES, fig_reference) for r in m.GENERATOR.results}
    quoted = set(re.findall(r"\{\{ result playground/([a-z0-9_-]+)", page))
    assert quoted and quoted <= declared, sorted(quoted - declared)
    assert "{{ explorer playground playground/start }}" in page
    assert "{{ result playground/reference_configs }}" in page  # how the JS trainer is checked
    assert "[@smilkov2017]" in page and "{{ further_reading }}" in page


def test_exercise_settings_pass_config_check() -> None:
    for name in fig_tries.SETTINGS:
        config.check(fig_tries.SETTINGS[name])
    assert set(fig_tries.EXERCISES) <= set(fig_tries.SETTINGS)


# -- the URL hash -------------------------------------------------------------------------

def test_a_hash_round_trips_and_uses_the_playground_s_spelling() -> None:
    setting = config.check({"networkShape": [], "features": ["xTimesY"], "regularization": "L1",
                            "regularizationRate": 0.003, "problem": "regression"})
    text = links.to_hash(setting, show_test_data=True)
    assert text.startswith("#activation=tanh&batchSize=10&")
    assert "&networkShape=&" in text and "&xTimesY=true&" in text and "&x=false&" in text
    assert "&showTestData=true&" in text and text.endswith("&problem=regression")
    assert links.from_hash(text) == setting
    assert links.from_hash("#") == config.DEFAULT  # missing keys: the defaults


@pytest.mark.parametrize("bad", ["#activation=softmax", "#noise=60", "#networkShape=9",
                                 "#learningRate=0.02", "#colour=red",
                                 "#x=false&y=false&xTimesY=false"])
def test_a_bad_hash_is_an_error_naming_the_key(bad: str) -> None:
    with pytest.raises(ValueError, match="bad value for"):
        links.from_hash(bad)
