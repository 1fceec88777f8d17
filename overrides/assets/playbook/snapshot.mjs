// A ready Python interpreter restored from a memory snapshot taken at build time.
//
// Valid for the pinned Pyodide (pipeline/runtime.toml) only: it uses private internals
// (`_makeSnapshot`, `makeMemorySnapshot`, `_loadSnapshot`, Emscripten's LDSO).
// A snapshot is the wasm memory after `import numpy, calculators.api`. Pyodide
// restores only that memory; what lives outside it is rebuilt here, between
// "runtime created" and "memory copied" (a wrapper around _createPyodideModule):
//   - the in-memory file system: the files of both wheels that Python reads,
//     written into site-packages again from the build's files image;
//   - numpy's extension modules: reloaded in the same order at the same memory
//     and function-table positions (Emscripten's reload path, via a dlopen handle
//     whose bases are already set), then the table checked slot by slot.
// Any mismatch throws; the worker then boots normally.

export const FORMAT = 1;

// ---- build time ---------------------------------------------------------------

// Fixed entropy and a frozen clock while the snapshot is made, so that two
// builds give the same bytes (with PYTHONHASHSEED=0).
function freezeEntropy() {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state & 0xff;
  };
  crypto.getRandomValues = (array) => {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = next();
    return array;
  };
  const epoch = Date.UTC(2024, 0, 1);
  Date.now = () => epoch;
}

// What identifies a table slot across two instances of the same modules: the
// function's index inside its module and its arity (null for an empty slot).
function tableSignature(table) {
  const out = new Array(table.length);
  for (let i = 0; i < table.length; i++) {
    const f = table.get(i);
    out[i] = f ? `${f.name}/${f.length}` : null;
  }
  return out;
}

export async function sha256(buffer) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const digest = (text) => sha256(new TextEncoder().encode(text));

// Side modules as Emscripten instantiates them: the imports' env answers
// __memory_base and __table_base; the bytes tell which file it was.
function recordSideModules() {
  const loads = [];
  const original = WebAssembly.instantiate;
  WebAssembly.instantiate = function (source, imports, ...rest) {
    if (imports && imports["GOT.mem"] && source instanceof Uint8Array) {
      loads.push({ bytes: source.byteLength, memoryBase: imports.env.__memory_base, tableBase: imports.env.__table_base });
    }
    return original.call(this, source, imports, ...rest);
  };
  return loads;
}

// Run in a module worker by the build. Returns {snapshot: Uint8Array, meta}.
export async function makeSnapshot({ indexURL, lockURL, packages, imports }) {
  freezeEntropy();
  const loads = recordSideModules();
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({
    indexURL, lockFileURL: lockURL, checkIntegrity: true, _makeSnapshot: true,
    env: { PYTHONHASHSEED: "0" }, stdout: () => {}, stderr: () => {},
  });
  await pyodide.loadPackage(packages, { messageCallback: () => {} });
  pyodide.runPython(imports);
  const Module = pyodide._module;
  const sitePackages = pyodide._api.sitePackages;
  // Which file each load was: match the recorded sizes against the .so files on disk.
  const files = [];
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
  const handles = {};
  for (const [handle, dso] of Object.entries(Module.LDSO.loadedLibsByHandle)) {
    if (Number(handle) !== 0) handles[handle] = dso.name;
  }
  const aliases = {};
  for (const [name, dso] of Object.entries(Module.LDSO.loadedLibsByName)) {
    if (name !== dso.name) aliases[name] = dso.name;
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
    tableDigest: await digest(JSON.stringify(table)),
  };
  return { snapshot, meta };
}

// ---- run time -----------------------------------------------------------------

// The files Python reads, from the build's files image (pipeline/snapshot.py:
// files_image): the length of a JSON index, the index [[path, size], ...], the bytes.
export function unpackImage(buffer) {
  const view = new DataView(buffer);
  const length = view.getUint32(0, true);
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

function writeTree(FS, root, files) {
  for (const { name, data } of files) {
    const path = `${root}/${name}`;
    FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    FS.writeFile(path, data, { canOwn: true });
  }
}

// Rebuild what the memory snapshot does not hold. Runs inside _createPyodideModule's
// wrapper: the runtime exists, its memory is still the fresh one (overwritten later).
async function rebuild(Module, meta, files) {
  const FS = Module.FS;
  const sitePackages = meta.sitePackages;
  FS.mkdirTree(sitePackages);
  writeTree(FS, sitePackages, files);
  // A dlopen handle at the top of memory (all of it is overwritten by the snapshot next).
  const handle = Module.HEAPU8.length - 64;
  const fs = { findObject: (p) => FS.findObject(p), readFile: (p, o) => FS.readFile(p, o) };
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
  if ((await digest(JSON.stringify(table))) !== meta.tableDigest) throw new Error("function table differs from the snapshot's");
}

// Emscripten's instantiateWasm hook, from a module compiled earlier (`wasm`, a
// promise). Emscripten would wait for ever on a failure: `fail` is told instead.
function instantiateFrom(wasm, fail) {
  return (imports, success) => {
    wasm.then((module) => WebAssembly.instantiate(module, imports).then((instance) => success(instance, module))).catch(fail);
    return {};
  };
}

// Boot from a snapshot. `snapshot` is the memory (a Uint8Array, or a promise of one);
// it may be an array of the memory's full size still being filled, with `filled` the
// promise that it is (Pyodide waits for the snapshot only to size the runtime's
// memory, and copies it in after the runtime is created: so the runtime compiles and
// the files are rebuilt while the memory is still downloading). `meta` is its
// description, `image` the ArrayBuffer (or a promise of one) of the files image made
// with it. Throws on any mismatch.
export async function loadFromSnapshot({ indexURL, lockURL, snapshot, filled, meta, image, loadPyodide, wasm = null, stdlib = null }) {
  if (meta.format !== FORMAT) throw new Error("snapshot format differs");
  const files = Promise.resolve(image).then(unpackImage);
  const memory = Promise.resolve(snapshot);
  const complete = Promise.resolve(filled);
  for (const p of [files, memory, complete]) p.catch(() => {});
  if (typeof globalThis._createPyodideModule !== "function") await import(new URL("pyodide.asm.js", indexURL).href);
  const create = globalThis._createPyodideModule;
  // loadPyodide starts downloading the runtime's wasm and standard library while it
  // makes its settings. With `wasm` (compiled already) and `stdlib` (a response already
  // under way), answer those two requests instead of reading the same files again:
  // the wasm with an empty response, never used since instantiateWasm is replaced.
  const realFetch = globalThis.fetch;
  const answers = new Map();
  if (wasm) answers.set(new URL("pyodide.asm.wasm", indexURL).href, () => Promise.resolve(new Response(null)));
  if (stdlib) answers.set(new URL("python_stdlib.zip", indexURL).href, () => stdlib);
  if (answers.size) {
    globalThis.fetch = (input, init) => {
      const url = String(input?.url ?? input);
      const answer = answers.get(url);
      answers.delete(url);
      return answer ? answer() : realFetch(input, init);
    };
  }
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {});
  globalThis._createPyodideModule = async (settings) => {
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
    globalThis._createPyodideModule = create;
    globalThis.fetch = realFetch;
  }
}

// ---- where the bytes come from ------------------------------------------------------

// Fill `target` (the announced size) with the file at `url` as the bytes arrive (no
// second copy of a 36 MB memory), then check it against its sha256 (WebCrypto hashes
// on a thread of its own).
async function fill(url, target, expected) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > target.length) throw new Error(`${url}: longer than announced`);
    target.set(value, at);
    at += value.length;
  }
  if (at !== target.length) throw new Error(`${url}: ${at} bytes, ${target.length} announced`);
  if ((await sha256(target)) !== expected) throw new Error(`${url}: checksum differs`);
  return target;
}

// At the worker's start, before the pointer is known: every file of the store (a
// returning reader's copy), read on this thread while the page, the loader and the
// pointer load, each one's sha256 begun as soon as it is read, and the runtime's wasm
// compiling on other threads. {files: Map(name -> {bytes, digest}), compiled}; null
// when nothing is stored. restore() compares the digests with the pointer's.
export async function earlyStore() {
  const handles = [];
  try {
    const folder = await storeFolder(false);
    const names = [];
    for await (const name of folder.keys()) names.push(name);
    names.sort((a, b) => (b === WASM) - (a === WASM)); // the wasm first: it compiles meanwhile
    // Every file opened at once (each open is a round trip to the browser), read in turn.
    // Several readers may share a file (two tabs starting at once); engines without the mode take a lock.
    for (const name of names) {
      const opened = folder.getFileHandle(name).then((f) => f.createSyncAccessHandle({ mode: "read-only" }));
      opened.catch(() => {});
      handles.push(opened);
    }
    const files = new Map();
    let compiled = null;
    for (const [i, name] of names.entries()) {
      const handle = await handles[i];
      const bytes = new Uint8Array(handle.getSize());
      if (handle.read(bytes, { at: 0 }) !== bytes.length) throw new Error(`the stored ${name} could not be read`);
      handle.close();
      if (name === WASM) (compiled = WebAssembly.compile(bytes)).catch(() => {});
      const digest = sha256(bytes);
      digest.catch(() => {});
      files.set(name, { bytes, digest });
    }
    return { files, compiled };
  } catch {
    for (const opened of handles) opened.then((h) => h.close()).catch(() => {});
    return null;
  }
}

// Python from the snapshot `pointer` (findSnapshot), every file checked against its
// sha256. With `stored` (kept), every file comes from the store: read at the worker's
// start (`early`, from earlyStore) or now; else the memory and files image download
// while the runtime is created, and `wasm` is the runtime's module compiled from the
// HTTP cache. Returns the interpreter, and `keep()`, which stores the checked files for
// the next visit (call it after ready; null when they came from the store). A stored
// copy that fails its check is forgotten. Throws on any failure: boot normally then.
export async function restore(pointer, { indexURL, lockURL, loadPyodide, stored: fromStore = false, wasm = null, early = null }) {
  if (!crypto.subtle) throw new Error("no crypto.subtle to check the snapshot");
  const bytes = Object.fromEntries(pointer.parts.map((p) => [p.role, null]));
  const digests = {};
  let compiled = null;
  // The stored copy: what the worker read at its start, the rest read now (the wasm
  // first), or downloaded instead if the store cannot be read (another tab holding it).
  const head = fromStore ? await early : null;
  const take = async (part) => {
    const kept = head?.files.get(storedName(part.url));
    if (kept && kept.bytes.byteLength === part.bytes) {
      if (part.role === "wasm") compiled = head.compiled;
      return kept;
    }
    const read = await readStored(part.url, new Uint8Array(part.bytes));
    if (part.role === "wasm") (compiled = WebAssembly.compile(read)).catch(() => {});
    return { bytes: read, digest: sha256(read) };
  };
  const order = [...pointer.parts].sort((a, b) => (b.role === "wasm") - (a.role === "wasm"));
  const stored =
    fromStore &&
    (await order
      .reduce((done, part) => done.then(() => take(part)).then((kept) => ((bytes[part.role] = kept.bytes), (digests[part.role] = kept.digest))), Promise.resolve())
      .then(() => true, () => false));
  head?.files.clear(); // (any other file read at the start is of another build)
  for (const part of pointer.parts) bytes[part.role] ??= new Uint8Array(part.bytes);
  const check = (role) => {
    const part = pointer.parts.find((p) => p.role === role);
    if (!stored) return fill(part.url, bytes[role], part.sha256);
    return digests[role].then((hex) => {
      if (hex !== part.sha256) throw new Error(`the stored copy of ${part.url}: checksum differs`);
      return bytes[role];
    });
  };
  let stdlib = null;
  if (stored && compiled && bytes.stdlib) {
    wasm = check("wasm").then(() => compiled); // a bad copy says so, whatever the compiler made of it
    stdlib = check("stdlib").then((b) => new Response(b));
    for (const p of [wasm, stdlib]) p.catch(() => {});
  }
  const files = check("files").then((b) => b.buffer);
  const filled = check("memory");
  try {
    const pyodide = await loadFromSnapshot({ indexURL, lockURL, snapshot: bytes.memory, filled, meta: pointer.meta, image: files, loadPyodide, wasm, stdlib });
    return { pyodide, keep: stored ? null : () => store(pointer, { memory: bytes.memory, files: bytes.files }) };
  } catch (err) {
    if (stored) await forget();
    throw err;
  }
}

// ---- when to use it -------------------------------------------------------------

// Seconds a restore saves over the normal boot (measured with `make bench`,
// loopback, headless Chromium): the extra download must take less than this.
export const SAVED_SECONDS = 1.5;

// The pointer beside this module (written by the build): {file, bytes, sha256,
// encoded: {br, gzip}, meta, files: {file, bytes, sha256, encoded}, runtime: [{file,
// bytes, sha256}]}, with `url`, `filesURL` and `parts` (every file a restore reads:
// {role, url, bytes, sha256}) added; or null when this site has no snapshot for this
// lock or this engine cannot use one.
export async function findSnapshot(lockURL, indexURL) {
  const engine = globalThis.navigator?.userAgentData?.brands?.some((b) => b.brand === "Chromium");
  if (!engine) return null; // made in Chromium: other engines have another function table
  try {
    const here = new URL("snapshot.json", import.meta.url);
    const response = await fetch(here);
    if (!response.ok) return null;
    const pointer = await response.json();
    if (!pointer.file || !pointer.files?.file || pointer.meta?.format !== FORMAT) return null;
    const url = new URL(pointer.file, here).href;
    if (url !== new URL(url.split("/").pop(), lockURL).href) return null; // made for another lock
    const filesURL = new URL(pointer.files.file, here).href;
    const parts = [
      { role: "memory", url, bytes: pointer.bytes, sha256: pointer.sha256 },
      { role: "files", url: filesURL, bytes: pointer.files.bytes, sha256: pointer.files.sha256 },
    ];
    for (const file of pointer.runtime || []) {
      const name = file.file.split("/").pop();
      const role = { "pyodide.asm.wasm": "wasm", "python_stdlib.zip": "stdlib" }[name];
      const at = new URL(file.file, here).href;
      if (role && at === new URL(name, indexURL).href) parts.push({ role, url: at, bytes: file.bytes, sha256: file.sha256 });
    }
    return { ...pointer, url, filesURL, parts };
  } catch {
    return null;
  }
}

export function saveData() {
  return Boolean(globalThis.navigator?.connection?.saveData);
}

async function inCache(url) {
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (response.ok) {
      response.body?.cancel();
      return true;
    }
  } catch {
    /* not cached */
  }
  return false;
}

// Bits per second of the worker's downloads so far (bodies over receive time),
// or 0 when nothing measurable came over the network.
function measuredRate() {
  let bytes = 0;
  let ms = 0;
  for (const e of performance.getEntriesByType("resource")) {
    if (!e.transferSize || e.encodedBodySize < 50_000) continue; // cached, or too small to tell
    bytes += e.encodedBodySize;
    ms += Math.max(1, e.responseEnd - e.responseStart);
  }
  return bytes ? (bytes * 8) / (ms / 1000) : 0;
}

// A returning reader's decision, taken as soon as the pointer is known: use the
// snapshot when this browser keeps a copy of every file it needs (stored: read from
// the origin's private file system; `early` is what earlyStore read), or has it in the HTTP cache, where the runtime's
// wasm is then too: its compilation starts at once (`wasm`). Null otherwise.
export async function kept(pointer, indexURL, early = null) {
  if (await isStored(pointer, early)) return { use: true, stored: true, why: "stored copy" };
  if (!(await inCache(pointer.url))) return null;
  const wasm = WebAssembly.compileStreaming(fetch(new URL("pyodide.asm.wasm", indexURL)));
  wasm.catch(() => {}); // (a failure shows when the runtime is instantiated)
  return { use: true, stored: false, wasm, why: "cached" };
}

// A first visit's decision (after `kept` said null): use the snapshot only when the
// link is fast enough to fetch it in less time than it saves.
export async function shouldUse(pointer) {
  if (saveData()) return { use: false, why: "save-data" };
  const connection = globalThis.navigator?.connection;
  if (connection && /^(slow-2g|2g|3g)$/.test(connection.effectiveType || "")) return { use: false, why: "slow link" };
  const extra = (pointer.encoded && (pointer.encoded.br || pointer.encoded.gzip)) || pointer.bytes;
  const rate = measuredRate();
  if (rate && (extra * 8) / rate < SAVED_SECONDS) return { use: true, why: `measured ${(rate / 1e6).toFixed(0)} Mbit/s` };
  // The measure shares the link with other downloads, so it errs low. Chromium's
  // own estimate tops out at 10 Mbit/s: trust its fastest class with a short round trip.
  const fast = connection && connection.downlink >= 10 && connection.rtt > 0 && connection.rtt <= 50;
  return { use: Boolean(fast), why: `navigator.connection ${connection ? `${connection.downlink} Mbit/s, ${connection.rtt} ms` : "unknown"}` };
}

// ---- a copy in the origin's private file system -----------------------------------

// A repeat visit reads every file a restore needs (the memory, the files image, the
// runtime's wasm and standard library: 60 MB) from a copy the worker keeps in the
// origin's private file system (OPFS). From Chromium's HTTP cache the same bytes take
// 300-600 ms (brotli decoding and a trip through the network process); from here a
// synchronous read takes about 100 ms. Only checked bytes are stored, and every read
// is checked against the sha256 again. The browser's "clear site data" removes the
// copy, like the HTTP cache.
export const STORE = "playbook-snapshot";

const storedName = (url) => new URL(url).pathname.split("/").pop();
const WASM = "pyodide.asm.wasm";
const storeFolder = async (create) => (await navigator.storage.getDirectory()).getDirectoryHandle(STORE, { create });

// Whether every part is stored, each of its announced size (in what the worker read
// at its start, `early`, or else in the store itself).
export async function isStored(pointer, early = null) {
  const head = await early;
  if (head && pointer.parts.every((part) => head.files.get(storedName(part.url))?.bytes.byteLength === part.bytes)) return true;
  try {
    const folder = await storeFolder(false);
    const sizes = await Promise.all(pointer.parts.map(async (part) => (await (await folder.getFileHandle(storedName(part.url))).getFile()).size));
    return pointer.parts.every((part, i) => sizes[i] === part.bytes);
  } catch {
    return false;
  }
}

// Read the stored copy of `url` into `target` (a Uint8Array of its size), at once.
export async function readStored(url, target) {
  const file = await (await storeFolder(false)).getFileHandle(storedName(url));
  // Several readers may share it (two tabs starting at once); engines without the mode take a lock.
  const handle = await file.createSyncAccessHandle({ mode: "read-only" });
  try {
    const size = handle.getSize();
    if (size !== target.byteLength) throw new Error(`the stored ${storedName(url)} has ${size} bytes, not ${target.byteLength}`);
    const read = handle.read(target, { at: 0 });
    if (read !== size) throw new Error(`read ${read} of ${size} bytes of the stored ${storedName(url)}`);
  } finally {
    handle.close();
  }
  return target;
}

// Keep every part, checked, for the next visit, and drop the files of other builds.
// `have` holds parts already checked ({role: bytes}); the others are fetched (from the
// HTTP cache, normally) and checked here. Each file is written beside the old one and
// swapped in when complete (createWritable), so a reader never sees half a file.
// Failures (no OPFS, no quota, a bad download) leave the HTTP cache as it is.
export async function store(pointer, have = {}) {
  try {
    const data = {};
    for (const part of pointer.parts) {
      data[part.role] = have[part.role];
      if (data[part.role]) continue;
      const response = await fetch(part.url);
      if (!response.ok) throw new Error(`${part.url}: HTTP ${response.status}`);
      data[part.role] = await response.arrayBuffer();
      if ((await sha256(data[part.role])) !== part.sha256) throw new Error(`${part.url}: checksum differs`);
    }
    const folder = await storeFolder(true); // (after the downloads: they fill the HTTP cache even without a store)
    for (const part of pointer.parts) {
      const out = await (await folder.getFileHandle(storedName(part.url), { create: true })).createWritable();
      await out.write(data[part.role]);
      await out.close();
    }
    const wanted = new Set(pointer.parts.map((p) => storedName(p.url)));
    for await (const name of folder.keys()) if (!wanted.has(name)) await folder.removeEntry(name).catch(() => {});
    return true;
  } catch {
    return false;
  }
}

// Drop the stored copy (after it failed its check), so that the next visit does not try it.
export async function forget() {
  try {
    await (await navigator.storage.getDirectory()).removeEntry(STORE, { recursive: true });
  } catch {
    /* nothing stored */
  }
}

// After a normal boot: download the snapshot's files for the next visit (into the
// HTTP cache, and a checked copy into the store). Never with Save-Data.
export async function warm(pointer) {
  if (saveData()) return false;
  return store(pointer);
}
