// One Python runtime per tab, behind one promise. It survives Material's
// instant navigation: the module stays loaded while pages are swapped.

import { shared } from "./shared.mjs";

const MB = 1024 * 1024;

/**
 * What the page shows of the runtime: loading (with its stage and bytes), ready or failed.
 * @typedef {object} RuntimeState
 * @property {"loading" | "ready" | "error"} status
 * @property {string} stage "starting", "runtime", "packages", "import" or "ready"
 * @property {number} loaded bytes downloaded so far
 * @property {number} total bytes expected (0: unknown)
 * @property {number} [files] downloads completed so far
 * @property {string} error the reader's sentence when it failed
 * @property {string} [detail] the technical message behind it
 * @property {number} seconds how long starting took
 */

/**
 * The tab's one runtime.
 * @typedef {object} Runtime
 * @property {Promise<void>} ready settles when Python is ready or has failed
 * @property {RuntimeState} state
 * @property {(fn: (state: RuntimeState) => void) => () => void} subscribe called at once and on
 *   every change; returns the unsubscribe
 * @property {(calculator: string, input: unknown) => Promise<any>} compute the calculator's answer
 *   (calculators.api.handle's JSON, parsed)
 */

/** @type {Runtime | null} */
let runtime = null;

function timeoutMs() {
  const override = Number(shared().timeoutMs);
  return Number.isFinite(override) && override > 0 ? override : 90_000;
}

/**
 * @param {string} stage where it failed
 * @param {unknown} message the technical cause
 * @returns {string} one sentence that names the cause and what to do
 */
export function describeError(stage, message) {
  // One sentence that names the cause and what to do.
  const m = String(message || "");
  if (typeof WebAssembly === "undefined") {
    return "This browser cannot run WebAssembly, so the calculator cannot recompute here; the result shown is for the example inputs. Try a current Chrome, Firefox, Safari or Edge.";
  }
  if (/\bintegrity\b|\bdigest\b|\bsha-?256\b|\bchecksum\b/i.test(m)) {
    return "A downloaded Python file did not match its checksum, so it was refused; the result shown is from the build. Reload the page, and if it persists tell whoever hosts this site that a runtime file is corrupted.";
  }
  if (/\btimed out\b|\bstalled\b/i.test(m)) {
    return "Downloading the Python runtime stalled, so the calculator cannot recompute yet; the result shown is from the build. Check your connection and reload the page.";
  }
  if (/\b404\b|\bnot found\b|Failed to fetch|NetworkError|failed to load|could not be loaded|status code is not ok/i.test(m)) {
    return "The Python runtime could not be downloaded from this site (a file is missing or the network failed); the result shown is from the build. Reload the page, or tell whoever hosts this site that the runtime files are missing.";
  }
  return `The Python runtime failed while ${stage === "runtime" || stage === "starting" ? "starting" : "loading the calculators"} (${m.slice(0, 160)}); the result shown is from the build. Reload the page to try again.`;
}

/** @returns {Runtime | null} the runtime, once started */
export function getRuntime() {
  return runtime;
}

/**
 * Start the tab's runtime (or adopt the worker early.js started); once per tab.
 * @param {import("./config.mjs").RuntimeOptions} options
 * @returns {Runtime}
 */
export function startRuntime({ indexURL, lockURL, workerURL, cdn, wheelURL, expectBytes, returningKey }) {
  if (runtime) return runtime;
  /** @type {Set<(state: RuntimeState) => void>} */
  const listeners = new Set();
  /** @type {Map<number, {resolve: (value: unknown) => void, reject: (err: unknown) => void}>} */
  const pending = new Map();
  let nextId = 1;
  /** @type {RuntimeState} */
  const state = { status: "loading", stage: "starting", loaded: 0, total: expectBytes || 0, error: "", seconds: 0 };
  const emit = () => listeners.forEach((fn) => fn({ ...state }));
  // Python is ready or has failed: material/late.js waits for this to run Material's bundle.
  const settled = () => {
    shared().settled = true;
    globalThis.document?.dispatchEvent(new Event("pb:python"));
  };
  /** @type {() => void} */
  let resolveReady = () => {};
  /** @type {(err: Error) => void} */
  let rejectReady = () => {};
  /** @type {Promise<void>} */
  const ready = new Promise((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  /** @type {(stage: string, message: unknown) => void} */
  const fail = (stage, message) => {
    if (state.status === "error") return;
    Object.assign(state, { status: "error", stage, error: describeError(stage, message), detail: String(message) });
    for (const { reject } of pending.values()) reject(new Error(state.error));
    pending.clear();
    emit();
    settled();
    rejectReady(new Error(state.error));
  };

  /** @type {Worker | undefined} */
  let worker;
  if (typeof WebAssembly === "undefined" || typeof Worker === "undefined") {
    runtime = { ready, state, subscribe: (fn) => (listeners.add(fn), fn({ ...state }), () => listeners.delete(fn)), compute: () => ready };
    queueMicrotask(() => fail("runtime", "WebAssembly is not available"));
    return runtime;
  }
  // early.js may have started the worker while the page was loading: adopt it.
  const early = shared().early;
  delete shared().early;
  shared().started = true;
  try {
    worker = early ? early.worker : new Worker(workerURL, { type: "module" });
  } catch (err) {
    queueMicrotask(() => fail("runtime", `cannot start the worker: ${err}`));
  }
  let lastProgress = performance.now();
  const watchdog = setInterval(() => {
    if (state.status !== "loading") return clearInterval(watchdog);
    if (performance.now() - lastProgress > timeoutMs()) fail(state.stage, "the download timed out (stalled)");
  }, 1000);
  if (worker) {
    /** @param {{data: any}} event the worker's message */
    const onMessage = ({ data }) => {
      if (data.type === "progress") {
        if (data.loaded !== state.loaded || data.stage !== state.stage || data.files !== state.files) lastProgress = performance.now();
        Object.assign(state, { stage: data.stage, loaded: data.loaded, files: data.files, total: data.total || state.total });
        emit();
      } else if (data.type === "ready") {
        Object.assign(state, { status: "ready", stage: "ready", seconds: data.seconds, loaded: data.loaded });
        clearInterval(watchdog);
        try {
          // early.js starts the worker at once on a later visit when this key holds the same lock file.
          if (returningKey) localStorage.setItem(returningKey, lockURL);
        } catch {
          /* no storage: the next visit decides by what is in view */
        }
        emit();
        settled();
        resolveReady();
      } else if (data.type === "error") {
        clearInterval(watchdog);
        fail(data.stage, data.message);
      } else if (data.type === "result") {
        const entry = pending.get(data.id);
        if (!entry) return;
        pending.delete(data.id);
        try {
          entry.resolve(JSON.parse(data.payload));
        } catch (err) {
          entry.reject(err);
        }
      }
    };
    worker.onmessage = onMessage;
    worker.onerror = (event) => {
      event.preventDefault();
      fail(state.stage, event.message || "the worker failed to start");
    };
    if (early) {
      // Replay what the worker said before this module was loaded.
      early.messages.forEach((data) => onMessage({ data }));
      early.errors.forEach((message) => fail(state.stage, message));
    } else {
      worker.postMessage({ type: "init", indexURL, lockURL, cdn, wheelURL, expectBytes });
    }
  }

  runtime = {
    ready,
    state,
    /** @param {(state: RuntimeState) => void} fn */
    subscribe(fn) {
      listeners.add(fn);
      fn({ ...state });
      return () => listeners.delete(fn);
    },
    /**
     * @param {string} calculator
     * @param {unknown} input
     */
    async compute(calculator, input) {
      await ready;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker?.postMessage({ type: "compute", id, calculator, input });
      });
    },
  };
  return runtime;
}

export const READY_TEXT = "Ready: results update as you type.";

// What the reader is waiting for, in one sentence ("Loading the calculator: 6.5 of 16 MB").
/**
 * @param {RuntimeState} s
 * @returns {string}
 */
export function progressText(s) {
  const mb = (/** @type {number} */ b) => (b / MB).toFixed(1);
  if (s.status === "error") return s.error;
  if (s.status === "ready") return READY_TEXT;
  if (s.stage === "import") return "Starting the calculator: almost ready…";
  const total = Math.max(s.total || 0, s.loaded || 0);
  if (!total) return s.loaded ? `Loading the calculator: ${mb(s.loaded)} MB…` : "Loading the calculator…";
  if (!s.loaded) return `Loading the calculator (${Math.round(total / MB)} MB)…`; // an engine that reports no sizes
  return `Loading the calculator: ${mb(s.loaded)} of ${Math.round(total / MB)} MB`;
}

// The progress bar's position (0-1): downloads fill it to 90%, starting Python the rest.
/**
 * @param {RuntimeState} s
 * @returns {number}
 */
export function progressFraction(s) {
  if (s.status === "ready") return 1;
  if (s.stage === "import") return 0.95;
  const total = Math.max(s.total || 0, s.loaded || 0);
  return total ? Math.min(0.9, (0.9 * (s.loaded || 0)) / total) : 0;
}
