"""The page's convolution and pooling (``assets/js/lib/conv.js``) against the course library.

``generators/convolution/fig_reference.py`` runs the library's ``Conv2D``, ``MaxPool2D``
and ``MeanPool2D`` on reference cases (integer and float images and kernels, two input
and three output channels with biases, kernel sizes 1 to 5 and 2 x 3, strides 1, 2, 3 and
(2, 1), padding 0 to 2, leftover pixels; max and mean pooling over 2 x 2, 3 x 3 and 2 x 3
regions, overlapping and not; the explorer's own images with each of its kernels). Here
``DlvConv`` computes each case in a blank page and must give the same numbers: exactly
(``==``) for the integer cases, to 1e-12 relative for floats. Run with ``-s`` to see the
largest error per kind. Mutated copies of conv.js (a flipped kernel, padding off by one,
a mean divided by the wrong count) must fail.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from generators.convolution import fig_reference
from sitekit import LIB, lib_page

pytestmark = pytest.mark.browser

SCRIPTS = ("conv.js",)
TOLERANCE = 1e-12
# The floor of the relative error's denominator. The library forms each output as one
# matrix product (im2col, then BLAS), which may add a window's products in another order
# than conv.js's loop; each sum then differs in its last bits, about 1e-16 times the size
# of its terms (here of order 1). An output that passes near 0 (products that cancel)
# keeps that absolute error while its own size vanishes, so below 1e-3 the error is
# measured against 1e-3: such a value is still held to 1e-15 absolute.
FLOOR = 1e-3

RUN = """(cases) => cases.conv.map((c) => DlvConv.conv2d(c.x, c.W, c.b, { stride: c.stride, padding: c.padding }))
  .concat(cases.pool.map((c) => (c.kind === "max" ? DlvConv.maxPool2d : DlvConv.meanPool2d)(c.x, c.size, c.stride)))"""


@pytest.fixture(scope="module")
def reference() -> dict:
    """The reference cases exactly as the build exports them (through JSON)."""
    blob = json.dumps(fig_reference.compute(fig_reference.GENERATOR.params)["reference"], allow_nan=False)
    return json.loads(blob)


@pytest.fixture(scope="module")
def js(browser):
    with lib_page(browser, SCRIPTS) as page:
        yield page


def errors_of(page, reference: dict) -> list[tuple[str, bool, float]]:
    """(case name, exact?, error) per case: for exact cases 0.0 or inf (not equal), else
    the largest |js - py| / max(|py|, FLOOR); inf when the shapes differ."""
    cases = reference["conv"] + reference["pool"]
    try:
        outs = page.evaluate(RUN, reference)
    except Exception:                    # a mutation that throws: a disagreement too
        return [(c["name"], c["exact"], float("inf")) for c in cases]
    result = []
    for case, got in zip(cases, outs):
        a, b = np.array(got, float), np.array(case["out"], float)
        if a.shape != b.shape:
            err = float("inf")
        elif case["exact"]:
            err = 0.0 if np.array_equal(a, b) else float("inf")
        else:
            err = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), FLOOR)))
        result.append((case["name"], case["exact"], err))
    return result


def test_the_reference_covers_what_the_issue_lists(reference) -> None:
    conv, pool = reference["conv"], reference["pool"]
    assert len(conv) + len(pool) >= 12
    shapes = {(len(c["W"][0][0]), len(c["W"][0][0][0])) for c in conv}
    assert {(k, k) for k in range(1, 6)} | {(2, 3)} <= shapes
    assert {1, 2, 3} <= {c["stride"] for c in conv if isinstance(c["stride"], int)}
    assert [2, 1] in [c["stride"] for c in conv]
    assert {0, 1, 2} <= {c["padding"] for c in conv}
    assert any(len(c["x"]) == 2 and len(c["W"]) == 3 and any(c["b"]) for c in conv)
    assert any(c["exact"] for c in conv) and any(not c["exact"] for c in conv)
    assert {"max", "mean"} == {c["kind"] for c in pool}
    assert {2, 3} <= {c["size"] for c in pool if isinstance(c["size"], int)} and [2, 3] in [c["size"] for c in pool]
    assert any(c["stride"] is not None and c["stride"] != c["size"] for c in pool)      # overlapping
    # leftover pixels: a case whose windows do not reach the last row or column
    def leftover(n: int, k: int, s: int, p: int) -> bool:
        return (n + 2 * p - k) % s != 0
    assert any(leftover(len(c["x"][0]), len(c["W"][0][0]), c["stride"] if isinstance(c["stride"], int) else c["stride"][0],
                        c["padding"]) for c in conv)
    assert any(name.startswith(("explorer photo", "explorer digit", "explorer worked"))
               for name in (c["name"] for c in conv))


def test_dlvconv_equals_the_library_on_every_reference_case(js, reference) -> None:
    errors = errors_of(js, reference)
    worst: dict[str, tuple[float, str]] = {}
    count: dict[str, int] = {}
    for name, exact, err in errors:
        op = name.split()[0] + " pooling" if name.startswith(("max ", "mean ")) else "convolution"
        kind = f"{op}, {'integer (exact)' if exact else 'float'}"
        count[kind] = count.get(kind, 0) + 1
        if err >= worst.get(kind, (-1.0, ""))[0]:
            worst[kind] = (err, name)
    print()
    for kind, (err, name) in sorted(worst.items()):
        print(f"{kind}: {count[kind]} cases, largest error {err:.1e} ({name})")
    bad = [(name, err) for name, exact, err in errors if (err != 0.0 if exact else err > TOLERANCE)]
    assert not bad, bad


def test_outsize_is_the_lessons_formula(js) -> None:
    got = js.evaluate("[[5, 3, 1, 0], [5, 3, 2, 1], [8, 3, 3, 0], [16, 5, 2, 2], [7, 2, 1, 0]]"
                      ".map((a) => DlvConv.outSize(...a))")
    assert got == [(n + 2 * p - k) // s + 1 for n, k, s, p in
                   [(5, 3, 1, 0), (5, 3, 2, 1), (8, 3, 3, 0), (16, 5, 2, 2), (7, 2, 1, 0)]]


@pytest.mark.parametrize("change", [
    ("s += padded(x, c, i * sh + u, j * sw + v, p) * Wf[c][u][v];",
     "s += padded(x, c, i * sh + u, j * sw + v, p) * Wf[c][kh - 1 - u][kw - 1 - v];"),
    ("const row = x[c][i - padding];", "const row = x[c][i - padding + 1];"),
    ("return s / (m * n);", "return s / (m * n + 1);"),
    ("const [sh, sw] = pair(o.stride || 1), p = o.padding || 0;",
     "const [sh, sw] = pair(o.stride || 1), p = (o.padding || 0) + 1;"),
    ("row[j] = s + (b ? b[f] : 0);", "row[j] = s;"),
    ("if (xc[r + u][c + v] > best)", "if (xc[r + u][c + v] < best)"),
], ids=["flipped kernel", "padding off by one row", "mean over the wrong count",
        "one more padding", "no bias", "min for max"])
def test_a_changed_conv_js_fails(browser, reference, change) -> None:
    """The comparison can fail: conv.js with one slip in its maths disagrees somewhere."""
    old, new = change
    source = (LIB / "conv.js").read_text()
    assert old in source, f"the mutation no longer applies: {old!r}"
    with lib_page(browser, SCRIPTS, {"conv.js": source.replace(old, new)}, no_errors=False) as page:
        errors = errors_of(page, reference)
        assert any((err != 0.0 if exact else err > TOLERANCE) for _, exact, err in errors)
