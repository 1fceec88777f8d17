// Files a reader downloads from a calculator page, built when the button is
// pressed from what the page already holds: the form's own input (a plan) and
// the last result the worker sent. Nothing here crosses the worker boundary.
import { h } from "./dom.mjs";

/** @typedef {import("./fields.mjs").Field} Field */
/** @typedef {Record<string, unknown>} Json */

/**
 * One CSV cell: quoted when it holds a comma, quote or line end; a text starting
 * with = + - or @ gets a leading ' so a spreadsheet shows it instead of running it
 * (csv.mjs strips it again on import).
 * @param {unknown} value
 * @returns {string}
 */
export function csvCell(value) {
  if (value === undefined || value === null) return "";
  let text = Array.isArray(value) ? value.join(", ") : String(value);
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows of cells -> CSV text, one line each.
 * @param {unknown[][]} rows
 * @returns {string}
 */
export function toCsv(rows) {
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

/**
 * A table field's rows as CSV: the header is the columns' names (what the import reads back).
 * @param {Field} table
 * @param {Json[]} rows
 * @returns {string}
 */
export function tableCsv(table, rows) {
  const names = (table.columns || []).map((c) => c.name);
  return toCsv([names, ...rows.map((row) => names.map((n) => row[n]))]);
}

/**
 * The timeline's result as CSV: the tasks riskiest first, then the finishing times.
 * @param {Json} result
 * @returns {string}
 */
export function timelineResultCsv(result) {
  const round = (/** @type {unknown} */ x) => (typeof x === "number" ? Math.round(x * 1e4) / 1e4 : "");
  const tasks = /** @type {Json[]} */ (Array.isArray(result.tasks) ? result.tasks : []);
  /** @type {unknown[][]} */
  const rows = [["rank", "id", "name", "p_success", "importance", "criticality", "p85_shift", "sinks", "risk_score"]];
  tasks.forEach((t, i) => rows.push([i + 1, t.id, t.name, t.p_success, t.importance,
    round(t.criticality), round(t.p85_shift), round(t.sinks), round(t.risk_score)]));
  const d = /** @type {Record<string, number | null>} */ (result.duration || {});
  const e = /** @type {Record<string, number | null>} */ (result.duration_error || {});
  rows.push([], ["percentile of successful runs", `finish (${result.unit})`, "standard error"]);
  for (const k of Object.keys(d)) rows.push([k, round(d[k]), round(e[k])]);
  return toCsv(rows);
}

/**
 * Hand a text to the browser as a file download.
 * @param {string} filename
 * @param {string} content
 * @param {string} mime
 */
export function saveFile(filename, content, mime) {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = h("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the blob after this handler returns (later still on a busy machine).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A download button whose file is made when it is pressed.
 * @param {string} label
 * @param {string} filename
 * @param {string} mime
 * @param {() => string} make
 * @returns {HTMLButtonElement}
 */
export function downloadButton(label, filename, mime, make) {
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "md-button pb-download", "data-filename": filename, text: label }));
  button.addEventListener("click", () => saveFile(filename, make(), mime));
  return button;
}
