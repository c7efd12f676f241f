"""The "things to try" of the playground page, each checked by the build.

Every exercise on the page links to a setting (a URL hash, ``links.to_hash``) and says
what to look for. Here each of those settings, and the setting it is compared with, is
trained by ``config.run`` (the live playground's maths) from seeds 0 .. seeds-1, and the
results the text quotes are computed: test loss and accuracy, how many seeds solve the
problem (test accuracy ≥ 95 %), how far the output strays from 0 over the plane, and how
much the test loss rises after its lowest epoch. ``tests/lessons/test_playground.py``
holds the claims' bounds and checks that the page links to exactly these settings.

No figure: the student makes the pictures in the live playground.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.figure import Generator, Param, Params
from generators.playground import config, runs

GOOD = 0.95  # test accuracy counted as "solved"

# name -> the setting (changes from config.DEFAULT). The page links to each one that
# names an exercise; the others are what an exercise is compared with.
SETTINGS: dict[str, dict[str, Any]] = {
    "linear": {"activation": "linear"},
    "no_hidden": {"networkShape": []},
    "squares": {"networkShape": [], "features": ["xSquared", "ySquared"]},
    "xor_no_hidden": {"dataset": "xor", "networkShape": []},
    "xor_product": {"dataset": "xor", "networkShape": [], "features": ["xTimesY"]},
    "spiral": {"dataset": "spiral"},
    "spiral_deep": {"dataset": "spiral", "networkShape": [8, 8, 8]},
    "spiral_sin": {"dataset": "spiral", "networkShape": [8, 8], "features": ["x", "y", "sinX", "sinY"]},
    "rate_3": {"learningRate": 3},
    "l2_large": {"regularization": "L2", "regularizationRate": 0.3},
    "reg_gauss": {"problem": "regression", "regDataset": "reg-gauss"},
    "overfit": {"dataset": "gauss", "noise": 50, "percTrainData": 10, "networkShape": [8, 8]},
}
# The settings the page's "things to try" link to, in the page's order.
EXERCISES = ("linear", "squares", "xor_product", "spiral_sin", "rate_3", "l2_large",
             "reg_gauss", "overfit")
CLASSIFICATION_METRICS = ("accuracy_mean", "accuracy_sd", "solved")
METRICS = ("test_loss_mean", "test_loss_sd", "train_loss_mean", "output_max_mean", "rise_mean",
           "risen", "diverged")


def setting(name: str) -> dict[str, Any]:
    """The full, checked setting of ``name``."""
    return config.check(SETTINGS[name])


def _metrics(sweep: list[dict]) -> dict[str, float]:
    m: dict[str, float] = {}
    m["test_loss_mean"], m["test_loss_sd"] = runs.summary(sweep, "test_loss")
    m["train_loss_mean"], _ = runs.summary(sweep, "train_loss")
    m["output_max_mean"] = float(np.mean([np.abs(r["output"]).max() for r in sweep]))
    rises = [r["curve"][-1] - min(r["curve"]) if r["curve"] else 0.0 for r in sweep]
    m["rise_mean"] = float(np.mean(rises))
    m["risen"] = sum(r["curve"][-1] > 1.2 * min(r["curve"]) for r in sweep if r["curve"])
    m["diverged"] = sum(r["diverged"] for r in sweep)
    if sweep[0]["accuracy"] is not None:
        m["accuracy_mean"], m["accuracy_sd"] = runs.summary(sweep, "accuracy")
        m["solved"] = sum(r["accuracy"] >= GOOD for r in sweep)
    else:  # regression: the cost of answering 0 everywhere, what "small" is measured against
        m["zero_loss"] = float(np.mean([np.mean(r["data"].Y_test ** 2) / 2 for r in sweep]))
    return m


def compute(p: Params) -> dict[str, Any]:
    out: dict[str, Any] = {"tries_epochs": p["epochs"], "tries_seeds": p["seeds"]}
    for name in SETTINGS:
        sweep = runs.sweep(setting(name), p["epochs"], p["seeds"], curve=True)
        out.update({f"try_{name}_{k}": v for k, v in _metrics(sweep).items()})
    return out


def _result_names() -> tuple[str, ...]:
    names = ["tries_epochs", "tries_seeds"]
    for name, changes in SETTINGS.items():
        extra = ("zero_loss",) if changes.get("problem") == "regression" else CLASSIFICATION_METRICS
        names += [f"try_{name}_{m}" for m in (*METRICS, *extra)]
    return tuple(names)


GENERATOR = Generator(
    compute=compute,
    params={"epochs": Param(300, "epochs of every run", min=1),
            "seeds": Param(5, "seeds each setting is trained from", min=2)},
    results=_result_names(),
    notebook=False,
)
