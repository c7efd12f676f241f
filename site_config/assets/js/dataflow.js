/* Dataflow-graph explorer: a traced training step, simplified as TensorBoard's graph
   visualizer does it, that the reader opens group by group.

   The JSON (generators/dataflow_graphs/explorer.py) holds the ops, raw edges, the namespace
   hierarchy, templates, numbered series, the boxes that go to the side area and the
   overlay colours, all computed and tested at build time. Here we only bundle the raw
   edges for the current expansion state (as hierarchy.bundle does), lay the boxes out
   with dagre (vendor/dagre.min.js, loaded on first use) and draw SVG.
   The first view fits the whole graph in the column and the window (never enlarged);
   "Full size" shows it at its natural size, scrolling when it is larger.
   Drawing order (the SVG's stacking and document order): the side area, then the open
   groups' frames, the boxes, the edges, and last the open groups' title bars, so a title
   bar takes clicks over its whole width even where an edge runs under it.
   Keyboard: Tab through the controls; the graph is one Tab stop (a roving tabindex, so
   Tab leaves it in one step): arrow keys move through the boxes and the open groups'
   titles (top to bottom, then left to right), then through the edges; Home and End go to
   the first and last, Enter or Space opens or closes a group, Escape hides the details.
   Focus shows the same details as hovering. Each box's accessible name starts with the
   text drawn in it (WCAG 2.5.3, label in name). */
(function () {
  "use strict";
  const SCRIPT = document.currentScript ? document.currentScript.src : "";
  const SVGNS = "http://www.w3.org/2000/svg";
  let dagreReady = null, count = 0;

  function loadDagre() {
    if (window.dagre) return Promise.resolve(window.dagre);
    if (!dagreReady) {
      dagreReady = new Promise(function (resolve, reject) {
        const s = document.createElement("script");
        s.src = new URL("vendor/dagre.min.js", SCRIPT || document.baseURI).href;
        s.onload = function () { resolve(window.dagre); };
        s.onerror = function () { dagreReady = null; reject(new Error("cannot load " + s.src)); };
        document.head.appendChild(s);
      });
    }
    return dagreReady;
  }

  function el(tag, attrs, parent, ns) {
    const e = ns === false ? document.createElement(tag) : document.createElementNS(SVGNS, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // Height of an open group's title bar, from the top of its frame. Its first row of boxes
  // lies one (halved, since edges have labels) rank separation below that top: RANKSEP_OPEN
  // leaves the bar clear of them whenever a group is open.
  const HEAD = 18, RANKSEP = 30, RANKSEP_OPEN = 2 * (HEAD + 4);
  const shapeText = (s) => (s.length === 0 ? "scalar" : "(" + s.join(", ") + ")");
  const fmt = (v) => Math.round(v).toLocaleString("en-US");

  /* The hierarchy, with or without numbered series as groups. */
  function hierarchy(data, series) {
    const parent = {}, children = { "": data.top.slice() }, label = {}, op = {};
    data.ops.forEach((o) => { parent[o.name] = o.parent; label[o.name] = o.name.split("/").pop(); op[o.name] = o; });
    Object.keys(data.groups).forEach((g) => {
      const d = data.groups[g];
      parent[g] = d.parent; children[g] = d.children.slice(); label[g] = d.label;
    });
    const isSeries = {};
    if (series) {
      data.series.forEach((s) => {
        const kids = children[s.parent];
        kids[kids.indexOf(s.members[0])] = s.name;
        children[s.parent] = kids.filter((k) => s.members.indexOf(k) < 0);
        children[s.name] = s.members.slice();
        parent[s.name] = s.parent; label[s.name] = s.label; isSeries[s.name] = true;
        s.members.forEach((m) => { parent[m] = s.name; });
      });
    }
    const aux = series ? data.auxSeries : data.aux;
    const isGroup = (n) => n in children && n !== "";
    const path = (n) => { const p = [n]; while (parent[p[0]] !== "") p.unshift(parent[p[0]]); return p; };
    const leaves = (n) => (isGroup(n) ? [].concat.apply([], children[n].map(leaves)) : [n]);
    const aside = (n) => path(n).some((x) => x in aux);
    return { parent, children, label, op, isSeries, aux, isGroup, path, leaves, aside };
  }

  /* Boxes, clusters and bundled edges of one expansion state. */
  function state(data, H, expanded) {
    const open = (g) => H.isGroup(g) && expanded.has(g) && !H.aside(g);
    const boxes = [], clusters = [];
    (function walk(g) {
      H.children[g].forEach((k) => {
        if (open(k)) { clusters.push(k); walk(k); } else boxes.push(k);
      });
    })("");
    const rep = (n) => H.path(n).find((x) => !open(x)) || n;
    const bundles = new Map();
    let inside = 0;
    data.edges.forEach(([src, dst, kind, shape]) => {
      const s = rep(src), d = rep(dst);
      if (s === d) { inside++; return; }
      const key = s + "\u0000" + d;
      if (!bundles.has(key)) bundles.set(key, { src: s, dst: d, count: 0, kinds: {}, shapes: [], size: 0, raw: [] });
      const b = bundles.get(key);
      b.count++; b.kinds[kind] = (b.kinds[kind] || 0) + 1; b.raw.push(src + " \u2192 " + dst);
      if (shape) {
        b.size += shape.reduce((x, y) => x * y, 1);
        const t = shapeText(shape);
        if (b.shapes.indexOf(t) < 0) b.shapes.push(t);
      }
    });
    const side = new Set(boxes.filter(H.aside));
    const topAux = (b) => H.path(b).find((x) => x in H.aux);
    const main = [], stubs = {}, aside = [];
    bundles.forEach((b) => {
      b.kind = b.kinds.data ? "data" : b.kinds.reference ? "reference" : "control";
      const sa = side.has(b.src), da = side.has(b.dst);
      if (sa && da) aside.push(b);
      else if (sa || da) {
        const node = sa ? b.dst : b.src, dir = sa ? "in" : "out";
        stubs[node] = stubs[node] || { in: new Set(), out: new Set() };
        stubs[node][dir].add(H.label[topAux(sa ? b.src : b.dst)]);
      } else main.push(b);
    });
    return { boxes, clusters, main, aside, stubs, side, inside, total: data.edges.length };
  }

  function edgeLabel(b) {
    if (!b.shapes.length) return b.count === 1 ? "control" : b.count + " \u00d7 control";
    const shapes = b.shapes.slice(0, 2).join(", ") + (b.shapes.length > 2 ? " \u2026" : "");
    return b.count === 1 ? shapes : b.count + " tensors " + shapes;
  }

  window.dlvExplorers = window.dlvExplorers || {};
  window.dlvExplorers.dataflow = function (root, data) {
    root.textContent = "";
    root.classList.add("df-root");
    if (!root.id) root.id = "dlv-dataflow-" + ++count;
    loadDagre().then(function (dagre) { start(root, data, dagre); }).catch(function (err) {
      root.textContent = "The interactive graph could not be loaded; the drawings above show it.";
      console.error(err);
    });
  };

  function start(root, data, dagre) {
    const ui = { expanded: new Set(), series: false, overlay: "structure", fit: true };
    const bar = el("div", { class: "df-toolbar" }, root, false);
    const pick = el("label", {}, bar, false);
    pick.append("Colour by ");
    const select = el("select", {}, pick, false);   // named by its visible label
    [["structure", "structure (shared templates)"]].concat(
      Object.keys(data.overlays).map((k) => [k, data.overlays[k].label])).forEach(([v, t]) => {
      el("option", { value: v }, select, false).textContent = t;
    });
    let seriesBox = null;
    if (data.series.length) {
      const lab = el("label", {}, bar, false);
      seriesBox = el("input", { type: "checkbox" }, lab, false);   // named by its visible label
      lab.append(" collapse numbered series");
    }
    const expandAll = el("button", { type: "button", class: "md-button df-button" }, bar, false);
    expandAll.textContent = "Expand all";
    const collapseAll = el("button", { type: "button", class: "md-button df-button" }, bar, false);
    collapseAll.textContent = "Collapse all";
    // Fit (the first view: the whole graph in sight) or full size (readable text, scrolls).
    const zoom = el("button", { type: "button", class: "md-button df-button df-zoom" }, bar, false);
    const zoomLabel = () => { zoom.textContent = ui.fit ? "Full size" : "Fit to view"; };
    zoomLabel();
    const legend = el("div", { class: "df-legend" }, root, false);
    const status = el("p", { class: "df-status", "aria-live": "polite" }, root, false);
    // A graph wider than the column scrolls here: the keyboard can reach the box (to
    // scroll it with the arrow keys) and a screen reader names it.
    const scroller = el("div", { class: "df-scroll", tabindex: 0, role: "group",
                                 "aria-label": "Graph, scrolls when wider than the page" }, root, false);
    const tip = el("div", { class: "df-tip", role: "tooltip", hidden: "" }, root, false);
    let H = hierarchy(data, false);
    const measure = document.createElement("canvas").getContext("2d");

    function textWidth(text, px, bold) {
      measure.font = (bold ? "bold " : "") + px + "px " + getComputedStyle(root).fontFamily;
      return measure.measureText(text).width;
    }

    function lines(name, st) {
      const out = [{ text: H.label[name], bold: H.isGroup(name), px: 13 }];
      if (H.isGroup(name)) {
        const n = H.leaves(name).length;
        out.push({ text: n + (n === 1 ? " op" : " ops"), px: 12 });
      } else if (H.op[name].shapes.length) out.push({ text: shapeText(H.op[name].shapes[0]), px: 12 });
      const s = st.stubs[name];
      if (s && s.in.size) out.push({ text: "\u2190 " + [...s.in].sort().join(", "), px: 12, stub: true });
      if (s && s.out.size) out.push({ text: "\u2192 " + [...s.out].sort().join(", "), px: 12, stub: true });
      return out;
    }

    function tplOf(name) {
      const s = data.series.find((x) => x.name === name);
      const g = data.groups[s ? s.members[0] : name];
      return g && g.template !== null && g.template !== undefined ? g.template : null;
    }

    function fillOf(name) {
      if (ui.overlay !== "structure") return data.overlays[ui.overlay].colors[name] || null;
      return null;
    }

    function describe(name) {
      const parts = [(H.isSeries[name] ? "series " : H.isGroup(name) ? "group " : "op ") + name];
      const n = H.leaves(name).length;
      if (H.isGroup(name)) parts.push(n + (n === 1 ? " op" : " ops") + " inside" +
        (H.aside(name) ? "" : ui.expanded.has(name) ? ", open" : ", closed; press Enter to open"));
      else {
        const o = H.op[name];
        parts.push("type " + o.op, o.shapes.length ? "output " + o.shapes.map(shapeText).join(", ") : "no output");
      }
      const tpl = tplOf(name);
      if (tpl !== null) parts.push("template " + (tpl + 1));
      if (name in H.aux) parts.push("side area: " + H.aux[name]);
      Object.keys(data.overlays).forEach((k) => {
        const v = data.overlays[k].values[name];
        if (v !== undefined) parts.push(data.overlays[k].label + " " + fmt(v));
      });
      return parts.join("; ");
    }

    function describeEdge(b) {
      const kinds = Object.keys(b.kinds).map((k) => b.kinds[k] + " " + k).join(", ");
      return "edge " + b.src + " \u2192 " + b.dst + "; " + b.count + (b.count === 1 ? " raw edge (" : " raw edges (") +
        kinds + ")" + (b.shapes.length ? "; tensors " + b.shapes.join(", ") + "; " + fmt(b.size) + " numbers" : "");
    }

    function showTip(target, text) {
      tip.textContent = text;
      tip.hidden = false;
      const r = target.getBoundingClientRect(), base = root.getBoundingClientRect();
      tip.style.left = Math.max(0, Math.min(r.left - base.left, base.width - 300)) + "px";
      tip.style.top = (r.bottom - base.top + 6) + "px";
    }

    function toggle(name) {
      if (!H.isGroup(name) || H.aside(name)) return;
      if (ui.expanded.has(name)) {
        ui.expanded.delete(name);
        [...ui.expanded].forEach((g) => { if (H.path(g).indexOf(name) >= 0) ui.expanded.delete(g); });
      } else ui.expanded.add(name);
      render(name);
    }

    function drawLegend() {
      legend.textContent = "";
      if (ui.overlay === "structure") {
        const byTpl = {};
        Object.keys(data.groups).forEach((g) => {
          const t = data.groups[g].template;
          if (t !== null) (byTpl[t] = byTpl[t] || []).push(g);
        });
        const keys = Object.keys(byTpl);
        legend.append(keys.length ? "Same colour, same structure: " : "No two groups share a structure here.");
        keys.forEach((t) => {
          const item = el("span", { class: "df-swatch-item" }, legend, false);
          el("span", { class: "df-swatch tpl-" + (t % 6) }, item, false);
          item.append(byTpl[t].join(", "));
        });
      } else {
        const o = data.overlays[ui.overlay];
        legend.append(o.label + " (colour by log(1 + value)): " + fmt(o.min) + " ");
        const ramp = el("span", { class: "df-ramp" }, legend, false);
        ramp.style.background = "linear-gradient(to right, " + data.ramp.join(", ") + ")";
        legend.append(" " + fmt(o.max));
      }
    }

    function render(focusName) {
      const st = state(data, H, ui.expanded);
      const g = new dagre.graphlib.Graph({ compound: true });
      g.setGraph({ rankdir: "TB", nodesep: 16, ranksep: st.clusters.length ? RANKSEP_OPEN : RANKSEP,
                   edgesep: 10, marginx: 6, marginy: 6 });
      g.setDefaultEdgeLabel(() => ({}));
      const mainBoxes = st.boxes.filter((b) => !st.side.has(b));
      const sizes = {};
      mainBoxes.concat([...st.side]).forEach((b) => {
        const ls = lines(b, st);
        const w = Math.max.apply(null, ls.map((l) => textWidth(l.text, l.px, l.bold))) + 20;
        sizes[b] = { width: Math.max(w, 48), height: ls.length * 15 + 12, lines: ls };
      });
      mainBoxes.forEach((b) => g.setNode(b, sizes[b]));
      st.clusters.forEach((c) => g.setNode(c, { label: H.label[c] }));
      st.clusters.concat(mainBoxes).forEach((n) => {
        if (H.parent[n] !== "" && st.clusters.indexOf(H.parent[n]) >= 0) g.setParent(n, H.parent[n]);
      });
      st.main.forEach((b, i) => {
        const t = edgeLabel(b);
        g.setEdge(b.src, b.dst, { width: textWidth(t, 12) + 6, height: 16, labelpos: "c", index: i });
      });
      dagre.layout(g);
      // The side area: one row above the main graph, so it stays in view on narrow pages.
      const sideItems = [...st.side], sidePos = {};
      let x = 12, rowH = 0;
      sideItems.forEach((b) => { rowH = Math.max(rowH, sizes[b].height); });
      sideItems.forEach((b) => {
        sidePos[b] = { x: x + sizes[b].width / 2, y: 30 + rowH / 2 };
        x += sizes[b].width + 12;
      });
      const top = sideItems.length ? rowH + 50 : 0, sideW = x;
      const width = Math.ceil(Math.max(g.graph().width || 0, sideW + 4));
      const height = Math.ceil((g.graph().height || 0) + top);
      scroller.textContent = "";
      const svg = el("svg", { class: "df-svg", width, height, viewBox: `0 0 ${width} ${height}`,
        role: "group", "aria-label": data.title + ": dataflow graph" }, scroller);
      svg.dataset.width = width;
      svg.dataset.height = height;
      const defs = el("defs", {}, svg);
      const sideLayer = el("g", { class: "df-side-layer" }, svg);
      const main = el("g", { transform: `translate(0, ${top})` }, svg);
      // Painted (and read) in this order: frames, boxes, edges, then the title bars on top.
      const frames = el("g", { class: "df-frames" }, main), boxLayer = el("g", { class: "df-boxes" }, main);
      const edgeLayer = el("g", { class: "df-edges" }, main), heads = el("g", { class: "df-heads" }, main);
      ["data", "reference", "control"].forEach((k) => {
        const m = el("marker", { id: root.id + "-arrow-" + k, viewBox: "0 0 10 10", refX: 9, refY: 5,
          markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse", class: "df-arrow-" + k }, defs);
        el("path", { d: "M0,0 L10,5 L0,10 z" }, m);
      });
      st.clusters.forEach((c) => {
        const n = g.node(c), tpl = tplOf(c);
        const grp = el("g", { class: "df-cluster" + (tpl !== null ? " tpl-" + (tpl % 6) : "") }, frames);
        el("rect", { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, rx: 8 }, grp);
        // The title bar: the frame's whole width, HEAD high, above every edge (drawn last).
        const head = el("g", { class: "df-head df-focusable", tabindex: 0, role: "button", "data-name": c,
          "aria-expanded": "true", "aria-label": "Close group " + c }, heads);
        el("rect", { class: "df-headbar", x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width,
          height: HEAD, rx: 8 }, head);
        const t = el("text", { x: n.x - n.width / 2 + 8, y: n.y - n.height / 2 + 13.5 }, head);
        t.textContent = "\u2212 " + H.label[c];
      });
      if (sideItems.length) {
        const grp = el("g", { class: "df-side" }, sideLayer);
        el("rect", { x: 2, y: 4, width: sideW, height: rowH + 38, rx: 8 }, grp);
        el("text", { x: 10, y: 20 }, grp).textContent = "auxiliary nodes";
      }

      const scale = Math.log10(1 + Math.max(1, ...st.main.map((b) => b.size)));
      st.main.forEach((b) => {
        const e = g.edge(b.src, b.dst), pts = e.points;
        const grp = el("g", { class: "df-edge df-focusable df-edge-" + b.kind, tabindex: 0, role: "img",
          "aria-label": describeEdge(b), "data-edge": b.src + "\u2192" + b.dst }, edgeLayer);
        let d = "M" + pts[0].x + "," + pts[0].y;
        for (let i = 1; i < pts.length - 1; i++) {
          const mx = (pts[i].x + pts[i + 1].x) / 2, my = (pts[i].y + pts[i + 1].y) / 2;
          d += " Q" + pts[i].x + "," + pts[i].y + " " + (i === pts.length - 2 ? pts[i + 1].x + "," + pts[i + 1].y : mx + "," + my);
        }
        if (pts.length === 2) d += " L" + pts[1].x + "," + pts[1].y;
        el("path", { d, class: "df-hit" }, grp);
        el("path", { d, class: "df-line", "stroke-width": b.size ? (1 + 2.6 * Math.log10(1 + b.size) / scale).toFixed(2) : 1.2,
          "marker-end": "url(#" + root.id + "-arrow-" + b.kind + ")" }, grp);
        el("text", { x: e.x, y: e.y + 4, class: "df-elabel", "text-anchor": "middle" }, grp).textContent = edgeLabel(b);
        grp.dataset.tip = describeEdge(b);
      });
      mainBoxes.concat(sideItems).forEach((b) => {
        const n = sidePos[b] || g.node(b), sz = sizes[b];
        const tpl = tplOf(b), fill = fillOf(b);
        const kind = H.isSeries[b] ? "df-series" : H.isGroup(b) ? "df-group" : "df-op";
        const canOpen = H.isGroup(b) && !H.aside(b);
        const grp = el("g", { class: "df-node df-focusable " + kind + (tpl !== null && !fill ? " tpl-" + (tpl % 6) : "") +
          (H.aside(b) ? " df-aside" : ""), tabindex: 0, role: canOpen ? "button" : "img", "data-name": b,
          "aria-label": sz.lines.map((l) => l.text).join(" ") + ": " + describe(b) }, sidePos[b] ? sideLayer : boxLayer);
        if (canOpen) grp.setAttribute("aria-expanded", "false");
        const x = n.x - sz.width / 2, y0 = n.y - sz.height / 2;
        if (H.isSeries[b]) el("rect", { x: x + 4, y: y0 - 4, width: sz.width, height: sz.height, rx: 6, class: "df-shadow" }, grp);
        const shape = el(kind === "df-op" ? "ellipse" : "rect", kind === "df-op"
          ? { cx: n.x, cy: n.y, rx: sz.width / 2 + 4, ry: sz.height / 2 }
          : { x, y: y0, width: sz.width, height: sz.height, rx: 6 }, grp);
        if (fill) { shape.style.fill = fill[0]; }
        sz.lines.forEach((l, i) => {
          const t = el("text", { x: n.x, y: y0 + 18 + i * 15, "text-anchor": "middle",
            class: (i === 0 ? "df-name" : "df-sub") + (l.bold ? " df-bold" : "") + (l.stub ? " df-stub" : "") }, grp);
          t.textContent = l.text;
          if (fill) t.style.fill = fill[1];
          grp.append(" ");   // not drawn (outside <text>); keeps the lines apart as words
        });
        grp.dataset.tip = describe(b);
      });
      status.textContent = `${mainBoxes.length} boxes and ${st.main.length} edges in the main graph ` +
        `(bundling ${st.main.reduce((s, b) => s + b.count, 0)} of ${st.total} raw edges), ` +
        `${sideItems.length} in the side area, ${st.inside} raw edges inside closed boxes.`;
      root.dataset.boxes = mainBoxes.length;
      root.dataset.edges = st.main.length;
      drawLegend();
      fit(svg);
      roving(svg, focusName);
      if (focusName) {
        const target = svg.querySelector(`[data-name="${CSS.escape(focusName)}"]`);
        if (target) {
          target.focus({ preventScroll: true });
          target.scrollIntoView({ block: "nearest", inline: "nearest" });
        }
      } else if (!scroller.dataset.centred) {      // first drawing: centre the graph
        scroller.dataset.centred = "true";
        scroller.scrollLeft = (scroller.scrollWidth - scroller.clientWidth) / 2;
      }
    }

    /* The scale of the drawing: in "fit" mode the largest (at most 1) that shows the whole
       graph within the scroll box's width and the window's height below the page header
       (scrolled to it, a reader sees all of it); else 1 (natural size, the box scrolls). The layout is the same; only the SVG's size
       changes, so resizing the window needs no new layout. */
    function fit(svg) {
      svg = svg || scroller.querySelector("svg.df-svg");
      if (!svg || !root.isConnected) return;   // gone with the page (instant navigation)
      const w = Number(svg.dataset.width), h = Number(svg.dataset.height);
      let scale = 1;
      if (ui.fit) {
        const cs = getComputedStyle(scroller);
        const availW = scroller.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const header = document.querySelector(".md-header");
        const availH = window.innerHeight - (header ? header.getBoundingClientRect().height : 0) -
          (scroller.offsetHeight - scroller.clientHeight) - parseFloat(cs.paddingTop) -
          parseFloat(cs.paddingBottom) - 8;
        if (!(availW > 0)) return;   // not laid out yet: the ResizeObserver below fits it then
        scale = Math.min(1, availW / w, Math.max(availH, 160) / h);
      }
      // whole pixels: axe (integer-width-height) and some renderers want integer sizes; rounding
      // down keeps the fitted graph inside the space it was fitted to
      svg.setAttribute("width", String(Math.floor(w * scale)));
      svg.setAttribute("height", String(Math.floor(h * scale)));
      root.dataset.scale = scale.toFixed(3);
    }
    // Fit again when the column's width or the window's height changes (not on a change
    // of the box's own height, which fitting itself causes).
    let seen = "";
    const refit = () => {
      const now = scroller.clientWidth + "x" + window.innerHeight;
      if (now !== seen && ui.fit) { seen = now; fit(); }
    };
    const watch = new ResizeObserver(() => (root.isConnected ? refit() : watch.disconnect()));
    watch.observe(scroller);
    const onResize = () => {
      if (!root.isConnected) { window.removeEventListener("resize", onResize); return; }
      refit();
    };
    window.addEventListener("resize", onResize);

    /* The arrow keys' order: the boxes and the open groups' titles in reading order (top to
       bottom, then left to right), then the edges in reading order (an edge sits where its
       label is): what can be opened comes first. */
    function ordered() {
      const at = (n) => { const r = n.getBoundingClientRect(); return [Math.round((r.top + r.bottom) / 8), r.left]; };
      const sorted = (sel) => [...scroller.querySelectorAll(sel)].map((n) => [at(n), n])
        .sort((a, b) => a[0][0] - b[0][0] || a[0][1] - b[0][1]).map((x) => x[1]);
      return sorted(".df-node, .df-head").concat(sorted(".df-edge"));
    }

    /* One Tab stop in the graph: the box or edge last focused (or the first in reading
       order) has tabindex 0, every other one -1; the arrow keys move among them. */
    function roving(svg, focusName) {
      const keep = (focusName && svg.querySelector(`[data-name="${CSS.escape(focusName)}"]`)) || ordered()[0];
      svg.querySelectorAll(".df-focusable").forEach((n) => n.setAttribute("tabindex", n === keep ? "0" : "-1"));
    }

    scroller.addEventListener("click", function (ev) {
      const t = ev.target.closest("[data-name]");
      if (t) toggle(t.dataset.name);
    });
    scroller.addEventListener("keydown", function (ev) {
      const t = ev.target.closest(".df-focusable");
      if (!t) return;
      if ((ev.key === "Enter" || ev.key === " ") && t.dataset.name) {
        ev.preventDefault(); toggle(t.dataset.name);
      } else if (ev.key.startsWith("Arrow") || ev.key === "Home" || ev.key === "End") {
        const all = ordered();
        const step = ev.key === "ArrowDown" || ev.key === "ArrowRight" ? 1 : -1;
        const next = ev.key === "Home" ? all[0] : ev.key === "End" ? all[all.length - 1]
          : all[(all.indexOf(t) + step + all.length) % all.length];
        ev.preventDefault(); next.focus();
      } else if (ev.key === "Escape") tip.hidden = true;
    });
    const tipOn = (ev) => {
      const t = ev.target.closest && ev.target.closest("[data-tip], .df-head");
      if (t) showTip(t, t.dataset.tip || describe(t.dataset.name));
    };
    scroller.addEventListener("mouseover", tipOn);
    scroller.addEventListener("focusin", tipOn);
    scroller.addEventListener("focusin", function (ev) {      // the roving Tab stop follows focus
      const t = ev.target.closest && ev.target.closest(".df-focusable");
      if (!t) return;
      scroller.querySelectorAll(".df-focusable[tabindex='0']").forEach((n) => n.setAttribute("tabindex", "-1"));
      t.setAttribute("tabindex", "0");
    });
    scroller.addEventListener("mouseleave", () => { tip.hidden = true; });
    scroller.addEventListener("focusout", () => { tip.hidden = true; });
    select.addEventListener("change", () => { ui.overlay = select.value; render(); });
    if (seriesBox) seriesBox.addEventListener("change", () => {
      ui.series = seriesBox.checked; H = hierarchy(data, ui.series); ui.expanded.clear(); render();
    });
    expandAll.addEventListener("click", () => {
      Object.keys(H.children).forEach((gname) => { if (H.isGroup(gname)) ui.expanded.add(gname); });
      render();
    });
    collapseAll.addEventListener("click", () => { ui.expanded.clear(); render(); });
    zoom.addEventListener("click", () => {
      ui.fit = !ui.fit; zoomLabel(); fit();
      if (!ui.fit) scroller.scrollLeft = (scroller.scrollWidth - scroller.clientWidth) / 2;
    });
    render();
  }
})();
