"""Real data that ships inside installed packages, cached as .npz for worker processes.

- ``digits()``: scikit-learn's 1797 8x8 handwritten digits, pixels scaled to [0, 1].
  Fixed split without randomness: every 4th example (index % 4 == 0) is a test
  example (450), the other 1347 train; targets are one-hot ``(n, 10)``.
- ``photo()``: matplotlib's sample photograph of Grace Hopper as grayscale floats in
  [0, 1], shape (600, 512), for convolution demos.

Cache: ``<repo>/build/cache/data/`` (or ``$DLV_CACHE_DIR/data/``), one file per source
package version, so upgrading scikit-learn or matplotlib rebuilds it. Files are
written to a temporary name in the same folder and renamed with ``os.replace``, so
parallel workers never read a half-written file. scikit-learn and matplotlib are
imported only on a cache miss, inside the loaders.

Deliberately left out: downloading anything (MNIST, CIFAR): the build runs offline.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .dataset import Dataset, one_hot

REPO_ROOT = Path(__file__).resolve().parents[3]
GRAY = np.array([0.299, 0.587, 0.114])      # ITU-R BT.601 luma weights for R, G, B


def cache_dir() -> Path:
    """Folder of cached arrays: ``$DLV_CACHE_DIR/data`` or ``<repo root>/build/cache/data``."""
    root = os.environ.get("DLV_CACHE_DIR")
    return (Path(root) if root else REPO_ROOT / "build" / "cache") / "data"


def cached(name: str, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Arrays from ``cache_dir()/name.npz``; on a miss, ``build()`` them and save atomically."""
    import tempfile                             # imported here: keeps `import generators.nn` cheap
    import zipfile
    path = cache_dir() / f"{name}.npz"
    try:
        with np.load(path, allow_pickle=False) as f:
            return {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        pass                                    # missing or unreadable: rebuild it
    arrays = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return arrays


def _version(package: str) -> str:
    from importlib.metadata import version     # reads the installed package's metadata only
    return version(package)


def _load_digits() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_digits   # slow import: only on a cache miss
    bunch = load_digits()
    return {"X": bunch.data / 16.0, "labels": bunch.target.astype(np.int64)}


def digits(*, images: bool = False) -> Dataset:
    """8x8 digits: ``X: (n, 64)`` or, with ``images=True``, ``(n, 1, 8, 8)``; ``Y: (n, 10)``."""
    arrays = cached(f"digits-scikit-learn-{_version('scikit-learn')}", _load_digits)
    X, labels = arrays["X"], arrays["labels"]
    if images:
        X = X.reshape(-1, 1, 8, 8)
    test = np.arange(len(X)) % 4 == 0
    Y = one_hot(labels, 10)
    return Dataset(X[~test], Y[~test], X[test], Y[test])


def _load_photo(name: str) -> Callable[[], dict[str, np.ndarray]]:
    def load() -> dict[str, np.ndarray]:
        import matplotlib.cbook        # slow import: only on a cache miss
        import matplotlib.image
        with matplotlib.cbook.get_sample_data(name) as f:
            rgb = matplotlib.image.imread(f, format=Path(name).suffix[1:])
        rgb = rgb[..., :3].astype(np.float64)
        return {"image": rgb @ GRAY / (255.0 if rgb.max() > 1.0 else 1.0)}
    return load


def photo(name: str = "grace_hopper.jpg") -> np.ndarray:
    """A sample photograph from matplotlib as grayscale ``(h, w)`` float64 in [0, 1]."""
    key = f"photo-{Path(name).stem}-matplotlib-{_version('matplotlib')}"
    return cached(key, _load_photo(name))["image"]
