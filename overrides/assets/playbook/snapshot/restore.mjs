// A ready Python interpreter restored from a memory snapshot taken at build time
// (pipeline/snapshot_maker.mjs makes it).
//
// Valid for the pinned Pyodide (pipeline/runtime.toml) only: it uses private internals
// (`_loadSnapshot`, Emscripten's LDSO). A snapshot is the wasm memory after
// `import numpy, calculators.api`. Pyodide restores only that memory; what lives
// outside it is rebuilt here, between "runtime created" and "memory copied" (a
// wrapper around _createPyodideModule):
//   - the in-memory file system: the files of both wheels that Python reads,
//     written into site-packages again from the build's files image;
//   - numpy's extension modules: reloaded in the same order at the same memory
//     and function-table positions (Emscripten's reload path, via a dlopen handle
//     whose bases are already set), then the table checked slot by slot.
// Any mismatch throws; the worker then boots normally.
import { fill, sha256 } from "./download.mjs";
import { FORMAT, tableDigest, tableSignature } from "./format.mjs";
import { forget, readStored, store, storedName } from "./store.mjs";

/** @typedef {import("./pointer.mjs").Pointer} Pointer */
/** @typedef {import("./pointer.mjs").Part} Part */
/** @typedef {import("./format.mjs").Meta} Meta */
/**
 * Pyodide's interpreter object: its types ship with Pyodide, outside this tree.
 * @typedef {{loadedPackages: Record<string, string>, runPython(code: string): any, pyimport(name: string): any,
 *   loadPackage(names: string[], options?: object): Promise<unknown>}} Pyodide
 */
/** @typedef {(options: Record<string, unknown>) => Promise<Pyodide>} LoadPyodide */
/**
 * Emscripten's module object (private to Pyodide, untyped).
 * @typedef {any} EmscriptenModule
 */

/**
 * The files Python reads, from the build's files image (pipeline/snapshot.py:
 * files_image): the length of a JSON index, the index [[path, size], ...], the bytes.
 * @param {ArrayBuffer} buffer
 * @returns {{name: string, data: Uint8Array}[]}
 */
export function unpackImage(buffer) {
  const view = new DataView(buffer);
  const length = view.getUint32(0, true);
  /** @type {[string, number][]} */
  const index = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  const out = [];
  let at = 4 + length;
  for (const [name, size] of index) {
    if (at + size > buffer.byteLength) throw new Error("the files image is truncated");
    out.push({ name, data: new Uint8Array(buffer, at, size) });
    at += size;
  }
  if (at !== buffer.byteLength) throw new Error("the files image has trailing bytes");
  return out;
}

/**
 * @param {EmscriptenModule["FS"]} FS
 * @param {string} root
 * @param {{name: string, data: Uint8Array}[]} files
 */
function writeTree(FS, root, files) {
  for (const { name, data } of files) {
    const path = `${root}/${name}`;
    FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    FS.writeFile(path, data, { canOwn: true });
  }
}

/**
 * Rebuild what the memory snapshot does not hold. Runs inside _createPyodideModule's
 * wrapper: the runtime exists, its memory is still the fresh one (overwritten later).
 * @param {EmscriptenModule} Module
 * @param {Meta} meta
 * @param {{name: string, data: Uint8Array}[]} files
 */
async function rebuild(Module, meta, files) {
  const FS = Module.FS;
  const sitePackages = meta.sitePackages;
  FS.mkdirTree(sitePackages);
  writeTree(FS, sitePackages, files);
  // A dlopen handle at the top of memory (all of it is overwritten by the snapshot next).
  const handle = Module.HEAPU8.length - 64;
  const fs = { findObject: (/** @type {string} */ p) => FS.findObject(p), readFile: (/** @type {string} */ p, /** @type {object} */ o) => FS.readFile(p, o) };
  for (const lib of meta.libs) {
    Module.HEAPU8.fill(0, handle, handle + 64);
    Module.HEAP8[handle + 8] = 1;
    Module.HEAPU32[(handle + 12) >>> 2] = lib.memoryBase;
    Module.HEAPU32[(handle + 20) >>> 2] = lib.tableBase;
    await Module.loadDynamicLibrary(lib.path, { loadAsync: true, nodelete: true, allowUndefined: true, global: false, fs }, {}, handle);
    delete Module.LDSO.loadedLibsByHandle[handle];
  }
  for (const [alias, name] of Object.entries(meta.aliases)) Module.LDSO.loadedLibsByName[alias] = Module.LDSO.loadedLibsByName[name];
  for (const [h, name] of Object.entries(meta.handles)) Module.LDSO.loadedLibsByHandle[h] = Module.LDSO.loadedLibsByName[name];
  const table = tableSignature(Module.wasmTable);
  if (table.length !== meta.tableSize) throw new Error(`function table has ${table.length} slots, the snapshot ${meta.tableSize}`);
  if ((await tableDigest(table)) !== meta.tableDigest) throw new Error("function table differs from the snapshot's");
}

/**
 * Emscripten's instantiateWasm hook, from a module compiled earlier (`wasm`, a
 * promise). Emscripten would wait for ever on a failure: `fail` is told instead.
 * @param {Promise<WebAssembly.Module>} wasm
 * @param {(err: unknown) => void} fail
 */
function instantiateFrom(wasm, fail) {
  return (/** @type {WebAssembly.Imports} */ imports, /** @type {(i: WebAssembly.Instance, m: WebAssembly.Module) => void} */ success) => {
    wasm.then((module) => WebAssembly.instantiate(module, imports).then((instance) => success(instance, module))).catch(fail);
    return {};
  };
}

/**
 * Boot from a snapshot. Throws on any mismatch.
 * @param {object} options
 * @param {string} options.indexURL
 * @param {string} options.lockURL
 * @param {Uint8Array | Promise<Uint8Array>} options.snapshot the memory; it may be an array of
 *   the memory's full size still being filled, with `filled` the promise that it is (Pyodide
 *   waits for the snapshot only to size the runtime's memory, and copies it in after the
 *   runtime is created: so the runtime compiles and the files are rebuilt while the memory is
 *   still downloading)
 * @param {Promise<unknown>} [options.filled]
 * @param {Meta} options.meta its description
 * @param {ArrayBuffer | Promise<ArrayBuffer>} options.image the files image made with it
 * @param {LoadPyodide} options.loadPyodide
 * @param {Promise<WebAssembly.Module> | null} [options.wasm] the runtime's module, compiled already
 * @param {Promise<Response> | null} [options.stdlib] the standard library, a response under way
 * @returns {Promise<Pyodide>}
 */
export async function loadFromSnapshot({ indexURL, lockURL, snapshot, filled, meta, image, loadPyodide, wasm = null, stdlib = null }) {
  if (meta.format !== FORMAT) throw new Error("snapshot format differs");
  const files = Promise.resolve(image).then(unpackImage);
  const memory = Promise.resolve(snapshot);
  const complete = Promise.resolve(filled);
  for (const p of [files, memory, complete]) p.catch(() => {});
  /** @type {any} */
  const scope = globalThis;
  if (typeof scope._createPyodideModule !== "function") await import(new URL("pyodide.asm.js", indexURL).href);
  /** @type {(settings: any) => Promise<EmscriptenModule>} */
  const create = scope._createPyodideModule;
  // loadPyodide starts downloading the runtime's wasm and standard library while it
  // makes its settings. With `wasm` (compiled already) and `stdlib` (a response already
  // under way), answer those two requests instead of reading the same files again:
  // the wasm with an empty response, never used since instantiateWasm is replaced.
  const realFetch = globalThis.fetch;
  /** @type {Map<string, () => Promise<Response>>} */
  const answers = new Map();
  if (wasm) answers.set(new URL("pyodide.asm.wasm", indexURL).href, () => Promise.resolve(new Response(null)));
  if (stdlib) answers.set(new URL("python_stdlib.zip", indexURL).href, () => stdlib);
  if (answers.size) {
    globalThis.fetch = (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const answer = answers.get(url);
      answers.delete(url);
      return answer ? answer() : realFetch(input, init);
    };
  }
  /** @type {(err: unknown) => void} */
  let fail = () => {};
  /** @type {Promise<never>} */
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {});
  scope._createPyodideModule = async (/** @type {any} */ settings) => {
    globalThis.fetch = realFetch;
    if (wasm) settings.instantiateWasm = instantiateFrom(wasm, fail);
    const [Module, unpacked] = await Promise.all([create(settings), files]);
    if (Module.API.config.BUILD_ID !== meta.buildId) throw new Error("Pyodide build differs");
    await rebuild(Module, meta, unpacked);
    await complete; // the memory is all there before Pyodide copies it in
    return Module;
  };
  try {
    const started = loadPyodide({ indexURL, lockFileURL: lockURL, _loadSnapshot: memory, stdout: () => {}, stderr: () => {} });
    const pyodide = await Promise.race([started, failed]);
    Object.assign(pyodide.loadedPackages, meta.loadedPackages);
    // Every visitor would otherwise draw the build's numbers.
    pyodide.runPython(`
import random as _r, os as _o
_r.seed(_o.urandom(32))
try:
    import numpy as _np
    _np.random.seed()
except ImportError:
    pass
del _r, _o`);
    return pyodide;
  } finally {
    scope._createPyodideModule = create;
    globalThis.fetch = realFetch;
  }
}

/**
 * Python from the snapshot `pointer` (pointer.mjs: findSnapshot), every file checked
 * against its sha256. With `stored` (kept), every file comes from the store: read at the
 * worker's start (`early`, from earlyStore) or now; else the memory and files image
 * download while the runtime is created, and `wasm` is the runtime's module compiled
 * from the HTTP cache. A stored copy that fails its check is forgotten. Throws on any
 * failure: boot normally then.
 * @param {Pointer} pointer
 * @param {object} options
 * @param {string} options.indexURL
 * @param {string} options.lockURL
 * @param {LoadPyodide} options.loadPyodide
 * @param {boolean} [options.stored] every file from the store
 * @param {Promise<WebAssembly.Module> | null} [options.wasm]
 * @param {Promise<import("./store.mjs").EarlyStore | null> | null} [options.early]
 * @returns {Promise<{pyodide: Pyodide, keep: (() => Promise<boolean>) | null}>} the interpreter,
 *   and `keep()`, which stores the checked files for the next visit (call it after ready;
 *   null when they came from the store)
 */
export async function restore(pointer, { indexURL, lockURL, loadPyodide, stored: fromStore = false, wasm = null, early = null }) {
  if (!crypto.subtle) throw new Error("no crypto.subtle to check the snapshot");
  /** @type {Partial<Record<Part["role"], Uint8Array<ArrayBuffer>>>} */
  const bytes = {};
  /** @type {Partial<Record<Part["role"], Promise<string>>>} */
  const digests = {};
  /** @type {Promise<WebAssembly.Module> | null} */
  let compiled = null;
  // The stored copy: what the worker read at its start, the rest read now (the wasm
  // first), or downloaded instead if the store cannot be read (another tab holding it).
  const head = fromStore ? await early : null;
  /** @param {Part} part */
  const take = async (part) => {
    const kept = head?.files.get(storedName(part.url));
    if (kept && kept.bytes.byteLength === part.bytes) {
      if (part.role === "wasm") compiled = head?.compiled ?? null;
      return kept;
    }
    const read = await readStored(part.url, new Uint8Array(part.bytes));
    if (part.role === "wasm") (compiled = WebAssembly.compile(read)).catch(() => {});
    return { bytes: read, digest: sha256(read) };
  };
  const order = [...pointer.parts].sort((a, b) => Number(b.role === "wasm") - Number(a.role === "wasm"));
  const stored =
    fromStore &&
    (await order
      .reduce(
        (done, part) =>
          done
            .then(() => take(part))
            .then((kept) => {
              bytes[part.role] = kept.bytes;
              digests[part.role] = kept.digest;
            }),
        Promise.resolve(),
      )
      .then(() => true, () => false));
  head?.files.clear(); // (any other file read at the start is of another build)
  for (const part of pointer.parts) bytes[part.role] ??= new Uint8Array(part.bytes);
  /**
   * A part's bytes, checked: downloaded into place, or the stored copy's digest compared.
   * @param {Part["role"]} role
   * @returns {Promise<Uint8Array<ArrayBuffer>>}
   */
  const check = (role) => {
    const part = /** @type {Part} */ (pointer.parts.find((p) => p.role === role));
    const target = /** @type {Uint8Array<ArrayBuffer>} */ (bytes[role]);
    if (!stored) return fill(part.url, target, part.sha256);
    return /** @type {Promise<string>} */ (digests[role]).then((hex) => {
      if (hex !== part.sha256) throw new Error(`the stored copy of ${part.url}: checksum differs`);
      return target;
    });
  };
  /** @type {Promise<Response> | null} */
  let stdlib = null;
  const ready = compiled;
  if (stored && ready && bytes.stdlib) {
    wasm = check("wasm").then(() => ready); // a bad copy says so, whatever the compiler made of it
    stdlib = check("stdlib").then((b) => new Response(b));
    for (const p of [wasm, stdlib]) p.catch(() => {});
  }
  const files = check("files").then((b) => /** @type {ArrayBuffer} */ (b.buffer));
  const filled = check("memory");
  try {
    const memory = /** @type {Uint8Array<ArrayBuffer>} */ (bytes.memory);
    const pyodide = await loadFromSnapshot({ indexURL, lockURL, snapshot: memory, filled, meta: pointer.meta, image: files, loadPyodide, wasm, stdlib });
    return { pyodide, keep: stored ? null : () => store(pointer, { memory, files: bytes.files }) };
  } catch (err) {
    if (stored) await forget();
    throw err;
  }
}
