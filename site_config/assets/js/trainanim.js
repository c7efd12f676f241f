/* Explorer "trainanim": a network's decision boundary and last hidden layer, epoch by epoch.

   Data (generators/training_dynamics/fig_animation.py, export "frames"): for each saved
   epoch, the network's output over a grid of the input plane (bytes 0..255 for a = 0..1,
   base64-encoded, row 0 at the bottom), the training points' coordinates in the 2-unit hidden
   layer, and the output unit's weights (w1, w2, b), whose line w1 h1 + w2 h2 + b = 0
   separates the hidden square. A slider and a play/pause button step through the epochs.
   Everything drawn was computed by the build; this script only draws it, in SVG.
   Keyboard: Tab to play/pause (Enter or Space) and to the slider (arrows, Home, End). */
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const SIZE = 300;          // each panel's plot area, in SVG units
  const PAD = 34;            // room for the axes
  const FRAME_MS = 450;

  function make(tag, attrs, parent, ns) {
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function panel(root, title, range, xlabel, ylabel) {
    const figure = make("figure", { class: "dlv-anim-panel" }, root);
    const svg = make("svg", { viewBox: `0 0 ${SIZE + PAD + 10} ${SIZE + PAD + 42}`, role: "img",
                              class: "dlv-anim-svg" }, figure, SVGNS);
    const scale = (v) => PAD + ((v + range) / (2 * range)) * SIZE;
    const sx = scale, sy = (v) => 2 * PAD + SIZE - scale(v);
    const plot = make("g", {}, svg, SVGNS);
    const axes = make("g", { class: "dlv-anim-axes", "aria-hidden": "true" }, svg, SVGNS);
    make("rect", { x: PAD, y: PAD, width: SIZE, height: SIZE, class: "dlv-anim-frame" }, axes, SVGNS);
    for (const t of [-range, 0, range]) {
      const label = String(t).replace("-", "\u2212");
      make("text", { x: sx(t), y: PAD + SIZE + 16, "text-anchor": "middle" }, axes, SVGNS).textContent = label;
      make("text", { x: PAD - 6, y: sy(t) + 5, "text-anchor": "end" }, axes, SVGNS).textContent = label;
    }
    make("text", { x: PAD + SIZE / 2, y: PAD + SIZE + 32, "text-anchor": "middle",
                   class: "dlv-anim-label" }, axes, SVGNS).textContent = xlabel;
    make("text", { x: 0, y: 0, "text-anchor": "middle", class: "dlv-anim-label",
                   transform: `translate(12 ${PAD + SIZE / 2}) rotate(-90)` }, axes, SVGNS).textContent = ylabel;
    make("figcaption", {}, figure).textContent = title;
    return { svg, plot, sx, sy };
  }

  // A frame's output grid: base64 of one byte per cell, 0..255 for a = 0..1.
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

  function init(root, data) {
    root.innerHTML = "";
    const outputs = data.outputs.map(bytes);
    const n = data.grid, R = data.extent, frames = data.epochs.length;
    const controls = make("div", { class: "dlv-anim-controls" }, root);
    // Named by its text (the word, not the symbol), so the visible label is the name.
    const play = make("button", { type: "button", class: "dlv-anim-play" }, controls);
    const playLabel = (playing) => {
      play.replaceChildren(make("span", { "aria-hidden": "true" }), playing ? " Pause" : " Play");
      play.firstChild.textContent = playing ? "\u23f8" : "\u25b6";
    };
    const slider = make("input", { type: "range", min: 0, max: frames - 1, step: 1, value: 0,
                                   "aria-label": "epoch" }, controls);
    const readout = make("output", { class: "dlv-anim-readout", "aria-live": "polite" }, controls);
    const panels = make("div", { class: "dlv-anim-panels" }, root);

    const input = panel(panels, "input plane: output a of the network", R, "x\u2081", "x\u2082");
    const cell = SIZE / n;
    const cells = [];
    for (let i = 0; i < n; i++) {            // row i: y = -R + i * step, drawn bottom to top
      for (let j = 0; j < n; j++) {
        cells.push(make("rect", { class: "dlv-anim-cell", x: (PAD + j * cell).toFixed(2),
                                  y: (PAD + SIZE - (i + 1) * cell).toFixed(2),
                                  width: (cell + 0.3).toFixed(2), height: (cell + 0.3).toFixed(2) },
                        input.plot, SVGNS));
      }
    }
    const hidden = panel(panels, "last hidden layer: (a\u2081, a\u2082) of each point", 1,
                         "hidden unit 1", "hidden unit 2");
    const clipId = `dlv-anim-clip-${document.querySelectorAll(".dlv-anim-svg").length}`;
    const clip = make("clipPath", { id: clipId }, make("defs", {}, hidden.svg, SVGNS), SVGNS);
    make("rect", { x: PAD, y: PAD, width: SIZE, height: SIZE }, clip, SVGNS);
    const line = make("line", { class: "dlv-anim-line", "clip-path": `url(#${clipId})` }, hidden.plot, SVGNS);
    const dots = [], moving = [];
    data.labels.forEach((label, k) => {
      const attrs = { class: `dlv-anim-c${label}`, r: 3.2 };
      const x = data.points[2 * k], y = data.points[2 * k + 1];
      dots.push(make("circle", { ...attrs, cx: input.sx(x).toFixed(1), cy: input.sy(y).toFixed(1) }, input.plot, SVGNS));
      moving.push(make("circle", attrs, hidden.plot, SVGNS));
    });

    function show(f) {
      const out = outputs[f];
      for (let c = 0; c < cells.length; c++) {
        const a = out[c] / 255;                   // class 1 above one half, class 0 below
        const share = Math.round(Math.abs(a - 0.5) * 110);   // 0 % (unsure) to 55 % (sure)
        cells[c].style.fill = `color-mix(in srgb, var(--dlv-c${a >= 0.5 ? 1 : 0}) ${share}%, ` +
          "var(--md-default-bg-color))";
      }
      const h = data.hidden[f];
      moving.forEach((dot, k) => {
        dot.setAttribute("cx", hidden.sx(h[2 * k]).toFixed(1));
        dot.setAttribute("cy", hidden.sy(h[2 * k + 1]).toFixed(1));
      });
      const [w1, w2, b] = data.readout[f];       // w1 h1 + w2 h2 + b = 0, drawn across [-2, 2]
      const ends = Math.abs(w2) > Math.abs(w1)
        ? [-2, 2].map((t) => [t, -(w1 * t + b) / w2])
        : [-2, 2].map((t) => [-(w2 * t + b) / w1, t]);
      const clampC = (v) => Math.max(-50, Math.min(50, v));
      line.setAttribute("x1", hidden.sx(clampC(ends[0][0])).toFixed(1));
      line.setAttribute("y1", hidden.sy(clampC(ends[0][1])).toFixed(1));
      line.setAttribute("x2", hidden.sx(clampC(ends[1][0])).toFixed(1));
      line.setAttribute("y2", hidden.sy(clampC(ends[1][1])).toFixed(1));
      const text = `epoch ${data.epochs[f]} \u00b7 cost ${data.cost[f].toFixed(3)} \u00b7 ` +
        `test accuracy ${Math.round(100 * data.test_accuracy[f])}%`;
      readout.textContent = text;
      slider.setAttribute("aria-valuetext", `epoch ${data.epochs[f]}`);
      input.svg.setAttribute("aria-label", `Decision boundary of the network after epoch ${data.epochs[f]}`);
      hidden.svg.setAttribute("aria-label", `Training points in the last hidden layer after epoch ${data.epochs[f]}`);
    }

    let timer = null;
    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      playLabel(false);
      play.setAttribute("aria-pressed", "false");
    }
    function start() {
      if (Number(slider.value) >= frames - 1) slider.value = 0;
      show(Number(slider.value));
      playLabel(true);
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(() => {
        if (!root.isConnected) return stop();    // the page was left (instant navigation)
        const next = Number(slider.value) + 1;
        if (next >= frames) return stop();
        slider.value = next;
        show(next);
      }, FRAME_MS);
    }
    play.addEventListener("click", () => (timer === null ? start() : stop()));
    slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });
    stop();
    show(0);
  }

  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.trainanim = init;
})();
