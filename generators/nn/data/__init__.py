"""Data for the course's networks: toy 2-D sets, real digits, a real photograph.

    from generators.nn import data
    ds = data.playground("circle", rng=rng, noise=0.1)   # Dataset of (n, 2) points, (n, 1) labels
    X_train, Y_train, X_test, Y_test = data.digits()       # (1347, 64), (1347, 10), (450, ...)
    image = data.photo()                                   # (600, 512) grayscale in [0, 1]

See ``playground.py`` (the TensorFlow Playground's rules) and ``real.py`` (loading
and caching). Nothing is downloaded: the digits ship with scikit-learn, the photo
with matplotlib.
"""
from .dataset import Dataset, one_hot, split
from .playground import FEATURES as PLAYGROUND_FEATURES
from .playground import NAMES as PLAYGROUND_SETS
from .playground import REGRESSION_NAMES as PLAYGROUND_REGRESSION_SETS
from .playground import features, playground
from .real import cache_dir, digits, photo

__all__ = ["Dataset", "one_hot", "split", "playground", "features", "PLAYGROUND_SETS",
           "PLAYGROUND_REGRESSION_SETS", "PLAYGROUND_FEATURES",
           "digits", "photo", "cache_dir"]
