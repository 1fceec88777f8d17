// The Python runtime: Pyodide in a dedicated Web Worker, started once per tab.
// Protocol (JSON-able messages):
//   page -> worker  {type: "init", indexURL, lockURL, cdn, wheelURL, expectBytes}
//                   {type: "compute", id, calculator, input}
//   worker -> page  {type: "progress", stage, loaded, total}
//                   {type: "ready", seconds} | {type: "error", stage, message}
//                   {type: "result", id, payload}   (payload: JSON text from calculators.api.handle)

let handle = null;
let stage = "starting";

const post = (msg) => self.postMessage(msg);

function transferred() {
  // Bytes of completed downloads so far (the resource timing of this worker).
  let bytes = 0;
  for (const entry of performance.getEntriesByType("resource")) {
    bytes += entry.transferSize || entry.encodedBodySize || 0;
  }
  return bytes;
}

// The site's lock file, fetched once (its path is named by its content).
let lockFile = null;
const fetchLock = (lockURL) => (lockFile ??= fetch(lockURL).then((r) => r.json()));

// Download the lock's wheels while the runtime compiles, so that loadPackage
// finds them in the HTTP cache. Failures are ignored here: loadPackage reports them.
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
let restoreWarn = null;
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

async function init({ indexURL, lockURL, cdn, wheelURL, expectBytes }) {
  const started = performance.now();
  const timer = setInterval(() => post({ type: "progress", stage, loaded: transferred(), total: expectBytes }), 250);
  try {
    stage = "runtime";
    post({ type: "progress", stage, loaded: 0, total: expectBytes });
    if (!cdn) prefetch(indexURL, lockURL);
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    const options = { indexURL, checkIntegrity: true, stdout: () => {}, stderr: () => {} };
    if (!cdn) options.lockFileURL = lockURL;
    const pyodide = await Promise.race([loadPyodide(options), wasmFailure()]);
    stage = "packages";
    post({ type: "progress", stage, loaded: transferred(), total: expectBytes });
    const problems = [];
    // One call: our wheel and numpy, both verified against the lock's sha256.
    // (With the optional CDN runtime, numpy comes from the CDN's lock and our wheel by URL.)
    await pyodide.loadPackage(cdn ? ["numpy", wheelURL] : ["calculators"], {
      messageCallback: () => {},
      errorCallback: (m) => problems.push(m),
    });
    // A package refused by its integrity check is reported only through
    // errorCallback: check that every one we need arrived.
    const missing = ["numpy", "calculators"].filter((name) => !(name in pyodide.loadedPackages));
    if (missing.length) {
      const cause = cdn ? "" : await diagnose(indexURL, lockURL, missing);
      throw new Error(cause || problems.join(" ") || `${missing.join(" and ")} did not load`);
    }
    stage = "import";
    handle = pyodide.pyimport("calculators.api").handle;
    post({ type: "ready", seconds: (performance.now() - started) / 1000, loaded: transferred() });
  } catch (err) {
    post({ type: "error", stage, message: String((err && err.message) || err) });
  } finally {
    restoreWarn?.();
    clearInterval(timer);
  }
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    await init(data);
  } else if (data.type === "compute") {
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
