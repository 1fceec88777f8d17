// Material for MkDocs' bundle, run once the page has loaded (and a calculator's
// Python has started) instead of before it paints. The chapter is readable without it; what it adds (search, instant
// navigation, the palette toggle, tooltips, the table of contents that follows
// the reader) arrives a moment later, or at once when the reader acts first.
// On a phone this halves the time until the text is shown (make bench, Lighthouse).
//
// The build (pipeline/pagespeed.py) puts this script where Material's own tag was:
//   <script src="late.js" data-src="…/bundle.<hash>.min.js"></script>
// Material's page observable listens for DOMContentLoaded, which has passed by then:
// while the bundle runs, a listener for it is called at once instead. When the bundle
// has run, <html data-pb-material="ready"> is set and "pb:material" is dispatched.
(() => {
  const me = document.currentScript;
  const src = me && me.dataset.src;
  if (!src) return;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const add = document.addEventListener;
    /** @this {Document} */
    const patched = function (/** @type {string} */ type, /** @type {EventListenerOrEventListenerObject | null} */ listener,
      /** @type {boolean | AddEventListenerOptions | undefined} */ options) {
      if (type === "DOMContentLoaded" && document.readyState !== "loading" && listener) {
        const event = new Event(type);
        queueMicrotask(() => (typeof listener === "function" ? listener.call(document, event) : listener.handleEvent(event)));
        return undefined;
      }
      return add.call(this, type, /** @type {EventListenerOrEventListenerObject} */ (listener), options);
    };
    document.addEventListener = patched;
    const script = document.createElement("script");
    script.src = src;
    const done = (/** @type {string} */ state) => {
      document.addEventListener = add;
      document.documentElement.dataset.pbMaterial = state;
      document.dispatchEvent(new Event("pb:material"));
    };
    script.onload = () => queueMicrotask(() => done("ready"));
    script.onerror = () => done("failed");
    document.body.append(script);
  };
  const soon = () => setTimeout(start, 0);
  // While a calculator's Python is starting (early.js or the page started it), the
  // bundle and the search index it builds would take the processor Python needs
  // (ready about 0.25 s later on a two-core machine): it runs once Python is ready or
  // has failed (runtime.mjs says "pb:python"), or 5 s after the page has loaded.
  const shared = (globalThis.playbookRuntime ??= {}); // shared.mjs documents it
  const starting = () => Boolean(shared.early || shared.started) && !shared.settled;
  const loaded = () => {
    if (!starting()) return soon();
    document.addEventListener("pb:python", soon, { once: true });
    setTimeout(soon, 5000);
  };
  if (document.readyState === "complete") loaded();
  else addEventListener("load", loaded, { once: true });
  // A reader who reaches for a control before then gets Material at once.
  for (const type of ["pointerdown", "keydown", "touchstart"]) {
    addEventListener(type, start, { once: true, passive: true, capture: true });
  }
})();
