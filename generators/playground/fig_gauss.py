"""Playground explorer data for the "gauss" problem: 72 trainings, one per control setting.

A batch job for the page's explorer (see generators/playground/__init__.py), so it is
left out of the page's notebook: rerunning it there would only repeat the build's work.
"""

from __future__ import annotations

from generators.figure import Export, Generator, Params
from generators.playground import DATASET_PARAM_SPECS, train_grid


def compute(p: Params) -> dict:
    d = train_grid("gauss", dict(p))
    return {**d, "gauss_gzip_bytes": d["gzip_bytes"], "gauss_best_accuracy": d["best_accuracy"],
            "gauss_runs": d["runs"]}


GENERATOR = Generator(
    compute=compute,
    params=DATASET_PARAM_SPECS,
    results=("gauss_gzip_bytes", "gauss_best_accuracy", "gauss_runs"),
    exports=(Export("gauss", lambda d, p: d["payload"]),),
    notebook=False,
)
