/* In-page explorers, loaded only where a page shows one. The only explorer script every
   page loads is this one. A page holds
     <div class="dlv-explorer" data-explorer="KIND" data-src="DATA.json"
          data-scripts="LIBRARY.js ... KIND.js" data-styles="KIND.css" hidden>
   (the expand step writes it: generators/site/explorer_assets.py). For each such element
   this file loads its styles and scripts, each script once per visit (the scripts run in
   the order given, libraries first), fetches its data, and calls the init(element, data)
   that KIND.js registered in window.dlvExplorers. It does so on the first page load and
   after every instant navigation (Material's and Zensical's document$, which replaces
   the page's content and drops <head> elements the next page lacks, so a stylesheet is
   added again when a later page needs it). No request leaves the site: every URL is a
   file built with the page, relative to it. */
(function () {
  "use strict";
  const registry = (window.dlvExplorers = window.dlvExplorers || {});
  const scripts = new Map();  // absolute URL -> Promise: a script runs once per visit
  const styles = new Map();   // absolute URL -> { link, ready }

  const urls = (list) => (list || "").split(/\s+/).filter(Boolean)
    .map((url) => new URL(url, document.baseURI).href);

  function loadScript(url) {
    if (!scripts.has(url)) {
      scripts.set(url, new Promise(function (resolve, reject) {
        const s = document.createElement("script");
        s.src = url;
        s.async = false;  // downloaded together, run in the order they were added
        s.onload = resolve;
        s.onerror = function () { scripts.delete(url); reject(new Error(`cannot load ${url}`)); };
        document.body.appendChild(s);  // <head> is rewritten by instant navigation; <body> stays
      }));
    }
    return scripts.get(url);
  }

  function loadStyle(url) {
    const known = styles.get(url);
    if (known && known.link.isConnected) return known.ready;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    const ready = new Promise(function (resolve, reject) {
      link.onload = resolve;
      link.onerror = function () { styles.delete(url); reject(new Error(`cannot load ${url}`)); };
    });
    styles.set(url, { link: link, ready: ready });
    document.head.appendChild(link);
    return ready;
  }

  async function fetchJSON(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  async function startOne(el) {
    el.dataset.started = "true";
    const kind = el.dataset.explorer;
    try {
      const [data] = await Promise.all([
        fetchJSON(new URL(el.dataset.src, document.baseURI).href),
        Promise.all(urls(el.dataset.scripts).map(loadScript)),
        Promise.all(urls(el.dataset.styles).map(loadStyle)),
      ]);
      const init = registry[kind];
      if (typeof init !== "function") throw new Error("its script registered no init function");
      if (!el.isConnected) return;  // the reader has already moved on to another page
      el.hidden = false;
      init(el, data);
    } catch (err) {
      console.error(`explorer "${kind}" failed:`, err);
    }
  }

  function startAll() {
    document.querySelectorAll(".dlv-explorer:not([data-started])").forEach(startOne);
  }

  startAll();  // this script comes last in <body>: the page's explorers are in the DOM
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(startAll);  // every instant navigation
  }
})();
