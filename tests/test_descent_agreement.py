"""The loss-landscapes explorer's descent (``assets/js/lib/descent.js``) against the library.

``generators/loss_landscapes/fig_descent_reference.py`` runs ``valley.descend`` with the
course library's ``GradientDescent``, ``Momentum`` and ``Adam`` at a dozen (eta, mu)
settings (inside each band of the page, just either side of 2/k_2 and 2(1 + mu)/k_2,
mu = 0, the slider's ends, runs that escape, Adam at a large eta). Here ``DlvDescent``
runs the same settings in headless Chromium on the same Hessian and start (through JSON,
as the page gets them) and must give paths of the same length (the same escape step),
every theta and every cost equal to 1e-12 relative (see FLOOR for how, and why not
exactly), and the same band limits. Run with
``-s`` to see the largest relative error per setting.

A broken copy of the script (Nesterov's update for momentum's, Adam without bias
correction or with eps inside the root, eta and mu swapped, the escape test off by one,
the cost without its 1/2) must fail: the mutation test
checks that this test can fail.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from generators.loss_landscapes import fig_descent_reference
from generators.loss_landscapes.valley import METHODS
from sitekit import LIB, lib_page

pytestmark = pytest.mark.browser

SCRIPTS = ("descent.js",)
SCRIPT = LIB / "descent.js"
TOLERANCE = 1e-12
# How the error is measured, and why not 0. numpy's H @ theta goes through OpenBLAS, which
# on a CPU with fused multiply-add computes each entry as fma(H_i1, theta_1, H_i2 theta_2)
# (one rounding where JavaScript, which has no fma, makes two): checked on this machine,
# 0 mismatches in 5,000 random theta against that formula, thousands against the plain
# one; a plain-Python copy of the library's loop without fma gives the JS paths' errors
# to the last digit. So every gradient may differ in its last bit, and near the stability
# limits (|1 - eta k| or the momentum factor close to 1) those differences are not damped
# and add up over 200 steps: about 1e-13 of the path's size. A point's error is therefore
# measured against the size of that point, max |theta_i| (a coordinate that crosses 0 in a
# swing is not small, the point is), and, once a path has converged to the minimum at 0,
# against FLOOR: a point (or cost) below 1e-3 is held to 1e-15 absolute, far finer than
# the page draws (0.4 px is 0.005) or writes (two significant digits).
FLOOR = 1e-3

RUN = """(ref) => {
  const D = window.DlvDescent, out = [];
  for (const c of ref.cases) {
    const paths = {}, costs = {};
    for (const m of %s) {
      paths[m] = D.descend(m, c.eta, c.mu, ref.hessian, ref.start, ref.steps, ref.escape);
      costs[m] = D.costs(ref.hessian, paths[m]);
    }
    out.push({ paths, costs, limits: D.limits(ref.k_large, c.mu) });
  }
  return out;
}""" % json.dumps(list(METHODS))


@pytest.fixture(scope="module")
def reference() -> dict:
    """The reference paths exactly as the build exports them (through JSON)."""
    p = fig_descent_reference.GENERATOR.params
    blob = json.dumps(fig_descent_reference.compute(p)["reference"], allow_nan=False)
    return json.loads(blob)


def relative_error(js: list[float], py: list[float], width: int = 1) -> float:
    """Largest error of a point (``width`` numbers: 2 for theta, 1 for a cost): its largest
    |js - py| over max(largest |py| of the point, FLOOR); inf if the lengths differ."""
    a, b = np.asarray(js, dtype=float), np.asarray(py, dtype=float)
    if a.shape != b.shape or a.size % width:
        return float("inf")
    a, b = a.reshape(-1, width), b.reshape(-1, width)
    size = np.maximum(np.abs(b).max(axis=1), FLOOR)
    return float(np.max(np.abs(a - b).max(axis=1) / size)) if a.size else 0.0


def errors_of(out: list[dict], reference: dict) -> list[dict[str, float]]:
    """Per case: the largest relative error of each method's path and costs, and of the limits."""
    result = []
    for got, ref in zip(out, reference["cases"], strict=True):
        e = {}
        for m in METHODS:
            e[f"{m} path"] = relative_error(got["paths"][m], ref["paths"][m], 2)
            e[f"{m} cost"] = relative_error(got["costs"][m], ref["costs"][m])
        e["limits"] = max(abs(got["limits"][k] - ref["limits"][k]) / ref["limits"][k]
                          for k in ("gd", "momentum"))
        result.append(e)
    return result


@pytest.fixture(scope="module")
def replayed(browser, reference) -> list[dict]:
    with lib_page(browser, SCRIPTS) as page:
        return page.evaluate(RUN, reference)


def test_the_reference_covers_every_band_and_an_escape(reference) -> None:
    """The settings reach what the page talks about: each band, both boundaries, escapes."""
    bands = set()
    for c in reference["cases"]:
        lim = c["limits"]
        bands.add(0 if c["eta"] < lim["gd"] else 1 if c["eta"] < lim["momentum"] else 2)
    assert bands == {0, 1, 2}
    full = 2 * (reference["steps"] + 1)
    escaped = [m for c in reference["cases"] for m in METHODS if len(c["paths"][m]) < full]
    assert {"gd", "momentum"} <= set(escaped)
    assert any(c["mu"] == 0 for c in reference["cases"])


@pytest.mark.parametrize("index", range(len(fig_descent_reference.CASES)))
def test_the_js_descent_is_the_librarys(replayed, reference, index) -> None:
    ref, got = reference["cases"][index], replayed[index]
    for m in METHODS:
        assert len(got["paths"][m]) == len(ref["paths"][m]), f"{m} stopped at another step"
    errors = errors_of(replayed, reference)[index]
    worst = max(errors, key=errors.get)
    print(f"\neta = {ref['eta']}, mu = {ref['mu']}: "
          f"{', '.join(f'{k} {v:.1e}' for k, v in errors.items())}; largest {worst} {errors[worst]:.1e}")
    assert max(errors.values()) <= TOLERANCE, errors
    if ref["mu"] == 0:                      # momentum with mu = 0 is gradient descent, bit for bit
        assert got["paths"]["momentum"] == got["paths"]["gd"]


def test_the_js_writes_numbers_as_the_page_does(browser) -> None:
    """DlvDescent.costLabel is valley.cost_label and DlvDescent.format is format_result for
    the specs the explorer uses (the page's numbers and the explorer's readout agree)."""
    from generators.loss_landscapes.valley import cost_label
    from generators.site.refs import format_result

    values = [33.575, 2.2159, 0.0138, 0.01, 0.00999, 99.4, 99.6, 100.0, 4.0174e-05, 5.9e-19,
              1.1e4, 0.5, 2.0, 12345.0, 1e-6, 0.05, 0.0995, 0.003, 0.3, 0.000123]
    with lib_page(browser, SCRIPTS) as page:
        got = page.evaluate("""(vs) => vs.map((v) => [DlvDescent.costLabel(v),
            DlvDescent.format(v, '.3g'), DlvDescent.format(v, '.0e')])""", values)
    for v, js in zip(values, got, strict=True):
        assert js == [cost_label(v), format_result(v, ".3g"), format_result(v, ".0e")], v


MUTATIONS = {
    # (momentum's first-step rule, v = -eta g, is bit for bit what v = 0 then mu v - eta g
    # gives, so leaving it out cannot be caught and is not a mutation; Nesterov's
    # look-ahead in its place is)
    "Nesterov's update in place of momentum's":
        ("for (let i = 0; i < 2; i++) theta[i] += s.v[i];",
         "for (let i = 0; i < 2; i++) theta[i] += (1 + mu) * s.v[i] - mu * (s.old ? s.old[i] : 0);\n      s.old = s.v;"),
    "Adam without bias correction": ("s.m[i] / (1.0 - Math.pow(b1, s.t))", "s.m[i]"),
    "eta and mu swapped": ("update(theta, gradient(H, theta[0], theta[1]), state, eta, mu)",
                           "update(theta, gradient(H, theta[0], theta[1]), state, mu, eta)"),
    "escape tested before the update is recorded":
        ("path.push(theta[0], theta[1]);\n      if (Math.max(Math.abs(theta[0]), Math.abs(theta[1])) > escape) break;",
         "if (Math.max(Math.abs(theta[0]), Math.abs(theta[1])) > escape) break;\n      path.push(theta[0], theta[1]);"),
    "Adam's eps inside the square root": ("(Math.sqrt(vHat) + eps)", "Math.sqrt(vHat + eps)"),
    "cost without its 1/2": ("out.push(0.5 * sum)", "out.push(sum)"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_broken_copy_fails(browser, reference, name) -> None:
    old, new = MUTATIONS[name]
    source = SCRIPT.read_text()
    assert source.count(old) == 1, f"mutation no longer applies: {name}"
    with lib_page(browser, SCRIPTS, {"descent.js": source.replace(old, new)}) as page:
        out = page.evaluate(RUN, reference)
    lengths_differ = any(len(g["paths"][m]) != len(r["paths"][m])
                         for g, r in zip(out, reference["cases"]) for m in METHODS)
    worst = max(max(e.values()) for e in errors_of(out, reference))
    print(f"\n{name}: largest relative error {worst:.1e}, lengths differ: {lengths_differ}")
    assert lengths_differ or worst > TOLERANCE
