/* The playground explorer: every control setting was trained when the site was built;
   this script only looks the run up and draws it. Data: playground/index.json names each
   problem's shared file (points, options, and which file holds which runs), fetched when
   that problem is first chosen; the runs come in one file per activation x
   regularisation, fetched when one of them is first shown. Each file is fetched once.
   Keyboard: the data sets are one radio group (one Tab stop; the arrow keys pick the
   previous or next set), then the four selects, play/pause, the checkpoint slider and the
   two checkboxes, in the order they are drawn. */
(function () {
  "use strict";
  // The class colours are the figures' (generators/style.py): class 0 (y = -1) the
  // negative colour, orange; class 1 (y = +1) the positive colour, blue. playground.css
  // holds them for both palettes; the canvases take them from its rules (classColours).
  const LABELS = {
    activation: "Activation", regularization: "Regularization", rate: "Learning rate η",
    architecture: "Hidden units",
  };
  // What an architecture value means, in words: "4" is one hidden layer of 4 units.
  function architectureText(value) {
    const widths = value.split("-");
    return widths.length === 1 ? `${value} (one layer)`
      : `${widths.join(", then ")} (${widths.length === 2 ? "two" : widths.length} layers)`;
  }
  const OPTION_TEXT = { architecture: architectureText };

  // The chosen palette's class colours as [negative, positive] RGB triples: the fill of
  // the key's two swatches, styled by playground.css like the points.
  function classColours(root) {
    return [".dlv-pg-cneg", ".dlv-pg-cpos"].map((sel) =>
      getComputedStyle(root.querySelector(`.dlv-pg-key ${sel}`)).fill.match(/\d+/g).slice(0, 3).map(Number));
  }

  function swatch(cls) {
    const svg = el("svg", { class: "dlv-pg-swatch", viewBox: "0 0 10 10", "aria-hidden": "true" });
    svg.innerHTML = `<circle class="${cls}" cx="5" cy="5" r="5"/>`;
    return svg;
  }

  function decode(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // A byte 0..255 stands for a value in [-1, 1]: the negative colour (orange) through
  // the page colour to the positive one (blue), as theme.diverging in the figures.
  function colour(byte, background, discrete, classes) {
    let v = byte / 127.5 - 1;
    if (discrete) v = v < 0 ? -1 : 1;
    const c = v < 0 ? classes[0] : classes[1];
    const t = Math.min(1, Math.abs(v)) * 0.75;
    return [0, 1, 2].map((k) => Math.round(background[k] * (1 - t) + c[k] * t));
  }

  function pageBackground() {
    const rgb = getComputedStyle(document.body).backgroundColor.match(/\d+/g) || [255, 255, 255];
    return rgb.slice(0, 3).map(Number);
  }

  function paint(canvas, bytes, offset, n, discrete, classes) {
    const ctx = canvas.getContext("2d");
    const small = document.createElement("canvas");
    small.width = small.height = n;
    const img = small.getContext("2d").createImageData(n, n);
    const bg = pageBackground();
    for (let i = 0; i < n * n; i++) {
      const [r, g, b] = colour(bytes[offset + i], bg, discrete, classes);
      img.data.set([r, g, b, 255], 4 * i);
    }
    small.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = !discrete;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  }

  function el(tag, attrs, ...children) {
    const node = tag === "svg"
      ? document.createElementNS("http://www.w3.org/2000/svg", "svg")
      : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      node.setAttribute(k, v);
    }
    node.append(...children);
    return node;
  }

  function select(name, options, value) {
    const id = `dlv-pg-${name}-${Math.random().toString(36).slice(2, 8)}`;
    const s = el("select", { id, "data-control": name });
    const text = OPTION_TEXT[name] || String;
    for (const o of options) s.append(el("option", { value: o }, text(o)));
    s.value = value;
    return [el("label", { for: id }, LABELS[name] || name), s];
  }

  function lossChart(svg, loss, epoch) {
    const W = 240, H = 90, pad = 4;
    const valid = loss.filter(Boolean);
    const max = Math.max(...valid.flat(), 1e-6);
    const x = (i) => pad + (i / (loss.length - 1)) * (W - 2 * pad);
    const y = (v) => H - pad - (v / max) * (H - 2 * pad);
    const line = (k) => loss.map((l, i) => (l ? `${x(i).toFixed(1)},${y(l[k]).toFixed(1)}` : "")).filter(Boolean).join(" ");
    svg.innerHTML =
      `<polyline class="dlv-pg-train" points="${line(0)}"/>` +
      `<polyline class="dlv-pg-test" points="${line(1)}"/>` +
      `<line class="dlv-pg-now" x1="${x(epoch)}" x2="${x(epoch)}" y1="0" y2="${H}"/>`;
  }

  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.playground = function (root, index) {
    const base = new URL(root.dataset.src, location.href);
    const files = {};  // file name -> its data once fetched; meanwhile the promise of it
    const state = { problem: index.order[0], ...index.default, step: 9,
                    showTest: false, discrete: false, playing: null };

    const problemBox = el("div", { class: "dlv-pg-problems", role: "radiogroup", "aria-label": "Data set" });
    for (const name of index.order) {
      const b = el("button", { type: "button", "data-problem": name, role: "radio" }, name);
      b.addEventListener("click", () => { state.problem = name; show(); });
      problemBox.append(b);
    }
    // The radio-group keyboard pattern: arrows move the choice (and focus) along the sets.
    problemBox.addEventListener("keydown", (ev) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
      if (!step) return;
      ev.preventDefault();
      const k = index.order.indexOf(state.problem);
      state.problem = index.order[(k + step + index.order.length) % index.order.length];
      load();
      problemBox.querySelector(`[data-problem="${CSS.escape(state.problem)}"]`).focus();
    });
    const controls = el("div", { class: "dlv-pg-controls" });
    const output = el("canvas", { class: "dlv-pg-output", width: "320", height: "320",
                                  role: "img", "aria-label": "Network output over the plane" });
    const points = el("svg", { class: "dlv-pg-points", viewBox: "-6 -6 12 12", "aria-hidden": "true" });
    const neurons = el("div", { class: "dlv-pg-neurons", role: "group", "aria-label": "Hidden units" });
    const chart = el("svg", { class: "dlv-pg-loss", viewBox: "0 0 240 90", role: "img",
                              "aria-label": "Training and test cost over epochs" });
    const stats = el("p", { class: "dlv-pg-stats", "aria-live": "polite" });
    // What the colours mean: the same convention as every figure of the course.
    const colourKey = el("p", { class: "dlv-pg-key" },
      swatch("dlv-pg-cneg"), " y = −1 (class 0)", swatch("dlv-pg-cpos"), " y = +1 (class 1). ",
      "Shading: the output, from −1 (orange) through 0 (page colour) to +1 (blue).");
    const slider = el("input", { type: "range", min: "0", max: "9", step: "1", value: "9",
                                 "aria-label": "Training checkpoint" });
    const play = el("button", { type: "button", class: "dlv-pg-play" });
    const playLabel = (playing) => {     // the symbol is decoration; the word is the name
      play.replaceChildren(el("span", { "aria-hidden": "true" }, playing ? "❚❚" : "▶"),
                           playing ? " Pause" : " Play");
    };
    playLabel(false);
    const epochLabel = el("span", { class: "dlv-pg-epoch" });
    const showTest = el("input", { type: "checkbox" });
    const discrete = el("input", { type: "checkbox" });
    const toggles = el("div", { class: "dlv-pg-toggles" },
      el("label", {}, showTest, " Show test data"), el("label", {}, discrete, " Discretize output"));
    root.append(problemBox, controls, colourKey,
      el("div", { class: "dlv-pg-main" },
        el("div", { class: "dlv-pg-stage" }, output, points),
        el("div", { class: "dlv-pg-side" }, neurons, chart,
          el("p", { class: "dlv-pg-legend" }, "Cost per epoch: training (solid), test (dashed)."),
          stats)),
      el("div", { class: "dlv-pg-time" }, play, slider, epochLabel), toggles);

    slider.addEventListener("input", () => { state.step = Number(slider.value); draw(); });
    showTest.addEventListener("change", () => { state.showTest = showTest.checked; draw(); });
    discrete.addEventListener("change", () => { state.discrete = discrete.checked; draw(); });
    play.addEventListener("click", () => {
      if (state.playing) { stop(); return; }
      if (state.step >= Number(slider.max)) state.step = 0;
      playLabel(true);
      state.playing = setInterval(() => {
        if (!root.isConnected || state.step >= Number(slider.max)) { stop(); return; }
        state.step += 1; draw();
      }, 500);
      draw();
    });
    function stop() {
      clearInterval(state.playing); state.playing = null; playLabel(false);
    }
    // Repaint when the reader switches between the light and the dark palette.
    new MutationObserver(() => draw()).observe(document.body,
      { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    function fetchFile(name) {
      if (!(name in files)) {
        const url = new URL(name, base);
        files[name] = fetch(url)
          .then((response) => {
            if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
            return response.json();
          })
          .then((data) => (files[name] = data))
          .catch((err) => { delete files[name]; throw err; });  // a later choice tries again
      }
      return Promise.resolve(files[name]);
    }
    function fetched(name) {
      const data = name && files[name];
      return data && !(data instanceof Promise) ? data : null;
    }
    const pair = () => `${state.activation}|${state.regularization}`;

    // The chosen problem's shared file, then the file of the chosen run, then draw: what
    // is on screen stays until the data of the new choice is here.
    async function load() {
      const d = await fetchFile(index.problems[state.problem]);
      buildControls(d.options);
      await fetchFile(d.files[pair()]);
      draw();
    }
    function show() {
      load().catch((err) => console.error("playground:", err));
    }

    function buildControls(options) {
      if (controls.childElementCount) return;
      for (const name of Object.keys(LABELS)) {  // a fixed order: JSON keys come sorted
        const [label, s] = select(name, options[name], state[name]);
        s.addEventListener("change", () => { state[name] = s.value; show(); });
        controls.append(el("div", { class: "dlv-pg-control" }, label, s));
      }
    }

    function draw() {
      const d = fetched(index.problems[state.problem]);
      const runs = d && fetched(d.files[pair()]);
      if (!runs) return;  // still fetching: load() draws when it is here
      for (const b of problemBox.children) {
        const chosen = b.dataset.problem === state.problem;
        b.setAttribute("aria-checked", String(chosen));
        b.tabIndex = chosen ? 0 : -1;        // one Tab stop for the group: the chosen set
      }
      const key = `${state.activation}|${state.regularization}|${state.rate}|${state.architecture}`;
      const run = runs.runs[key];
      const n = d.grid, t = d.thumb, step = Math.min(state.step, d.checkpoints.length - 1);
      slider.max = String(d.checkpoints.length - 1);
      slider.value = String(step);
      const epoch = d.checkpoints[step];
      epochLabel.textContent = `epoch ${epoch}`;
      slider.setAttribute("aria-valuetext", `epoch ${epoch}`);
      root.dataset.run = key;
      root.dataset.epoch = String(epoch);
      const classes = classColours(root);
      const out = run._out || (run._out = decode(run.out));
      paint(output, out, step * n * n, n, state.discrete, classes);
      // Points: training always, test data when asked (outlined, as in the Playground).
      const shown = state.showTest ? [["train", d.train], ["test", d.test]] : [["train", d.train]];
      points.innerHTML = shown.map(([kind, pts]) => pts.map(([x, y, c]) =>
        `<circle class="dlv-pg-${kind} dlv-pg-c${c > 0 ? "pos" : "neg"}" cx="${x}" cy="${-y}" r="0.16"/>`
      ).join("")).join("");
      // Hidden units: one small map per unit, one column per layer.
      const units = run._units || (run._units = decode(run.units));
      const widths = state.architecture.split("-").map(Number);
      const total = widths.reduce((a, b) => a + b, 0);
      neurons.innerHTML = "";
      let u = 0;
      for (const [layer, w] of widths.entries()) {
        const col = el("div", { class: "dlv-pg-layer" }, el("span", {}, `layer ${layer + 1}`));
        for (let j = 0; j < w; j++, u++) {
          const name = `unit ${j + 1} of hidden layer ${layer + 1}`;
          const c = el("canvas", { width: "44", height: "44", title: name, role: "img", "aria-label": name });
          paint(c, units, (step * total + u) * t * t, t, false, classes);
          col.append(c);
        }
        neurons.append(col);
      }
      const loss = run.loss[epoch];
      lossChart(chart, run.loss, epoch);
      stats.textContent = loss
        ? `Epoch ${epoch}: training cost ${loss[0].toFixed(3)}, test cost ${loss[1].toFixed(3)}.` +
          (epoch === d.checkpoints[d.checkpoints.length - 1] ? ` Final test accuracy ${(100 * run.accuracy).toFixed(1)}%.` : "")
        : `Training diverged at epoch ${run.diverged}: the learning rate is too large.`;
    }

    show();
  };
})();
