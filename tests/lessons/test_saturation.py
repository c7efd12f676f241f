"""One saturation threshold, defined once (generators/neurons/saturation.py), stated the same everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import generators.inner_workings.fig_training as inner_training
import generators.neurons.fig_activations as activations
import generators.training_dynamics.fig_saturation as td_saturation
from generators.neurons import saturation
from generators.nn import Sigmoid

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"neurons": "content/lessons/neurons.md",
         "inner_workings": "content/visualization/inner-workings.md",
         "training_dynamics": "content/visualization/training-dynamics.md"}


def test_the_rule_is_symmetric_and_its_slope_bound_holds() -> None:
    assert saturation.HIGH == 1 - saturation.LOW
    a = np.array([0.01, saturation.LOW, 0.5, saturation.HIGH, 0.999])
    np.testing.assert_array_equal(saturation.saturated(a), [True, False, False, False, True])
    # sigma'(z) at the thresholds, from the library's Sigmoid, is the quoted bound ...
    z = np.log(np.array([[saturation.LOW / (1 - saturation.LOW)]]))  # sigma(z) = LOW
    layer = Sigmoid()
    out, cache = layer.forward(z)
    slope = layer.backward(np.ones_like(out), cache)[0][0, 0]
    assert abs(slope - saturation.max_slope()) < 1e-12
    assert saturation.max_slope() < 0.25 / 5                        # "under a fifth of its largest value"


def test_every_page_quotes_the_one_threshold() -> None:
    for lesson, page in PAGES.items():
        text = (ROOT / page).read_text(encoding="utf-8")
        assert re.search(rf"{{{{ result {lesson}/(sat_low|saturated_low) }}}}", text), page
        assert re.search(rf"{{{{ result {lesson}/(sat_high|saturated_high) }}}}", text), page
    for module, names in ((activations, ("saturated_low", "saturated_high")),
                          (inner_training, ("sat_low", "sat_high")),
                          (td_saturation, ("sat_low", "sat_high"))):
        assert set(names) <= set(module.GENERATOR.results), module.__name__


def test_captions_state_the_same_threshold() -> None:
    words = f"below {saturation.LOW:g} or above {saturation.HIGH:g}"
    for module in (inner_training, td_saturation):
        caption = next(f.caption for f in module.GENERATOR.figures if f.name == "saturation")
        assert words in caption, module.__name__
