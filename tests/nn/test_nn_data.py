"""Data: the Playground's generative rules, real digits and photo, the on-disk cache."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from generators.nn import data
from generators.nn.data import real

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", data.PLAYGROUND_SETS)
def test_playground_shapes_labels_split_and_seed(name):
    ds = data.playground(name, rng=np.random.default_rng(0), n_samples=300, noise=0.1,
                         train_fraction=0.6)
    assert ds.X_train.shape == (180, 2) and ds.Y_train.shape == (180, 1)
    assert ds.X_test.shape == (120, 2) and ds.Y_test.shape == (120, 1)
    assert set(np.unique(np.vstack([ds.Y_train, ds.Y_test]))) == {0.0, 1.0}
    pm = data.playground(name, rng=np.random.default_rng(0), n_samples=300, noise=0.1,
                         train_fraction=0.6, labels="pm1")
    np.testing.assert_array_equal(pm.X_train, ds.X_train)            # same draws
    np.testing.assert_array_equal(pm.Y_train, 2 * ds.Y_train - 1)
    again = data.playground(name, rng=np.random.default_rng(0), n_samples=300, noise=0.1,
                            train_fraction=0.6)
    np.testing.assert_array_equal(again.X_test, ds.X_test)
    other = data.playground(name, rng=np.random.default_rng(1), n_samples=300, noise=0.1)
    assert not np.array_equal(other.X_train[:10], ds.X_train[:10])


def all_points(name, noise=0.0, n=2000):
    ds = data.playground(name, rng=np.random.default_rng(3), n_samples=n, noise=noise,
                         train_fraction=1.0, labels="pm1")
    return ds.X_train, ds.Y_train[:, 0]


def test_circle_rule():
    X, t = all_points("circle")
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r[t > 0] <= 2.5) and np.all((r[t < 0] >= 3.5) & (r[t < 0] <= 5))
    assert np.sum(t > 0) == 1000
    X, t = all_points("circle", noise=0.5)              # noise flips labels, not positions
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r <= 2.5) | (r >= 3.5)) and 0 < np.sum((r <= 2.5) & (t < 0))


def test_xor_rule():
    X, t = all_points("xor")
    assert np.all(np.abs(X) >= 0.3) and np.all(np.abs(X) <= 5.3)
    np.testing.assert_array_equal(t, np.where(X[:, 0] * X[:, 1] >= 0, 1.0, -1.0))


def test_gauss_rule():
    X, t = all_points("gauss", n=20000)
    np.testing.assert_allclose(X[t > 0].mean(axis=0), [2, 2], atol=0.05)
    np.testing.assert_allclose(X[t < 0].var(axis=0), [0.5, 0.5], rtol=0.05)
    X, t = all_points("gauss", noise=0.5, n=20000)
    np.testing.assert_allclose(X[t < 0].var(axis=0), [4.0, 4.0], rtol=0.05)


def test_spiral_rule():
    X, t = all_points("spiral")
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() < 5 and np.sum(t > 0) == 1000
    pos, neg = X[t > 0], -X[t < 0]                 # arms half a turn apart: neg = -pos
    np.testing.assert_allclose(pos[np.lexsort(pos.T)], neg[np.lexsort(neg.T)], atol=1e-12)


def test_regression_rules():
    X, t = all_points("reg-plane")
    assert np.abs(X).max() <= 6
    np.testing.assert_allclose(t, (X[:, 0] + X[:, 1]) / 10)     # noise 0: the plane itself
    X, t = all_points("reg-gauss", n=20000)
    assert t.max() == pytest.approx(1, abs=0.05) and t.min() == pytest.approx(-1, abs=0.05)
    # A point at a bump's centre takes its height; one far from every bump is 0.
    near = np.hypot(X[:, 0] - 4, X[:, 1] - 2.5) < 0.1
    far = np.min([np.hypot(X[:, 0] - cx, X[:, 1] - cy) for cx in (-4, 0, 4) for cy in (-2.5, 2.5)],
                 axis=0) > 2
    assert near.any() and (t[near] > 0.9).all() and far.any() and (t[far] == 0).all()
    # Regression targets are not mapped to 0/1 by the default labels="01".
    ds = data.playground("reg-plane", rng=np.random.default_rng(3), n_samples=50)
    assert ds.Y_train.min() < 0


def test_features_are_the_playgrounds():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    F = data.features(X, data.PLAYGROUND_FEATURES)
    np.testing.assert_allclose(F, [[1, 2, 1, 4, 2, np.sin(1), np.sin(2)],
                                   [-3, 0.5, 9, 0.25, -1.5, np.sin(-3), np.sin(0.5)]])
    np.testing.assert_array_equal(data.features(X, ["sinY", "x"]), F[:, [6, 0]])
    for bad in ([], ["cosX"]):
        with pytest.raises(ValueError, match="feature"):
            data.features(X, bad)


def test_bad_playground_arguments():
    rng = np.random.default_rng(0)
    for kwargs in ({"name": "moons"}, {"name": "xor", "noise": 0.7},
                   {"name": "xor", "labels": "+-"}):
        with pytest.raises(ValueError):
            data.playground(rng=rng, **kwargs)


def test_digits_are_real_scaled_and_split_fixed():
    X, Y, X_test, Y_test = data.digits()
    assert X.shape == (1347, 64) and X_test.shape == (450, 64) and Y.shape == (1347, 10)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    from sklearn.datasets import load_digits
    ref = load_digits()
    np.testing.assert_array_equal(X_test, ref.data[::4] / 16)
    np.testing.assert_array_equal(Y_test.argmax(axis=1), ref.target[::4])
    images = data.digits(images=True)
    assert images.X_train.shape == (1347, 1, 8, 8)
    np.testing.assert_array_equal(images.X_train.reshape(-1, 64), X)


def test_photo_is_grayscale_in_unit_range():
    image = data.photo()
    assert image.shape == (600, 512) and image.dtype == np.float64
    assert 0.0 <= image.min() < 0.1 and 0.9 < image.max() <= 1.0


def test_cache_is_written_atomically_keyed_by_version_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("DLV_CACHE_DIR", str(tmp_path))
    assert real.cache_dir() == tmp_path / "data"
    first = data.digits()
    files = sorted(p.name for p in (tmp_path / "data").iterdir())
    from importlib.metadata import version
    assert files == [f"digits-scikit-learn-{version('scikit-learn')}.npz"]   # no temp files left
    calls = []
    arrays = real.cached(files[0][:-4], lambda: calls.append(1) or {})
    assert calls == [] and set(arrays) == {"X", "labels"}
    np.testing.assert_array_equal(data.digits().X_train, first.X_train)
    (tmp_path / "data" / files[0]).write_bytes(b"truncated")    # a corrupt file is rebuilt
    np.testing.assert_array_equal(data.digits().X_train, first.X_train)


def test_import_is_cheap_and_cache_hits_skip_sklearn_and_matplotlib():
    data.digits(), data.photo()                      # make sure the cache is warm
    code = ("import sys, generators.nn as nn; assert 'sklearn' not in sys.modules; "
            "assert 'matplotlib' not in sys.modules; nn.data.digits(); nn.data.photo(); "
            "print(sorted(m for m in ('sklearn', 'matplotlib', 'scipy') if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "DLV_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "[]"
