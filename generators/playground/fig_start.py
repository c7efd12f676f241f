"""The live playground's opening state: the setting, its data and its initial weights.

Compute: the opening setting (``config.DEFAULT``) trained for ``epochs`` from seeds
0 .. seeds-1 (each seed draws new data, initial weights and minibatches). Seeds differ a
lot here: most reach a small test loss, some stall on a plateau (one unit stuck,
the circle cut by a few straight edges) far above it. The opening seed,
``DEFAULT["seed"]``, is the median run's seed (tests/lessons/test_playground.py holds
them equal), so the page opens on a typical network, not the luckiest or the unluckiest.

Export ``start`` (the page's explorer data): the opening setting's points and the
network's initial weights, so a student who presses play trains the network the build
trained (only the minibatch order is drawn in the page), and the build's result for it
with the statistics over seeds, which the page quotes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generators.figure import Export, Generator, Param, Params
from generators.playground import config, runs
from generators.playground.jsonable import points, weights
from generators.seeds import mean_sd

GOOD = 0.95  # test accuracy counted as "solved"


def compute(p: Params) -> dict[str, Any]:
    setting = config.check({})
    sweep = runs.sweep(setting, p["epochs"], p["seeds"])
    median = runs.median_seed(sweep)
    # The opening run itself: the setting's own seed, from the sweep when it is in it.
    run = (sweep[setting["seed"]] if setting["seed"] < p["seeds"]
           else runs.measure(setting, p["epochs"]))
    rng = np.random.default_rng(setting["seed"])
    ds = config.make_data(setting, rng)
    model = config.make_model(setting, rng)  # the same draws as config.run: the initial weights
    init = weights(model)
    mean, sd = runs.summary(sweep, "test_loss")
    acc_mean, acc_sd = runs.summary(sweep, "accuracy")
    good = sum(r["accuracy"] >= GOOD for r in sweep)
    build = {"epochs": p["epochs"], "train_loss": run["train_loss"], "test_loss": run["test_loss"],
             "accuracy": run["accuracy"], "seeds": p["seeds"], "test_loss_mean": mean,
             "test_loss_sd": sd, "median_seed": median, "seeds_solved": good}
    start = {"config": setting, "train": points(ds.X_train, ds.Y_train),
             "test": points(ds.X_test, ds.Y_test), "init": init, "build": build,
             "options": {"learningRate": list(config.RATES),
                         "regularizationRate": list(config.REG_RATES)}}
    losses = sorted(r["test_loss"] for r in sweep)
    return {"start": start, "start_test_loss": run["test_loss"],
            "start_train_loss": run["train_loss"], "start_accuracy": run["accuracy"],
            "start_epochs": p["epochs"], "start_seed": setting["seed"], "start_seeds": p["seeds"],
            "start_median_seed": median, "start_test_loss_mean": mean, "start_test_loss_sd": sd,
            "start_accuracy_mean": acc_mean, "start_accuracy_sd": acc_sd, "start_solved": good,
            "start_worst_test_loss": losses[-1], "start_worst_accuracy": min(r["accuracy"] for r in sweep),
            "start_best_test_loss": losses[0], "start_diverged": sum(r["diverged"] for r in sweep)}


GENERATOR = Generator(
    compute=compute,
    params={"epochs": Param(300, "epochs the build trains the opening setting for", min=1),
            "seeds": Param(9, "seeds the opening setting is trained from (keep it odd: the "
                              "opening seed is the median run's)", min=1)},
    results=("start_test_loss", "start_train_loss", "start_accuracy", "start_epochs", "start_seed",
             "start_seeds", "start_median_seed", "start_test_loss_mean", "start_test_loss_sd",
             "start_accuracy_mean", "start_accuracy_sd", "start_solved", "start_worst_test_loss",
             "start_worst_accuracy", "start_best_test_loss", "start_diverged"),
    exports=(Export("start", lambda d, p: d["start"]),),
    notebook=False,
)
