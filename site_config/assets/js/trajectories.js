/* Explorer "trajectories": gradient descent, momentum and Adam on a narrow valley, live.

   Data (generators/loss_landscapes/fig_optimizers.py, export "trajectories"): the valley's
   Hessian exactly as valley.hessian computed it, k2, the start, steps, escape and
   tolerance, the opening eta and mu, the sliders' ranges, the contours and the view.

   The maths is not here: DlvDescent (assets/js/lib/descent.js) is the course library's
   GradientDescent, Momentum and Adam and valley.descend / cost / steps_to, checked against
   the library by tests/test_descent_agreement.py. On every input this script runs the
   three methods for the chosen learning rate eta (slider on a log scale) and momentum mu
   (Adam's beta1), draws their paths over the contours (SVG), their cost against the
   iteration (log scale, tolerance dotted), and a small eta-mu diagram shaded by the page's
   formulas: both converge for eta < 2/k2, only momentum for 2/k2 <= eta < 2(1 + mu)/k2,
   neither above (fig_optimizers.eta_limits and band). The diagram's point is draggable
   and moves by the arrow keys.

   The setting lives in the URL hash (#eta=0.06&mu=0.8&methods=gd,momentum), written as it
   changes (history.replaceState) and read on load and on hashchange; a value out of range
   is clamped and an unknown one ignored, both named in a visible notice. */
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const WIDTH = 480;                 // map plot area in SVG units; margins hold the axes
  const LEFT = 54, BOTTOM = 50, TOP = 8, RIGHT = 8;   // room for the phone's larger labels
  const D = () => window.DlvDescent;

  function make(tag, attrs, parent, ns) {
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }
  const svgEl = (tag, attrs, parent) => make(tag, attrs, parent, SVGNS);
  const minus = (text) => String(text).replace(/-/g, "\u2212");

  // The slider's learning rates: eta_positions + 1 steps evenly spaced in log eta over
  // eta_range, each rounded to 3 significant digits, plus the rates the page names
  // (eta_marks), so that those are reachable exactly.
  function etaValues(data) {
    const [lo, hi] = data.eta_range, n = data.eta_positions, out = new Set(data.eta_marks);
    for (let i = 0; i <= n; i++) out.add(Number((lo * Math.pow(hi / lo, i / n)).toPrecision(3)));
    return [...out].filter((v) => v >= lo && v <= hi).sort((a, b) => a - b);
  }
  function nearest(values, v) {
    let best = 0;
    for (let i = 1; i < values.length; i++) {
      if (Math.abs(Math.log(values[i] / v)) < Math.abs(Math.log(values[best] / v))) best = i;
    }
    return best;
  }

  function init(root, data) {
    root.innerHTML = "";
    const H = data.hessian, methods = data.methods, keys = methods.map((m) => m.key);
    const [etaLo, etaHi] = data.eta_range, muMax = data.mu_max, muStep = data.mu_step;
    const etas = etaValues(data);
    const roundMu = (v) => Math.round(v / muStep) * muStep;
    const fmt = (v) => D().format(v, ".3g");
    const s = { eta: data.eta, mu: data.mu, shown: Object.fromEntries(keys.map((k) => [k, true])) };
    const written = { hash: null };

    // ---- controls ------------------------------------------------------------------------
    const controls = make("div", { class: "dlv-traj-controls" }, root);
    const sliders = {};
    for (const [key, label] of [["eta", "learning rate \u03b7"],
                                ["mu", "momentum \u03bc (Adam: \u03b2\u2081)"]]) {
      const wrap = make("label", { class: "dlv-traj-slider" }, controls);
      make("span", {}, wrap).textContent = label;
      const input = make("input", key === "eta"
        ? { type: "range", min: 0, max: etas.length - 1, step: 1, "aria-label": label }
        : { type: "range", min: 0, max: muMax, step: muStep, "aria-label": label }, wrap);
      const output = make("output", {}, wrap);
      sliders[key] = { input, output };
    }
    const boxes = make("fieldset", { class: "dlv-traj-methods" }, controls);
    make("legend", {}, boxes).textContent = "show";
    const checks = {};
    methods.forEach((m, i) => {
      const wrap = make("label", { class: `dlv-traj-m${i}` }, boxes);
      checks[m.key] = make("input", { type: "checkbox", "aria-label": `show ${m.label}` }, wrap);
      make("span", { class: "dlv-traj-swatch", "aria-hidden": "true" }, wrap);
      wrap.append(m.label);
    });
    const notice = make("p", { class: "dlv-traj-notice", role: "status" }, root);
    notice.hidden = true;
    const band = make("p", { class: "dlv-traj-band", "aria-live": "polite" }, root);

    // ---- the map: paths over the contours (as fig_optimizers draws them) ---------------------
    const panels = make("div", { class: "dlv-traj-panels" }, root);
    const [x0, x1, y0, y1] = data.view;
    const scale = WIDTH / (x1 - x0);
    const height = Math.round((y1 - y0) * scale);
    const clamp = (v) => Math.max(-1e4, Math.min(1e4, v));
    const sx = (x) => LEFT + clamp((x - x0) * scale), sy = (y) => TOP + clamp((y1 - y) * scale);
    const px = (x, y) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    const points = (flat) => {
      const out = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push(px(flat[i], flat[i + 1]));
      return out.join(" ");
    };
    const uid = document.querySelectorAll(".dlv-traj-plot").length;
    const svg = svgEl("svg", { viewBox: `0 0 ${LEFT + WIDTH + RIGHT} ${TOP + height + BOTTOM}`,
                               role: "img", class: "dlv-traj-plot" }, panels);
    const clip = svgEl("clipPath", { id: `dlv-traj-clip-${uid}` }, svgEl("defs", {}, svg));
    svgEl("rect", { x: LEFT, y: TOP, width: WIDTH, height }, clip);
    const axes = svgEl("g", { class: "dlv-traj-axes", "aria-hidden": "true" }, svg);
    svgEl("rect", { x: LEFT, y: TOP, width: WIDTH, height, class: "dlv-traj-frame" }, axes);
    for (let t = Math.ceil(x0); t <= x1; t++) {
      svgEl("line", { x1: sx(t), x2: sx(t), y1: TOP + height, y2: TOP + height + 5 }, axes);
      svgEl("text", { x: sx(t), y: TOP + height + 18, "text-anchor": "middle" }, axes).textContent = minus(t);
    }
    for (let t = Math.ceil(y0); t <= y1; t++) {
      svgEl("line", { x1: LEFT - 5, x2: LEFT, y1: sy(t), y2: sy(t) }, axes);
      svgEl("text", { x: LEFT - 8, y: sy(t) + 4, "text-anchor": "end" }, axes).textContent = minus(t);
    }
    svgEl("text", { x: LEFT + WIDTH / 2, y: TOP + height + 44, "text-anchor": "middle",
                    class: "dlv-traj-label" }, axes).textContent = "\u03b8\u2081";
    svgEl("text", { x: 12, y: TOP + height / 2, "text-anchor": "middle",
                    class: "dlv-traj-label" }, axes).textContent = "\u03b8\u2082";
    const inside = svgEl("g", { "clip-path": `url(#dlv-traj-clip-${uid})` }, svg);
    const rings = svgEl("g", { class: "dlv-traj-contours" }, inside);
    for (const ring of data.contours) svgEl("polyline", { points: points(ring) }, rings);
    const lines = {}, ends = {}, halos = {};
    const top = methods.length - 1;
    methods.forEach((m, i) => {   // in order: gradient descent broad, underneath
      // the thin top path (Adam) runs along gradient descent's: a band of page colour
      // under it keeps it visible there
      if (i === top) halos[m.key] = svgEl("polyline", { class: "dlv-traj-halo" }, inside);
      lines[m.key] = svgEl("polyline", { class: `dlv-traj-path dlv-traj-m${i}`, "data-method": m.key }, inside);
    });
    methods.forEach((m, i) => {   // where each path ends, over all the paths
      ends[m.key] = svgEl("circle", { r: 5, class: `dlv-traj-end dlv-traj-m${i}` }, inside);
    });
    svgEl("rect", { x: sx(data.start[0]) - 6, y: sy(data.start[1]) - 6, width: 12, height: 12,
                    class: "dlv-traj-start" }, inside);
    const star = [];
    for (let k = 0; k < 10; k++) {
      const r = k % 2 ? 4 : 10, a = Math.PI / 2 + (k * Math.PI) / 5;
      star.push(`${(sx(0) + r * Math.cos(a)).toFixed(1)},${(sy(0) - r * Math.sin(a)).toFixed(1)}`);
    }
    svgEl("polygon", { points: star.join(" "), class: "dlv-traj-min" }, inside);

    const side = make("div", { class: "dlv-traj-side" }, panels);

    // ---- the cost against the iteration (log scale, as the figure's second panel) -----------
    const CW = 300, CH = 170, CL = 46, CR = 14, CT = 8, CB = 34;
    const cMax = -12;                                     // the axis ends at 1e-12, as the figure's
    const cTop = Math.ceil(Math.log10(D().costs(H, data.start)[0] * 5));
    const cx = (n) => CL + (n / data.steps) * (CW - CL - CR);
    const cy = (J) => {
      const l = Math.log10(Math.max(J, 1e-300));
      return CT + ((cTop - Math.max(Math.min(l, cTop + 1), cMax - 1)) / (cTop - cMax)) * (CH - CT - CB);
    };
    const chart = svgEl("svg", { viewBox: `0 0 ${CW} ${CH}`, role: "img", class: "dlv-traj-cost",
                                 "aria-label": "cost against iteration, logarithmic" }, side);
    const cclip = svgEl("clipPath", { id: `dlv-traj-cclip-${uid}` }, svgEl("defs", {}, chart));
    svgEl("rect", { x: CL, y: CT, width: CW - CL - CR, height: CH - CT - CB }, cclip);
    const caxes = svgEl("g", { class: "dlv-traj-axes", "aria-hidden": "true" }, chart);
    svgEl("rect", { x: CL, y: CT, width: CW - CL - CR, height: CH - CT - CB, class: "dlv-traj-frame" }, caxes);
    for (let e = Math.floor(cTop / 4) * 4; e >= cMax; e -= 4) {
      svgEl("line", { x1: CL - 4, x2: CL, y1: cy(10 ** e), y2: cy(10 ** e) }, caxes);
      const t = svgEl("text", { x: CL - 6, y: cy(10 ** e) + 4, "text-anchor": "end" }, caxes);
      t.textContent = `10${D().format(10 ** e, ".0e").split("10")[1] || ""}`;
      if (e === 0) t.textContent = "1";
    }
    for (let n = 0; n <= data.steps; n += data.steps / 4) {
      svgEl("line", { x1: cx(n), x2: cx(n), y1: CH - CB, y2: CH - CB + 4 }, caxes);
      svgEl("text", { x: cx(n), y: CH - CB + 16, "text-anchor": "middle" }, caxes).textContent = String(n);
    }
    svgEl("text", { x: (CL + CW - CR) / 2, y: CH - 4, "text-anchor": "middle", class: "dlv-traj-small" },
          caxes).textContent = "iteration";
    svgEl("text", { x: 10, y: (CT + CH - CB) / 2, "text-anchor": "middle", class: "dlv-traj-small",
                    transform: `rotate(-90 10 ${(CT + CH - CB) / 2})` }, caxes).textContent = "cost C";
    const cin = svgEl("g", { "clip-path": `url(#dlv-traj-cclip-${uid})` }, chart);
    svgEl("line", { x1: CL, x2: CW - CR, y1: cy(data.tol), y2: cy(data.tol), class: "dlv-traj-tol" }, cin);
    const curves = {};
    methods.forEach((m, i) => {
      curves[m.key] = svgEl("polyline", { class: `dlv-traj-curve dlv-traj-m${i}` }, cin);
    });
    // below the dotted line at the left, where the curves are still far above it; drawn
    // over the curves, with a halo of the page colour, since a fast one may cross it there
    svgEl("text", { x: CL + 4, y: cy(data.tol) + 13, "text-anchor": "start",
                    class: "dlv-traj-small dlv-traj-tol-label" }, cin).textContent = `tolerance ${data.tol_label}`;

    // ---- the eta-mu diagram: the page's bands, the current setting as a point ---------------
    const BW = 300, BH = 162, BL = 46, BR = 14, BT = 20, BB = 34;
    const bx = (eta) => BL + (Math.log(eta / etaLo) / Math.log(etaHi / etaLo)) * (BW - BL - BR);
    const by = (mu) => BT + (1 - mu / muMax) * (BH - BT - BB);
    const diagram = svgEl("svg", { viewBox: `0 0 ${BW} ${BH}`, class: "dlv-traj-bands" }, side);
    const lim0 = D().limits(data.k_large, 0);
    svgEl("rect", { x: BL, y: BT, width: bx(lim0.gd) - BL, height: BH - BT - BB, class: "dlv-traj-band0" }, diagram);
    const edge = [];
    for (let k = 0; k <= 40; k++) {
      const mu = (muMax * k) / 40;
      edge.push(`${Math.min(bx(D().limits(data.k_large, mu).momentum), BW - BR).toFixed(1)},${by(mu).toFixed(1)}`);
    }
    svgEl("polygon", { points: `${bx(lim0.gd).toFixed(1)},${by(0)} ${edge.join(" ")} ${bx(lim0.gd).toFixed(1)},${by(muMax)}`,
                       class: "dlv-traj-band1" }, diagram);
    const baxes = svgEl("g", { class: "dlv-traj-axes", "aria-hidden": "true" }, diagram);
    svgEl("rect", { x: BL, y: BT, width: BW - BL - BR, height: BH - BT - BB, class: "dlv-traj-frame" }, baxes);
    for (let e = Math.ceil(Math.log10(etaLo)); e <= Math.log10(etaHi); e++) {
      svgEl("line", { x1: bx(10 ** e), x2: bx(10 ** e), y1: BH - BB, y2: BH - BB + 4 }, baxes);
      svgEl("text", { x: bx(10 ** e), y: BH - BB + 16, "text-anchor": "middle" }, baxes).textContent = fmt(10 ** e);
    }
    for (const mu of [0, 0.5, muMax]) {
      svgEl("line", { x1: BL - 4, x2: BL, y1: by(mu), y2: by(mu) }, baxes);
      svgEl("text", { x: BL - 6, y: by(mu) + 4, "text-anchor": "end" }, baxes).textContent = String(mu);
    }
    svgEl("text", { x: (BL + BW - BR) / 2, y: BH - 4, "text-anchor": "middle", class: "dlv-traj-small" },
          baxes).textContent = "learning rate \u03b7 (log)";
    svgEl("text", { x: 10, y: (BT + BH - BB) / 2, "text-anchor": "middle", class: "dlv-traj-small",
                    transform: `rotate(-90 10 ${(BT + BH - BB) / 2})` }, baxes).textContent = "\u03bc";
    const tag = (x, y, text) => {
      svgEl("text", { x, y, "text-anchor": "middle", class: "dlv-traj-small dlv-traj-region" }, baxes).textContent = text;
    };
    tag((BL + bx(lim0.gd)) / 2, by(muMax / 2) + 4, "both converge");
    // the middle band is too narrow for its name: written above the frame, over its top
    tag((bx(lim0.gd) + bx(D().limits(data.k_large, muMax).momentum)) / 2, BT - 6, "only momentum");
    tag((bx(D().limits(data.k_large, muMax).momentum) + BW - BR) / 2, by(muMax / 2) + 4, "neither");
    const gdLine = svgEl("line", { x1: bx(lim0.gd), x2: bx(lim0.gd), y1: BT, y2: BH - BB, class: "dlv-traj-edge" }, diagram);
    gdLine.setAttribute("aria-hidden", "true");
    // A two-way slider: its value for assistive technology is eta (aria-valuenow), and its
    // text names both eta and mu.
    const point = svgEl("g", { class: "dlv-traj-point", tabindex: "0", role: "slider",
                               "aria-valuemin": String(etaLo), "aria-valuemax": String(etaHi),
                               "aria-label": "learning rate and momentum: left and right arrows change \u03b7, up and down \u03bc" }, diagram);
    svgEl("circle", { r: 11, class: "dlv-traj-focus" }, point);
    svgEl("circle", { r: 6 }, point);

    // ---- outcome and band lines --------------------------------------------------------------
    const summary = make("ul", { class: "dlv-traj-summary", "aria-live": "polite" }, root);
    const rows = {};
    methods.forEach((m, i) => { rows[m.key] = make("li", { class: `dlv-traj-m${i}` }, summary); });

    // One method's outcome, as valley.steps_to and cost_label state it.
    function outcome(path, J) {
      const updates = path.length / 2 - 1;
      if (updates < data.steps) return `diverged: left the map at step ${updates}`;
      let inView = true;
      for (let i = 0; i < path.length; i += 2) {
        if (path[i] < x0 || path[i] > x1 || path[i + 1] < y0 || path[i + 1] > y1) inView = false;
      }
      const off = inView ? "" : " (its path swings out of the view)";
      const arrived = D().stepsTo(J, data.tol);
      if (arrived >= 0) return `reached C < ${data.tol_label} after ${arrived} steps${off}`;
      return `C = ${D().costLabel(J[J.length - 1])} after ${updates} steps${off}`;
    }

    // Which side of 2/k2 and 2(1 + mu)/k2 the learning rate is on (the page's formulas).
    function bandText(eta, mu) {
      const lim = D().limits(data.k_large, mu), b = D().band(eta, lim.gd, lim.momentum);
      const gdText = `2/k\u2082 = ${fmt(lim.gd)}`, momText = `2(1 + \u03bc)/k\u2082 = ${fmt(lim.momentum)}`;
      const e = `\u03b7 = ${fmt(eta)}`;
      root.dataset.band = String(b);
      if (b === 0) return `${e} is below ${gdText}: gradient descent and momentum both converge.`;
      if (b === 1) return `${e} is between ${gdText} and ${momText}: momentum converges, gradient descent diverges.`;
      if (lim.momentum <= lim.gd) {   // mu = 0: momentum is gradient descent
        return `${e} is above ${gdText}: gradient descent diverges, and so does momentum with ` +
          "\u03bc = 0, which is gradient descent.";
      }
      return `${e} is above ${gdText} and ${momText}: gradient descent and momentum both diverge.`;
    }

    function update() {
      const { eta, mu } = s;
      sliders.eta.input.value = String(nearest(etas, eta));
      sliders.mu.input.value = String(mu);
      sliders.eta.output.textContent = fmt(eta);
      sliders.mu.output.textContent = String(mu);
      sliders.eta.input.setAttribute("aria-valuetext", fmt(eta));
      sliders.mu.input.setAttribute("aria-valuetext", String(mu));
      root.dataset.eta = String(eta);
      root.dataset.mu = String(mu);
      const visible = [];
      methods.forEach((m) => {
        const on = s.shown[m.key];
        checks[m.key].checked = on;
        const path = D().descend(m.key, eta, mu, H, data.start, data.steps, data.escape);
        const J = D().costs(H, path);
        const pts = points(path);
        lines[m.key].setAttribute("points", pts);
        lines[m.key].style.display = on ? "" : "none";
        if (halos[m.key]) {
          halos[m.key].setAttribute("points", pts);
          halos[m.key].style.display = lines[m.key].style.display;
        }
        const n = path.length;
        ends[m.key].setAttribute("cx", sx(path[n - 2]).toFixed(1));
        ends[m.key].setAttribute("cy", sy(path[n - 1]).toFixed(1));
        ends[m.key].style.display = on ? "" : "none";
        curves[m.key].setAttribute("points", J.map((v, k) => `${cx(k).toFixed(1)},${cy(v).toFixed(1)}`).join(" "));
        curves[m.key].style.display = on ? "" : "none";
        rows[m.key].textContent = `${m.label}: ${outcome(path, J)}`;
        rows[m.key].hidden = !on;
        if (on) visible.push(m.label);
      });
      band.textContent = bandText(eta, mu);
      point.setAttribute("transform", `translate(${bx(eta).toFixed(1)},${by(mu).toFixed(1)})`);
      point.setAttribute("aria-valuetext", `\u03b7 = ${fmt(eta)}, \u03bc = ${mu}`);
      point.setAttribute("aria-valuenow", String(eta));
      const lim = D().limits(data.k_large, mu);
      svg.setAttribute("aria-label", `Paths of ${visible.join(", ") || "no method"} with ` +
        `learning rate ${fmt(eta)} and momentum ${mu} over the contours of the valley`);
      diagram.setAttribute("aria-label", `Bands of the learning rate: both converge below ` +
        `${fmt(lim.gd)}, only momentum below ${fmt(lim.momentum)} at \u03bc = ${mu}; the point is the current setting`);
    }

    // ---- the setting in the URL hash -------------------------------------------------------
    function toHash() {
      return `#eta=${s.eta}&mu=${s.mu}&methods=${keys.filter((k) => s.shown[k]).join(",")}`;
    }
    function writeHash() {
      written.hash = toHash();
      history.replaceState(history.state, "", written.hash);
    }
    function showNotice(items) {
      notice.hidden = !items.length;
      notice.textContent = items.length ? `From the link: ${items.join("; ")}.` : "";
      root.dataset.notice = items.join("; ");
    }
    // A value out of range is clamped to the nearest end and named; an unknown key or a
    // value that is not a number is ignored and named.
    function applyHash(hash) {
      const items = [];
      const next = { eta: data.eta, mu: data.mu, shown: Object.fromEntries(keys.map((k) => [k, true])) };
      for (const part of hash.replace(/^#/, "").split("&")) {
        if (!part) continue;
        const [key, raw = ""] = part.split("=").map(decodeURIComponent);
        if (key === "eta" || key === "mu") {
          const v = Number(raw), lo = key === "eta" ? etaLo : 0, hi = key === "eta" ? etaHi : muMax;
          if (raw === "" || !Number.isFinite(v)) { items.push(`${key}=${raw} ignored (not a number)`); continue; }
          let c = Math.min(hi, Math.max(lo, v));
          if (key === "mu") c = Number(roundMu(c).toFixed(2));
          if (c !== v) items.push(`${key}=${raw} clamped to ${key === "eta" ? fmt(c) : c} (the slider goes from ${lo} to ${hi})`);
          next[key] = c;
        } else if (key === "methods") {
          const named = raw.split(",").filter(Boolean);
          const unknown = named.filter((k) => !keys.includes(k));
          if (unknown.length) items.push(`methods ${unknown.join(",")} ignored (known: ${keys.join(", ")})`);
          for (const k of keys) next.shown[k] = named.includes(k);
        } else {
          items.push(`${key} ignored (unknown key)`);
        }
      }
      Object.assign(s, next);
      showNotice(items);
      update();
    }

    function set(eta, mu, why) {
      s.eta = eta;
      s.mu = Number(mu.toFixed(2));
      if (why !== undefined) showNotice(why ? [why] : []);
      writeHash();
      update();
    }
    sliders.eta.input.addEventListener("input", () => set(etas[Number(sliders.eta.input.value)], s.mu));
    sliders.mu.input.addEventListener("input", () => set(s.eta, Number(sliders.mu.input.value)));
    for (const k of keys) {
      checks[k].addEventListener("change", () => { s.shown[k] = checks[k].checked; writeHash(); update(); });
    }

    // The diagram's point: drag (mouse, pen or finger), click, or the arrow keys (Home/End:
    // eta's ends; PageUp/PageDown: mu by 0.1). A key past an end clamps and says so.
    function fromPointer(ev) {
      const r = diagram.getBoundingClientRect();
      const x = ((ev.clientX - r.left) / r.width) * BW, y = ((ev.clientY - r.top) / r.height) * BH;
      const t = Math.min(1, Math.max(0, (x - BL) / (BW - BL - BR)));
      const eta = etas[nearest(etas, etaLo * Math.pow(etaHi / etaLo, t))];
      const mu = roundMu(Math.min(muMax, Math.max(0, (1 - (y - BT) / (BH - BT - BB)) * muMax)));
      set(eta, mu);
    }
    diagram.addEventListener("pointerdown", (ev) => {
      ev.preventDefault();
      point.focus();
      diagram.setPointerCapture(ev.pointerId);
      fromPointer(ev);
    });
    diagram.addEventListener("pointermove", (ev) => {
      if (diagram.hasPointerCapture(ev.pointerId)) fromPointer(ev);
    });
    point.addEventListener("keydown", (ev) => {
      let i = nearest(etas, s.eta), mu = s.mu;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowDown: [0, -muStep], ArrowUp: [0, muStep],
                      PageDown: [0, -10 * muStep], PageUp: [0, 10 * muStep],
                      Home: [-etas.length, 0], End: [etas.length, 0] };
      const mv = moves[ev.key];
      if (!mv) return;
      ev.preventDefault();
      const wantI = i + mv[0], wantMu = roundMu(mu + mv[1]);
      let why = "";
      if (wantI < 0 || wantI >= etas.length) {
        if (Math.abs(mv[0]) === 1) why = `eta stays at ${fmt(wantI < 0 ? etaLo : etaHi)}, the end of its range`;
        i = Math.max(0, Math.min(etas.length - 1, wantI));
      } else i = wantI;
      if (wantMu < -1e-9 || wantMu > muMax + 1e-9) {
        why = `mu stays at ${wantMu < 0 ? 0 : muMax}, the end of its range`;
        mu = wantMu < 0 ? 0 : muMax;
      } else mu = wantMu;
      set(etas[i], mu, why);
    });

    // Redraw on a theme switch (the colours are CSS variables; the readout is rebuilt too).
    new MutationObserver((_, obs) => {
      if (!root.isConnected) { obs.disconnect(); return; }
      update();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    window.addEventListener("hashchange", function onHash() {
      if (!root.isConnected) { window.removeEventListener("hashchange", onHash); return; }
      if (location.hash.includes("=") && location.hash !== written.hash) applyHash(location.hash);
    });
    applyHash(location.hash.includes("=") ? location.hash : "");
  }

  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.trajectories = init;
})();
