"""The playground's build-time training grid: payload layout, learning, size budget."""

from __future__ import annotations

import base64
import gzip
import json

import numpy as np

from generators.nn import data
from generators.playground import DATASET_PARAMS, GRID, THUMB, plane, to_bytes, train_grid, train_one

SMALL = {**DATASET_PARAMS, "epochs": 20, "checkpoints": (0, 5, 20)}


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


def test_payload_stays_small() -> None:
    d = train_grid("xor", {**SMALL, "rates": (0.3,), "architectures": ("4",)})
    assert d["runs"] == 4 * 3
    blob = json.dumps(d["payload"], separators=(",", ":"), sort_keys=True).encode()
    assert d["gzip_bytes"] == len(gzip.compress(blob, mtime=0))
    assert d["gzip_bytes"] / d["runs"] < 3_000_000 / (4 * 72)  # the page's 3 MB budget
