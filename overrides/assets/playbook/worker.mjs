// The Python runtime: Pyodide in a dedicated Web Worker, started once per tab.
// Protocol (JSON-able messages):
//   page -> worker  {type: "init", indexURL, lockURL, cdn, wheelURL, expectBytes}
//                   {type: "compute", id, calculator, input}
//   worker -> page  {type: "progress", stage, loaded, total}
//                   {type: "ready", seconds} | {type: "error", stage, message}
//                   {type: "result", id, payload}   (payload: JSON text from calculators.api.handle)
//   worker -> its throwaway copy (warmCodeCache)  {type: "warm", url} -> {type: "warmed", ok}

/** @typedef {import("./snapshot/restore.mjs").Pyodide} Pyodide */

/** calculators.api.handle: JSON text in, JSON text out. @type {((request: string) => string) | null} */
let handle = null;
let stage = "starting";

/** @param {Record<string, unknown>} msg */
const post = (msg) => self.postMessage(msg);

/** @param {unknown} err @returns {string} the error's message, or the thrown value as text */
const messageOf = (err) => String((err instanceof Error && err.message) || err);

/** @returns {PerformanceResourceTiming[]} */
const resources = () => /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType("resource"));

function transferred() {
  // Bytes of completed downloads so far (the resource timing of this worker).
  let bytes = 0;
  for (const entry of resources()) {
    bytes += entry.transferSize || entry.encodedBodySize || 0;
  }
  return bytes;
}

// Downloads completed so far: progress too where an engine reports no sizes to a
// worker (WebKit gives its entries 0 bytes), so the stall watchdog sees it.
const files = () => performance.getEntriesByType("resource").length;

// The site's lock file, fetched once (its path is named by its content).
/** @type {Promise<{packages: Record<string, {file_name: string, sha256: string}>}> | null} */
let lockFile = null;
const fetchLock = (/** @type {string} */ lockURL) => (lockFile ??= fetch(lockURL).then((r) => r.json()));

// Download the lock's wheels while the runtime compiles, so that loadPackage
// finds them in the HTTP cache. Failures are ignored here: loadPackage reports them.
/**
 * @param {string} indexURL
 * @param {string} lockURL
 */
async function prefetch(indexURL, lockURL) {
  try {
    const lock = await fetchLock(lockURL);
    await Promise.all(Object.values(lock.packages).map((p) => fetch(new URL(p.file_name, indexURL)).then((r) => r.arrayBuffer())));
  } catch {
    /* loadPackage will say what went wrong */
  }
}

// Pyodide reports a wheel that its integrity check refused only as "Failed to
// fetch". Download the missing ones once more (only on this failure path) to
// tell a corrupted file from a network failure.
/**
 * @param {string} indexURL
 * @param {string} lockURL
 * @param {string[]} names the packages that did not load
 * @returns {Promise<string>} the cause, or "" when none was found
 */
async function diagnose(indexURL, lockURL, names) {
  try {
    const lock = await fetchLock(lockURL);
    for (const name of names) {
      const entry = lock.packages[name];
      if (!entry) continue;
      const file = entry.file_name.split("/").pop();
      const response = await fetch(new URL(entry.file_name, indexURL), { cache: "no-store" });
      if (!response.ok) return `${file} could not be downloaded (HTTP ${response.status})`;
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await response.arrayBuffer()));
      const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
      if (hex !== entry.sha256) return `the integrity check refused ${file}: its sha256 is ${hex.slice(0, 12)}…, the lock pins ${entry.sha256.slice(0, 12)}…`;
    }
  } catch {
    /* no lock, no network or no crypto.subtle (plain http): keep Pyodide's own message */
  }
  return "";
}

// Pyodide 0.27 only logs a failed wasm download or compile (console.warn) and
// then waits forever; turn that warning into an error so the page can say so.
/** @type {(() => void) | null} */
let restoreWarn = null;
/** @returns {Promise<never>} rejects when the runtime's wasm could not be loaded */
function wasmFailure() {
  return new Promise((_, reject) => {
    const warn = console.warn;
    let failed = false;
    console.warn = (...args) => {
      warn.apply(console, args);
      const text = args.map((a) => String((a && a.message) || a)).join(" ");
      if (/wasm instantiation failed/i.test(text)) failed = true;
      else if (failed) reject(new Error(`the WebAssembly runtime could not be loaded: ${text}`));
    };
    restoreWarn = () => (console.warn = warn);
  });
}

// The build's memory snapshot (snapshot/index.mjs: its run-time side).
/** @returns {Promise<typeof import("./snapshot/index.mjs")>} */
const snapshotModule = () => import(new URL("snapshot/index.mjs" + new URL(import.meta.url).search, import.meta.url).href);

/**
 * @param {string} lockURL
 * @param {string} indexURL
 */
async function findSnapshot(lockURL, indexURL) {
  try {
    const module = await snapshotModule();
    const pointer = await module.findSnapshot(lockURL, indexURL);
    return pointer && { module, pointer };
  } catch {
    return null;
  }
}

/**
 * Start Python: from the build's snapshot when it pays, else the normal way.
 * @param {{indexURL: string, lockURL: string, cdn: boolean, wheelURL: string, expectBytes: number}} options
 */
async function init({ indexURL, lockURL, cdn, wheelURL, expectBytes }) {
  const started = performance.now();
  const timer = setInterval(() => post({ type: "progress", stage, loaded: transferred(), files: files(), total: expectBytes }), 250);
  /** @type {Promise<import("./snapshot/store.mjs").EarlyStore | null> | null} */
  let early = null;
  try {
    stage = "runtime";
    post({ type: "progress", stage, loaded: 0, total: expectBytes });
    const found = cdn ? null : findSnapshot(lockURL, indexURL); // in parallel with the imports below
    // A returning reader's stored copy is read and checked, and its wasm compiles, while the rest starts (snapshot/store.mjs: earlyStore).
    early = cdn ? null : snapshotModule().then((m) => m.earlyStore()).catch(() => null);
    // The wheels are needed only by the normal boot: fetched at once when there is no snapshot.
    found?.then((s) => {
      if (!s) prefetch(indexURL, lockURL);
    });
    // A returning reader's decision needs no measure of the link: taken at once.
    const returning = !found ? null : found.then((s) => s && s.module.kept(s.pointer, indexURL, early)).catch(() => null);
    const { loadPyodide, version } = await import(new URL("pyodide.mjs", indexURL).href);
    let snap = await found;
    if (snap && snap.pointer.meta.version !== version) snap = null;
    const wasmFailed = wasmFailure(); // one watcher for both ways of starting
    wasmFailed.catch(() => {});
    /** @type {Pyodide | null} */
    let pyodide = null;
    /** @type {(() => Promise<boolean>) | null} */
    let keep = null;
    if (snap) {
      // Any failure here ends in the normal boot below, without a word to the reader.
      try {
        // Pyodide's runtime script, needed either way. Fetched alone, after the loader
        // and the pointer, its download measures the link for a first visit.
        await import(new URL("pyodide.asm.js", indexURL).href);
        const decision = (await returning) || (await snap.module.shouldUse(snap.pointer));
        if (decision.use) {
          const { stored, wasm } = decision;
          const restored = snap.module.restore(snap.pointer, { indexURL, lockURL, loadPyodide, stored, wasm, early });
          ({ pyodide, keep } = await Promise.race([restored, wasmFailed]));
          console.debug(`playbook: Python restored from the build's snapshot (${decision.why})`);
        } else {
          prefetch(indexURL, lockURL);
          console.debug(`playbook: normal start, snapshot later (${decision.why})`);
        }
      } catch (err) {
        pyodide = null;
        console.debug(`playbook: snapshot not used, normal start (${messageOf(err)})`);
      }
    }
    const restored = Boolean(pyodide);
    if (!pyodide) {
      /** @type {Record<string, unknown>} */
      const options = { indexURL, checkIntegrity: true, stdout: () => {}, stderr: () => {} };
      if (!cdn) options.lockFileURL = lockURL;
      pyodide = /** @type {Pyodide} */ (await Promise.race([loadPyodide(options), wasmFailed]));
      stage = "packages";
      post({ type: "progress", stage, loaded: transferred(), files: files(), total: expectBytes });
      /** @type {string[]} */
      const problems = [];
      // One call: our wheel and numpy, both verified against the lock's sha256.
      // (With the optional CDN runtime, numpy comes from the CDN's lock and our wheel by URL.)
      await pyodide.loadPackage(cdn ? ["numpy", wheelURL] : ["calculators"], {
        messageCallback: () => {},
        errorCallback: (/** @type {string} */ m) => problems.push(m),
      });
      // A package refused by its integrity check is reported only through
      // errorCallback: check that every one we need arrived.
      const loadedPackages = pyodide.loadedPackages;
      const missing = ["numpy", "calculators"].filter((name) => !(name in loadedPackages));
      if (missing.length) {
        const cause = cdn ? "" : await diagnose(indexURL, lockURL, missing);
        throw new Error(cause || problems.join(" ") || `${missing.join(" and ")} did not load`);
      }
      if (snap) keep = () => snap.module.warm(snap.pointer); // download it for the next visit (never with Save-Data)
    }
    stage = "import";
    const python = pyodide;
    handle = python.pyimport("calculators.api").handle;
    post({ type: "ready", seconds: (performance.now() - started) / 1000, loaded: transferred() });
    // Once the reader pauses: after a normal start, what a first result imports; then, for
    // the next visit, V8's compiled code of the runtime script and a copy of the snapshot
    // the page can read back at once.
    if (!restored || keep) {
      whenIdle(async () => {
        if (!restored) prepareFirstResult(python);
        if (!keep) return;
        if (await warmCodeCache(indexURL)) console.debug("playbook: runtime script compiled for the next visit");
        if (await keep()) console.debug("playbook: snapshot stored for the next visit");
      });
    }
  } catch (err) {
    post({ type: "error", stage, message: messageOf(err) });
  } finally {
    early?.then((e) => e?.files.clear()); // what the worker read of the store, if unused
    restoreWarn?.();
    clearInterval(timer);
  }
}

// After a normal start, a reader's first result would also pay for the modules that
// computing imports on the way (numpy's random generators, hashlib and more: about
// 150 ms here); a restored snapshot holds them already (pipeline/snapshot.py). Compute
// each calculator's first example once (calculators.api.run_examples) and drop the results.
/** @param {Pyodide} pyodide */
function prepareFirstResult(pyodide) {
  let imported = null;
  try {
    imported = pyodide.pyimport("calculators.api").run_examples(true);
    console.debug(`playbook: first result prepared (${imported.length} modules imported)`);
  } catch (err) {
    console.debug(`playbook: first result not prepared (${messageOf(err)})`); // the first result imports them then
  } finally {
    imported?.destroy();
  }
}

// Chromium keeps V8's compiled code of a script only from the second time a page runs
// it (within 72 hours); until then every visit compiles Pyodide's 1.2 MB runtime script
// again (about 100 ms on a returning reader's critical path). Run it a second time now,
// in a throwaway worker, so that the next visit starts from the compiled code.
/**
 * @param {string} indexURL
 * @returns {Promise<boolean>} whether the script was compiled a second time
 */
function warmCodeCache(indexURL) {
  return new Promise((resolve) => {
    let helper;
    try {
      helper = new Worker(import.meta.url, { type: "module" });
    } catch {
      resolve(false); // an engine without nested workers
      return;
    }
    const done = (/** @type {boolean} */ ok) => {
      helper.terminate();
      resolve(ok);
    };
    helper.onmessage = ({ data }) => done(data.type === "warmed" && data.ok);
    helper.onerror = (event) => {
      event.preventDefault();
      done(false);
    };
    helper.postMessage({ type: "warm", url: new URL("pyodide.asm.js", indexURL).href });
  });
}

// Work for the next visit (storing 60 MB) waits until the reader has paused: it
// would slow the results they are waiting for. Runs `fn` once no result has been
// asked for during `quietMs`.
let lastCompute = 0;
/**
 * @param {() => void} fn
 * @param {number} [quietMs]
 */
function whenIdle(fn, quietMs = 2000) {
  const check = () => {
    const wait = lastCompute + quietMs - performance.now();
    if (wait > 0) setTimeout(check, wait);
    else fn();
  };
  setTimeout(check, quietMs);
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    await init(data);
  } else if (data.type === "warm") {
    // In warmCodeCache's throwaway worker: load the runtime script, nothing more.
    let ok = false;
    try {
      await import(data.url);
      ok = typeof (/** @type {any} */ (globalThis))._createPyodideModule === "function";
    } catch {
      /* the next visit compiles it as before */
    }
    post({ type: "warmed", ok });
  } else if (data.type === "compute") {
    lastCompute = performance.now();
    if (!handle) {
      post({ type: "result", id: data.id, payload: JSON.stringify({ id: data.id, error: { message: "Python is not ready", fields: [] } }) });
      return;
    }
    let payload;
    try {
      payload = handle(JSON.stringify({ id: data.id, calculator: data.calculator, input: data.input }));
    } catch (err) {
      payload = JSON.stringify({ id: data.id, error: { message: `internal error: ${err}`, fields: [], internal: true } });
    }
    post({ type: "result", id: data.id, payload });
  }
};
