"""The page's JS trainer against the course library, in headless Chromium.

``generators/playground/fig_reference.py`` trains a handful of playground settings with
``generators/nn`` and records everything a replay needs. Here the page's own scripts
(``assets/js/lib/playground-nn.js`` and ``playground-data.js``) rebuild each network from
the same initial weights, replay the same minibatches, and must give the same step costs,
epoch losses, final weights and outputs to 1e-9 relative, and stop a diverging run at the
same step with the weights left as they were. Run with ``-s`` to see the largest relative
error per setting.

The core tests load the two scripts into a blank page (no site build needed, no request
leaves the page); ``test_the_playground_page_loads_the_trainer`` checks that the built
site's playground page (MkDocs build; the scripts do not depend on the engine) loads the
same files through its explorer, and only that page does.
"""

from __future__ import annotations

import importlib
import json

import numpy as np
import pytest

from generators.nn import data
from generators.playground import fig_reference
from sitekit import LIB, lib_page

pytestmark = pytest.mark.browser

SCRIPTS = ("playground-nn.js", "playground-data.js")
TOLERANCE = 1e-9
# The floor of the relative error's denominator. The JS adds a batch's terms one example
# at a time where numpy's matrix products add them in blocks, so each sum differs in its
# last bits, about 1e-16 times the size of its terms; a weight or output that passes near
# 0 (a sum of terms of size ~0.1-10 that cancel) keeps that absolute error while its own
# size vanishes. Below 1e-3 the error is therefore measured against 1e-3: a value that
# small is still held to 1e-12 absolute, a million times finer than anything the page shows.
FLOOR = 1e-3

REPLAY = """(ref) => {
  const N = PlaygroundNN, c = ref.config;
  const output = c.problem === "classification" ? "tanh" : "linear";
  const X = ref.train.map((p) => N.featurize(p[0], p[1], c.features));
  const Y = ref.train.map((p) => p[2]);
  const opts = { learningRate: c.learningRate, regularization: c.regularization,
                 regularizationRate: c.regularizationRate, batchSize: c.batchSize };
  const finite = (v) => (Number.isFinite(v) ? v : null);
  // Step by step, the batches cut from each epoch's order as train() cuts them.
  const net = N.fromWeights(ref.init.W, ref.init.b, c.activation, output);
  const steps = [];
  let stopped = null, unchanged = null;
  replay: for (let e = 0; e < ref.orders.length; e++) {
    const order = ref.orders[e];
    for (let i = 0, s = 1; i < order.length; i += c.batchSize, s++) {
      const before = JSON.stringify(N.weights(net));
      const r = N.trainStep(net, X, Y, order.slice(i, i + c.batchSize), opts);
      steps.push(finite(r.cost));
      if (!r.finite) {
        stopped = [e + 1, s];
        unchanged = before === JSON.stringify(N.weights(net));
        break replay;
      }
    }
  }
  // Epoch by epoch, on a fresh copy of the starting network.
  const net2 = N.fromWeights(ref.init.W, ref.init.b, c.activation, output);
  const epochs = [];
  let epochStopped = null;
  for (let e = 0; e < ref.orders.length; e++) {
    const r = N.trainEpoch(net2, X, Y, ref.orders[e], opts);
    epochs.push(finite(r.loss));
    if (r.diverged) { epochStopped = [e + 1, r.diverged.step]; break; }
  }
  const grid = N.predict(net, ref.grid.map((p) => N.featurize(p[0], p[1], c.features)));
  return { steps, stopped, unchanged, final: N.weights(net), epochs, epochStopped,
           epochFinal: N.weights(net2), grid: grid.map(finite) };
}"""


@pytest.fixture(scope="module")
def js(browser):
    """A blank page holding ``window.PlaygroundNN`` and ``window.PlaygroundData``."""
    with lib_page(browser, SCRIPTS) as page:
        yield page


@pytest.fixture(scope="module")
def reference() -> list[dict]:
    """The reference runs exactly as the build exports them (through JSON)."""
    blob = json.dumps(fig_reference.compute(fig_reference.GENERATOR.params)["reference"],
                      allow_nan=False)
    return json.loads(blob)["configs"]


def _flat(values) -> np.ndarray:
    """Nested lists (W and b of every layer, or a list of numbers) as one float array."""
    if isinstance(values, dict):
        return np.concatenate([_flat(values["W"]), _flat(values["b"])])
    if values and isinstance(values[0], list):
        return np.concatenate([_flat(v) for v in values]) if values else np.array([])
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def relative_error(js_values, py_values) -> float:
    """Largest |js - py| / max(|py|, FLOOR), element-wise; inf if shapes or non-finite entries differ."""
    a, b = _flat(js_values), _flat(py_values)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return float("inf")
    ok = ~np.isnan(b)
    if not ok.any():
        return 0.0
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), FLOOR)))


def _replay(page, ref: dict) -> dict[str, float]:
    """Each compared quantity's largest relative error for one reference run."""
    out = page.evaluate(REPLAY, ref)
    assert out["stopped"] == ref["diverged_at"], "the replay stopped at another step"
    assert out["epochStopped"] == ref["diverged_at"], "trainEpoch stopped at another step"
    if ref["diverged_at"] is not None:
        assert out["unchanged"], "the diverging step changed the weights"
    return {"step costs": relative_error(out["steps"], ref["step_loss"]),
            "epoch losses": relative_error(out["epochs"], ref["epoch_loss"]),
            "final weights": relative_error(out["final"], ref["final"]),
            "trainEpoch weights": relative_error(out["epochFinal"], ref["final"]),
            "grid outputs": relative_error(out["grid"], ref["grid_out"])}


@pytest.mark.parametrize("index", range(len(fig_reference.CONFIGS)))
def test_the_js_trainer_replays_the_library_step_for_step(js, reference, index) -> None:
    ref = reference[index]
    errors = _replay(js, ref)
    c = ref["config"]
    print(f"\nreference {index} ({c['problem']}, {c['dataset'] if c['problem'] == 'classification' else c['regDataset']}, "
          f"{c['activation']}, {c['regularization']}, {c['networkShape']}, {len(ref['step_loss'])} steps): "
          f"largest relative error {max(errors.values()):.1e}")
    assert all(e <= TOLERANCE for e in errors.values()), errors


@pytest.mark.parametrize("change", [
    ("let delta = [layerActivation(net, L - 1).grad(diff / n,", "let delta = [layerActivation(net, L - 1).grad(diff,"),
    ('return kind === "L2" ? lam * w', 'return kind === "L2" ? 2 * lam * w'),
    ("gb[j] += dj;", "gb[j] += dj + penaltyGrad(kind, lam, net.b[l][j]);"),
], ids=["cost without 1/n", "L2 gradient doubled", "penalty on biases"])
def test_a_changed_trainer_fails_the_replay(browser, reference, change) -> None:
    """The comparison can fail: a trainer with one slip in its maths disagrees somewhere."""
    old, new = change
    source = (LIB / "playground-nn.js").read_text()
    assert old in source, f"the mutation no longer applies: {old!r}"
    with lib_page(browser, SCRIPTS, {"playground-nn.js": source.replace(old, new)},
                  no_errors=False) as page:
        worst = 0.0
        for ref in reference:
            try:
                worst = max(worst, *_replay(page, ref).values())
            except AssertionError:       # stopped at another step: a disagreement too
                worst = float("inf")
        assert worst > TOLERANCE


def test_featurize_matches_the_library(js, reference) -> None:
    grid = np.array(reference[0]["grid"] + [[0.0, 0.0], [-0.3, 5.9], [1e-3, -6.0]])
    features = list(data.PLAYGROUND_FEATURES)
    got = js.evaluate("([grid, f]) => grid.map((p) => PlaygroundNN.featurize(p[0], p[1], f))",
                      [grid.tolist(), features])
    np.testing.assert_allclose(np.array(got), data.features(grid, features), rtol=1e-15, atol=1e-15)
    assert js.evaluate("PlaygroundNN.FEATURES") == features
    # Any subset in any order, as the setting lists it.
    one = js.evaluate("PlaygroundNN.featurize(2, 3, ['sinY', 'xTimesY'])")
    np.testing.assert_allclose(one, data.features(np.array([[2.0, 3.0]]), ["sinY", "xTimesY"])[0],
                               rtol=1e-15)


def test_the_random_draws_are_seeded_and_scaled(js) -> None:
    out = js.evaluate("""() => {
      const N = PlaygroundNN, a = N.rng(7), b = N.rng(7), c = N.rng(8);
      const same = Array.from({ length: 50 }, () => a.uniform() === b.uniform()).every(Boolean);
      const other = Array.from({ length: 5 }, () => a.uniform() !== c.uniform()).some(Boolean);
      const r = N.rng(1), z = Array.from({ length: 20000 }, () => r.normal());
      const net = N.create([400, 50, 1], "relu", "linear", r.normal);
      return { same, other, z, W0: net.W[0], b: net.b, shapes: net.W.map((W) => [W.length, W[0].length]),
               perm: N.permutation(1000, r.uniform) };
    }""")
    assert out["same"] and out["other"]
    z = np.array(out["z"])
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    W0 = np.array(out["W0"])
    assert out["shapes"] == [[50, 400], [1, 50]]            # n_out x n_in, as Dense.W
    assert abs(W0.std() * np.sqrt(400) - 1) < 0.05          # N(0, 1/n_in)
    assert all(v == 0 for bl in out["b"] for v in bl)
    assert sorted(out["perm"]) == list(range(1000)) and out["perm"] != list(range(1000))


N = 500


def _generate(js, name: str, noise: float, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    got = js.evaluate("""([name, n, noise, seed]) => {
      const r = PlaygroundNN.rng(seed);
      return PlaygroundData.generate(name, n, noise, r.uniform, r.normal);
    }""", [name, N, noise, seed])
    return np.array(got["X"]), np.array(got["Y"], dtype=float)


def test_classification_sets_follow_the_library_rules(js) -> None:
    X, Y = _generate(js, "circle", 0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert X.shape == (N, 2) and np.all(r[:N // 2] <= 2.5) and np.all((r[N // 2:] >= 3.5) & (r[N // 2:] <= 5))
    assert np.array_equal(Y, np.where(r < 2.5, 1.0, -1.0))
    _, Y_noisy = _generate(js, "circle", 0.5)
    assert 0 < np.sum(Y_noisy[N // 2:] == 1) < N // 2         # noise flips some labels near the edge

    X, Y = _generate(js, "xor", 0.0)
    assert np.all(np.abs(X) >= 0.3) and np.all(np.abs(X) <= 5.3)
    assert np.array_equal(Y, np.where(X[:, 0] * X[:, 1] >= 0, 1.0, -1.0))

    for noise, std in ((0.0, np.sqrt(0.5)), (0.5, 2.0)):
        X, Y = _generate(js, "gauss", noise)
        assert np.array_equal(Y, np.repeat([1.0, -1.0], N // 2))
        for part, centre in ((X[:N // 2], 2.0), (X[N // 2:], -2.0)):
            assert np.all(np.abs(part.mean(axis=0) - centre) < 0.3)
            assert np.all(np.abs(part.std(axis=0) / std - 1) < 0.15)

    X, Y = _generate(js, "spiral", 0.0)
    i = np.arange(N // 2)
    for k, (delta, label) in enumerate(((0.0, 1.0), (np.pi, -1.0))):
        rr, t = i / (N // 2) * 5, 1.75 * i / (N // 2) * 2 * np.pi + delta
        arm = np.column_stack([rr * np.sin(t), rr * np.cos(t)])
        np.testing.assert_allclose(X[k * N // 2:(k + 1) * N // 2], arm, atol=1e-12)
        assert np.all(Y[k * N // 2:(k + 1) * N // 2] == label)


def test_regression_sets_follow_the_library_rules(js) -> None:
    X, Y = _generate(js, "reg-plane", 0.0)
    assert np.all(np.abs(X) <= 6)
    np.testing.assert_allclose(Y, (X[:, 0] + X[:, 1]) / 10, rtol=1e-15, atol=1e-16)

    X, Y = _generate(js, "reg-gauss", 0.0)
    bumps = importlib.import_module("generators.nn.data.playground")._BUMPS
    dist = np.hypot(X[:, None, 0] - bumps[:, 0], X[:, None, 1] - bumps[:, 1])
    heights = bumps[:, 2] * np.clip(1 - dist / 2, 0, 1)
    expected = heights[np.arange(N), np.argmax(np.abs(heights), axis=1)]
    np.testing.assert_allclose(Y, expected, atol=1e-15)
    assert Y.min() < -0.5 and Y.max() > 0.5

    X, Y = _generate(js, "reg-plane", 0.5)
    assert 0.05 < np.std(Y - (X[:, 0] + X[:, 1]) / 10) < 0.5   # targets read at the noisy point


@pytest.mark.parametrize("perc", [10, 30, 50, 90])
def test_split_sizes_and_rows(js, perc) -> None:
    out = js.evaluate("""(perc) => {
      const X = Array.from({ length: 500 }, (_, k) => [k, -k]), Y = X.map((p) => p[0]);
      const order = PlaygroundNN.permutation(500, PlaygroundNN.rng(5).uniform);
      return { order, s: PlaygroundData.split(X, Y, perc, order) };
    }""", perc)
    s, n_train = out["s"], round(perc / 100 * N)
    assert len(s["train"]["X"]) == len(s["train"]["Y"]) == n_train
    assert s["train"]["Y"] + s["test"]["Y"] == out["order"]      # the rows in order, train first
    assert [x for x, _ in s["train"]["X"]] == s["train"]["Y"]


@pytest.mark.parametrize("engine", ["mkdocs"], scope="session")
def test_the_playground_page_loads_the_trainer(browser, site, site_port, engine) -> None:
    """The built playground page loads both scripts before its explorer; another page does not.

    Only the loading is checked here (the UI's own tests check playground.js and the
    page's console), so a fault in the UI does not hide whether the trainer is there.
    """
    from tools.screenshots import block_outside
    from tools.serve_static import serve

    with serve(site, site_port) as base:
        context = browser.new_context()
        context.route("**/*", block_outside)
        try:
            page = context.new_page()
            page.goto(base + "visualization/playground/", wait_until="networkidle")
            page.wait_for_function("window.PlaygroundNN && window.PlaygroundData")
            order = page.evaluate("[...document.scripts].map((s) => s.src.split('/assets/js/')[1]).filter(Boolean)")
            names = ["lib/playground-nn.js", "lib/playground-data.js", "playground.js"]
            assert [s for s in order if s in names] == names
            page.goto(base, wait_until="networkidle")
            assert page.evaluate("typeof window.PlaygroundNN") == "undefined"
        finally:
            context.close()
