"""The page's CNN inference against the course library, in headless Chromium.

``generators/cnns/fig_inside.py`` exports the trained CNN (``cnns/model``: its layers and
weights, and the 450 test digits). Here the page's own scripts (``assets/js/lib/conv.js``
and ``lib/cnn.js``), given that export through JSON, classify every test digit; each
must get the library's class, with every probability within 1e-9 of the library's
(absolute, and relative where the probability is at least 1e-3). Run with ``-s`` to see
the largest errors. Changed copies of cnn.js (a transposed dense layer, flipped kernels,
the maps flattened in the wrong order) must fail.

The drawing's preprocessing (``DlvCNN.downsample``) is checked against an independent
Python version of the same steps, on shapes drawn into a canvas in the page.

No site build is needed: the scripts are loaded into a blank page.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from generators.cnns import build_cnn, fig_inside
from generators.nn import data
from sitekit import LIB, lib_page

pytestmark = pytest.mark.browser

SCRIPTS = ("conv.js", "cnn.js")
TOLERANCE = 1e-9
FLOOR = 1e-3   # relative errors of probabilities below this are measured against it

CLASSIFY = """(model) => {
  const digits = model.test.digits, chars = "0123456789abcdefg";
  return digits.map((s) => {
    const image = Array.from(s, (c) => chars.indexOf(c) / model.scale);
    const r = DlvCNN.predict(model, image);
    return { label: r.label, probs: r.probs };
  });
}"""


@pytest.fixture(scope="module")
def js(browser):
    """A blank page holding ``window.DlvConv`` and ``window.DlvCNN``."""
    with lib_page(browser, SCRIPTS) as page:
        yield page


@pytest.fixture(scope="module")
def exported() -> tuple[dict, np.ndarray]:
    """The export exactly as the build writes it (through JSON), and the library's
    probabilities for the test digits from a network rebuilt with those weights."""
    params = fig_inside.GENERATOR.params
    d = fig_inside.compute(params)
    (export,) = [e for e in fig_inside.GENERATOR.exports if e.name == "model"]
    model = json.loads(json.dumps(export.build(d, params), separators=(",", ":"), allow_nan=False))
    net = build_cnn(params, np.random.default_rng(12345))     # other random weights ...
    for layer, entry in zip(net.layers, model["layers"], strict=True):
        assert layer.name == entry["name"]
        for key in layer.params:                              # ... replaced by the exported ones
            layer.params[key] = np.array(entry[key], dtype=float)
    _, _, X_test, _ = data.digits(images=True)
    probs = net.predict(X_test)
    np.testing.assert_array_equal(probs.argmax(1), d["test_probs"].argmax(1))
    np.testing.assert_allclose(probs, d["test_probs"], rtol=0, atol=1e-15)
    return model, probs


def _errors(js_out: list[dict], probs: np.ndarray) -> tuple[int, float, float]:
    """(images with another class, largest absolute error, largest relative error)."""
    got = np.array([o["probs"] for o in js_out], dtype=float)
    if got.shape != probs.shape or not np.all(np.isfinite(got)):
        return len(probs), math.inf, math.inf
    wrong = int(np.sum(np.array([o["label"] for o in js_out]) != probs.argmax(1)))
    diff = np.abs(got - probs)
    return wrong, float(diff.max()), float((diff / np.maximum(probs, FLOOR)).max())


def test_the_js_cnn_classifies_every_test_digit_as_the_library(js, exported) -> None:
    model, probs = exported
    assert len(model["test"]["digits"]) == len(probs) == 450
    wrong, abs_err, rel_err = _errors(js.evaluate(CLASSIFY, model), probs)
    print(f"\n{len(probs)} test digits: {wrong} classified differently; largest probability "
          f"error {abs_err:.1e} absolute, {rel_err:.1e} relative (floor {FLOOR})")
    assert wrong == 0
    assert abs_err <= TOLERANCE and rel_err <= TOLERANCE


def test_the_exported_digits_are_the_test_set(exported) -> None:
    model, _ = exported
    _, _, X_test, Y_test = data.digits(images=True)
    counts = np.array([[fig_inside.DIGITS.index(c) for c in s] for s in model["test"]["digits"]])
    np.testing.assert_array_equal(counts / model["scale"], X_test.reshape(len(X_test), -1))
    assert model["test"]["labels"] == Y_test.argmax(1).tolist()


def test_every_layer_has_the_library_shape(js, exported) -> None:
    """forward() keeps each layer's output; their shapes are the model's."""
    model, _ = exported
    shapes = js.evaluate("""(model) => DlvCNN.forward(model, new Array(64).fill(0.5)).map((o) => {
      const s = []; let v = o.value;
      while (Array.isArray(v)) { s.push(v.length); v = v[0]; }
      return [o.name, s];
    })""", model)
    net = build_cnn(fig_inside.GENERATOR.params, np.random.default_rng(0))
    x = np.full((1, 1, 8, 8), 0.5)
    expected = []
    for layer in net.layers:
        x = layer.forward(x)[0]
        expected.append([layer.name, list(x.shape[1:])])
    assert shapes == expected


@pytest.mark.parametrize("change", [
    ("for (let i = 0; i < a.length; i++) s += Wj[i] * a[i];",
     "for (let i = 0; i < a.length; i++) s += W[i % W.length][(j * 13 + i) % Wj.length] * a[i];"),
    ("x = conv().conv2d(x, layer.W, layer.b,",
     "x = conv().conv2d(x, layer.W.map((f) => f.map((c) => c.slice().reverse().map((r) => r.slice().reverse()))), layer.b,"),
    ("for (const m of x) for (const row of m) for (const v of row) out.push(v);",
     "for (let i = 0; i < x[0].length; i++) for (let j = 0; j < x[0][0].length; j++) for (const m of x) out.push(m[i][j]);"),
    ("const e = z.map((v) => Math.exp(v - max));", "const e = z.map((v) => Math.exp(v - max) + 1e-6);"),
], ids=["dense weights mixed up", "kernels flipped", "flatten (h, w, C)", "softmax off by 1e-6"])
def test_a_changed_cnn_fails_the_agreement(browser, exported, change) -> None:
    """The comparison can fail: inference with one slip in its maths disagrees."""
    model, probs = exported
    old, new = change
    source = (LIB / "cnn.js").read_text()
    assert old in source, f"the mutation no longer applies: {old!r}"
    with lib_page(browser, SCRIPTS, {"cnn.js": source.replace(old, new)}, no_errors=False) as page:
        wrong, abs_err, rel_err = _errors(page.evaluate(CLASSIFY, model), probs)
        assert max(abs_err, rel_err) > TOLERANCE


def downsample(alpha: np.ndarray) -> np.ndarray | None:
    """The optdigits-like preprocessing, written again independently: ``alpha: (h, w)``
    0-255 -> ``(8, 8)`` counts 0-16, or None without ink (see lib/cnn.js)."""
    ys, xs = np.nonzero(alpha >= 128)
    if len(xs) == 0:
        return None
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    bw, bh = x1 - x0 + 1, y1 - y0 + 1
    s = 32 / max(bw, bh)
    ox, oy = (32 - bw * s) / 2, (32 - bh * s) / 2
    offsets = (np.arange(4) + 0.5) / 4
    bitmap = np.zeros((32, 32), dtype=int)
    for u in range(32):
        for v in range(32):
            hits = 0
            for b in offsets:
                y = y0 + math.floor((u + b - oy) / s)
                for a in offsets:
                    x = x0 + math.floor((v + a - ox) / s)
                    hits += bool(y0 <= y <= y1 and x0 <= x <= x1 and alpha[y, x] >= 128)
            bitmap[u, v] = hits >= 8
    return bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3))


SHAPES = {
    "tall bar": "ctx.fillRect(100, 20, 30, 200);",
    "wide bar, off centre": "ctx.fillRect(10, 200, 170, 24);",
    "ring": "ctx.lineWidth = 18; ctx.beginPath(); ctx.arc(140, 110, 60, 0, 2 * Math.PI); ctx.stroke();",
    "seven": ("ctx.lineWidth = 16; ctx.lineCap = 'round'; ctx.beginPath(); ctx.moveTo(60, 40); "
              "ctx.lineTo(190, 40); ctx.lineTo(100, 230); ctx.stroke();"),
    "dot": "ctx.fillRect(200, 30, 5, 3);",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_drawing_is_downsampled_like_the_digits(js, shape) -> None:
    out = js.evaluate("""(code) => {
      const c = document.createElement("canvas"); c.width = 256; c.height = 256;
      const ctx = c.getContext("2d");
      new Function("ctx", code)(ctx);
      const d = ctx.getImageData(0, 0, 256, 256).data, alpha = new Array(256 * 256);
      for (let i = 0; i < alpha.length; i++) alpha[i] = d[4 * i + 3];
      return { alpha, counts: DlvCNN.downsample(alpha, 256, 256) };
    }""", SHAPES[shape])
    alpha = np.array(out["alpha"]).reshape(256, 256)
    expected = downsample(alpha)
    counts = np.array(out["counts"])
    np.testing.assert_array_equal(counts, expected)
    assert counts.min() >= 0 and counts.max() <= 16 and counts.max() > 0
    # The longer side fills the 32 pixels: ink reaches both ends of it.
    rows, cols = np.nonzero(counts)
    assert (rows.min(), rows.max()) == (0, 7) or (cols.min(), cols.max()) == (0, 7)


def test_an_empty_drawing_has_no_counts(js) -> None:
    assert js.evaluate("DlvCNN.downsample(new Array(100).fill(0), 10, 10)") is None
    assert js.evaluate("DlvCNN.downsample(new Array(100).fill(127), 10, 10)") is None


def test_receptive_fields(js, exported) -> None:
    """conv1 cell (i, j): the 3 x 3 window around it, clipped; a maxpool1 cell: the union
    of its 2 x 2 region's windows."""
    model, _ = exported
    k = model["layers"][0]["kernel"][0]
    p = model["layers"][0]["padding"]
    m = model["layers"][2]["size"][0]
    got = js.evaluate("""(model) => [DlvCNN.receptiveField(model, 0, 0, 0),
      DlvCNN.receptiveField(model, 1, 4, 7), DlvCNN.receptiveField(model, 2, 1, 2),
      DlvCNN.receptiveField(model, 2, 3, 3)]""", model)

    def field(i0, i1, j0, j1):
        return {"rows": [max(0, i0 - p), min(7, i1 - p + k - 1)], "cols": [max(0, j0 - p), min(7, j1 - p + k - 1)]}
    assert got == [field(0, 0, 0, 0), field(4, 4, 7, 7), field(m, 2 * m - 1, 2 * m, 3 * m - 1),
                   field(3 * m, 4 * m - 1, 3 * m, 4 * m - 1)]
    assert got[0] == {"rows": [0, 1], "cols": [0, 1]} and got[1]["rows"] == [3, 5]   # k = 3, p = 1
