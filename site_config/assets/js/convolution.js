/* The convolution explorer: a window slid over an image step by step, the products
   under it written out, the output filling in (CNN Explainer's view, our own code).

   The maths is not here: every output value comes from DlvConv (assets/js/lib/conv.js),
   the course library's Conv2D, MaxPool2D and MeanPool2D (generators/nn/conv.py, pool.py)
   in JavaScript. This file only lists, for the current output cell, the products (or the
   region's entries) that DlvConv adds up, in the same order (channel, row, column, as
   conv.js's loops), so that their sum is, to the last bit, DlvConv's value; the browser
   test checks it.

   Data: the build's `stepper` export (generated/convolution/stepper.json, made by
   generators/convolution/fig_stepper.py): three images (the lecture's 5 x 5, a digit on
   0-16, the photo's face on [0, 1]) and the kernels, each as integers and a divisor per
   size, the weights being integers / divisor as in fig_photo.KERNELS.

   State lives in the URL hash (#image=digit&kernel=box&size=2&stride=1&padding=0&mode=conv
   &pool=2&pstride=2&row=0&col=0), written as it changes (history.replaceState) and read
   on load and on hashchange. A value out of range is clamped, an unknown one ignored,
   and either is named in a visible notice ("stride=9 → 3 (1–3)"); so is an arrow key
   pressed at the edge of the output.

   Colours: the course's class colours (orange below 0, blue above, as playground.css and
   generators/style.py) mixed into the page colour by CSS (color-mix in convolution.css),
   so a theme switch recolours every cell with no script.

   The element's data-row, data-col, data-value, data-sum, data-filled and data-playing
   say where it is (the browser tests wait on them). */
(function () {
  "use strict";
  const Conv = () => window.DlvConv;

  const MODES = { conv: "Convolution", max: "Max pooling", mean: "Mean pooling" };
  const NUMBER_KEYS = ["size", "stride", "padding", "pool", "pstride"];
  const KEYS = ["image", "kernel", "size", "stride", "padding", "mode", "pool", "pstride", "row", "col"];
  const STEP_MS = 450;        // one output cell per step while playing

  // ---- small helpers ------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    node.append(...children);
    return node;
  }
  const minus = (s) => s.replace(/^-/, "−");
  /** A value as the page writes it: integers as integers, anything else to 2 decimals. */
  function fmt(v, integer) {
    if (integer && Number.isInteger(v)) return minus(String(v));
    const s = v.toFixed(2);
    return minus(s === "-0.00" ? "0.00" : s);
  }
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
  /** A cell's tint: its value over the grid's largest |value|, as a CSS custom property. */
  function tint(cell, v, scale) {
    const t = scale > 0 ? clamp(v / scale, -1, 1) : 0;
    cell.style.setProperty("--t", (Math.round(Math.abs(t) * 100) / 100).toString());
    cell.classList.toggle("dlv-cv-neg", t < 0);
  }
  const largest = (rows) => rows.reduce((m, row) => Math.max(m, ...row.map(Math.abs)), 0);

  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.convolution = function init(root, data) {
    const images = Object.fromEntries(data.images.map((im) => [im.key, im]));
    const kernels = Object.fromEntries(data.kernels.map((k) => [k.key, k]));
    const R = data.ranges, D = data.defaults;
    const s = Object.assign({}, D);
    const run = { visited: new Set(), timer: null, out: null, writtenHash: "", dragging: false };

    // ---- the setting and the link ---------------------------------------------------
    /** The kernel's sizes, and the size used: a kernel with one size fixes it. */
    const sizesOf = (key) => Object.keys(kernels[key].sizes).map(Number);
    /** Weights (K, K) of kernel `key` at size K: integers / divisor (fig_stepper.kernel_weights). */
    function weights(key, K) {
      const e = kernels[key].sizes[String(K)];
      return e.weights.map((row) => row.map((w) => w / e.divisor));
    }
    /** Output geometry of the current setting: window side, stride, padding, output size. */
    function geometry() {
      const x = images[s.image].values, h = x.length, w = x[0].length;
      const conv = s.mode === "conv";
      const K = conv ? s.size : s.pool, S = conv ? s.stride : s.pstride, P = conv ? s.padding : 0;
      return { h, w, K, S, P, ho: Conv().outSize(h, K, S, P), wo: Conv().outSize(w, K, S, P) };
    }
    /** Fit the setting together; each change is named in `notes` when `notes` is given. */
    function normalize(notes) {
      const sizes = sizesOf(s.kernel);
      if (!sizes.includes(s.size)) {
        const to = sizes.includes(3) ? 3 : sizes[0];
        if (notes) notes.push(`size=${s.size} → ${to} (${kernels[s.kernel].name} is ${to} × ${to} only)`);
        s.size = to;
      }
      const g = geometry();
      for (const [key, n] of [["row", g.ho], ["col", g.wo]]) {
        const to = clamp(s[key], 0, n - 1);
        if (to !== s[key] && notes) notes.push(`${key}=${s[key]} → ${to} (0–${n - 1})`);
        s[key] = to;
      }
    }
    function fromHash(hash) {
      const notes = [];
      Object.assign(s, D);
      const params = new URLSearchParams(hash.replace(/^#/, ""));
      for (const [key, raw] of params) {
        if (!KEYS.includes(key)) { notes.push(`${key}: not a setting of this explorer`); continue; }
        if (key === "image" || key === "kernel" || key === "mode") {
          const known = key === "image" ? images : key === "kernel" ? kernels : MODES;
          if (Object.prototype.hasOwnProperty.call(known, raw)) s[key] = raw;
          else notes.push(`${key}=${raw} → ${D[key]} (unknown: ${Object.keys(known).join(", ")})`);
          continue;
        }
        const v = Number(raw);
        if (raw.trim() === "" || !Number.isInteger(v)) {
          notes.push(`${key}=${raw} → ${D[key]} (not a whole number)`);
          continue;
        }
        if (NUMBER_KEYS.includes(key)) {
          const [lo, hi] = R[key], to = clamp(v, lo, hi);
          if (to !== v) notes.push(`${key}=${v} → ${to} (${lo}–${hi})`);
          s[key] = to;
        } else {
          s[key] = v;   // row, col: clamped to the output by normalize()
        }
      }
      normalize(notes);
      return notes;
    }
    function writeHash() {
      const params = new URLSearchParams();
      for (const key of KEYS) params.set(key, String(s[key]));
      run.writtenHash = "#" + params.toString();
      history.replaceState(history.state, "", run.writtenHash);
    }

    // ---- the page's parts -----------------------------------------------------------
    const select = (name, label, options) => {
      const node = el("select", { "data-control": name, "aria-label": label },
        ...options.map(([value, text]) => el("option", { value: String(value) }, text)));
      node.addEventListener("change", () => change(name, node.value));
      return el("label", { class: "dlv-cv-field" }, el("span", {}, label), node);
    };
    const fields = {
      mode: select("mode", "Operation", Object.entries(MODES)),
      image: select("image", "Image", data.images.map((im) => [im.key, im.name])),
      kernel: select("kernel", "Kernel", data.kernels.map((k) => [k.key, k.name])),
      size: select("size", "Kernel size K", range(...R.size).map((v) => [v, `${v} × ${v}`])),
      stride: select("stride", "Stride S", range(...R.stride).map((v) => [v, String(v)])),
      padding: select("padding", "Padding P", range(...R.padding).map((v) => [v, String(v)])),
      pool: select("pool", "Region m", range(...R.pool).map((v) => [v, `${v} × ${v}`])),
      pstride: select("pstride", "Stride S", range(...R.pstride).map((v) => [v, String(v)])),
    };
    const fixedNote = el("p", { class: "dlv-cv-fixed", "aria-live": "polite" });
    // Named by their visible text (Play becomes Pause while playing); the title says more.
    const button = (cls, text, title) => el("button", { type: "button", class: cls, title: title }, text);
    const playBtn = button("dlv-cv-play", "▶ Play", "play: move the window cell by cell");
    const stepBtn = button("dlv-cv-step", "Step ›", "step: move the window one cell on");
    const resetBtn = button("dlv-cv-reset", "↺ Reset", "reset: empty the output, window back to the start");
    const notice = el("p", { class: "dlv-cv-notice", role: "status", hidden: true });
    const formula = el("div", { class: "dlv-cv-formula" });

    const inputGrid = el("div", { class: "dlv-cv-grid dlv-cv-input", tabindex: "0", role: "group" });
    const windowBox = el("div", { class: "dlv-cv-window", "aria-hidden": "true" });
    const kernelGrid = el("div", { class: "dlv-cv-grid dlv-cv-kernel", role: "img" });
    const productGrid = el("div", { class: "dlv-cv-grid dlv-cv-products", role: "group",
                                    "aria-label": "the products under the window" });
    const sumLine = el("p", { class: "dlv-cv-sum", "aria-live": "polite" });
    const outputGrid = el("div", { class: "dlv-cv-grid dlv-cv-output", tabindex: "0", role: "group" });
    const titles = { input: el("h3", { class: "dlv-cv-h" }), kernel: el("h3", { class: "dlv-cv-h" }),
                     products: el("h3", { class: "dlv-cv-h" }), output: el("h3", { class: "dlv-cv-h" }) };
    const panel = (name, ...children) => el("div", { class: `dlv-cv-panel dlv-cv-panel-${name}` },
                                            titles[name], el("div", { class: "dlv-cv-scroll" }, ...children));
    const kernelPanel = panel("kernel", kernelGrid);
    const stage = el("div", { class: "dlv-cv-stage" });

    root.replaceChildren(
      el("div", { class: "dlv-cv-top" },
        el("div", { class: "dlv-cv-buttons" }, playBtn, stepBtn, resetBtn),
        el("div", { class: "dlv-cv-fields" }, ...Object.values(fields))),
      fixedNote, notice, formula,
      stage);
    stage.append(
      panel("input", el("div", { class: "dlv-cv-wrap" }, inputGrid, windowBox)),
      kernelPanel,
      panel("products", productGrid, sumLine),
      panel("output", outputGrid));
    root.append(el("p", { class: "dlv-cv-help" },
      "Click or drag on the image, click an output cell, or focus a grid and use the arrow keys."));

    // ---- computing ----------------------------------------------------------------------
    /** The whole output, from DlvConv only: (ho, wo). */
    function output() {
      const x = [images[s.image].values];
      if (s.mode === "conv") {
        return Conv().conv2d(x, [[weights(s.kernel, s.size)]], [0], { stride: s.stride, padding: s.padding })[0];
      }
      return (s.mode === "max" ? Conv().maxPool2d : Conv().meanPool2d)(x, s.pool, s.pstride)[0];
    }
    /** What the current output cell adds up: the window's terms in conv.js's order. */
    function terms(g) {
      const x = images[s.image].values, W = s.mode === "conv" ? weights(s.kernel, s.size) : null;
      const list = [];
      for (let u = 0; u < g.K; u++) {
        for (let v = 0; v < g.K; v++) {
          const i = s.row * g.S + u - g.P, j = s.col * g.S + v - g.P;
          const pad = i < 0 || j < 0 || i >= g.h || j >= g.w;
          const xv = pad ? 0 : x[i][j];
          list.push(W ? { x: xv, w: W[u][v], p: xv * W[u][v], pad } : { x: xv, pad });
        }
      }
      return list;
    }
    /** The terms' total as DlvConv forms it: products added one by one, then the bias 0
       (conv2d); the region's largest entry (maxPool2d); its entries added, divided by m m
       (meanPool2d). */
    function total(list) {
      if (s.mode === "max") return list.reduce((m, t) => (t.x > m ? t.x : m), list[0].x);
      let sum = 0;
      for (const t of list) sum += s.mode === "conv" ? t.p : t.x;
      return s.mode === "conv" ? sum + 0 : sum / list.length;
    }
    const integerOutput = () => images[s.image].integer && (s.mode === "max" ||
      (s.mode === "conv" && kernels[s.kernel].sizes[String(s.size)].divisor === 1));

    // ---- drawing ------------------------------------------------------------------------
    function cell(text, cls) {
      return el("div", { class: "dlv-cv-cell" + (cls ? " " + cls : "") }, text);
    }
    function setGrid(grid, rows, cols) {
      grid.style.gridTemplateColumns = `repeat(${cols}, max-content)`;
      grid.dataset.rows = String(rows);
      grid.dataset.cols = String(cols);
    }
    function draw() {
      const g = geometry(), img = images[s.image], conv = s.mode === "conv";
      run.out = output();
      run.visited.add(`${s.row},${s.col}`);
      const list = terms(g), value = run.out[s.row][s.col], sum = total(list);
      const intIn = img.integer, intOut = integerOutput();
      root.classList.toggle("dlv-cv-floats", !intIn || !intOut);
      root.dataset.mode = s.mode;

      // Controls.
      for (const [name, f] of Object.entries(fields)) f.querySelector("select").value = String(s[name]);
      const fixed = sizesOf(s.kernel).length === 1;
      fields.size.querySelector("select").disabled = fixed;
      for (const name of ["kernel", "size", "stride", "padding"]) fields[name].hidden = !conv;
      for (const name of ["pool", "pstride"]) fields[name].hidden = conv;
      fixedNote.textContent = conv && fixed
        ? `${kernels[s.kernel].name} is ${s.size} × ${s.size} only: choose the box blur for other sizes.` : "";
      fixedNote.hidden = !fixedNote.textContent;
      kernelPanel.hidden = !conv;

      // The output-size formula with the live numbers.
      const line = (n, name) => {
        const num = n + 2 * g.P - g.K, out = Math.floor(num / g.S) + 1, left = num % g.S;
        const general = conv ? `⌊(${name} + 2P − K) / S⌋ + 1` : `⌊(${name} − m) / S⌋ + 1`;
        const live = conv ? `⌊(${n} + 2·${g.P} − ${g.K}) / ${g.S}⌋ + 1` : `⌊(${n} − ${g.K}) / ${g.S}⌋ + 1`;
        const extra = left ? ` (${left} ${name === "h" ? (left > 1 ? "rows" : "row") : (left > 1 ? "columns" : "column")} left over)` : "";
        return el("div", {}, el("var", {}, `${name}_out`), ` = ${general} = ${live} = `,
                  el("strong", {}, String(out)), extra);
      };
      formula.replaceChildren(line(g.h, "h"), line(g.w, "w"));

      // The input, padded, with the window on it.
      const H = g.h + 2 * g.P, Wd = g.w + 2 * g.P, scaleIn = largest(img.values);
      setGrid(inputGrid, H, Wd);
      const cells = [];
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < Wd; j++) {
          const a = i - g.P, b = j - g.P, pad = a < 0 || b < 0 || a >= g.h || b >= g.w;
          const c = cell(pad ? "0" : fmt(img.values[a][b], intIn), pad ? "dlv-cv-pad" : "");
          if (!pad) tint(c, img.values[a][b], scaleIn);
          const inside = i >= s.row * g.S && i < s.row * g.S + g.K && j >= s.col * g.S && j < s.col * g.S + g.K;
          if (inside) c.classList.add("dlv-cv-in");
          cells.push(c);
        }
      }
      inputGrid.replaceChildren(...cells);
      windowBox.style.setProperty("--r", String(s.row * g.S));
      windowBox.style.setProperty("--c", String(s.col * g.S));
      windowBox.style.setProperty("--k", String(g.K));
      titles.input.textContent = `${conv ? "Image" : "Map"} ${g.h} × ${g.w}` + (g.P ? `, padded by ${g.P}` : "");
      inputGrid.setAttribute("aria-label", `${img.name}, ${g.h} by ${g.w}` + (g.P ? `, padded with ${g.P} rows and columns of zeros` : "") +
        `. The window is on output row ${s.row + 1}, column ${s.col + 1}; arrow keys move it.`);

      // The kernel.
      if (conv) {
        const e = kernels[s.kernel].sizes[String(s.size)], kmax = largest(e.weights);
        setGrid(kernelGrid, s.size, s.size);
        kernelGrid.replaceChildren(...e.weights.flat().map((w) => { const c = cell(fmt(w, true)); tint(c, w, kmax); return c; }));
        titles.kernel.textContent = `Kernel: ${kernels[s.kernel].name}` + (e.divisor > 1 ? ` (÷ ${e.divisor})` : "");
        kernelGrid.setAttribute("aria-label", `kernel ${kernels[s.kernel].name}, ${s.size} by ${s.size}` +
          (e.divisor > 1 ? `, divided by ${e.divisor}` : "") + `: ${e.weights.map((r) => r.join(" ")).join("; ")}`);
      }

      // The terms under the window and their total.
      setGrid(productGrid, g.K, g.K);
      const best = s.mode === "max" ? list.findIndex((t) => t.x === value) : -1;
      const intW = conv && kernels[s.kernel].sizes[String(s.size)].divisor === 1;   // integer weights
      productGrid.replaceChildren(...list.map((t, k) => {
        const c = conv
          ? cell(el("span", { class: "dlv-cv-factors" }, `${fmt(t.w, intW)}×${fmt(t.x, intIn)}`),
                 t.pad ? "dlv-cv-pad" : "")
          : cell(fmt(t.x, intIn), (t.pad ? "dlv-cv-pad" : "") + (k === best ? " dlv-cv-best" : ""));
        if (conv) c.append(el("span", { class: "dlv-cv-prod" }, fmt(t.p, intOut)));
        c.dataset.value = String(conv ? t.p : t.x);
        return c;
      }));
      const n = list.length;
      titles.products.textContent = conv ? `${n} product${n > 1 ? "s" : ""}, weight × pixel` : `${n} entries of the region`;
      const v = fmt(value, intOut);
      sumLine.replaceChildren(...(conv
        ? [`sum of the ${n} products + bias 0 = `, el("strong", {}, v)]
        : s.mode === "max" ? ["largest entry = ", el("strong", {}, v)]
          : [`sum ÷ ${n} = ${fmt(list.reduce((a, t) => a + t.x, 0), intIn)} ÷ ${n} = `, el("strong", {}, v)]));

      // The output: visited cells show their value, the current one is outlined.
      const scaleOut = largest(run.out);
      setGrid(outputGrid, g.ho, g.wo);
      const outs = [];
      for (let i = 0; i < g.ho; i++) {
        for (let j = 0; j < g.wo; j++) {
          const seen = run.visited.has(`${i},${j}`);
          const c = cell(seen ? fmt(run.out[i][j], intOut) : "", seen ? "" : "dlv-cv-empty");
          if (seen) tint(c, run.out[i][j], scaleOut);
          if (i === s.row && j === s.col) c.classList.add("dlv-cv-current");
          c.dataset.r = String(i);
          c.dataset.c = String(j);
          outs.push(c);
        }
      }
      outputGrid.replaceChildren(...outs);
      titles.output.textContent = `${conv ? "Feature" : "Pooled"} ${g.ho} × ${g.wo}`;
      outputGrid.setAttribute("aria-label", `output ${g.ho} by ${g.wo}; the current cell is row ${s.row + 1}, ` +
        `column ${s.col + 1}, value ${v}; arrow keys move it`);

      if (!run.dragging) keepInView(windowBox);   // a drag moves the window under the finger itself
      Object.assign(root.dataset, { row: String(s.row), col: String(s.col), ho: String(g.ho), wo: String(g.wo),
                                    value: String(value), sum: String(sum), filled: String(run.visited.size) });
    }

    /** Scroll the input's panel sideways (never the page) so that `node` is in view: on a phone
       the padded photo is wider than the column, and the window may walk off its edge. */
    function keepInView(node) {
      const box = node.closest(".dlv-cv-scroll"), st = box.getBoundingClientRect(), r = node.getBoundingClientRect();
      if (r.left < st.left) box.scrollLeft -= st.left - r.left + 8;
      else if (r.right > st.right) box.scrollLeft += r.right - st.right + 8;
    }

    // ---- changing the setting -----------------------------------------------------------
    function showNotice(notes, from) {
      notice.hidden = !notes.length;
      notice.textContent = notes.length ? `${from}: ${notes.join("; ")}.` : "";
      root.dataset.notice = notice.textContent;
    }
    function change(name, value) {
      stop();
      s[name] = NUMBER_KEYS.includes(name) ? Number(value) : value;
      normalize(null);
      run.visited.clear();
      showNotice([], "");
      writeHash();
      draw();
    }
    /** Put the window on output cell (r, c), clamped; a clamp caused by a key is named. */
    function moveTo(r, c, fromKeys) {
      const g = geometry(), notes = [];
      const rr = clamp(r, 0, g.ho - 1), cc = clamp(c, 0, g.wo - 1);
      if (fromKeys && rr !== r) notes.push(`row=${r} → ${rr} (0–${g.ho - 1})`);
      if (fromKeys && cc !== c) notes.push(`col=${c} → ${cc} (0–${g.wo - 1})`);
      showNotice(notes, "Kept inside the output");
      if (rr === s.row && cc === s.col) return;
      s.row = rr;
      s.col = cc;
      writeHash();
      draw();
    }
    /** The window position whose window is centred nearest the padded input cell (i, j). */
    function moveToInput(event) {
      const g = geometry(), box = inputGrid.getBoundingClientRect();
      const H = g.h + 2 * g.P, Wd = g.w + 2 * g.P;
      const i = Math.floor(((event.clientY - box.top) / box.height) * H);
      const j = Math.floor(((event.clientX - box.left) / box.width) * Wd);
      moveTo(Math.round((i - (g.K - 1) / 2) / g.S), Math.round((j - (g.K - 1) / 2) / g.S), false);
    }
    function keys(event) {
      const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[event.key];
      if (d) { event.preventDefault(); stop(); moveTo(s.row + d[0], s.col + d[1], true); return; }
      const g = geometry();
      if (event.key === "Home") { event.preventDefault(); stop(); moveTo(0, 0, false); }
      if (event.key === "End") { event.preventDefault(); stop(); moveTo(g.ho - 1, g.wo - 1, false); }
    }
    inputGrid.addEventListener("keydown", keys);
    outputGrid.addEventListener("keydown", keys);
    inputGrid.addEventListener("pointerdown", (event) => {
      stop();
      run.dragging = true;
      inputGrid.setPointerCapture(event.pointerId);
      moveToInput(event);
    });
    inputGrid.addEventListener("pointermove", (event) => { if (run.dragging) moveToInput(event); });
    const endDrag = () => { run.dragging = false; };
    inputGrid.addEventListener("pointerup", endDrag);
    inputGrid.addEventListener("pointercancel", endDrag);
    outputGrid.addEventListener("pointerdown", (event) => {
      const c = event.target.closest(".dlv-cv-cell");
      if (!c) return;
      stop();
      moveTo(Number(c.dataset.r), Number(c.dataset.c), false);
    });

    // ---- stepping and playing -----------------------------------------------------------
    /** One output cell on, row by row; false at the last cell. */
    function step() {
      const g = geometry();
      if (s.row === g.ho - 1 && s.col === g.wo - 1) return false;
      const next = s.col + 1 < g.wo ? [s.row, s.col + 1] : [s.row + 1, 0];
      moveTo(next[0], next[1], false);
      return true;
    }
    function atEnd() {
      const g = geometry();
      return s.row === g.ho - 1 && s.col === g.wo - 1;
    }
    function restartIfDone() {
      if (!atEnd()) return;
      run.visited.clear();
      s.row = 0;
      s.col = 0;
      writeHash();
      draw();
    }
    function stop() {
      if (run.timer !== null) clearInterval(run.timer);
      run.timer = null;
      playBtn.textContent = "▶ Play";
      root.dataset.playing = "false";
    }
    function play() {
      restartIfDone();
      playBtn.textContent = "❚❚ Pause";
      root.dataset.playing = "true";
      run.timer = setInterval(() => {
        if (!root.isConnected || !step()) stop();
      }, STEP_MS);
    }
    playBtn.addEventListener("click", () => (run.timer === null ? play() : stop()));
    stepBtn.addEventListener("click", () => { stop(); if (atEnd()) restartIfDone(); else step(); });
    resetBtn.addEventListener("click", () => {
      stop();
      run.visited.clear();
      showNotice([], "");
      s.row = 0;
      s.col = 0;
      writeHash();
      draw();
    });

    window.addEventListener("hashchange", function onHash() {
      if (!root.isConnected) { window.removeEventListener("hashchange", onHash); stop(); return; }
      if (location.hash.includes("=") && location.hash !== run.writtenHash) {
        stop();
        run.visited.clear();
        showNotice(fromHash(location.hash), "Changed from the link");
        draw();
      }
    });

    stop();
    showNotice(location.hash.includes("=") ? fromHash(location.hash) : [], "Changed from the link");
    draw();
  };
})();
