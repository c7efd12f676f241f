"""``format_result``: how prose writes a computed number (``{{ result name spec }}``).

Powers of ten are written as the explorers write them (4.1×10⁻⁵, a real minus sign), so
a number the prose quotes and the same number in an explorer read the same.
"""

from __future__ import annotations

import pytest

from generators.site.refs import format_result


@pytest.mark.parametrize("value, spec, text", [
    (4.0174757872653386e-05, ".1e", "4.0\u00d710\u207b\u2075"),
    (1e-06, ".0e", "1\u00d710\u207b\u2076"),
    (2.2159628464443877, ".1e", "2.2\u00d710\u2070"),
    (123456.0, ".2e", "1.23\u00d710\u2075"),
    (-3.2e-12, ".1e", "\u22123.2\u00d710\u207b\u00b9\u00b2"),
    (1.5e-07, ".2g", "1.5\u00d710\u207b\u2077"),     # g switches to a power of ten
    (2.5e-07, "", "2.5\u00d710\u207b\u2077"),       # so does the default
])
def test_powers_of_ten_are_written_as_the_explorers_write_them(value, spec, text) -> None:
    assert format_result(value, spec) == text


@pytest.mark.parametrize("value, spec, text", [
    (0.97555, ".1%", "97.6%"),
    (2260, ",d", "2,260"),
    (2260, "", "2260"),
    (0.0487804878, ".3g", "0.0488"),
    (0.5, "", "0.5"),
    (33.575, ".1f", "33.6"),
])
def test_other_specs_are_pythons(value, spec, text) -> None:
    assert format_result(value, spec) == text
