/* PlaygroundNN: the course library's fully connected network, in plain JavaScript, for
   the live playground. The same maths as generators/nn, step for step; a browser test
   (tests/test_playground_agreement.py) replays the library's reference runs
   (generators/playground/fig_reference.py) through it and asserts agreement to 1e-9.

   What it mirrors (generators/playground/config.py says what a setting means):
   - Dense layers z = W a + b, W[l][j][i] the weight from unit i into unit j (layers.py);
     weights N(0, 1/n_in), biases 0 (init.py, "scaled");
   - hidden activations relu | tanh | sigmoid | linear, output tanh (classification,
     labels -1 / +1) or linear (regression) (activations.py);
   - the quadratic cost C = 1/(2n) sum (a - y)^2, the batch mean (losses.py);
   - L1(lam) = lam sum |W|, L2(lam) = (lam/2) sum W^2, on weights only, never biases,
     added to the step's cost and to each weight's gradient (losses.py, train.py);
   - plain gradient descent theta -= eta grad (optim.py) on minibatches cut from one
     permutation of the training rows per epoch, the last one maybe smaller (train.py);
   - a step whose cost or gradient is not finite changes nothing and is reported
     (train.py with on_divergence="record").

   The network works on one example at a time (a is an array of numbers), where the
   library works on a batch of rows; sums over a batch are the same sums in another
   order, which changes the last bits only.

   Deliberately left out: momentum and other optimisers, other costs, anything to do with
   drawing (playground.js does that), and numpy's random stream: rng() is a small seeded
   generator of its own, so a live run is the same maths as the library's, not the same
   draws. */
(function () {
  "use strict";

  // The Playground's input features by their URL names (generators/nn/data/playground.py).
  const FEATURES = ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"];
  const FEATURE_FN = {
    x: (x1, x2) => x1,
    y: (x1, x2) => x2,
    xSquared: (x1, x2) => x1 * x1,
    ySquared: (x1, x2) => x2 * x2,
    xTimesY: (x1, x2) => x1 * x2,
    sinX: (x1, x2) => Math.sin(x1),
    sinY: (x1, x2) => Math.sin(x2),
  };

  /** One point's network inputs: [f(x1, x2) for f in features] (data.features). */
  function featurize(x1, x2, features) {
    return features.map((name) => {
      const f = FEATURE_FN[name];
      if (!f) throw new Error(`featurize: unknown feature ${name}; choose from ${FEATURES.join(", ")}`);
      return f(x1, x2);
    });
  }

  /** A seeded generator: uniform() in [0, 1) (mulberry32) and normal() N(0, 1) (Box-Muller). */
  function rng(seed) {
    let s = (seed >>> 0) || 0;
    let spare = null;
    function uniform() {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    function normal() {
      if (spare !== null) { const v = spare; spare = null; return v; }
      let u = 0;
      while (u === 0) u = uniform();                 // log(0) would be -infinity
      const r = Math.sqrt(-2 * Math.log(u)), t = 2 * Math.PI * uniform();
      spare = r * Math.sin(t);
      return r * Math.cos(t);
    }
    return { uniform, normal };
  }

  /** A random permutation of 0..n-1 (Fisher-Yates), drawn with uniform(). */
  function permutation(n, uniform) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
    return order;
  }

  // Each activation f and its derivative written with a = f(z), as activations.py's
  // backward uses its cache: tanh' = 1 - a^2, sigma' = a (1 - a), relu' = 1 if z > 0
  // (a > 0 exactly when z > 0), identity' = 1.
  const ACTIVATIONS = {
    tanh: { f: (z) => Math.tanh(z), grad: (delta, a) => delta * (1 - a * a) },
    // sigma(z) = 1 / (1 + exp(-z)); the clip at -709 only stops exp overflowing, as in Sigmoid.
    sigmoid: { f: (z) => 1 / (Math.exp(-Math.max(z, -709)) + 1), grad: (delta, a) => delta * a * (1 - a) },
    relu: { f: (z) => Math.max(z, 0), grad: (delta, a) => delta * (a > 0 ? 1 : 0) },
    linear: { f: (z) => z, grad: (delta) => delta },
  };

  function checkKind(activation, output) {
    if (!ACTIVATIONS[activation]) throw new Error(`unknown activation ${activation}; choose relu, tanh, sigmoid or linear`);
    if (output !== "tanh" && output !== "linear") throw new Error(`unknown output ${output}; choose tanh or linear`);
  }

  /** A new network: sizes = [nIn, ...hidden widths, 1]; weights N(0, 1/n_in) from normal(), biases 0.
      Drawn layer by layer, row by row (W[l][j] = weights into unit j), as Dense.initialize. */
  function create(sizes, activation, output, normal) {
    checkKind(activation, output);
    const W = [], b = [];
    for (let l = 1; l < sizes.length; l++) {
      const nIn = sizes[l - 1], std = Math.sqrt(1 / nIn);
      W.push(Array.from({ length: sizes[l] }, () => Array.from({ length: nIn }, () => std * normal())));
      b.push(new Array(sizes[l]).fill(0));
    }
    return { sizes: sizes.slice(), activation, output, W, b };
  }

  /** A network with the given weights (copied): W[l] n_out x n_in (as Dense.W), b[l] n_out. */
  function fromWeights(W, b, activation, output) {
    checkKind(activation, output);
    const sizes = [W[0][0].length, ...W.map((Wl) => Wl.length)];
    return { sizes, activation, output, W: W.map((Wl) => Wl.map((row) => row.slice())), b: b.map((bl) => bl.slice()) };
  }

  /** The network's weights and biases, copied: {W, b}. */
  function weights(net) {
    return { W: net.W.map((Wl) => Wl.map((row) => row.slice())), b: net.b.map((bl) => bl.slice()) };
  }

  function layerActivation(net, l) {       // layer l = 0..L-1 (the L-1th is the output)
    return ACTIVATIONS[l === net.W.length - 1 ? net.output : net.activation];
  }

  /** Every layer's activations for one input x: [a0 = x, a1, ..., aL] (aL = [output]). */
  function forward(net, x) {
    const out = [x];
    let a = x;
    for (let l = 0; l < net.W.length; l++) {
      const Wl = net.W[l], bl = net.b[l], f = layerActivation(net, l).f, next = new Array(Wl.length);
      for (let j = 0; j < Wl.length; j++) {
        const row = Wl[j];
        let z = 0;
        for (let i = 0; i < row.length; i++) z += a[i] * row[i];     // z_j = sum_i W_ji a_i + b_j
        next[j] = f(z + bl[j]);
      }
      out.push(next);
      a = next;
    }
    return out;
  }

  /** The network's output for each input in X: an array of numbers. */
  function predict(net, X) {
    return X.map((x) => { const acts = forward(net, x); return acts[acts.length - 1][0]; });
  }

  /** The quadratic cost 1/(2n) sum (a - y)^2 over inputs X and targets Y, without penalty. */
  function cost(net, X, Y) {
    let s = 0;
    for (let k = 0; k < X.length; k++) {
      const acts = forward(net, X[k]), d = acts[acts.length - 1][0] - Y[k];
      s += d * d;
    }
    return 0.5 * s / X.length;
  }

  function zerosLike(net) {
    return { W: net.W.map((Wl) => Wl.map((row) => new Array(row.length).fill(0))), b: net.b.map((bl) => new Array(bl.length).fill(0)) };
  }

  // The penalty's value over all weights W (never biases) and its gradient for one weight
  // (losses.py): L2 (lam/2) sum W^2 -> lam W;  L1 lam sum |W| -> lam sign(W) (0 at 0).
  function penaltyValue(net, kind, lam) {
    if (kind === "none" || !kind) return 0;
    let s = 0;
    for (const Wl of net.W) {                           // one sum per layer, then their sum
      let sl = 0;
      for (const row of Wl) for (const w of row) sl += kind === "L2" ? w * w : Math.abs(w);
      s += sl;
    }
    return kind === "L2" ? 0.5 * lam * s : lam * s;
  }
  function penaltyGrad(kind, lam, w) {
    return kind === "L2" ? lam * w : kind === "L1" ? lam * Math.sign(w) : 0;
  }

  /** One gradient step on the training rows `batch` (indices into X, Y):
      opts = {learningRate, regularization: "none" | "L1" | "L2", regularizationRate}.
      Returns {cost, finite}: cost is the batch's quadratic cost plus the penalty; when it
      or any gradient is not finite the weights are left as they were and finite = false. */
  function trainStep(net, X, Y, batch, opts) {
    const n = batch.length, L = net.W.length, g = zerosLike(net);
    const kind = opts.regularization || "none", lam = opts.regularizationRate || 0;
    let sq = 0;
    for (const k of batch) {
      const acts = forward(net, X[k]);
      const diff = acts[L][0] - Y[k];
      sq += diff * diff;
      // dC/da = (a - y) / n (QuadraticCost), then delta = dC/dz = dC/da * f'(z) layer by layer.
      let delta = [layerActivation(net, L - 1).grad(diff / n, acts[L][0])];
      for (let l = L - 1; l >= 0; l--) {
        const Wl = net.W[l], a = acts[l], gW = g.W[l], gb = g.b[l];
        for (let j = 0; j < Wl.length; j++) {           // dC/dW_ji = delta_j a_i, dC/db_j = delta_j
          const dj = delta[j], row = gW[j];
          for (let i = 0; i < a.length; i++) row[i] += dj * a[i];
          gb[j] += dj;
        }
        if (l === 0) break;                             // no dC/dx for the inputs (need_dx=False)
        const f = layerActivation(net, l - 1), prev = new Array(a.length);
        for (let i = 0; i < a.length; i++) {            // dC/da_i = sum_j delta_j W_ji
          let s = 0;
          for (let j = 0; j < Wl.length; j++) s += delta[j] * Wl[j][i];
          prev[i] = f.grad(s, a[i]);
        }
        delta = prev;
      }
    }
    let C = 0.5 * sq / n;
    if (kind !== "none") {                              // train.py: C += penalty; grad W += penalty'
      C += penaltyValue(net, kind, lam);
      for (let l = 0; l < L; l++) {
        net.W[l].forEach((row, j) => row.forEach((w, i) => { g.W[l][j][i] = g.W[l][j][i] + penaltyGrad(kind, lam, w); }));
      }
    }
    // train.py's test: the cost plus the sum of every gradient, W then b layer by layer,
    // is finite only if all of them are (an infinity or NaN anywhere makes it so).
    let total = C;
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (const row of g.W[l]) for (const v of row) s += v;
      total += s;
      s = 0;
      for (const v of g.b[l]) s += v;
      total += s;
    }
    if (!Number.isFinite(total)) return { cost: C, finite: false };
    const eta = opts.learningRate;
    for (let l = 0; l < L; l++) {                       // theta -= eta grad (optim.py)
      net.W[l].forEach((row, j) => { for (let i = 0; i < row.length; i++) row[i] -= eta * g.W[l][j][i]; });
      net.b[l].forEach((_, j) => { net.b[l][j] -= eta * g.b[l][j]; });
    }
    return { cost: C, finite: true };
  }

  /** One epoch: the training rows in `order` (a permutation) cut into batches of
      opts.batchSize, the last maybe smaller, one trainStep each. Returns {loss, steps,
      diverged}: loss the mean step cost (penalty included, as History.loss); on a
      non-finite step training stops there, loss is that step's cost, steps counts it,
      and diverged = {step} (counted from 1), otherwise diverged = false. */
  function trainEpoch(net, X, Y, order, opts) {
    const bs = opts.batchSize;
    if (!(bs >= 1)) throw new Error(`trainEpoch: batchSize must be >= 1, got ${bs}`);
    let total = 0, steps = 0;
    for (let i = 0; i < order.length; i += bs) {
      const r = trainStep(net, X, Y, order.slice(i, i + bs), opts);
      steps += 1;
      if (!r.finite) return { loss: r.cost, steps, diverged: { step: steps } };
      total += r.cost;
    }
    return { loss: total / steps, steps, diverged: false };
  }

  window.PlaygroundNN = {
    FEATURES, featurize, rng, permutation, create, fromWeights, weights,
    forward, predict, cost, trainStep, trainEpoch,
  };
})();
