// When to use the snapshot: a returning reader's decision (a copy is kept), a first
// visit's (is the link fast enough?), and whether to fetch it for the next visit.
import { inCache } from "./download.mjs";
import { isStored, store } from "./store.mjs";

/** @typedef {import("./pointer.mjs").Pointer} Pointer */

/**
 * @typedef {object} Decision
 * @property {boolean} use restore the snapshot (else boot normally)
 * @property {string} why for the console
 * @property {boolean} [stored] every file comes from the store
 * @property {Promise<WebAssembly.Module> | null} [wasm] the runtime's module, compiling from the HTTP cache
 */

/**
 * What the browser says of its link (navigator.connection, where it exists).
 * @typedef {object} Link
 * @property {boolean} [saveData]
 * @property {string} [effectiveType] "slow-2g", "2g", "3g" or "4g"
 * @property {number} [downlink] Mbit/s (Chromium's estimate tops out at 10)
 * @property {number} [rtt] ms
 */

/**
 * Seconds a restore saves over the normal boot (measured with `make bench`,
 * loopback, headless Chromium): the extra download must take less than this.
 */
export const SAVED_SECONDS = 1.5;

/** @returns {Link | undefined} */
const connection = () => /** @type {any} */ (globalThis.navigator)?.connection;

/** @returns {boolean} whether the reader asked to save data */
export function saveData() {
  return Boolean(connection()?.saveData);
}

/**
 * Bits per second of the worker's downloads so far (bodies over receive time),
 * or 0 when nothing measurable came over the network.
 * @param {PerformanceResourceTiming[]} entries
 * @returns {number}
 */
export function measuredRate(entries) {
  let bytes = 0;
  let ms = 0;
  for (const e of entries) {
    if (!e.transferSize || e.encodedBodySize < 50_000) continue; // cached, or too small to tell
    bytes += e.encodedBodySize;
    ms += Math.max(1, e.responseEnd - e.responseStart);
  }
  return bytes ? (bytes * 8) / (ms / 1000) : 0;
}

/**
 * A first visit's decision, as a pure function: use the snapshot only when the link
 * is fast enough to fetch `extraBytes` in less time than it saves.
 * @param {{link?: Link, rate: number, extraBytes: number}} facts the browser's link
 *   (undefined when it says nothing), the measured rate in bit/s (0: unknown), the download's size
 * @returns {Decision}
 */
export function decide({ link, rate, extraBytes }) {
  if (link?.saveData) return { use: false, why: "save-data" };
  if (link && /^(slow-2g|2g|3g)$/.test(link.effectiveType || "")) return { use: false, why: "slow link" };
  if (rate && (extraBytes * 8) / rate < SAVED_SECONDS) return { use: true, why: `measured ${(rate / 1e6).toFixed(0)} Mbit/s` };
  // The measure shares the link with other downloads, so it errs low. Chromium's
  // own estimate tops out at 10 Mbit/s: trust its fastest class with a short round trip.
  const fast = Boolean(link && (link.downlink ?? 0) >= 10 && (link.rtt ?? 0) > 0 && (link.rtt ?? 0) <= 50);
  return { use: fast, why: `navigator.connection ${link ? `${link.downlink} Mbit/s, ${link.rtt} ms` : "unknown"}` };
}

/**
 * A first visit's decision (after `kept` said null), from this worker's link and downloads.
 * @param {Pointer} pointer
 * @returns {Promise<Decision>}
 */
export async function shouldUse(pointer) {
  const extraBytes = pointer.encoded?.br || pointer.encoded?.gzip || pointer.bytes;
  const entries = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType("resource"));
  return decide({ link: connection(), rate: measuredRate(entries), extraBytes });
}

/**
 * A returning reader's decision, taken as soon as the pointer is known: use the
 * snapshot when this browser keeps a copy of every file it needs (stored: read from
 * the origin's private file system; `early` is what earlyStore read), or has it in the
 * HTTP cache, where the runtime's wasm is then too: its compilation starts at once (`wasm`).
 * @param {Pointer} pointer
 * @param {string} indexURL
 * @param {Promise<import("./store.mjs").EarlyStore | null> | null} [early]
 * @returns {Promise<Decision | null>} null: no copy kept, ask shouldUse
 */
export async function kept(pointer, indexURL, early = null) {
  if (await isStored(pointer, early)) return { use: true, stored: true, why: "stored copy" };
  if (!(await inCache(pointer.url))) return null;
  const wasm = WebAssembly.compileStreaming(fetch(new URL("pyodide.asm.wasm", indexURL)));
  wasm.catch(() => {}); // (a failure shows when the runtime is instantiated)
  return { use: true, stored: false, wasm, why: "cached" };
}

/**
 * After a normal boot: download the snapshot's files for the next visit (into the
 * HTTP cache, and a checked copy into the store). Never with Save-Data.
 * @param {Pointer} pointer
 * @returns {Promise<boolean>} whether a copy was stored
 */
export async function warm(pointer) {
  if (saveData()) return false;
  return store(pointer);
}
