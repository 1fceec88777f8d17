// What the build's maker (pipeline/snapshot_maker.mjs) and the reader's restore
// (restore.mjs) agree on: the format's number and how a function table is compared.
// Valid for the pinned Pyodide (pipeline/runtime.toml) only.
import { sha256 } from "./download.mjs";

/** The pointer's `meta.format`: a restore refuses any other. */
export const FORMAT = 1;

/**
 * What a snapshot records beside the memory (written by the maker, read by the restore).
 * @typedef {object} Meta
 * @property {number} format FORMAT
 * @property {string} buildId Pyodide's BUILD_ID
 * @property {string} version Pyodide's version
 * @property {string} sitePackages the folder the wheels were unpacked into
 * @property {{path: string, memoryBase: number, tableBase: number}[]} libs numpy's
 *   extension modules, in load order, with where each was placed
 * @property {Record<string, string>} handles dlopen handle -> library name
 * @property {Record<string, string>} aliases other names of a loaded library
 * @property {Record<string, string>} loadedPackages Pyodide's record of loaded packages
 * @property {number} tableSize slots in the function table
 * @property {string} tableDigest sha256 of tableSignature's JSON
 */

/**
 * What identifies a table slot across two instances of the same modules: the
 * function's index inside its module and its arity (null for an empty slot).
 * @param {WebAssembly.Table} table
 * @returns {(string | null)[]}
 */
export function tableSignature(table) {
  /** @type {(string | null)[]} */
  const out = new Array(table.length);
  for (let i = 0; i < table.length; i++) {
    const f = table.get(i);
    out[i] = typeof f === "function" ? `${f.name}/${f.length}` : null;
  }
  return out;
}

/**
 * The sha256 of a table's signature, as the snapshot's meta records it.
 * @param {(string | null)[]} signature
 * @returns {Promise<string>}
 */
export const tableDigest = (signature) => sha256(new TextEncoder().encode(JSON.stringify(signature)));
