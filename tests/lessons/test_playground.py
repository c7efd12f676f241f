"""The playground's build-time training grid: payload layout, learning, size budget, and
how the payload is cut into the files the page fetches."""

from __future__ import annotations

import base64
import gzip
import json

import numpy as np
import pytest

from generators.figure import NAME_RE
from generators.nn import data
from generators.playground import DATASET_PARAMS, GRID, THUMB, plane, to_bytes, train_grid, train_one
from generators.playground.files import (PAIRS, file_bytes, join, largest_run_file, problem_exports,
                                         runs_of, shared)

SMALL = {**DATASET_PARAMS, "epochs": 20, "checkpoints": (0, 5, 20)}


@pytest.fixture(scope="module")
def small_grid() -> dict:
    """xor at one learning rate and one architecture: 12 runs, one per run file."""
    return train_grid("xor", {**SMALL, "rates": (0.3,), "architectures": ("4",)})


def _ds(name: str) -> data.Dataset:
    return data.playground(name, rng=np.random.default_rng(0), n_samples=200, noise=0.1, labels="pm1")


def test_a_run_packs_every_checkpoint_and_unit() -> None:
    run = train_one(_ds("gauss"), "tanh", "L2", 0.03, "6-4", SMALL)
    out = np.frombuffer(base64.b64decode(run["out"]), np.uint8)
    units = np.frombuffer(base64.b64decode(run["units"]), np.uint8)
    assert out.size == 3 * GRID * GRID and units.size == 3 * (6 + 4) * THUMB * THUMB
    assert len(run["loss"]) == SMALL["epochs"] + 1  # before training, then every epoch
    assert run["loss"][-1][0] < run["loss"][0][0]
    assert run["accuracy"] >= 0.95 and run["diverged"] is None


def test_grid_rows_run_from_the_top_of_the_plane() -> None:
    pts = plane(4)
    assert pts[0, 1] > 0 > pts[-1, 1] and pts[0, 0] < 0 < pts[3, 0]


def test_quantised_levels_cover_the_range() -> None:
    v = to_bytes(np.array([-1.0, 0.0, 1.0, np.nan]), levels=64)
    assert v.tolist() == [0, 130, 255, 130]  # 0 lies between two of the 64 levels and len(set(to_bytes(np.linspace(-1, 1, 999), 32))) == 32


def test_linear_units_give_a_straight_boundary() -> None:
    run = train_one(_ds("circle"), "linear", "none", 0.03, "6-4", SMALL)
    final = np.frombuffer(base64.b64decode(run["out"]), np.uint8)[-GRID * GRID:].reshape(GRID, GRID)
    side = final > 127
    # A straight boundary crosses each row at most once.
    assert all(np.count_nonzero(np.diff(row.astype(int))) <= 1 for row in side)


def test_payload_stays_small(small_grid: dict) -> None:
    d = small_grid
    assert d["runs"] == 4 * 3
    blob = json.dumps(d["payload"], separators=(",", ":"), sort_keys=True).encode()
    assert d["gzip_bytes"] == len(gzip.compress(blob, mtime=0))
    assert d["gzip_bytes"] / d["runs"] < 3_000_000 / (4 * 72)  # the page's 3 MB budget


def test_the_files_put_back_together_are_the_payload(small_grid: dict) -> None:
    payload = small_grid["payload"]
    part = shared(payload)
    assert "runs" not in part and part["train"] == payload["train"]
    run_files = [runs_of(payload, a, r) for a, r in PAIRS]
    assert [len(f["runs"]) for f in run_files] == [1] * 12  # each run in exactly one file
    assert join(part, run_files) == payload
    # The page finds a run's file from the run key's first two fields.
    for key in payload["runs"]:
        activation, reg, _, _ = key.split("|")
        name = part["files"][f"{activation}|{reg}"]
        assert key in runs_of(payload, activation, reg)["runs"] and name.startswith("xor-")


def test_a_problem_exports_its_shared_file_and_one_file_per_pair(small_grid: dict) -> None:
    exports = problem_exports("xor")
    names = [e.name for e in exports]
    assert names[0] == "xor" and len(names) == 1 + 12 and len(set(names)) == len(names)
    assert all(NAME_RE.match(n) for n in names)
    built = {e.name: e.build(small_grid, SMALL) for e in exports}
    part = built.pop("xor")
    assert sorted(f"{n}.json" for n in built) == sorted(part["files"].values())
    assert built["xor-relu-l1"] == runs_of(small_grid["payload"], "relu", "L1")
    assert join(part, list(built.values())) == small_grid["payload"]


def test_every_learning_rate_and_architecture_lands_in_the_pair_s_file() -> None:
    """Rates and architectures are parameters: the files hold whatever the grid trained."""
    payload = {"dataset": "xor", "runs": {f"{a}|{r}|{rate}|{arch}": {"accuracy": 1.0}
                                          for a, r in PAIRS for rate in ("0.1", "1") for arch in ("2", "3-2")}}
    assert all(len(runs_of(payload, a, r)["runs"]) == 4 for a, r in PAIRS)
    assert largest_run_file(payload) == file_bytes(runs_of(payload, "sigmoid", "none"))


def test_the_overview_draws_the_classes_in_the_theme_s_class_colours() -> None:
    """Orange (theme.negative) is y = -1, class 0; blue (theme.positive) y = +1, class 1.

    (The explorer's colours, in playground.css, are checked against the same theme by
    tests/test_colours.py.)"""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from generators.playground import fig_overview
    from generators.style import themes

    for theme in themes():
        assert theme.class_colors == (theme.negative, theme.positive)
    # The figure: the y = -1 points in the negative colour, the y = +1 points in the positive.
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    Y = np.array([[-1.0], [1.0]])
    ds = data.Dataset(X, Y, X, Y)
    d = {"maps": {n: np.zeros((GRID, GRID)) for n in fig_overview.PROBLEMS},
         "data": {n: ds for n in fig_overview.PROBLEMS},
         **{f"{n}_accuracy": 1.0 for n in fig_overview.PROBLEMS}}
    for theme in themes():
        fig = fig_overview.draw(d, {}, theme)
        points = fig.axes[0].collections
        assert [to_hex(c.get_facecolor()[0]) for c in points] == [theme.negative.lower(),
                                                                   theme.positive.lower()]
        plt.close(fig)
