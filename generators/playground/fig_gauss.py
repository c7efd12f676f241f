"""Playground explorer data for the "gauss" problem: 72 trainings, one per control setting.

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
    d = train_grid("gauss", dict(p))
    return {**d, "gauss_gzip_bytes": d["gzip_bytes"], "gauss_best_accuracy": d["best_accuracy"],
            "gauss_runs": d["runs"], "gauss_run_file_bytes": largest_run_file(d["payload"])}


GENERATOR = Generator(
    compute=compute,
    params=DATASET_PARAM_SPECS,
    results=("gauss_gzip_bytes", "gauss_best_accuracy", "gauss_runs", "gauss_run_file_bytes"),
    exports=problem_exports("gauss"),
    notebook=False,
)
