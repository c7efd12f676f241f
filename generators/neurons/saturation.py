"""When a sigmoid unit counts as saturated: one definition for every page that counts them.

A sigmoid unit learns in proportion to sigma'(z) = a (1 - a), at most 1/4 (at a = 1/2).
The course calls it **saturated** when its activation a is below ``LOW`` or above
``HIGH``: there sigma'(z) < ``LOW`` * ``HIGH`` = 0.0475, under a fifth of the largest slope.
The lesson "A single neuron" states the rule; "Inner workings of a network" and
"Training dynamics" count saturated activations with ``saturated`` and quote ``LOW``,
``HIGH`` and ``max_slope()`` as generator results, so no page can state another threshold.
"""

from __future__ import annotations

import numpy as np

LOW = 0.05   # a < LOW: saturated low (z far below 0)
HIGH = 0.95  # a > HIGH: saturated high (z far above 0); HIGH = 1 - LOW, so sigma' is the same at both


def saturated(a: np.ndarray) -> np.ndarray:
    """Elementwise: True where a sigmoid activation ``a`` is saturated (a < LOW or a > HIGH)."""
    a = np.asarray(a)
    return (a < LOW) | (a > HIGH)


def max_slope() -> float:
    """The largest sigma'(z) = a (1 - a) of a saturated unit: at the thresholds, LOW * (1 - LOW)."""
    return LOW * (1.0 - LOW)
