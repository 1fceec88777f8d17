// The build's pointer to its snapshot (assets/playbook/snapshot.json, written by
// pipeline/snapshot.py), read and checked against this page's runtime.
import { FORMAT } from "./format.mjs";

/**
 * One file a restore reads: the memory, the files image, the runtime's wasm or its standard library.
 * @typedef {object} Part
 * @property {"memory" | "files" | "wasm" | "stdlib"} role
 * @property {string} url absolute
 * @property {number} bytes its size
 * @property {string} sha256
 */

/**
 * @typedef {object} PointerFile
 * @property {string} file relative to the pointer
 * @property {number} bytes
 * @property {string} sha256
 * @property {{br?: number, gzip?: number}} [encoded] the sizes of its compressed copies
 */

/**
 * The pointer as the build wrote it, with `url`, `filesURL` and `parts` added.
 * @typedef {object} Pointer
 * @property {string} file the memory, relative to the pointer
 * @property {number} bytes
 * @property {string} sha256
 * @property {{br?: number, gzip?: number}} [encoded]
 * @property {import("./format.mjs").Meta} meta
 * @property {PointerFile} files the files image
 * @property {PointerFile[]} [runtime] Pyodide's own files a restore reads
 * @property {string} url the memory's absolute URL
 * @property {string} filesURL the files image's absolute URL
 * @property {Part[]} parts every file a restore reads
 */

/** @type {Record<string, "wasm" | "stdlib">} */
const RUNTIME_ROLES = { "pyodide.asm.wasm": "wasm", "python_stdlib.zip": "stdlib" };

/**
 * The pointer beside the worker, or null when this site has no snapshot for this
 * lock or this engine cannot use one.
 * @param {string} lockURL the page's lock file (absolute)
 * @param {string} indexURL Pyodide's folder (absolute)
 * @returns {Promise<Pointer | null>}
 */
export async function findSnapshot(lockURL, indexURL) {
  /** @type {{brands?: {brand: string}[]} | undefined} */
  const agent = /** @type {any} */ (globalThis.navigator)?.userAgentData;
  const engine = agent?.brands?.some((b) => b.brand === "Chromium");
  if (!engine) return null; // made in Chromium: other engines have another function table
  try {
    const here = new URL("../snapshot.json", import.meta.url);
    const response = await fetch(here);
    if (!response.ok) return null;
    const pointer = await response.json();
    if (!pointer.file || !pointer.files?.file || pointer.meta?.format !== FORMAT) return null;
    const url = new URL(pointer.file, here).href;
    if (url !== new URL(url.split("/").pop() || "", lockURL).href) return null; // made for another lock
    const filesURL = new URL(pointer.files.file, here).href;
    /** @type {Part[]} */
    const parts = [
      { role: "memory", url, bytes: pointer.bytes, sha256: pointer.sha256 },
      { role: "files", url: filesURL, bytes: pointer.files.bytes, sha256: pointer.files.sha256 },
    ];
    for (const file of /** @type {PointerFile[]} */ (pointer.runtime || [])) {
      const name = file.file.split("/").pop() || "";
      const role = RUNTIME_ROLES[name];
      const at = new URL(file.file, here).href;
      if (role && at === new URL(name, indexURL).href) parts.push({ role, url: at, bytes: file.bytes, sha256: file.sha256 });
    }
    return { ...pointer, url, filesURL, parts };
  } catch {
    return null;
  }
}
