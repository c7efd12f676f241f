"""Suggestions for a mistyped name: "did you mean ...?" with the closest valid names.

Only difflib: imported by ``generators.figure``, which must stay cheap to import.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

SHORT_LIST = 8  # a list this short is shown whole when nothing is close


def did_you_mean(name: object, valid: Iterable[object], *, hint: str = "") -> str:
    """``"; did you mean 'x' or 'y'?"``, else the valid names if few, else ``hint``.

    The result is empty or starts with ``"; "``, ready to append to a message.
    ``hint`` says where the full list is (``"`make describe ID` lists them"``).
    """
    names = sorted({str(v) for v in valid})
    near = difflib.get_close_matches(str(name), names, n=3, cutoff=0.6)
    if not near:  # case and separators are the commonest slips: "Colors", "alt_text"
        folded = {_fold(n): n for n in names}
        near = [folded[n] for n in difflib.get_close_matches(_fold(str(name)), folded, n=3, cutoff=0.6)]
    if near:
        return f"; did you mean {' or '.join(repr(n) for n in near)}?"
    if not names:
        return ""
    if len(names) <= SHORT_LIST:
        return f"; valid: {', '.join(names)}"
    return f"; {hint}" if hint else ""


def _fold(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())
