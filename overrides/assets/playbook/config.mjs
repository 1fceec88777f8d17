// A calculator root's two pieces of build-written data: its page config (form
// schema, examples, prerendered view; in a hidden element's data-json) and its
// runtime options (one data-runtime attribute, read the same way by early.js).

/**
 * A calculator's page config (pipeline/render.py writes it from the calculator's Python).
 * @typedef {object} PageConfig
 * @property {import("./fields.mjs").Field[]} form the form's schema
 * @property {{id: string, label: string, input: Record<string, unknown>}[]} [examples]
 * @property {Record<string, unknown>} default the input shown first
 * @property {Record<string, unknown>} [blank] the empty input ("Start from blank")
 * @property {import("./blocks.mjs").Block[]} view the prerendered result's blocks
 * @property {{example?: string}} [result] the prerendered result (`example`: the example's label)
 * @property {Record<string, Record<string, unknown>>} [charts] chart templates by name
 * @property {"side" | "stacked"} [layout] the form beside its result, or above it
 */

/**
 * The page config the build wrote.
 * @param {Element} root the calculator's root
 * @returns {PageConfig | null} null when it is missing or broken
 */
export function readConfig(root) {
  try {
    return JSON.parse(/** @type {HTMLElement} */ (root.querySelector(":scope > .pb-calc__config")).dataset.json || "");
  } catch {
    return null;
  }
}

/**
 * How to start the Python runtime (pipeline/render.py writes them), URLs absolute.
 * @typedef {object} RuntimeOptions
 * @property {string} indexURL Pyodide's folder
 * @property {string} lockURL the site's lock file
 * @property {string} workerURL worker.mjs
 * @property {string} wheelURL the calculators' wheel
 * @property {boolean} cdn Pyodide from a CDN (a fork's option)
 * @property {number} expectBytes the download's size, for the progress bar
 * @property {string} returningKey the localStorage key under which a started runtime's lock file is noted
 */

/**
 * @param {HTMLElement} root the calculator's root
 * @returns {RuntimeOptions}
 */
export function runtimeOptions(root) {
  const raw = JSON.parse(root.dataset.runtime || "{}");
  const url = (/** @type {string | undefined} */ u) => (u ? new URL(u, location.href).href : "");
  return {
    indexURL: url(raw.indexURL), lockURL: url(raw.lockURL), workerURL: url(raw.workerURL),
    wheelURL: url(raw.wheelURL), cdn: raw.cdn === true, expectBytes: Number(raw.expectBytes || 0),
    returningKey: String(raw.returningKey || ""),
  };
}
