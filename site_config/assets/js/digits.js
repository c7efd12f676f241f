/* Explorer "digits": draw a digit and watch the lesson's CNN classify it.

   Data (generators/cnns/fig_inside.py, export "model"): the trained CNN's layers with
   their weights (conv1, relu1, maxpool1, flatten1, dense1, softmax1), and the 450 test
   digits as 0-16 counts with their labels. Every number shown is computed here from
   those weights by lib/cnn.js (DlvCNN, which tests/test_digits_agreement.py checks
   against the library on the whole test set), on the drawing downsampled the way the
   digits were made (DlvCNN.downsample: ink box scaled to 32 x 32, 4 x 4 blocks counted).

   The reader draws with mouse, pen or finger (pointer events; touch-action: none on the
   drawing box only). "Try a test digit" feeds one of the test digits exactly as stored;
   the link then names it (#digit=K; an out-of-range K is clamped and said so).
   Hovering, tapping or focusing a cell of a feature map outlines its receptive field in
   the input (CNN Explainer's view). Keyboard: Tab reaches the buttons and each map;
   in a map the arrow keys move the cell, Home and End jump to the corners.
   Colours: the figures' (generators/style.py): the input ink on the page, conv z
   orange (negative) through the page colour to blue (positive), magnitudes (relu,
   pooled) in viridis; digits.css holds the theme colours, and a theme switch redraws. */
(function () {
  "use strict";
  const PAD = 256;            // the drawing's backing store, pixels (independent of the screen)
  const STROKE = 20;          // pen width in those pixels
  const MAP_PX = 72;          // each feature map's side on screen, CSS pixels
  const CELL = 20;            // one input pixel on screen, CSS pixels
  const CHARS = "0123456789abcdefg";
  const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962",
                   "#addc30", "#fde725"];
  const CNN = () => window.DlvCNN;

  function make(tag, attrs, parent, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  const SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, parent) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }
  const minus = (s) => s.replace("-", "\u2212");
  const fmt = (v, d) => minus(v.toFixed(d === undefined ? 2 : d));

  // ---- colours ---------------------------------------------------------------------------
  function rgbOf(css) {
    const m = css.match(/[\d.]+/g) || [0, 0, 0];
    return [0, 1, 2].map((k) => Math.round(Number(m[k])));
  }
  function hexRgb(h) { return [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)); }
  const mix = (a, b, t) => a.map((v, k) => Math.round(v * (1 - t) + b[k] * t));
  const css = (c) => `rgb(${c.join(",")})`;
  function palette(root) {
    const style = getComputedStyle(root);
    const probe = (name) => {            // a custom property's colour as rgb numbers
      const el = make("span", { style: `color: var(${name})` }, root);
      const c = rgbOf(getComputedStyle(el).color);
      el.remove();
      return c;
    };
    const bg = rgbOf(getComputedStyle(document.body).backgroundColor);
    const fg = rgbOf(style.color);
    const neg = probe("--dlv-dg-neg"), pos = probe("--dlv-dg-pos"), accent = probe("--md-accent-fg-color");
    const viridis = VIRIDIS.map(hexRgb);
    return {
      bg, fg, accent: css(accent),
      ink: (t) => mix(bg, fg, Math.max(0, Math.min(1, t))),                 // theme.digits
      diverging: (t) => mix(bg, t < 0 ? neg : pos, Math.min(1, Math.abs(t))),  // theme.diverging
      sequential(t) {                                                       // viridis
        const x = Math.max(0, Math.min(1, t)) * (viridis.length - 1), i = Math.min(viridis.length - 2, Math.floor(x));
        return mix(viridis[i], viridis[i + 1], x - i);
      },
      // text on a cell of colour c: the page's ink or its background, whichever contrasts
      on: (c) => (c[0] * 0.299 + c[1] * 0.587 + c[2] * 0.114 > 140 ? [0, 0, 0] : [255, 255, 255]),
    };
  }

  // A canvas whose backing store is its CSS size times the device pixel ratio.
  function fitCanvas(canvas, w, h) {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  function init(root, data) {
    root.innerHTML = "";
    const model = { layers: data.layers };
    const tests = data.test.digits.map((s) => Array.from(s, (c) => CHARS.indexOf(c)));
    const labels = data.test.labels;
    const names = model.layers.map((l) => l.name);
    const mapLayers = model.layers.map((l, k) => k).filter((k) => ["conv", "relu", "maxpool"].includes(model.layers[k].kind));
    let pal = palette(root);
    // state: strokes drawn (lists of [x, y] in PAD pixels) or a test digit; the counts fed
    // to the network; its outputs; the highlighted map cell.
    const state = { strokes: [], test: null, counts: null, result: null, focus: null };

    // ---- layout --------------------------------------------------------------------------
    // The answer first: on a phone the panels stack, and it stays in view while drawing.
    const status = make("p", { class: "dlv-dg-status", "aria-live": "polite" }, root);
    const notice = make("p", { class: "dlv-dg-notice", role: "status", hidden: "" }, root);
    const top = make("div", { class: "dlv-dg-top" }, root);
    const drawFig = make("figure", { class: "dlv-dg-panel dlv-dg-drawpanel" }, top);
    const pad = make("canvas", { class: "dlv-dg-pad", width: PAD, height: PAD, role: "img",
                                 "aria-label": "Drawing box: draw a digit here with the mouse, a pen or a finger" }, drawFig);
    make("figcaption", {}, drawFig, "Draw a digit here");
    const buttons = make("div", { class: "dlv-dg-buttons" }, drawFig);
    const clear = make("button", { type: "button" }, buttons, "Clear");
    const tryTest = make("button", { type: "button" }, buttons, "Try a test digit");

    const inFig = make("figure", { class: "dlv-dg-panel dlv-dg-inpanel" }, top);
    const input = make("canvas", { class: "dlv-dg-input", role: "img", "aria-label": "The 8 by 8 input the network sees" }, inFig);
    make("figcaption", {}, inFig, "What the network sees: 8\u00a0×\u00a08 counts, 0–16");

    const probFig = make("figure", { class: "dlv-dg-panel dlv-dg-probpanel" }, top);
    const bars = svg("svg", { class: "dlv-dg-bars", viewBox: "0 0 230 170", role: "img" }, probFig);
    make("figcaption", {}, probFig, `${names[names.length - 1]}: the ten probabilities`);


    const mapsBox = make("div", { class: "dlv-dg-maps" }, root);
    const fieldNote = make("p", { class: "dlv-dg-field", "aria-live": "polite" }, root);
    const maps = [];   // { k, f, canvas }
    for (const k of mapLayers) {
      const layer = model.layers[k];
      const row = make("div", { class: "dlv-dg-layer" }, mapsBox);
      const what = { conv: "feature maps z (signed)", relu: "after ReLU", maxpool: "after max pooling" }[layer.kind];
      make("p", { class: "dlv-dg-layername" }, row).append(make("code", {}, null, layer.name), ` ${what}`);
      const grid = make("div", { class: "dlv-dg-grid" }, row);
      const F = (model.layers[0].W || []).length;
      for (let f = 0; f < F; f++) {
        const cell = make("figure", { class: "dlv-dg-map" }, grid);
        const canvas = make("canvas", { tabindex: "0", role: "img",
          "aria-label": `${layer.name}, map ${f + 1}: arrow keys move the cell; its receptive field is outlined in the input` }, cell);
        make("figcaption", {}, cell, String(f + 1));
        const entry = { k, f, canvas };
        maps.push(entry);
        wireMap(entry);
      }
    }
    const tail = make("div", { class: "dlv-dg-tail" }, mapsBox);
    const flatK = model.layers.findIndex((l) => l.kind === "flatten");
    const denseK = model.layers.findIndex((l) => l.kind === "dense");
    const flatRow = make("div", { class: "dlv-dg-layer" }, tail);
    make("p", { class: "dlv-dg-layername" }, flatRow).append(make("code", {}, null, names[flatK]), " the pooled maps in one row (map 1 first)");
    const flatCanvas = make("canvas", { class: "dlv-dg-flat", role: "img", "aria-label": `${names[flatK]}: the pooled values in one vector` }, flatRow);
    const denseRow = make("div", { class: "dlv-dg-layer" }, tail);
    make("p", { class: "dlv-dg-layername" }, denseRow).append(make("code", {}, null, names[denseK]), " z, one score per digit");
    const denseCanvas = make("canvas", { class: "dlv-dg-dense", role: "img", "aria-label": `${names[denseK]}: the ten scores before softmax` }, denseRow);

    // ---- the drawing box -----------------------------------------------------------------
    const padCtx = pad.getContext("2d");
    function paintPad() {
      padCtx.setTransform(1, 0, 0, 1, 0, 0);
      padCtx.clearRect(0, 0, PAD, PAD);
      if (state.test !== null) {               // the test digit's counts as grey blocks
        const c = tests[state.test], s = PAD / 8;
        for (let i = 0; i < 64; i++) {
          if (!c[i]) continue;
          padCtx.fillStyle = css(pal.ink(c[i] / 16));
          padCtx.fillRect((i % 8) * s, Math.floor(i / 8) * s, s, s);
        }
        return;
      }
      padCtx.strokeStyle = css(pal.fg);
      padCtx.fillStyle = css(pal.fg);
      padCtx.lineWidth = STROKE;
      padCtx.lineCap = "round";
      padCtx.lineJoin = "round";
      for (const stroke of state.strokes) {
        if (stroke.length === 1) {
          padCtx.beginPath();
          padCtx.arc(stroke[0][0], stroke[0][1], STROKE / 2, 0, 2 * Math.PI);
          padCtx.fill();
          continue;
        }
        padCtx.beginPath();
        padCtx.moveTo(stroke[0][0], stroke[0][1]);
        for (const [x, y] of stroke.slice(1)) padCtx.lineTo(x, y);
        padCtx.stroke();
      }
    }
    function padPoint(e) {
      const r = pad.getBoundingClientRect();
      return [Math.max(0, Math.min(PAD, ((e.clientX - r.left) / r.width) * PAD)),
              Math.max(0, Math.min(PAD, ((e.clientY - r.top) / r.height) * PAD))];
    }
    let drawing = null, pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; if (root.isConnected) classify(); });
    }
    pad.addEventListener("pointerdown", function (e) {
      if (e.button !== undefined && e.button > 0) return;
      e.preventDefault();
      if (state.test !== null) { state.test = null; setHash(null); }
      try { pad.setPointerCapture(e.pointerId); } catch (err) { /* a pointer the browser no longer tracks: draw without capture */ }
      drawing = { id: e.pointerId, stroke: [padPoint(e)] };
      state.strokes.push(drawing.stroke);
      paintPad();
      schedule();
    });
    pad.addEventListener("pointermove", function (e) {
      if (!drawing || e.pointerId !== drawing.id) return;
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      for (const ev of events.length ? events : [e]) drawing.stroke.push(padPoint(ev));
      paintPad();
      schedule();
    });
    const end = (e) => { if (drawing && e.pointerId === drawing.id) { drawing = null; schedule(); } };
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointercancel", end);

    clear.addEventListener("click", function () {
      state.strokes = [];
      state.test = null;
      setHash(null);
      paintPad();
      classify();
    });
    tryTest.addEventListener("click", function () {
      let k = Math.floor(Math.random() * tests.length);
      if (k === state.test) k = (k + 1) % tests.length;
      showTest(k);
      setHash(k);
    });
    function showTest(k) {
      state.test = k;
      state.strokes = [];
      paintPad();
      classify();
    }

    // The link: #digit=K shows test digit K (0-based, as the build's index).
    function setHash(k) {
      const url = location.pathname + location.search + (k === null ? "" : `#digit=${k}`);
      if (k !== null || /^#digit=/.test(location.hash)) history.replaceState(history.state, "", url);
    }
    function applyHash() {
      const m = location.hash.match(/^#digit=(.*)$/);
      if (!m) return;
      const raw = decodeURIComponent(m[1]), n = Number(raw);
      if (raw.trim() === "" || !Number.isInteger(n)) {
        notice.textContent = `Ignored from the link: digit=${raw} (a test digit's number, 0 to ${tests.length - 1}).`;
        notice.hidden = false;
        return;
      }
      const k = Math.max(0, Math.min(tests.length - 1, n));
      if (k !== n) {
        notice.textContent = `From the link: digit=${raw} is out of range (0 to ${tests.length - 1}); showing test digit ${k}.`;
        notice.hidden = false;
      }
      showTest(k);
    }

    // ---- the network -----------------------------------------------------------------------
    function classify() {
      if (state.test !== null) {
        const c = tests[state.test];
        state.counts = Array.from({ length: 8 }, (_, i) => c.slice(8 * i, 8 * i + 8));
      } else {
        const img = padCtx.getImageData(0, 0, PAD, PAD).data;
        const alpha = new Uint8Array(PAD * PAD);
        for (let i = 0; i < alpha.length; i++) alpha[i] = img[4 * i + 3];
        state.counts = state.strokes.length ? CNN().downsample(alpha, PAD, PAD) : null;
      }
      state.result = state.counts
        ? CNN().predict(model, state.counts.map((row) => row.map((v) => v / data.scale)))
        : null;
      render();
    }

    function render() {
      const r = state.result;
      root.dataset.state = r ? (state.test !== null ? "test" : "drawn") : "empty";
      if (r) root.dataset.prediction = String(r.label);
      else delete root.dataset.prediction;
      if (state.test !== null) root.dataset.digit = String(state.test);
      else delete root.dataset.digit;
      if (!r) {
        status.textContent = "Draw a digit in the box (or try a test digit): the network's answer appears here.";
      } else {
        const p = r.probs[r.label];
        const said = `The network says ${r.label}, with probability ${fmt(p)}.`;
        status.textContent = state.test !== null
          ? `Test digit ${state.test} of ${tests.length}, labelled ${labels[state.test]}. ${said}${labels[state.test] === r.label ? "" : " (A mistake.)"}`
          : said;
      }
      drawInput();
      drawBars();
      drawMaps();
    }

    function drawInput() {
      const ctx = fitCanvas(input, 8 * CELL, 8 * CELL);
      ctx.clearRect(0, 0, 8 * CELL, 8 * CELL);
      ctx.font = `${Math.round(CELL * 0.5)}px ${getComputedStyle(root).fontFamily}`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (let i = 0; i < 8; i++) {
        for (let j = 0; j < 8; j++) {
          const v = state.counts ? state.counts[i][j] : 0, c = pal.ink(v / 16);
          ctx.fillStyle = css(c);
          ctx.fillRect(j * CELL, i * CELL, CELL, CELL);
          if (state.counts) {
            ctx.fillStyle = css(mix(c, pal.on(c), 0.75));
            ctx.fillText(String(v), j * CELL + CELL / 2, i * CELL + CELL / 2 + 1);
          }
        }
      }
      ctx.strokeStyle = css(mix(pal.bg, pal.fg, 0.35));
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 0.5, 8 * CELL - 1, 8 * CELL - 1);
      const field = state.focus && state.result ? fieldOf(state.focus) : null;
      if (field) {
        ctx.strokeStyle = pal.accent;
        ctx.lineWidth = 3;
        const { rows, cols } = field;
        ctx.strokeRect(cols[0] * CELL + 1.5, rows[0] * CELL + 1.5, (cols[1] - cols[0] + 1) * CELL - 3,
                       (rows[1] - rows[0] + 1) * CELL - 3);
      }
    }

    function drawBars() {
      bars.replaceChildren();
      const r = state.result, x0 = 30, w = 19, gap = 1, y0 = 12, h = 128;
      svg("line", { x1: x0 - 4, x2: x0 + 10 * w, y1: y0 + h + 0.5, y2: y0 + h + 0.5, class: "dlv-dg-axis" }, bars);
      for (const t of [0, 0.5, 1]) {
        const y = y0 + h - t * h;
        svg("text", { x: x0 - 7, y: y + 4, "text-anchor": "end", class: "dlv-dg-tick" }, bars).textContent = String(t);
        svg("line", { x1: x0 - 4, x2: x0, y1: y, y2: y, class: "dlv-dg-axis" }, bars);
      }
      for (let d = 0; d < 10; d++) {
        const p = r ? r.probs[d] : 0, top = r && d === r.label;
        const bar = svg("rect", { x: x0 + d * w + gap, y: y0 + h - p * h, width: w - 2 * gap, height: p * h,
                                  class: `dlv-dg-bar${top ? " dlv-dg-top-bar" : ""}`, "data-digit": d,
                                  "data-p": r ? String(p) : "" }, bars);
        svg("title", {}, bar).textContent = r ? `${d}: ${fmt(p, 3)}` : `${d}`;
        svg("text", { x: x0 + d * w + w / 2, y: y0 + h + 15, "text-anchor": "middle",
                      class: `dlv-dg-digit${top ? " dlv-dg-top-digit" : ""}` }, bars).textContent = String(d);
      }
      svg("text", { x: x0 + 5 * w, y: y0 + h + 30, "text-anchor": "middle", class: "dlv-dg-tick" }, bars).textContent = "digit";
      bars.setAttribute("aria-label", r
        ? `Probabilities: ${r.probs.map((p, d) => `${d}: ${fmt(p)}`).join(", ")}; highest ${r.label}`
        : "Probabilities: none yet (nothing drawn)");
    }

    // Colour scales as in the static figure: conv z on one signed scale for all maps,
    // relu and pooled maps on one 0..max scale.
    function scales() {
      const out = state.result.outputs;
      let zlim = 0, amax = 0;
      for (const k of mapLayers) {
        for (const m of out[k].value) for (const row of m) for (const v of row) {
          if (model.layers[k].kind === "conv") zlim = Math.max(zlim, Math.abs(v));
          else amax = Math.max(amax, v);
        }
      }
      return { zlim: zlim || 1, amax: amax || 1 };
    }
    function colourOf(k, v, sc) {
      return model.layers[k].kind === "conv" ? pal.diverging(v / sc.zlim) : pal.sequential(v / sc.amax);
    }
    function drawMaps() {
      const r = state.result, sc = r ? scales() : null;
      for (const m of maps) {
        const ctx = fitCanvas(m.canvas, MAP_PX, MAP_PX);
        ctx.clearRect(0, 0, MAP_PX, MAP_PX);
        if (!r) {
          ctx.strokeStyle = css(mix(pal.bg, pal.fg, 0.25));
          ctx.strokeRect(0.5, 0.5, MAP_PX - 1, MAP_PX - 1);
          continue;
        }
        const v = r.outputs[m.k].value[m.f], n = v.length, s = MAP_PX / n;
        for (let i = 0; i < n; i++) for (let j = 0; j < v[i].length; j++) {
          ctx.fillStyle = css(colourOf(m.k, v[i][j], sc));
          ctx.fillRect(j * s, i * s, Math.ceil(s), Math.ceil(s));
        }
        const f = state.focus;
        if (f && f.map === m) {
          ctx.strokeStyle = pal.accent;
          ctx.lineWidth = 2.5;
          ctx.strokeRect(f.j * s + 1.25, f.i * s + 1.25, s - 2.5, s - 2.5);
        }
      }
      drawVector(flatCanvas, r ? r.outputs[flatK].value : null, (v) => pal.sequential(v / (sc ? sc.amax : 1)), 2, 12);
      if (r) {
        const z = r.outputs[denseK].value, zlim = Math.max(...z.map(Math.abs)) || 1;
        drawVector(denseCanvas, z, (v) => pal.diverging(v / zlim), 22, 22, true);
      } else {
        drawVector(denseCanvas, null, null, 22, 22, true);
      }
      const f = state.focus;
      if (f && r) {
        const layer = model.layers[f.map.k], fd = fieldOf(f), v = r.outputs[f.map.k].value[f.map.f][f.i][f.j];
        const what = layer.kind === "conv" ? "z" : layer.kind === "relu" ? "a" : "max";
        fieldNote.textContent = `${layer.name}, map ${f.map.f + 1}, row ${f.i + 1}, column ${f.j + 1}: ${what} = ${fmt(v)}. ` +
          `It sees input rows ${fd.rows[0] + 1}–${fd.rows[1] + 1}, columns ${fd.cols[0] + 1}–${fd.cols[1] + 1} (outlined).`;
        root.dataset.field = `${fd.rows[0]}-${fd.rows[1]},${fd.cols[0]}-${fd.cols[1]}`;
      } else {
        fieldNote.textContent = r ? "Hover over, tap or Tab to a map cell to outline the input pixels it sees." : "";
        delete root.dataset.field;
      }
    }
    function drawVector(canvas, v, colour, s, h, labelled) {
      const n = v ? v.length : (labelled ? 10 : 128), ctx = fitCanvas(canvas, n * s, h + (labelled ? 14 : 0));
      ctx.clearRect(0, 0, n * s, h + 14);
      for (let i = 0; i < n; i++) {
        ctx.fillStyle = v ? css(colour(v[i])) : css(pal.bg);
        ctx.fillRect(i * s, 0, s, h);
        if (labelled) {
          ctx.fillStyle = css(mix(pal.bg, pal.fg, 0.7));
          ctx.font = `11px ${getComputedStyle(root).fontFamily}`;
          ctx.textAlign = "center";
          ctx.fillText(String(i), i * s + s / 2, h + 12);
        }
      }
      ctx.strokeStyle = css(mix(pal.bg, pal.fg, 0.25));
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 0.5, n * s - 1, h - 1);
    }

    // ---- receptive fields ------------------------------------------------------------------
    function fieldOf(f) { return CNN().receptiveField(model, f.map.k, f.i, f.j, 8, 8); }
    function sizeOf(m) {
      const v = state.result && state.result.outputs[m.k].value[m.f];
      return v ? [v.length, v[0].length] : null;
    }
    function setFocus(m, i, j) {
      const size = sizeOf(m);
      if (!size) { state.focus = null; return; }
      state.focus = { map: m, i: Math.max(0, Math.min(size[0] - 1, i)), j: Math.max(0, Math.min(size[1] - 1, j)) };
      drawInput();
      drawMaps();
    }
    function unfocus(m) {
      if (state.focus && state.focus.map === m) { state.focus = null; drawInput(); drawMaps(); }
    }
    function wireMap(m) {
      const cellAt = (e) => {
        const size = sizeOf(m), rect = m.canvas.getBoundingClientRect();
        if (!size) return null;
        return [Math.floor(((e.clientY - rect.top) / rect.height) * size[0]),
                Math.floor(((e.clientX - rect.left) / rect.width) * size[1])];
      };
      const show = (e) => { const c = cellAt(e); if (c) setFocus(m, c[0], c[1]); };
      m.canvas.addEventListener("pointermove", show);
      m.canvas.addEventListener("pointerdown", show);
      m.canvas.addEventListener("pointerleave", function (e) {
        if (e.pointerType === "mouse" && document.activeElement !== m.canvas) unfocus(m);
      });
      m.canvas.addEventListener("focus", function () {
        const f = state.focus;
        setFocus(m, f ? f.i : 0, f ? f.j : 0);
      });
      m.canvas.addEventListener("blur", () => unfocus(m));
      m.canvas.addEventListener("keydown", function (e) {
        const size = sizeOf(m), f = state.focus;
        if (!size || !f || f.map !== m) return;
        const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
        if (e.key in moves) setFocus(m, f.i + moves[e.key][0], f.j + moves[e.key][1]);
        else if (e.key === "Home") setFocus(m, 0, 0);
        else if (e.key === "End") setFocus(m, size[0] - 1, size[1] - 1);
        else return;
        e.preventDefault();
      });
    }

    // ---- theme switches ------------------------------------------------------------------------
    new MutationObserver(function (_, obs) {
      if (!root.isConnected) { obs.disconnect(); return; }
      pal = palette(root);
      paintPad();
      render();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    paintPad();
    classify();
    applyHash();
  }

  (window.dlvExplorers = window.dlvExplorers || {}).digits = init;
})();
