// A copy of the snapshot's files in the origin's private file system (OPFS).
//
// A repeat visit reads every file a restore needs (the memory, the files image, the
// runtime's wasm and standard library: 60 MB) from a copy the worker keeps here.
// From Chromium's HTTP cache the same bytes take 300-600 ms (brotli decoding and a
// trip through the network process); from here a synchronous read takes about
// 100 ms. Only checked bytes are stored, and every read is checked against the
// sha256 again. The browser's "clear site data" removes the copy, like the HTTP cache.
import { sha256 } from "./download.mjs";

/** @typedef {import("./pointer.mjs").Pointer} Pointer */

/**
 * What the worker read of the store at its start: each file's bytes with its sha256
 * begun, and the runtime's wasm compiling (null when not stored).
 * @typedef {object} EarlyStore
 * @property {Map<string, {bytes: Uint8Array<ArrayBuffer>, digest: Promise<string>}>} files by file name
 * @property {Promise<WebAssembly.Module> | null} compiled
 */

/** The store's folder in the origin's private file system. */
export const STORE = "playbook-snapshot";
export const WASM = "pyodide.asm.wasm";

/**
 * The stored file's name for a part's URL (its last path segment).
 * @param {string} url
 * @returns {string}
 */
export const storedName = (url) => new URL(url).pathname.split("/").pop() || "";

/**
 * @param {boolean} create
 * @returns {Promise<FileSystemDirectoryHandle>}
 */
const storeFolder = async (create) => (await navigator.storage.getDirectory()).getDirectoryHandle(STORE, { create });

/**
 * A read-only synchronous handle (several readers may share a file, two tabs starting
 * at once; engines without the mode take a lock). Workers only.
 * @param {FileSystemFileHandle} file
 * @returns {Promise<FileSystemSyncAccessHandle>}
 */
const openForReading = (file) => /** @type {any} */ (file).createSyncAccessHandle({ mode: "read-only" });

/**
 * The names in a folder (the iterator the DOM library's types leave out).
 * @param {FileSystemDirectoryHandle} folder
 * @returns {AsyncIterable<string>}
 */
const namesIn = (folder) => /** @type {any} */ (folder).keys();

/**
 * At the worker's start, before the pointer is known: every file of the store (a
 * returning reader's copy), read on this thread while the page, the loader and the
 * pointer load, each one's sha256 begun as soon as it is read, and the runtime's wasm
 * compiling on other threads. restore() compares the digests with the pointer's.
 * @returns {Promise<EarlyStore | null>} null when nothing is stored
 */
export async function earlyStore() {
  /** @type {Promise<FileSystemSyncAccessHandle>[]} */
  const handles = [];
  try {
    const folder = await storeFolder(false);
    /** @type {string[]} */
    const names = [];
    for await (const name of namesIn(folder)) names.push(name);
    names.sort((a, b) => Number(b === WASM) - Number(a === WASM)); // the wasm first: it compiles meanwhile
    // Every file opened at once (each open is a round trip to the browser), read in turn.
    for (const name of names) {
      const opened = folder.getFileHandle(name).then(openForReading);
      opened.catch(() => {});
      handles.push(opened);
    }
    /** @type {EarlyStore["files"]} */
    const files = new Map();
    /** @type {Promise<WebAssembly.Module> | null} */
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

/**
 * Whether every part is stored, each of its announced size (in what the worker read
 * at its start, `early`, or else in the store itself).
 * @param {Pointer} pointer
 * @param {Promise<EarlyStore | null> | EarlyStore | null} [early]
 * @returns {Promise<boolean>}
 */
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

/**
 * Read the stored copy of `url` into `target` (a Uint8Array of its size), at once.
 * @param {string} url
 * @param {Uint8Array<ArrayBuffer>} target
 * @returns {Promise<Uint8Array<ArrayBuffer>>} `target`
 */
export async function readStored(url, target) {
  const handle = await openForReading(await (await storeFolder(false)).getFileHandle(storedName(url)));
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

/**
 * Keep every part, checked, for the next visit, and drop the files of other builds.
 * `have` holds parts already checked ({role: bytes}); the others are fetched (from the
 * HTTP cache, normally) and checked here. Each file is written beside the old one and
 * swapped in when complete (createWritable), so a reader never sees half a file.
 * Failures (no OPFS, no quota, a bad download) leave the HTTP cache as it is.
 * @param {Pointer} pointer
 * @param {Partial<Record<import("./pointer.mjs").Part["role"], BufferSource>>} [have]
 * @returns {Promise<boolean>} whether the copy was stored
 */
export async function store(pointer, have = {}) {
  try {
    /** @type {Partial<Record<string, BufferSource>>} */
    const data = {};
    for (const part of pointer.parts) {
      data[part.role] = have[part.role];
      if (data[part.role]) continue;
      const response = await fetch(part.url);
      if (!response.ok) throw new Error(`${part.url}: HTTP ${response.status}`);
      const body = await response.arrayBuffer();
      if ((await sha256(body)) !== part.sha256) throw new Error(`${part.url}: checksum differs`);
      data[part.role] = body;
    }
    const folder = await storeFolder(true); // (after the downloads: they fill the HTTP cache even without a store)
    for (const part of pointer.parts) {
      const out = await (await folder.getFileHandle(storedName(part.url), { create: true })).createWritable();
      await out.write(/** @type {BufferSource} */ (data[part.role]));
      await out.close();
    }
    const wanted = new Set(pointer.parts.map((p) => storedName(p.url)));
    for await (const name of namesIn(folder)) if (!wanted.has(name)) await folder.removeEntry(name).catch(() => {});
    return true;
  } catch {
    return false;
  }
}

/**
 * Drop the stored copy (after it failed its check), so that the next visit does not try it.
 * @returns {Promise<void>}
 */
export async function forget() {
  try {
    await (await navigator.storage.getDirectory()).removeEntry(STORE, { recursive: true });
  } catch {
    /* nothing stored */
  }
}
