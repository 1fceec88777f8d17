// Start the Python worker while the page is still loading, when the calculator
// just above this script is already in view, or at once for a reader whose
// browser has started this same runtime before (its files are in the HTTP cache:
// runtime.mjs notes the lock file's address at `ready`, under the key the build
// writes into data-runtime as returningKey), unless
// the reader has asked to save data. runtime.mjs adopts this worker instead of starting another, so
// Python boots while Material and the page modules load. A classic script, so
// it runs during parsing; a file, so a strict CSP allows it. It reads the same
// data-runtime attribute as config.mjs:runtimeOptions.
(() => {
  const root = document.currentScript && document.currentScript.previousElementSibling;
  if (!(root instanceof HTMLElement) || !root.matches("[data-calculator]")) return;
  const shared = (globalThis.playbookRuntime ??= {}); // shared.mjs documents it
  if (shared.early || shared.started) return; // instant navigation: Python is running
  /** @type {{connection?: {saveData?: boolean}}} */
  const browser = /** @type {any} */ (navigator);
  if ((browser.connection && browser.connection.saveData) || typeof Worker === "undefined"
      || typeof WebAssembly === "undefined") return;
  /** @type {Record<string, string | number | boolean | undefined>} */
  let raw;
  try {
    raw = JSON.parse(root.dataset.runtime || "");
  } catch (err) {
    return; // the page modules report a broken root
  }
  if (raw.cdn === true) return;
  const url = (/** @type {unknown} */ u) => (u ? new URL(String(u), location.href).href : "");
  let returning = false;
  try {
    returning = Boolean(raw.returningKey) && localStorage.getItem(String(raw.returningKey)) === url(raw.lockURL);
  } catch (err) {
    /* no storage: decide by what is in view */
  }
  if (!returning) {
    const box = root.getBoundingClientRect();
    if (!(box.top < innerHeight && box.bottom > 0)) return;
  }
  const options = {
    indexURL: url(raw.indexURL), lockURL: url(raw.lockURL), workerURL: url(raw.workerURL),
    wheelURL: url(raw.wheelURL), cdn: false, expectBytes: Number(raw.expectBytes || 0),
    returningKey: String(raw.returningKey || ""),
  };
  /** @type {import("./shared.mjs").EarlyStart} */
  let early;
  try {
    early = { worker: new Worker(options.workerURL, { type: "module" }), messages: [], errors: [], options };
  } catch (err) {
    return; // runtime.mjs will try again and report the failure
  }
  early.worker.onmessage = (e) => early.messages.push(e.data);
  early.worker.onerror = (e) => {
    e.preventDefault();
    early.errors.push(e.message || "the worker failed to start");
  };
  early.worker.postMessage({ type: "init", ...early.options });
  shared.early = early;
})();
