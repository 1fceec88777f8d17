// The one object the page's classic scripts (early.js, material/late.js) and its
// modules (runtime.mjs, calculator.mjs) share: `globalThis.playbookRuntime`, the state
// of this tab's Python runtime. Classic scripts cannot import, so this is the only
// state that crosses between them; modules otherwise share state by imports.

/**
 * What early.js started while the page was loading, for runtime.mjs to adopt.
 * @typedef {object} EarlyStart
 * @property {Worker} worker the Python worker, sent its `init` already
 * @property {unknown[]} messages what the worker said before runtime.mjs listened
 * @property {string[]} errors the worker's errors until then
 * @property {import("./config.mjs").RuntimeOptions} options the options it was started with
 */

/**
 * @typedef {object} PlaybookRuntime
 * @property {EarlyStart} [early] set by early.js, taken (and removed) by runtime.mjs
 * @property {boolean} [started] runtime.mjs has started or adopted the worker (early.js
 *   then starts no other, after instant navigation)
 * @property {boolean} [settled] Python is ready or has failed ("pb:python" is dispatched
 *   then): material/late.js runs Material's bundle
 * @property {number} [timeoutMs] how long a download may stall before the page says so
 *   (default 90 s; tests set it lower before the page loads)
 */

/**
 * This tab's shared runtime state, created on first use.
 * @returns {PlaybookRuntime}
 */
export function shared() {
  return (globalThis.playbookRuntime ??= {});
}
