/* DlvDescent: gradient descent, momentum and Adam on the quadratic valley, as the course
   library computes them, for the loss-landscapes page's explorer (trajectories.js).

   C(theta) = 1/2 theta^T H theta with gradient H theta, theta = (theta_1, theta_2).
   - step rules: generators/nn/optim.py (GradientDescent, Momentum, Adam), operation by
     operation in the same order, so that the paths agree with the library's to the last
     bits (tests/test_descent_agreement.py replays the build's reference paths);
   - the run and its stop, the cost, the first step under a tolerance:
     generators/loss_landscapes/valley.py (descend, cost, steps_to);
   - the largest stable learning rates 2/k2 and 2(1 + mu)/k2: the page's formulas
     (generators/loss_landscapes/fig_optimizers.py, eta_limits and band);
   - a cost written as the page writes it: valley.cost_label through
     generators/site/refs.py format_result.
   H is given as [H11, H12, H21, H22], exactly the numbers valley.hessian computed. */
(function () {
  "use strict";

  // numpy's H @ theta for a 2x2 matrix: each entry one row's dot product, left to right.
  function gradient(H, t0, t1) {
    return [H[0] * t0 + H[1] * t1, H[2] * t0 + H[3] * t1];
  }

  // One optimizer's update(param, grad, state) of optim.py, on both coordinates; the state
  // object plays the library's per-parameter ``state`` dict.
  const UPDATES = {
    // GradientDescent: param -= eta * grad
    gd(theta, g, s, eta) {
      for (let i = 0; i < 2; i++) theta[i] -= eta * g[i];
    },
    // Momentum: v = -eta * grad on the first step (no v yet), else mu * v - eta * grad;
    // param += v
    momentum(theta, g, s, eta, mu) {
      if (!s.v) s.v = [-eta * g[0], -eta * g[1]];
      else s.v = [mu * s.v[0] - eta * g[0], mu * s.v[1] - eta * g[1]];
      for (let i = 0; i < 2; i++) theta[i] += s.v[i];
    },
    // Adam (beta1 = mu, beta2 = 0.999, eps = 1e-8 as Adam's defaults): t += 1;
    // m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g; m_hat = m / (1 - b1^t);
    // v_hat = v / (1 - b2^t); param -= eta * m_hat / (sqrt(v_hat) + eps)
    adam(theta, g, s, eta, mu) {
      const b1 = mu, b2 = 0.999, eps = 1e-8;
      s.t = (s.t || 0) + 1;
      if (!s.m) { s.m = [0, 0]; s.v = [0, 0]; }
      for (let i = 0; i < 2; i++) {
        s.m[i] = b1 * s.m[i] + (1.0 - b1) * g[i];
        s.v[i] = b2 * s.v[i] + (1.0 - b2) * g[i] * g[i];
        const mHat = s.m[i] / (1.0 - Math.pow(b1, s.t));
        const vHat = s.v[i] / (1.0 - Math.pow(b2, s.t));
        theta[i] -= eta * mHat / (Math.sqrt(vHat) + eps);
      }
    },
  };

  /* valley.descend: the positions after each update, flat [x0, y0, x1, y1, ...] (row 0 the
     start), at most ``steps`` updates; stops after the first update that leaves
     |theta_i| <= escape. ``method``: "gd", "momentum" or "adam" (gd ignores mu). */
  function descend(method, eta, mu, H, start, steps, escape) {
    const update = UPDATES[method];
    if (!update) throw new Error(`DlvDescent: unknown method ${method}`);
    const theta = [Number(start[0]), Number(start[1])], state = {};
    const path = [theta[0], theta[1]];
    for (let n = 0; n < steps; n++) {
      update(theta, gradient(H, theta[0], theta[1]), state, eta, mu);
      path.push(theta[0], theta[1]);
      if (Math.max(Math.abs(theta[0]), Math.abs(theta[1])) > escape) break;
    }
    return path;
  }

  /* valley.cost: 1/2 theta^T H theta at every point of a flat path, summed as numpy's
     einsum("ni,ij,nj->n") sums: over i, then j, each term (theta_i H_ij) theta_j. */
  function costs(H, path) {
    const out = [];
    for (let k = 0; k + 1 < path.length; k += 2) {
      const t = [path[k], path[k + 1]];
      let sum = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) sum += t[i] * H[2 * i + j] * t[j];
      out.push(0.5 * sum);
    }
    return out;
  }

  // valley.steps_to: the first iteration with C < tol, or -1.
  function stepsTo(J, tol) {
    for (let n = 0; n < J.length; n++) if (J[n] < tol) return n;
    return -1;
  }

  // The page's limits: gradient descent converges for eta < 2/k2, momentum for
  // eta < 2(1 + mu)/k2 (fig_optimizers.eta_limits); the band 0, 1 or 2 (fig_optimizers.band).
  function limits(k2, mu) {
    return { gd: 2 / k2, momentum: 2 * (1 + mu) / k2 };
  }
  function band(eta, gdMax, momentumMax) {
    return eta < gdMax ? 0 : eta < momentumMax ? 1 : 2;
  }

  /* Python's format(value, spec) for the specs the page uses (".Ng", ".Ne"), with a power
     of ten written as refs.format_result writes it: 4.0×10⁻⁵, a real minus sign. */
  const SUP = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
                5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };
  function power(mantissa, exponent, negative) {
    const e = String(exponent).split("").map((c) => SUP[c]).join("");
    return `${negative ? "\u2212" : ""}${mantissa}\u00d710${e}`;
  }
  function format(value, spec) {
    const m = /^\.(\d+)([eg])$/.exec(spec);
    if (!m) throw new Error(`DlvDescent.format: unsupported spec ${spec}`);
    const digits = Number(m[1]), negative = value < 0, v = Math.abs(value);
    if (m[2] === "e") {
      const [mant, exp] = v.toExponential(digits).split("e");
      return power(mant, Number(exp), negative);
    }
    const p = Math.max(digits, 1);
    if (v === 0) return (negative ? "-" : "") + "0";
    const [mant, exp] = v.toExponential(p - 1).split("e");
    const x = Number(exp);
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (x < -4 || x >= p) return power(strip(mant), x, negative);
    return (negative ? "-" : "") + strip(v.toFixed(p - 1 - x));
  }
  // valley.cost_label: two significant digits between 0.01 and 100, else one decimal x 10^n.
  function costLabel(J) {
    return format(J, J >= 0.01 && J < 100 ? ".2g" : ".1e");
  }

  window.DlvDescent = { gradient, descend, costs, stepsTo, limits, band, format, costLabel,
                        METHODS: Object.keys(UPDATES) };
})();
