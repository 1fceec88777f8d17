// The build's side of the memory snapshot: boot Pyodide, import the calculators and
// save the wasm memory with what a restore needs to rebuild the rest
// (overrides/assets/playbook/snapshot/restore.mjs). Run in a module worker of a headless
// Chromium by pipeline/snapshot.py; never part of the site.
//
// Valid for the pinned Pyodide (pipeline/runtime.toml) only: it uses private internals
// (`_makeSnapshot`, `makeMemorySnapshot`, Emscripten's LDSO).
import { FORMAT, tableDigest, tableSignature } from "../overrides/assets/playbook/snapshot/format.mjs";

/**
 * Fixed entropy and a frozen clock while the snapshot is made, so that two
 * builds give the same bytes (with PYTHONHASHSEED=0).
 */
function freezeEntropy() {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state & 0xff;
  };
  /** @type {any} */ (crypto).getRandomValues = (/** @type {ArrayBufferView} */ array) => {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = next();
    return array;
  };
  const epoch = Date.UTC(2024, 0, 1);
  Date.now = () => epoch;
}

/**
 * Side modules as Emscripten instantiates them: the imports' env answers
 * __memory_base and __table_base; the bytes tell which file it was.
 * @returns {{bytes: number, memoryBase: number, tableBase: number}[]}
 */
function recordSideModules() {
  /** @type {{bytes: number, memoryBase: number, tableBase: number}[]} */
  const loads = [];
  /** @type {any} */
  const wasm = WebAssembly;
  const original = wasm.instantiate;
  wasm.instantiate = function (/** @type {any} */ source, /** @type {any} */ imports, /** @type {any[]} */ ...rest) {
    if (imports && imports["GOT.mem"] && source instanceof Uint8Array) {
      loads.push({ bytes: source.byteLength, memoryBase: imports.env.__memory_base, tableBase: imports.env.__table_base });
    }
    return original.call(this, source, imports, ...rest);
  };
  return loads;
}

/**
 * Make the snapshot.
 * @param {object} options
 * @param {string} options.indexURL Pyodide's folder
 * @param {string} options.lockURL the site's lock file
 * @param {string[]} options.packages what to load before the imports
 * @param {string} options.imports Python run before the memory is saved
 * @returns {Promise<{snapshot: Uint8Array, meta: import("../overrides/assets/playbook/snapshot/format.mjs").Meta}>}
 */
export async function makeSnapshot({ indexURL, lockURL, packages, imports }) {
  freezeEntropy();
  const loads = recordSideModules();
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: lockURL,
    checkIntegrity: true,
    _makeSnapshot: true,
    env: { PYTHONHASHSEED: "0" },
    stdout: () => {},
    stderr: () => {},
  });
  await pyodide.loadPackage(packages, { messageCallback: () => {} });
  pyodide.runPython(imports);
  const Module = pyodide._module;
  /** @type {string} */
  const sitePackages = pyodide._api.sitePackages;
  // Which file each load was: match the recorded sizes against the .so files on disk.
  /** @type {{path: string, size: number}[]} */
  const files = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const name of Module.FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const path = `${dir}/${name}`;
      const stat = Module.FS.stat(path);
      if (Module.FS.isDir(stat.mode)) walk(path);
      else if (name.endsWith(".so")) files.push({ path, size: stat.size });
    }
  };
  walk(sitePackages);
  const libs = loads.map((load) => {
    const candidates = files.filter((f) => f.size === load.bytes);
    const dsoPaths = candidates.filter((f) => Module.LDSO.loadedLibsByName[f.path]);
    if (dsoPaths.length !== 1) throw new Error(`cannot tell which library of ${load.bytes} bytes was loaded`);
    return { path: dsoPaths[0].path, memoryBase: load.memoryBase, tableBase: load.tableBase };
  });
  /** @type {Record<string, string>} */
  const handles = {};
  for (const [handle, dso] of Object.entries(Module.LDSO.loadedLibsByHandle)) {
    if (Number(handle) !== 0) handles[handle] = /** @type {any} */ (dso).name;
  }
  /** @type {Record<string, string>} */
  const aliases = {};
  for (const [name, dso] of Object.entries(Module.LDSO.loadedLibsByName)) {
    if (name !== /** @type {any} */ (dso).name) aliases[name] = /** @type {any} */ (dso).name;
  }
  const loaded = { ...pyodide.loadedPackages };
  for (const key of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[key]; // pyodide#5195
  const snapshot = pyodide.makeMemorySnapshot();
  Object.assign(pyodide.loadedPackages, loaded);
  const table = tableSignature(Module.wasmTable);
  const meta = {
    format: FORMAT,
    buildId: pyodide._api.config.BUILD_ID,
    version: pyodide.version,
    sitePackages,
    libs,
    handles,
    aliases,
    loadedPackages: loaded,
    tableSize: table.length,
    tableDigest: await tableDigest(table),
  };
  return { snapshot, meta };
}
