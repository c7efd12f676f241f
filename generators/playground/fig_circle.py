"""Playground explorer data for the "circle" problem: 72 trainings, one per control setting.

A batch job for the page's explorer (see generators/playground/__init__.py), so it is
left out of the page's notebook: rerunning it there would only repeat the build's work.
"""

from __future__ import annotations

from generators.figure import Export, Generator, Params
from generators.playground import DATASET_PARAM_SPECS, train_grid


def compute(p: Params) -> dict:
    d = train_grid("circle", dict(p))
    return {**d, "circle_gzip_bytes": d["gzip_bytes"], "circle_best_accuracy": d["best_accuracy"],
            "circle_runs": d["runs"]}


GENERATOR = Generator(
    compute=compute,
    params=DATASET_PARAM_SPECS,
    results=("circle_gzip_bytes", "circle_best_accuracy", "circle_runs"),
    exports=(Export("circle", lambda d, p: d["payload"]),),
    notebook=False,
)
