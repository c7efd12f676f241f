"""Playground explorer data for the "spiral" problem: 72 trainings, one per control setting.

A batch job for the page's explorer (see generators/playground/__init__.py), so it is
left out of the page's notebook: rerunning it there would only repeat the build's work.
Published as a shared part and one file per activation x regularisation, so the page
fetches only the runs it shows (generators/playground/files.py).
"""

from __future__ import annotations

from generators.figure import Generator, Params
from generators.playground import DATASET_PARAM_SPECS, train_grid
from generators.playground.files import largest_run_file, problem_exports


def compute(p: Params) -> dict:
    d = train_grid("spiral", dict(p))
    return {**d, "spiral_gzip_bytes": d["gzip_bytes"], "spiral_best_accuracy": d["best_accuracy"],
            "spiral_runs": d["runs"], "spiral_run_file_bytes": largest_run_file(d["payload"])}


GENERATOR = Generator(
    compute=compute,
    params=DATASET_PARAM_SPECS,
    results=("spiral_gzip_bytes", "spiral_best_accuracy", "spiral_runs", "spiral_run_file_bytes"),
    exports=problem_exports("spiral"),
    notebook=False,
)
