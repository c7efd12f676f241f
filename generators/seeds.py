"""Summaries of a comparison run over several seeds, shared by the lessons' figure modules.

Every comparison on the site is trained from several seeds in one job and quoted as
mean ± one standard deviation; this is that one rule.
"""

from __future__ import annotations

import numpy as np


def mean_sd(values) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1; 0 for one value) of ``values``, as floats."""
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0
