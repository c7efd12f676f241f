"""A playground setting as the page's URL hash, with the TensorFlow Playground's keys.

``to_hash`` writes a setting (``config.DEFAULT``'s keys) the way the Playground does:
one ``key=value`` per setting, ``networkShape`` as comma-separated widths (empty for no
hidden layer) and each input feature as its own ``true``/``false`` key, plus the two
display switches ``showTestData`` and ``discretize``. ``from_hash`` reads one back into a
checked setting (``config.check``). The page's script reads the same hash; these are for
the build and the tests (the "things to try" links must name valid settings).

Deliberately left out: the page's fallback for bad values (the script's job); here a bad
value is an error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from generators.playground import config

DISPLAY = ("showTestData", "discretize")  # hash keys that are not part of the setting
_INTS = ("noise", "percTrainData", "batchSize", "seed")
# The TensorFlow Playground's order of the keys in its hash.
_HEAD = ("activation", "batchSize", "dataset", "regDataset", "learningRate", "regularization",
         "regularizationRate", "noise")
_FEATURE_ORDER = ("x", "y", "xTimesY", "xSquared", "ySquared", "sinX", "sinY")


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def to_hash(setting: dict[str, Any], *, show_test_data: bool = False,
            discretize: bool = False) -> str:
    """``#activation=...&...``: every key of the checked setting, as the page reads it."""
    c = config.check(setting)
    parts: dict[str, Any] = {k: c[k] for k in _HEAD}
    parts.update(networkShape=",".join(str(w) for w in c["networkShape"]), seed=c["seed"],
                 showTestData=show_test_data, discretize=discretize,
                 percTrainData=c["percTrainData"])
    parts.update({f: f in c["features"] for f in _FEATURE_ORDER})
    parts["problem"] = c["problem"]
    text = lambda v: str(v).lower() if isinstance(v, bool) else str(v)
    return "#" + "&".join(f"{k}={text(v)}" for k, v in parts.items())


def from_hash(fragment: str) -> dict[str, Any]:
    """The checked setting a hash names (missing keys take ``config.DEFAULT``'s values).

    Raises ``ValueError`` naming the first unknown key or bad value.
    """
    pairs = dict(parse_qsl(fragment.lstrip("#"), keep_blank_values=True))
    setting: dict[str, Any] = {}
    given = {f: pairs.pop(f) for f in config.FEATURES if f in pairs}
    if given:  # all seven false is an error (no inputs), not the default
        setting["features"] = [f for f, on in given.items() if on == "true"]
    for key in DISPLAY:
        pairs.pop(key, None)
    for key, value in pairs.items():
        if key == "networkShape":
            setting[key] = [int(w) for w in value.split(",") if w]
        elif key in _INTS:
            setting[key] = int(value)
        elif key in ("learningRate", "regularizationRate"):
            setting[key] = _number(value)
        else:
            setting[key] = value
    return config.check(setting)
