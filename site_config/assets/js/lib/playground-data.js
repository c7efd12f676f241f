/* PlaygroundData: the TensorFlow Playground's six 2-D data sets, drawn in the page with
   the same rules as the course library (generators/nn/data/playground.py), from the
   page's own seeded draws (PlaygroundNN.rng), not numpy's.

   generate(name, n, noise01, uniform, normal) -> {X: [[x1, x2], ...], Y: [y, ...]}
     name: circle | xor | gauss | spiral (labels -1 / +1) | reg-plane | reg-gauss (real
     targets); noise01: the Playground's noise slider / 100, 0 to 0.5.
   split(X, Y, percTrain, order) -> {train: {X, Y}, test: {X, Y}}
     the rows in `order` (a permutation, e.g. PlaygroundNN.permutation), the first
     round(percTrain / 100 * n) of them for training, as data.playground + dataset.split.

   Deliberately left out: the Playground's cos features and its other data sets. */
(function () {
  "use strict";

  const CLASSIFICATION = ["circle", "xor", "gauss", "spiral"];
  const REGRESSION = ["reg-plane", "reg-gauss"];

  function between(uniform, lo, hi) { return lo + (hi - lo) * uniform(); }

  // circle: half the points at radius r in [0, 2.5], half in [3.5, 5]; label +1 when the
  // point plus noise (uniform on [-5, 5] * noise per coordinate) lies within radius 2.5.
  function circle(n, noise, uniform) {
    const radius = 5, inner = Math.floor(n / 2), X = [], Y = [];
    for (let k = 0; k < n; k++) {
      const r = k < inner ? between(uniform, 0, 0.5 * radius) : between(uniform, 0.7 * radius, radius);
      const angle = between(uniform, 0, 2 * Math.PI);
      const x1 = r * Math.sin(angle), x2 = r * Math.cos(angle);
      const n1 = x1 + between(uniform, -radius, radius) * noise, n2 = x2 + between(uniform, -radius, radius) * noise;
      X.push([x1, x2]);
      Y.push(Math.hypot(n1, n2) < 0.5 * radius ? 1 : -1);
    }
    return { X, Y };
  }

  // xor: x1, x2 uniform in [-5, 5], pushed 0.3 away from each axis; label +1 when
  // x1 x2 >= 0 for the point plus noise (uniform on [-5, 5] * noise).
  function xor(n, noise, uniform) {
    const X = [], Y = [];
    const pad = (v) => v + (v > 0 ? 0.3 : -0.3);
    for (let k = 0; k < n; k++) {
      const x1 = pad(between(uniform, -5, 5)), x2 = pad(between(uniform, -5, 5));
      const n1 = x1 + between(uniform, -5, 5) * noise, n2 = x2 + between(uniform, -5, 5) * noise;
      X.push([x1, x2]);
      Y.push(n1 * n2 >= 0 ? 1 : -1);
    }
    return { X, Y };
  }

  // gauss: half the points around (2, 2) (+1), half around (-2, -2) (-1); the variance
  // grows from 0.5 at noise 0 to 4 at noise 0.5.
  function gauss(n, noise, uniform, normal) {
    const std = Math.sqrt(0.5 + noise * (4.0 - 0.5) / 0.5), pos = Math.floor(n / 2), X = [], Y = [];
    for (let k = 0; k < n; k++) {
      const c = k < pos ? 2 : -2;
      X.push([c + std * normal(), c + std * normal()]);
      Y.push(k < pos ? 1 : -1);
    }
    return { X, Y };
  }

  // spiral: two arms (+1, then -1), radius 0..5 over 1.75 turns, the second turned by pi;
  // coordinates plus noise uniform on [-1, 1] * noise.
  function spiral(n, noise, uniform) {
    const half = Math.floor(n / 2), X = [], Y = [];
    for (const [deltaT, count, label] of [[0, half, 1], [Math.PI, n - half, -1]]) {
      for (let i = 0; i < count; i++) {
        const r = i / count * 5, t = 1.75 * i / count * 2 * Math.PI + deltaT;
        X.push([r * Math.sin(t) + between(uniform, -1, 1) * noise, r * Math.cos(t) + between(uniform, -1, 1) * noise]);
        Y.push(label);
      }
    }
    return { X, Y };
  }

  // Regression: points uniform in [-6, 6]^2; the target is read at the point plus noise
  // (uniform on [-6, 6] * noise per coordinate).
  function regression(n, noise, uniform, target) {
    const X = [], Y = [];
    for (let k = 0; k < n; k++) {
      const x1 = between(uniform, -6, 6), x2 = between(uniform, -6, 6);
      const n1 = x1 + between(uniform, -6, 6) * noise, n2 = x2 + between(uniform, -6, 6) * noise;
      X.push([x1, x2]);
      Y.push(target(n1, n2));
    }
    return { X, Y };
  }

  // reg-plane: (x1 + x2) / 10, from -1.2 to 1.2.
  const plane = (x1, x2) => (x1 + x2) / 10;

  // reg-gauss: six bumps of height +1 or -1 at (-4 | 0 | 4, +-2.5), each falling linearly
  // from its height at the centre to 0 at distance 2; the target is the bump of largest
  // size (the first one on a tie).
  const BUMPS = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
  function bumps(x1, x2) {
    let best = 0;
    for (const [cx, cy, sign] of BUMPS) {
      const h = sign * Math.min(Math.max(1 - Math.hypot(x1 - cx, x2 - cy) / 2, 0), 1);
      if (Math.abs(h) > Math.abs(best)) best = h;
    }
    return best;
  }

  /** One data set of n points: {X: [[x1, x2], ...], Y: [...]} (see the top of this file). */
  function generate(name, n, noise01, uniform, normal) {
    if (!(noise01 >= 0 && noise01 <= 0.5)) throw new Error(`noise must be in [0, 0.5], got ${noise01}`);
    switch (name) {
      case "circle": return circle(n, noise01, uniform);
      case "xor": return xor(n, noise01, uniform);
      case "gauss": return gauss(n, noise01, uniform, normal);
      case "spiral": return spiral(n, noise01, uniform);
      case "reg-plane": return regression(n, noise01, uniform, plane);
      case "reg-gauss": return regression(n, noise01, uniform, bumps);
      default: throw new Error(`unknown data set ${name}; choose one of ${CLASSIFICATION.concat(REGRESSION).join(", ")}`);
    }
  }

  // Python's round(): halves go to the even neighbour (round(2.5) = 2).
  function roundHalfEven(v) {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  /** The rows in `order`, the first round(percTrain / 100 * n) for training, the rest for testing. */
  function split(X, Y, percTrain, order) {
    const nTrain = roundHalfEven(percTrain / 100 * X.length);
    const part = (rows) => ({ X: rows.map((k) => X[k]), Y: rows.map((k) => Y[k]) });
    return { train: part(order.slice(0, nTrain)), test: part(order.slice(nTrain)) };
  }

  window.PlaygroundData = { CLASSIFICATION, REGRESSION, generate, split };
})();
