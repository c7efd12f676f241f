/* In-page explorers. A page holds <div class="dlv-explorer" data-explorer="KIND"
   data-src="URL">; the script assets/js/KIND.js registers KIND's init(element, data) in
   window.dlvExplorers; this file fetches each explorer's JSON and starts it, on the first
   page load and after every instant navigation (Material's document$). No network
   request leaves the site: data-src is a file built with the page. */
(function () {
  "use strict";
  const registry = (window.dlvExplorers = window.dlvExplorers || {});

  async function startOne(el) {
    el.dataset.started = "true";
    const init = registry[el.dataset.explorer];
    if (typeof init !== "function") {
      console.error(`explorer "${el.dataset.explorer}" is not registered`);
      return;
    }
    try {
      const response = await fetch(el.dataset.src);
      if (!response.ok) throw new Error(`${el.dataset.src}: HTTP ${response.status}`);
      const data = await response.json();
      el.hidden = false;
      init(el, data);
    } catch (err) {
      console.error(`explorer "${el.dataset.explorer}" failed:`, err);
    }
  }

  function startAll() {
    document.querySelectorAll(".dlv-explorer:not([data-started])").forEach(startOne);
  }

  // Every explorer script has run by the time this timeout fires (they are plain,
  // synchronous scripts), so all kinds are registered before the first start.
  setTimeout(function () {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(startAll);
    } else {
      startAll();
    }
  }, 0);
})();
