/* The playground explorer: a network trained live in the page, with the TensorFlow
   Playground's controls (its layout and URL names; our own code).

   The maths is not here: PlaygroundNN (assets/js/lib/playground-nn.js) is the course
   library's network, cost, penalty and minibatch step (generators/nn), and PlaygroundData
   (assets/js/lib/playground-data.js) draws the six data sets as generators/nn/data does.
   This file holds the setting, draws, and calls them. What a setting means is
   generators/playground/config.py.

   Data: the build's `start` export (generated/playground/start.json): the opening setting,
   its points and the build's initial weights. The page opens on exactly those; a change
   of data (data set, noise, ratio, regenerate) draws new points in the page from the
   setting's seed, a change of network (features, layers, activation) new weights.

   Settings live in the URL hash with the Playground's keys (#activation=tanh&...), written
   as they change (history.replaceState) and read on load and on hashchange; a key that is
   unknown or out of range is ignored and named in a notice. The page's own links to
   settings are written <a class="dlv-pg-setting" data-setting="activation=...">, without
   an href (an engine would rewrite or reject a link to "#key=value" as a missing anchor);
   this script gives each its href, "#" + the setting, when it starts.

   Training: one epoch per animation frame while playing; a step that is not finite stops
   the run with a message; reset recovers. The element's data-epoch, data-playing and
   data-diverged attributes say where it is (the browser tests wait on them). */
(function () {
  "use strict";
  const NN = () => window.PlaygroundNN;
  const DATA = () => window.PlaygroundData;

  const EXTENT = 6;            // the plane shown is [-6, 6]^2 (config.EXTENT)
  const N_SAMPLES = 500;       // config.N_SAMPLES
  const GRID = 100;            // the output map: GRID x GRID cells
  const MAX_LAYERS = 6, MAX_WIDTH = 8;
  const CLASSIFICATION = ["circle", "xor", "gauss", "spiral"];
  const REGRESSION = ["reg-plane", "reg-gauss"];
  const SET_NAMES = { circle: "Circle", xor: "Exclusive or", gauss: "Gaussian", spiral: "Spiral",
                      "reg-plane": "Plane", "reg-gauss": "Multi Gaussian" };
  const FEATURE_TEXT = { x: "x₁", y: "x₂", xSquared: "x₁²", ySquared: "x₂²", xTimesY: "x₁x₂",
                         sinX: "sin x₁", sinY: "sin x₂" };
  // Each feature's largest size on the plane: its map is drawn divided by it.
  const FEATURE_SCALE = { x: EXTENT, y: EXTENT, xSquared: EXTENT * EXTENT, ySquared: EXTENT * EXTENT,
                          xTimesY: EXTENT * EXTENT, sinX: 1, sinY: 1 };
  const ACTIVATIONS = { relu: "ReLU", tanh: "Tanh", sigmoid: "Sigmoid", linear: "Linear" };
  const REGULARIZATIONS = { none: "None", L1: "L1", L2: "L2" };
  const PROBLEMS = { classification: "Classification", regression: "Regression" };
  // Changing these keeps the network and its training; any other key starts again.
  const HYPER = ["learningRate", "regularization", "regularizationRate", "batchSize"];
  const DATA_KEYS = ["problem", "dataset", "regDataset", "noise", "percTrainData", "seed"];
  const NET_KEYS = ["problem", "features", "networkShape", "activation"];

  // ---- small helpers ------------------------------------------------------------------
  const SVGNS = "http://www.w3.org/2000/svg";
  function el(tag, attrs, ...children) {
    const svg = ["svg", "path", "line", "polyline", "text", "g", "rect"].includes(tag);
    const node = svg ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    node.append(...children);
    return node;
  }
  let uid = 0;
  const newId = (name) => `dlv-pg-${name}-${++uid}`;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const fmt = (v) => (!Number.isFinite(v) ? "—" : Math.abs(v) >= 1000 ? v.toExponential(2) : v.toFixed(3));
  const rgbOf = (s) => (s.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);

  // ---- the setting and the URL hash -----------------------------------------------------
  // Every key the hash may hold, how to read it, and what it allows (shown when ignored).
  function hashRules(options) {
    const inRange = (lo, hi, step) => (v) => {
      const n = Number(v);
      return v !== "" && Number.isInteger(n) && n >= lo && n <= hi && (n - lo) % step === 0 ? n : undefined;
    };
    const oneOf = (list) => (v) => (list.includes(v) ? v : undefined);
    const numberIn = (list) => (v) => (v !== "" && list.includes(Number(v)) ? Number(v) : undefined);
    const bool = (v) => (v === "true" ? true : v === "false" ? false : undefined);
    return {
      problem: [oneOf(Object.keys(PROBLEMS)), "classification or regression"],
      dataset: [oneOf(CLASSIFICATION), CLASSIFICATION.join(", ")],
      regDataset: [oneOf(REGRESSION), REGRESSION.join(", ")],
      noise: [inRange(0, 50, 5), "0–50 in steps of 5"],
      percTrainData: [inRange(10, 90, 10), "10–90 in steps of 10"],
      batchSize: [inRange(1, 30, 1), "1–30"],
      learningRate: [numberIn(options.learningRate), options.learningRate.join(", ")],
      activation: [oneOf(Object.keys(ACTIVATIONS)), Object.keys(ACTIVATIONS).join(", ")],
      regularization: [oneOf(Object.keys(REGULARIZATIONS)), "none, L1, L2"],
      regularizationRate: [numberIn(options.regularizationRate), options.regularizationRate.join(", ")],
      networkShape: [(v) => {
        const w = v === "" ? [] : v.split(",").map(Number);
        return w.length <= MAX_LAYERS && w.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_WIDTH)
          ? w : undefined;
      }, `0–${MAX_LAYERS} layers of 1–${MAX_WIDTH}`],
      seed: [(v) => (/^\d{1,9}$/.test(v) ? Number(v) : undefined), "a whole number ≥ 0"],
      showTestData: [bool, "true or false"],
      discretize: [bool, "true or false"],
    };
  }

  // The setting (config keys plus the two view switches) as the Playground's hash.
  function toHash(s) {
    const parts = [
      ["activation", s.activation], ["batchSize", s.batchSize], ["dataset", s.dataset],
      ["regDataset", s.regDataset], ["learningRate", s.learningRate],
      ["regularization", s.regularization], ["regularizationRate", s.regularizationRate],
      ["noise", s.noise], ["networkShape", s.networkShape.join(",")], ["seed", s.seed],
      ["showTestData", s.showTestData], ["discretize", s.discretize],
      ["percTrainData", s.percTrainData],
      ...NN().FEATURES.map((f) => [f, s.features.includes(f)]),
      ["problem", s.problem],
    ];
    return parts.map(([k, v]) => `${k}=${v}`).join("&");
  }

  // A hash read over the defaults: {setting, ignored: ["noise=90 (0–50 in steps of 5)", ...]}.
  function fromHash(hash, defaults, options) {
    const rules = hashRules(options);
    const s = { ...defaults, features: defaults.features.slice(), networkShape: defaults.networkShape.slice() };
    const ignored = [];
    const features = {};
    for (const part of hash.replace(/^#/, "").split("&").filter(Boolean)) {
      const eq = part.indexOf("=");
      const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      const raw = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
      if (NN().FEATURES.includes(key)) {
        if (raw === "true" || raw === "false") features[key] = raw === "true";
        else ignored.push(`${key}=${raw} (true or false)`);
      } else if (key in rules) {
        const value = rules[key][0](raw);
        if (value === undefined) ignored.push(`${key}=${raw} (${rules[key][1]})`);
        else s[key] = value;
      } else {
        ignored.push(`${key}${eq < 0 ? "" : "=" + raw} (not a setting here)`);
      }
    }
    if (Object.keys(features).length) {
      const chosen = NN().FEATURES.filter((f) => (f in features ? features[f] : s.features.includes(f)));
      if (chosen.length) s.features = chosen;
      else ignored.push("every feature off (at least one input is needed)");
    }
    return { setting: s, ignored };
  }
  const isSettingHash = (hash) => hash.includes("=");

  // ---- colours --------------------------------------------------------------------------
  // The class colours of every figure (generators/style.py), from playground.css: the
  // fill of the two key swatches. A value v in [-1, 1] is drawn orange (v < 0) through the
  // page colour (0) to blue (v > 0), at most three quarters over the page colour so that
  // points stay visible on it.
  function palette(root) {
    const fill = (cls) => rgbOf(getComputedStyle(root.querySelector(`.dlv-pg-key .${cls}`)).fill);
    const bg = rgbOf(getComputedStyle(document.body).backgroundColor);
    const neg = fill("dlv-pg-cneg"), pos = fill("dlv-pg-cpos");
    const lut = new Uint8ClampedArray(256 * 3);   // 256 steps of v from -1 to 1
    for (let i = 0; i < 256; i++) {
      const v = i / 127.5 - 1, c = v < 0 ? neg : pos, t = Math.min(1, Math.abs(v)) * 0.75;
      for (let k = 0; k < 3; k++) lut[3 * i + k] = Math.round(bg[k] * (1 - t) + c[k] * t);
    }
    const css = (c) => `rgb(${c.join(",")})`;
    // A regression point's colour: its target on the same scale, but at full strength.
    const point = (v) => {
      const c = v < 0 ? neg : pos, t = Math.min(1, Math.abs(v));
      return css(bg.map((b, k) => Math.round(b * (1 - t) + c[k] * t)));
    };
    const fg = getComputedStyle(root).color, font = getComputedStyle(root).fontFamily;
    return { lut, neg: css(neg), pos: css(pos), bg: css(bg), fg, font, point };
  }
  function lutIndex(v, discrete) {
    if (discrete) v = v < 0 ? -1 : 1;
    if (!(v === v)) v = 0;   // NaN drawn as 0
    return Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  }

  // Paint values (Float32Array, n*n, row 0 = top = x2 = +6) into an n x n image, then
  // scale it onto ctx's rectangle.
  function paintMap(ctx, scratch, values, n, discrete, pal, x, y, w, h) {
    const img = scratch.getContext("2d").createImageData(n, n);
    for (let i = 0; i < n * n; i++) {
      const j = 3 * lutIndex(values[i], discrete);
      img.data[4 * i] = pal.lut[j]; img.data[4 * i + 1] = pal.lut[j + 1];
      img.data[4 * i + 2] = pal.lut[j + 2]; img.data[4 * i + 3] = 255;
    }
    scratch.width = scratch.height = n;
    scratch.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = !discrete;
    ctx.drawImage(scratch, x, y, w, h);
  }

  // A canvas sized to its CSS box times the device pixel ratio; returns its 2-D context
  // scaled so drawing is in CSS pixels.
  // sizeStyle false: the CSS box is playground.css's, only the backing store follows it.
  function fitCanvas(canvas, w, h, sizeStyle = true) {
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    if (sizeStyle) { canvas.style.width = `${w}px`; canvas.style.height = `${h}px`; }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  // ---- the explorer -------------------------------------------------------------------
  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.playground = function (root, start) {
    const options = start.options;
    const defaults = { ...start.config, showTestData: false, discretize: false };
    const s = fromHash("", defaults, options).setting;   // a copy
    const run = {
      train: null, test: null,   // {P: [[x1, x2]...], X: inputs, Y: targets}
      net: null, orderRng: null, epoch: 0, history: [], diverged: null,
      playing: false, frame: 0, frames: 0, every: 1, hover: null, maps: null, writtenHash: null,
    };
    const scratch = document.createElement("canvas");
    let pal = null;

    // ---- the controls, laid out as the Playground's: a top bar, then data, the
    // network and the output --------------------------------------------------------------
    const button = (cls, text, attrs) => el("button", { type: "button", class: cls, ...attrs }, text);
    // Buttons: a small drawn icon (decoration) and a word (the name).
    const icon = (d) => { const i = el("svg", { class: "dlv-pg-icon", viewBox: "0 0 16 16", "aria-hidden": "true" });
                          i.append(el("path", { d })); return i; };
    const ICONS = { reset: "M8 2.5a5.5 5.5 0 1 0 5.5 5.5h-2A3.5 3.5 0 1 1 8 4.5V7l4-3.5L8 0z",
                    play: "M4 2l10 6-10 6z", pause: "M3.5 2h3v12h-3zM9.5 2h3v12h-3z",
                    step: "M2.5 2l8 6-8 6zM11 2h2.5v12H11z" };
    const reset = button("dlv-pg-reset", "", { title: "Reset the network" });
    reset.append(icon(ICONS.reset), " Reset");
    const play = button("dlv-pg-play", "", {});
    const step = button("dlv-pg-step", "", { title: "Train one epoch" });
    step.append(icon(ICONS.step), " Step");
    const epochOut = el("output", { class: "dlv-pg-epoch", "aria-live": "off" }, "0");
    function selectControl(name, label, choices) {
      const id = newId(name);
      const sel = el("select", { id, "data-control": name });
      for (const [value, text] of choices) sel.append(el("option", { value: String(value) }, text));
      sel.addEventListener("change", () => {
        const raw = sel.value;
        change(name, typeof s[name] === "number" ? Number(raw) : raw);
      });
      return { sel, box: el("div", { class: "dlv-pg-control" }, el("label", { for: id }, label), sel) };
    }
    const selects = {
      learningRate: selectControl("learningRate", "Learning rate η", options.learningRate.map((r) => [r, String(r)])),
      activation: selectControl("activation", "Activation", Object.entries(ACTIVATIONS)),
      regularization: selectControl("regularization", "Regularization", Object.entries(REGULARIZATIONS)),
      regularizationRate: selectControl("regularizationRate", "Regularization rate λ",
                                        options.regularizationRate.map((r) => [r, String(r)])),
      problem: selectControl("problem", "Problem type", Object.entries(PROBLEMS)),
    };
    const top = el("div", { class: "dlv-pg-top" },
      el("div", { class: "dlv-pg-buttons" }, reset, play, step,
        el("div", { class: "dlv-pg-epochbox" }, el("span", {}, "Epoch"), epochOut)),
      el("div", { class: "dlv-pg-selects" }, ...Object.values(selects).map((c) => c.box)));

    // Data: the sets as thumbnail buttons (one radio group, one Tab stop), three sliders
    // and regenerate.
    const sets = el("div", { class: "dlv-pg-sets", role: "radiogroup", "aria-label": "Data set" });
    const setButtons = {};
    for (const name of [...CLASSIFICATION, ...REGRESSION]) {
      const b = el("button", { type: "button", role: "radio", "data-set": name, title: SET_NAMES[name],
                               "aria-label": SET_NAMES[name] },
        el("canvas", { class: "dlv-pg-setthumb", "aria-hidden": "true" }));
      b.addEventListener("click", () => chooseSet(name));
      setButtons[name] = b;
      sets.append(b);
    }
    sets.addEventListener("keydown", (ev) => {
      const d = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
      if (!d) return;
      ev.preventDefault();
      const list = s.problem === "classification" ? CLASSIFICATION : REGRESSION;
      const k = list.indexOf(currentSet());
      const next = list[(k + d + list.length) % list.length];
      chooseSet(next);
      setButtons[next].focus();
    });
    function slider(name, label, min, max, stepBy, unit) {
      const id = newId(name);
      const input = el("input", { id, type: "range", min, max, step: stepBy, "data-control": name });
      const value = el("span", { class: "dlv-pg-value" });
      input.addEventListener("input", () => { value.textContent = input.value + unit; });
      input.addEventListener("change", () => change(name, Number(input.value)));
      return { input, value, unit,
               box: el("div", { class: "dlv-pg-slider" }, el("label", { for: id }, label, ": ", value), input) };
    }
    const sliders = {
      percTrainData: slider("percTrainData", "Ratio of training to test data", 10, 90, 10, " %"),
      noise: slider("noise", "Noise", 0, 50, 5, ""),
      batchSize: slider("batchSize", "Batch size", 1, 30, 1, ""),
    };
    const regenerate = button("dlv-pg-regen", "Regenerate", { title: "Draw new data (the next seed)" });
    regenerate.addEventListener("click", () => change("seed", s.seed + 1));
    const dataCol = el("div", { class: "dlv-pg-data" }, el("p", { class: "dlv-pg-h" }, "Data"), sets,
      ...Object.values(sliders).map((c) => c.box), regenerate);

    // The network: the seven inputs as toggles with their maps, the hidden layers with
    // + / - buttons, the output unit; weights as SVG edges behind them.
    const net = el("div", { class: "dlv-pg-net" });
    const edges = el("svg", { class: "dlv-pg-edges", "aria-hidden": "true" });
    // Scrolls sideways inside the explorer when the network is wider than the column: a
    // named, focusable region, so the keyboard can scroll it too.
    const netScroll = el("div", { class: "dlv-pg-netscroll", tabindex: "0", role: "group",
                                  "aria-label": "The network: inputs, hidden layers, output" }, net);
    const netHead = el("div", { class: "dlv-pg-nethead" });
    const netCol = el("div", { class: "dlv-pg-netcol" }, netHead, netScroll);

    // The output: losses, the map with axes and its legend, the loss chart, the switches.
    const testLossOut = el("b", { class: "dlv-pg-testloss" }), trainLossOut = el("b", { class: "dlv-pg-trainloss" });
    const lossText = el("p", { class: "dlv-pg-losses" },
      el("span", {}, "Test loss ", testLossOut), el("span", {}, "Training loss ", trainLossOut));
    const mapTitle = el("p", { class: "dlv-pg-maptitle" });
    const plot = el("canvas", { class: "dlv-pg-output", role: "img",
                                "aria-label": "The network's output over the plane, with the data points" });
    const legend = el("canvas", { class: "dlv-pg-legend", role: "img",
                                  "aria-label": "Colour scale: −1 orange, 0 page colour, +1 blue" });
    const chart = el("svg", { class: "dlv-pg-loss", role: "img",
                              "aria-label": "Training (solid) and test (dashed) loss over epochs" });
    const showTest = el("input", { type: "checkbox", "data-control": "showTestData" });
    const discretize = el("input", { type: "checkbox", "data-control": "discretize" });
    showTest.addEventListener("change", () => change("showTestData", showTest.checked));
    discretize.addEventListener("change", () => change("discretize", discretize.checked));
    const key = el("p", { class: "dlv-pg-key" });
    // What the build's training of the opening setting reached, shown while the setting is it.
    const built = el("p", { class: "dlv-pg-built" });
    const outCol = el("div", { class: "dlv-pg-out" }, el("p", { class: "dlv-pg-h" }, "Output"),
      el("div", { class: "dlv-pg-plotbox" }, mapTitle, plot, legend, key),
      el("div", { class: "dlv-pg-outside" }, lossText, built, chart,
        el("div", { class: "dlv-pg-switches" },
          el("label", {}, showTest, " Show test data"), el("label", {}, discretize, " Discretize output"))));

    const notice = el("p", { class: "dlv-pg-notice", role: "status", hidden: "" });
    const alert = el("p", { class: "dlv-pg-alert", role: "alert", hidden: "" });
    root.replaceChildren(top, notice, alert,
      el("div", { class: "dlv-pg-main" }, dataCol, netCol, outCol));

    reset.addEventListener("click", () => { stop(); newNetwork(); redraw(); });
    play.addEventListener("click", () => (run.playing ? stop() : startPlaying()));
    step.addEventListener("click", () => { stop(); trainOne(); redraw(); });

    // ---- the state: data, network, training ------------------------------------------
    const currentSet = () => (s.problem === "classification" ? s.dataset : s.regDataset);
    const startData = () => DATA_KEYS.every((k) => same(s[k], start.config[k]))
      && (s.problem === "classification" ? s.dataset === start.config.dataset : s.regDataset === start.config.regDataset);
    const startNet = () => startData() && NET_KEYS.every((k) => same(s[k], start.config[k]));
    // The page's own draws, all from the setting's seed: data, weights and minibatch order
    // each from their own generator, so changing one redraws only that one.
    const draws = (what) => NN().rng((s.seed * 3 + { data: 0, weights: 1, order: 2 }[what]) >>> 0);

    function withInputs(points, targets) {
      return { P: points, Y: targets, X: points.map(([a, b]) => NN().featurize(a, b, s.features)) };
    }
    function newData() {
      let train, test;
      if (startData()) {
        train = start.train; test = start.test;
      } else {
        const g = draws("data");
        const all = DATA().generate(currentSet(), N_SAMPLES, s.noise / 100, g.uniform, g.normal);
        const parts = DATA().split(all.X, all.Y, s.percTrainData, NN().permutation(all.X.length, g.uniform));
        train = rows(parts.train); test = rows(parts.test);
      }
      run.train = withInputs(train.map((r) => [r[0], r[1]]), train.map((r) => r[2]));
      run.test = withInputs(test.map((r) => [r[0], r[1]]), test.map((r) => r[2]));
    }
    // A part of PlaygroundData.split ({X, Y}) as rows [x1, x2, y], as start.json has them.
    const rows = (part) => part.X.map((x, i) => [x[0], x[1], part.Y[i]]);
    function newNetwork() {
      const output = s.problem === "classification" ? "tanh" : "linear";
      if (startNet()) {
        run.net = NN().fromWeights(start.init.W, start.init.b, s.activation, output);
      } else {
        run.net = NN().create([s.features.length, ...s.networkShape, 1], s.activation, output,
                              draws("weights").normal);
      }
      run.train = withInputs(run.train.P, run.train.Y);
      run.test = withInputs(run.test.P, run.test.Y);
      run.orderRng = draws("order");
      run.epoch = 0;
      run.diverged = null;
      run.history = [losses()];
      run.hover = null;
      buildNetwork();
    }
    function losses() {
      return [NN().cost(run.net, run.train.X, run.train.Y), NN().cost(run.net, run.test.X, run.test.Y)];
    }
    function trainOne() {
      if (run.diverged) return false;
      const order = NN().permutation(run.train.X.length, run.orderRng.uniform);
      const r = NN().trainEpoch(run.net, run.train.X, run.train.Y, order,
        { learningRate: s.learningRate, regularization: s.regularization,
          regularizationRate: s.regularization === "none" ? 0 : s.regularizationRate, batchSize: s.batchSize });
      run.epoch += 1;
      if (r.diverged) {
        run.diverged = { epoch: run.epoch, step: r.diverged.step };
        return false;
      }
      const l = losses();
      if (!l.every(Number.isFinite)) {
        run.diverged = { epoch: run.epoch, step: r.steps };
        return false;
      }
      run.history.push(l);
      return true;
    }

    // One epoch per animation frame while playing; stops when the element leaves the page.
    // The maps (GRID x GRID forward passes through every unit, then painting) are redrawn
    // every `run.every`-th frame: 1 while they take under ~16 ms, more for a big network
    // (6 layers of 8 take ~25 ms on a slow machine), so training stays smooth; the
    // numbers, the edges and the loss chart follow every epoch.
    function frame() {
      if (!run.playing) return;
      if (!root.isConnected) { run.playing = false; return; }
      const ok = trainOne();
      run.frames += 1;
      redraw(!ok || run.frames % run.every === 0);
      if (!ok) { stop(); return; }
      run.frame = requestAnimationFrame(frame);
    }
    function startPlaying() {
      if (run.diverged) return;
      run.playing = true; showPlaying();
      run.frame = requestAnimationFrame(frame);
    }
    function stop() {
      const was = run.playing;
      run.playing = false; cancelAnimationFrame(run.frame); showPlaying();
      if (was && run.frames % run.every !== 0) redraw();   // the maps of the last epoch
    }
    function showPlaying() {
      play.replaceChildren(icon(run.playing ? ICONS.pause : ICONS.play), run.playing ? " Pause" : " Play");
      play.setAttribute("aria-pressed", String(run.playing));
      root.dataset.playing = String(run.playing);
    }

    // A control changed: the setting, then what it invalidates, then the hash.
    function change(name, value) {
      if (same(s[name], value)) return;
      s[name] = value;
      if (name === "showTestData" || name === "discretize" || HYPER.includes(name)) {
        // keeps training: the next step uses the new value
      } else if (DATA_KEYS.includes(name)) {
        stop(); newData(); newNetwork();
      } else {
        stop(); newNetwork();
      }
      writeHash();
      redraw();
    }
    function chooseSet(name) {
      change(CLASSIFICATION.includes(name) ? "dataset" : "regDataset", name);
    }
    function writeHash() {
      run.writtenHash = "#" + toHash(s);
      history.replaceState(history.state, "", run.writtenHash);
    }
    function applyHash(hash, initial) {
      const { setting, ignored } = fromHash(hash, defaults, options);
      Object.assign(s, setting);
      notice.hidden = !ignored.length;
      notice.textContent = ignored.length ? `Ignored from the link: ${ignored.join("; ")}.` : "";
      root.dataset.ignored = ignored.join("; ");
      root.dataset.applied = String(Number(root.dataset.applied || 0) + 1);   // links followed
      if (!initial) stop();
      newData(); newNetwork(); redraw();
    }
    document.querySelectorAll("a.dlv-pg-setting[data-setting]").forEach((a) => {
      a.setAttribute("href", "#" + a.dataset.setting);
    });
    window.addEventListener("hashchange", function onHash() {
      if (!root.isConnected) { window.removeEventListener("hashchange", onHash); return; }
      if (isSettingHash(location.hash) && location.hash !== run.writtenHash) applyHash(location.hash, false);
    });

    // ---- the network diagram ----------------------------------------------------------
    // One node per input, hidden unit and the output; each with a thumbnail canvas.
    let nodes = [];   // {el, canvas, layer, unit, label}
    function buildNetwork() {
      // the keyboard stays where it was: on the rebuilt control of the same name
      const active = document.activeElement;
      const refocus = active && netCol.contains(active) && active !== netScroll && active.getAttribute("aria-label");
      net.replaceChildren(edges);
      nodes = [];
      const column = (cls, head, ...kids) => el("div", { class: `dlv-pg-layer ${cls}` }, head, ...kids);
      // Inputs: every feature, on or off (a toggle), its map drawn when on.
      const inputs = column("dlv-pg-inputs", el("div", { class: "dlv-pg-layerhead" }, "Features"));
      for (const f of NN().FEATURES) {
        const on = s.features.includes(f);
        const canvas = el("canvas", { "aria-hidden": "true" });
        const b = el("button", { type: "button", class: "dlv-pg-node dlv-pg-feature", "data-feature": f,
                                 "aria-pressed": String(on), "aria-label": `input ${FEATURE_TEXT[f]}` },
          canvas, el("span", { class: "dlv-pg-nodelabel" }, FEATURE_TEXT[f]));
        b.addEventListener("click", () => {
          const next = s.features.includes(f) ? s.features.filter((g) => g !== f)
            : NN().FEATURES.filter((g) => g === f || s.features.includes(g));
          if (next.length) change("features", next);
        });
        hoverable(b, on ? { layer: 0, unit: s.features.indexOf(f), label: `input ${FEATURE_TEXT[f]} (scaled to ±1 on the plane)`, feature: f } : null);
        inputs.append(b);
        if (on) nodes.push({ el: b, canvas, layer: 0, unit: s.features.indexOf(f), feature: f });
      }
      net.append(inputs);
      // Hidden layers.
      s.networkShape.forEach((width, l) => {
        const plus = button("dlv-pg-plus", "+", { "aria-label": `add a neuron to layer ${l + 1}`,
                                                  disabled: width >= MAX_WIDTH ? "" : null });
        const minus = button("dlv-pg-minus", "−", { "aria-label": `remove a neuron from layer ${l + 1}`,
                                                    disabled: width <= 1 ? "" : null });
        plus.addEventListener("click", () => setWidth(l, width + 1));
        minus.addEventListener("click", () => setWidth(l, width - 1));
        const col = column("dlv-pg-hidden",
          el("div", { class: "dlv-pg-layerhead" }, el("div", { class: "dlv-pg-pm" }, plus, minus),
             `${width} neuron${width > 1 ? "s" : ""}`));
        for (let j = 0; j < width; j++) {
          const canvas = el("canvas", { "aria-hidden": "true" });
          const label = `neuron ${j + 1} of layer ${l + 1}`;
          const node = el("div", { class: "dlv-pg-node dlv-pg-unit", tabindex: "0", role: "img",
                                   "aria-label": `${label}: its output over the plane` }, canvas);
          hoverable(node, { layer: l + 1, unit: j, label });
          col.append(node);
          nodes.push({ el: node, canvas, layer: l + 1, unit: j });
        }
        net.append(col);
      });
      const outNode = el("div", { class: "dlv-pg-node dlv-pg-outunit", "aria-hidden": "true" },
        el("canvas", {}), el("span", { class: "dlv-pg-nodelabel" }, "output"));
      net.append(column("dlv-pg-outlayer", el("div", { class: "dlv-pg-layerhead" }, "Output"), outNode));
      nodes.push({ el: outNode, canvas: outNode.firstChild, layer: s.networkShape.length + 1, unit: 0 });
      // Header: the number of hidden layers with + / -.
      const L = s.networkShape.length;
      const addL = button("dlv-pg-plus", "+", { "aria-label": "add a hidden layer", disabled: L >= MAX_LAYERS ? "" : null });
      const remL = button("dlv-pg-minus", "−", { "aria-label": "remove a hidden layer", disabled: L === 0 ? "" : null });
      addL.addEventListener("click", () => change("networkShape", [...s.networkShape, 2]));
      remL.addEventListener("click", () => change("networkShape", s.networkShape.slice(0, -1)));
      netHead.replaceChildren(el("div", { class: "dlv-pg-pm" }, addL, remL),
        el("p", { class: "dlv-pg-h" }, `${L} hidden layer${L === 1 ? "" : "s"}`));
      root.dataset.layers = String(L);
      sizes = null;
      placeEdges();
      if (refocus) {
        const again = [...netCol.querySelectorAll("[aria-label]")].find((e) => e.getAttribute("aria-label") === refocus);
        if (again && !again.disabled) again.focus();
        else if (again) (again.previousElementSibling || again.nextElementSibling || netScroll).focus();
      }
    }
    function setWidth(l, width) {
      const shape = s.networkShape.slice();
      shape[l] = width;
      change("networkShape", shape);
    }
    function hoverable(node, target) {
      if (!target) return;
      const on = () => { run.hover = target; drawOutput(); };
      const off = () => { if (run.hover === target) { run.hover = null; drawOutput(); } };
      node.addEventListener("mouseenter", on); node.addEventListener("focus", on);
      node.addEventListener("mouseleave", off); node.addEventListener("blur", off);
    }

    // Edges: one SVG path from each unit to each unit of the next layer, its colour the
    // sign of the weight, its width its size. Positions from the laid-out nodes.
    let edgePaths = [];
    function placeEdges() {
      edges.replaceChildren();
      edgePaths = [];
      const box = net.getBoundingClientRect();
      edges.setAttribute("width", String(net.scrollWidth));
      edges.setAttribute("height", String(net.scrollHeight));
      const at = (node, side) => {
        const r = node.el.querySelector("canvas").getBoundingClientRect();
        return [(side ? r.right : r.left) - box.left, r.top + r.height / 2 - box.top];
      };
      const byLayer = [];
      for (const n of nodes) (byLayer[n.layer] = byLayer[n.layer] || []).push(n);
      for (let l = 1; l < byLayer.length; l++) {
        for (const to of byLayer[l]) {
          for (const from of byLayer[l - 1]) {
            const [x1, y1] = at(from, true), [x2, y2] = at(to, false), mx = (x1 + x2) / 2;
            const p = el("path", { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}` });
            edges.append(p);
            edgePaths.push({ p, l: l - 1, j: to.unit, i: from.unit });
          }
        }
      }
    }
    function drawEdges() {
      const W = NN().weights(run.net).W;
      for (const { p, l, j, i } of edgePaths) {
        const w = W[l][j][i];
        p.setAttribute("class", w >= 0 ? "dlv-pg-wpos" : "dlv-pg-wneg");
        p.style.stroke = w >= 0 ? pal.pos : pal.neg;
        p.setAttribute("stroke-width", String(Math.min(8, 0.4 + 2 * Math.abs(w)).toFixed(2)));
      }
    }

    // ---- the maps: every unit's value on the GRID x GRID cells of the plane -------------
    function computeMaps() {
      const n = GRID, sizes = [s.features.length, ...s.networkShape, 1];
      const maps = sizes.map((k) => Array.from({ length: k }, () => new Float32Array(n * n)));
      for (let r = 0; r < n; r++) {
        const x2 = EXTENT - (2 * EXTENT * (r + 0.5)) / n;
        for (let c = 0; c < n; c++) {
          const x1 = -EXTENT + (2 * EXTENT * (c + 0.5)) / n;
          const a = NN().forward(run.net, NN().featurize(x1, x2, s.features));
          const cell = r * n + c;
          for (let l = 0; l < a.length; l++) {
            const al = a[l], ml = maps[l];
            for (let j = 0; j < al.length; j++) ml[j][cell] = al[j];
          }
        }
      }
      // inputs drawn divided by their largest size on the plane
      s.features.forEach((f, i) => { const m = maps[0][i]; for (let k = 0; k < m.length; k++) m[k] /= FEATURE_SCALE[f]; });
      run.maps = maps;
    }
    // The value drawn for a regression output: the target's own scale, clipped to ±1.
    function drawThumbs() {
      const size = measured().thumb;
      for (const n of nodes) {
        const ctx = fitCanvas(n.canvas, size, size, false);
        paintMap(ctx, scratch, run.maps[n.layer][n.unit], GRID, false, pal, 0, 0, size, size);
      }
      for (const f of NN().FEATURES) {   // inputs switched off: blank
        if (s.features.includes(f)) continue;
        const c = net.querySelector(`[data-feature="${f}"] canvas`);
        const ctx = fitCanvas(c, size, size, false);
        ctx.clearRect(0, 0, size, size);
      }
    }

    // The big map: the output (or the hovered unit) with axes, ticks and the points.
    function drawOutput() {
      if (!run.maps || !pal) return;
      const box = measured().plot;
      const size = Math.max(200, Math.min(box, 360));
      const m = { l: 30, r: 8, t: 6, b: 32 };
      const side = size - m.l - m.r;
      const ctx = fitCanvas(plot, size, side + m.t + m.b);
      ctx.clearRect(0, 0, size, side + m.t + m.b);
      const hovered = run.hover && (run.maps[run.hover.layer] || [])[run.hover.unit];
      if (run.hover && !hovered) run.hover = null;   // a unit of a network since rebuilt
      const target = run.hover || { layer: run.maps.length - 1, unit: 0, label: null };
      const discrete = s.discretize && !run.hover && s.problem === "classification";
      paintMap(ctx, scratch, run.maps[target.layer][target.unit], GRID, discrete, pal, m.l, m.t, side, side);
      mapTitle.textContent = target.label ? `Showing the map of ${target.label}` : "Showing the network's output";
      root.dataset.showing = target.label || "output";
      // points: training filled, test outlined when shown
      const px = (x) => m.l + ((x + EXTENT) / (2 * EXTENT)) * side;
      const py = (y) => m.t + ((EXTENT - y) / (2 * EXTENT)) * side;
      const dot = (x, y, v, outlined) => {
        ctx.beginPath();
        ctx.arc(px(x), py(y), outlined ? 3.2 : 2.8, 0, 2 * Math.PI);
        const classes = s.problem === "classification";
        ctx.fillStyle = classes ? (v > 0 ? pal.pos : pal.neg) : pal.point(v);
        ctx.fill();
        ctx.lineWidth = outlined ? 1.4 : classes ? 0.8 : 0.5;
        ctx.strokeStyle = outlined || !classes ? pal.fg : pal.bg;
        ctx.stroke();
      };
      ctx.save();
      ctx.beginPath(); ctx.rect(m.l, m.t, side, side); ctx.clip();
      run.train.P.forEach((p, i) => dot(p[0], p[1], run.train.Y[i], false));
      if (s.showTestData) run.test.P.forEach((p, i) => dot(p[0], p[1], run.test.Y[i], true));
      ctx.restore();
      // axes: a frame, ticks every 2 (every 3 when narrow), x1 and x2
      const font = pal.font;
      ctx.strokeStyle = pal.fg; ctx.fillStyle = pal.fg; ctx.lineWidth = 1;
      ctx.strokeRect(m.l + 0.5, m.t + 0.5, side - 1, side - 1);
      ctx.font = `11px ${font}`;
      const every = side < 260 ? 3 : 2;
      for (let t = -EXTENT; t <= EXTENT; t += every) {
        ctx.beginPath();
        ctx.moveTo(px(t), m.t + side); ctx.lineTo(px(t), m.t + side + 4);
        ctx.moveTo(m.l - 4, py(t)); ctx.lineTo(m.l, py(t));
        ctx.stroke();
        const label = t < 0 ? `−${-t}` : String(t);
        ctx.textAlign = "center"; ctx.textBaseline = "top";
        ctx.fillText(label, px(t), m.t + side + 5);
        ctx.textAlign = "right"; ctx.textBaseline = "middle";
        ctx.fillText(label, m.l - 6, py(t));
      }
      ctx.font = `italic 12px ${font}`;
      ctx.textAlign = "center"; ctx.textBaseline = "bottom";
      ctx.fillText("x₁", m.l + side / 2, m.t + side + m.b - 1);
      ctx.save();
      ctx.translate(9, m.t + side / 2); ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = "middle";
      ctx.fillText("x₂", 0, 0);
      ctx.restore();
      drawLegend(size, m.l, side);
    }
    function mapColour(v) {
      const j = 3 * lutIndex(v, false);
      return `rgb(${pal.lut[j]},${pal.lut[j + 1]},${pal.lut[j + 2]})`;
    }
    function drawLegend(size, left, side) {
      const h = 30, ctx = fitCanvas(legend, size, h), bar = 10;
      ctx.clearRect(0, 0, size, h);
      const steps = 128;
      for (let i = 0; i < steps; i++) {
        ctx.fillStyle = mapColour(-1 + (2 * (i + 0.5)) / steps);
        ctx.fillRect(left + (i * side) / steps, 2, side / steps + 0.6, bar);
      }
      ctx.strokeStyle = pal.fg; ctx.lineWidth = 1;
      ctx.strokeRect(left + 0.5, 2.5, side - 1, bar);
      ctx.fillStyle = pal.fg;
      ctx.font = `11px ${pal.font}`;
      ctx.textBaseline = "top";
      [[-1, "left", "−1"], [0, "center", "0"], [1, "right", "1"]].forEach(([v, align, text]) => {
        ctx.textAlign = align;
        ctx.fillText(text, left + ((v + 1) / 2) * side, bar + 5);
      });
    }

    // The loss chart: training solid, test dashed, epochs along, loss up, with axes.
    function drawChart() {
      const W = measured().chart;
      const H = 130, m = { l: 40, r: 8, t: 8, b: 22 };
      chart.setAttribute("height", String(H));
      chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
      const h = run.history, n = Math.max(1, h.length - 1);
      const top = Math.max(1e-3, ...h.flat().filter(Number.isFinite));
      const x = (i) => m.l + (i / n) * (W - m.l - m.r);
      const y = (v) => m.t + (1 - Math.min(v, top) / top) * (H - m.t - m.b);
      // at most ~300 points: thin long histories
      const every = Math.max(1, Math.ceil(h.length / 300));
      const line = (k) => h.map((l, i) => [i, l[k]]).filter(([i]) => i % every === 0 || i === h.length - 1)
        .map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      const tick = (v) => (v >= 1000 ? v.toExponential(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2));
      chart.replaceChildren(
        el("line", { class: "dlv-pg-axis", x1: m.l, x2: m.l, y1: m.t, y2: H - m.b }),
        el("line", { class: "dlv-pg-axis", x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b }),
        el("line", { class: "dlv-pg-axis", x1: m.l - 4, x2: m.l, y1: m.t, y2: m.t }),
        el("text", { x: m.l - 6, y: m.t + 4, "text-anchor": "end" }, tick(top)),
        el("text", { x: m.l - 6, y: H - m.b + 4, "text-anchor": "end" }, "0"),
        el("text", { x: m.l, y: H - 4, "text-anchor": "start" }, "0"),
        el("text", { x: W - m.r, y: H - 4, "text-anchor": "end" }, `epoch ${h.length - 1}`),
        el("text", { x: (m.l + W) / 2, y: H - 4, "text-anchor": "middle" }, "epochs"),
        el("polyline", { class: "dlv-pg-ltrain", points: line(0) }),
        el("polyline", { class: "dlv-pg-ltest", points: line(1) }));
    }

    // Sizes read from the layout once, again when it changes (ResizeObserver, a new
    // network): reading them every frame would force a layout per frame.
    let sizes = null;
    function measured() {
      if (!sizes) {
        const thumb = nodes.length ? nodes[0].canvas.clientWidth : 0;   // inside the border
        sizes = { thumb: thumb || 32, plot: plot.parentElement.clientWidth || 300,
                  chart: Math.max(200, Math.round(chart.getBoundingClientRect().width) || 300) };
      }
      return sizes;
    }

    // ---- drawing everything ---------------------------------------------------------
    function redraw(maps = true) {
      if (!root.isConnected) return;
      if (!pal) pal = palette(root);   // read once per theme (a style read costs a frame's layout)
      // controls show the setting
      for (const [k, c] of Object.entries(selects)) c.sel.value = String(s[k]);
      for (const [k, c] of Object.entries(sliders)) { c.input.value = String(s[k]); c.value.textContent = s[k] + c.unit; }
      showTest.checked = s.showTestData; discretize.checked = s.discretize;
      discretize.disabled = s.problem !== "classification";
      const list = s.problem === "classification" ? CLASSIFICATION : REGRESSION;
      for (const [name, b] of Object.entries(setButtons)) {
        const chosen = name === currentSet();
        b.hidden = !list.includes(name);
        b.setAttribute("aria-checked", String(chosen));
        b.tabIndex = chosen ? 0 : -1;
      }
      key.replaceChildren(...(s.problem === "classification"
        ? [swatch("dlv-pg-cneg"), " class −1 ", swatch("dlv-pg-cpos"), " class +1; shading: the map shown"]
        : [swatch("dlv-pg-cneg"), " −1 ", swatch("dlv-pg-cpos"), " +1; points: the target; shading: the map shown"]));
      // state
      const [trainLoss, testLoss] = run.history[run.history.length - 1];
      epochOut.textContent = String(run.epoch).padStart(3, "0");
      testLossOut.textContent = fmt(testLoss); trainLossOut.textContent = fmt(trainLoss);
      const b = start.build;
      built.hidden = !(b && startNet());
      if (b && startNet()) {
        built.textContent = `The build trained this setting for ${b.epochs} epochs: test loss ${fmt(b.test_loss)}, `
          + `training loss ${fmt(b.train_loss)}. Here the minibatch order is drawn in the page: expect close numbers, not equal ones.`;
      }
      root.dataset.epoch = String(run.epoch);
      root.dataset.trainLoss = String(trainLoss);
      root.dataset.testLoss = String(testLoss);
      root.dataset.diverged = run.diverged ? "true" : "false";
      alert.hidden = !run.diverged;
      alert.textContent = run.diverged
        ? `Training diverged at epoch ${run.diverged.epoch}, step ${run.diverged.step}: lower the learning rate, then reset.`
        : "";
      play.disabled = Boolean(run.diverged); step.disabled = Boolean(run.diverged);
      if (maps) {
        const t0 = performance.now();
        computeMaps();
        drawThumbs();
        drawOutput();
        run.every = Math.min(6, Math.max(1, Math.ceil((performance.now() - t0) / 16)));
        root.dataset.mapsEpoch = String(run.epoch);
      }
      drawEdges();
      drawChart();
    }
    function swatch(cls) {
      const svg = el("svg", { class: "dlv-pg-swatch", viewBox: "0 0 10 10", "aria-hidden": "true" });
      svg.append(el("rect", { class: cls, width: "10", height: "10", rx: "5" }));
      return svg;
    }
    key.append(swatch("dlv-pg-cneg"), swatch("dlv-pg-cpos"));   // palette() reads them at once

    // Repaint on a theme switch and when the column changes width (edges, plot size).
    new MutationObserver((_, obs) => {
      if (!root.isConnected) { obs.disconnect(); return; }
      pal = null;
      drawSetThumbs();
      redraw();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    let lastWidth = 0;
    const resize = new ResizeObserver(() => {
      if (!root.isConnected) { resize.disconnect(); return; }
      if (root.clientWidth === lastWidth) return;
      lastWidth = root.clientWidth;
      sizes = null;
      placeEdges();
      if (run.maps) { drawEdges(); drawOutput(); drawChart(); }
    });
    resize.observe(root);

    showPlaying();
    drawSetThumbs();
    applyHash(isSettingHash(location.hash) ? location.hash : "", true);

    // The data set buttons' pictures: each set drawn once, from a fixed seed.
    function drawSetThumbs() {
      const p = palette(root);
      for (const name of [...CLASSIFICATION, ...REGRESSION]) {
        const g = NN().rng(1);
        const d = DATA().generate(name, 200, 0, g.uniform, g.normal);
        const c = setButtons[name].querySelector("canvas"), size = 40;
        const ctx = fitCanvas(c, size, size);
        ctx.clearRect(0, 0, size, size);
        d.X.forEach((x, i) => {
          const v = d.Y[i];
          ctx.fillStyle = CLASSIFICATION.includes(name) ? (v > 0 ? p.pos : p.neg) : p.point(v);
          ctx.fillRect(((x[0] + EXTENT) / 12) * size - 1, ((EXTENT - x[1]) / 12) * size - 1, 2, 2);
        });
      }
    }
  };
})();
