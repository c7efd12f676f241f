/* Explorer "trajectories": gradient descent, momentum and Adam on a narrow valley.

   Data (generators/loss_landscapes/fig_optimizers.py, export "trajectories"): the paths
   the build computed for every learning rate eta (etas) and momentum mu (mus), as
   runs[method][eta index][mu index] = [x0, y0, x1, y1, ...]; the valley's contours and
   Hessian; the view; each run's outcome (outcomes[method][eta index][mu index]: updates,
   diverged, arrived, final cost already written as the page writes numbers); the largest
   stable learning rates 2/k2 (gradient descent) and 2(1 + mu)/k2 (momentum, per mu). Two
   sliders pick eta and mu, checkboxes pick the methods; the chosen paths are drawn over
   the contours in SVG, and a line says which band of learning rates eta is in. Nothing is
   computed here: every path and number comes from the build, so the explorer's numbers
   are the page's. */
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const WIDTH = 480;                 // plot area in SVG units; margins hold the axes
  const LEFT = 44, BOTTOM = 40, TOP = 8, RIGHT = 8;

  function make(tag, attrs, parent, ns) {
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function init(root, data) {
    root.innerHTML = "";
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

    const controls = make("div", { class: "dlv-traj-controls" }, root);
    const sliders = {};
    for (const [key, label, values] of [["eta", "learning rate \u03b7", data.etas],
                                         ["mu", "momentum \u03bc (Adam: \u03b2\u2081)", data.mus]]) {
      const wrap = make("label", { class: "dlv-traj-slider" }, controls);
      make("span", {}, wrap).textContent = label;
      const input = make("input", { type: "range", min: 0, max: values.length - 1, step: 1,
                                    value: data[key], "aria-label": label }, wrap);
      const output = make("output", {}, wrap);
      sliders[key] = { input, output, values };
    }
    const boxes = make("fieldset", { class: "dlv-traj-methods" }, controls);
    make("legend", {}, boxes).textContent = "show";
    const shown = {};
    data.methods.forEach((m, i) => {
      const wrap = make("label", { class: `dlv-traj-m${i}` }, boxes);
      shown[m.key] = make("input", { type: "checkbox", "aria-label": `show ${m.label}` }, wrap);
      shown[m.key].checked = true;
      make("span", { class: "dlv-traj-swatch", "aria-hidden": "true" }, wrap);
      wrap.append(m.label);
    });

    const svg = make("svg", { viewBox: `0 0 ${LEFT + WIDTH + RIGHT} ${TOP + height + BOTTOM}`,
                              role: "img", class: "dlv-traj-plot" }, root, SVGNS);
    const clipId = `dlv-traj-clip-${document.querySelectorAll(".dlv-traj-plot").length}`;
    const clip = make("clipPath", { id: clipId }, make("defs", {}, svg, SVGNS), SVGNS);
    make("rect", { x: LEFT, y: TOP, width: WIDTH, height }, clip, SVGNS);
    const axes = make("g", { class: "dlv-traj-axes", "aria-hidden": "true" }, svg, SVGNS);
    make("rect", { x: LEFT, y: TOP, width: WIDTH, height, class: "dlv-traj-frame" }, axes, SVGNS);
    for (let t = Math.ceil(x0); t <= x1; t++) {
      make("line", { x1: sx(t), x2: sx(t), y1: TOP + height, y2: TOP + height + 5 }, axes, SVGNS);
      const label = make("text", { x: sx(t), y: TOP + height + 18, "text-anchor": "middle" }, axes, SVGNS);
      label.textContent = String(t).replace("-", "\u2212");
    }
    for (let t = Math.ceil(y0); t <= y1; t++) {
      make("line", { x1: LEFT - 5, x2: LEFT, y1: sy(t), y2: sy(t) }, axes, SVGNS);
      const label = make("text", { x: LEFT - 8, y: sy(t) + 4, "text-anchor": "end" }, axes, SVGNS);
      label.textContent = String(t).replace("-", "\u2212");
    }
    make("text", { x: LEFT + WIDTH / 2, y: TOP + height + 36, "text-anchor": "middle",
                   class: "dlv-traj-label" }, axes, SVGNS).textContent = "\u03b8\u2081";
    make("text", { x: 12, y: TOP + height / 2, "text-anchor": "middle",
                   class: "dlv-traj-label" }, axes, SVGNS).textContent = "\u03b8\u2082";
    const inside = make("g", { "clip-path": `url(#${clipId})` }, svg, SVGNS);
    const contours = make("g", { class: "dlv-traj-contours" }, inside, SVGNS);
    for (const ring of data.contours) make("polyline", { points: points(ring) }, contours, SVGNS);
    const lines = {}, ends = {}, halos = {};
    const top = data.methods.length - 1;
    data.methods.forEach((m, i) => {   // in order: gradient descent broad, underneath
      // the thin top path (Adam) runs along gradient descent's: a band of page colour
      // under it keeps it visible there
      if (i === top) halos[m.key] = make("polyline", { class: "dlv-traj-halo" }, inside, SVGNS);
      lines[m.key] = make("polyline", { class: `dlv-traj-path dlv-traj-m${i}`,
                                        "data-method": m.key }, inside, SVGNS);
    });
    data.methods.forEach((m, i) => {   // where each path ends, over all the paths
      ends[m.key] = make("circle", { r: 5, class: `dlv-traj-end dlv-traj-m${i}` }, inside, SVGNS);
    });
    make("rect", { x: sx(data.start[0]) - 6, y: sy(data.start[1]) - 6, width: 12, height: 12,
                   class: "dlv-traj-start" }, inside, SVGNS);
    const mx = sx(0), my = sy(0);
    const star = [];
    for (let k = 0; k < 10; k++) {
      const r = k % 2 ? 4 : 10, a = Math.PI / 2 + (k * Math.PI) / 5;
      star.push(`${(mx + r * Math.cos(a)).toFixed(1)},${(my - r * Math.sin(a)).toFixed(1)}`);
    }
    make("polygon", { points: star.join(" "), class: "dlv-traj-min" }, inside, SVGNS);

    const band = make("p", { class: "dlv-traj-band", "aria-live": "polite" }, root);
    const summary = make("ul", { class: "dlv-traj-summary", "aria-live": "polite" }, root);
    const rows = {};
    data.methods.forEach((m, i) => {
      rows[m.key] = make("li", { class: `dlv-traj-m${i}` }, summary);
    });

    function outcome(o) {
      if (o.diverged) return `diverged: left the map after ${o.updates} steps`;
      const off = o.in_view ? "" : " (its path swings out of the view)";
      if (o.arrived >= 0) return `reached C < ${data.tol_label} after ${o.arrived} steps${off}`;
      return `C = ${o.final} after ${o.updates} steps${off}`;
    }

    // Which side of 2/k2 and 2(1 + mu)/k2 the learning rate is on (the page's formulas).
    function bandText(i, j) {
      const eta = data.etas[i], gd = data.eta_gd_max, mom = data.eta_momentum_max[j];
      const gdText = `2/k\u2082 = ${data.eta_gd_max_label}`;
      const momText = `2(1 + \u03bc)/k\u2082 = ${data.eta_momentum_max_labels[j]}`;
      if (eta < gd) {
        return `\u03b7 = ${eta} is below ${gdText}: gradient descent and momentum both converge.`;
      }
      if (eta < mom) {
        return `\u03b7 = ${eta} is between ${gdText} and ${momText}: momentum converges, ` +
          "gradient descent diverges.";
      }
      if (mom <= gd) {   // mu = 0: momentum is gradient descent
        return `\u03b7 = ${eta} is above ${gdText}: gradient descent diverges, and so does ` +
          "momentum with \u03bc = 0, which is gradient descent.";
      }
      return `\u03b7 = ${eta} is above ${gdText} and ${momText}: gradient descent and ` +
        "momentum both diverge.";
    }

    function update() {
      const i = Number(sliders.eta.input.value), j = Number(sliders.mu.input.value);
      for (const s of Object.values(sliders)) {
        const v = String(s.values[Number(s.input.value)]);
        s.output.textContent = v;
        s.input.setAttribute("aria-valuetext", v);
      }
      const visible = [];
      for (const m of data.methods) {
        const path = data.runs[m.key][i][j];
        lines[m.key].setAttribute("points", points(path));
        lines[m.key].style.display = shown[m.key].checked ? "" : "none";
        if (halos[m.key]) {
          halos[m.key].setAttribute("points", points(path));
          halos[m.key].style.display = lines[m.key].style.display;
        }
        const n = path.length;
        ends[m.key].setAttribute("cx", sx(path[n - 2]).toFixed(1));
        ends[m.key].setAttribute("cy", sy(path[n - 1]).toFixed(1));
        ends[m.key].style.display = shown[m.key].checked ? "" : "none";
        rows[m.key].textContent = `${m.label}: ${outcome(data.outcomes[m.key][i][j])}`;
        rows[m.key].hidden = !shown[m.key].checked;
        if (shown[m.key].checked) visible.push(m.label);
      }
      band.textContent = bandText(i, j);
      svg.setAttribute("aria-label", `Paths of ${visible.join(", ") || "no method"} with ` +
        `learning rate ${data.etas[i]} and momentum ${data.mus[j]} over the contours of the valley`);
    }

    for (const s of Object.values(sliders)) s.input.addEventListener("input", update);
    for (const box of Object.values(shown)) box.addEventListener("change", update);
    update();
  }

  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.trajectories = init;
})();
