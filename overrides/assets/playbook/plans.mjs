// A plan's life in the page, for a calculator whose form declares `files` on a
// table field (the timeline simulator): its downloads, made on click from the
// form's own input and the last result. mountPlans(...) -> cleanup.
import { h } from "./dom.mjs";
import { downloadButton, tableCsv, timelineResultCsv } from "./files.mjs";
import { fieldsOf } from "./toolbar.mjs";

/** @typedef {import("./files.mjs").Field & {files?: {plan: string, result: string}}} PlanField */
/** @typedef {Record<string, any>} Json */
/**
 * @typedef {object} PlanContext
 * @property {HTMLElement} root  the calculator's root element
 * @property {Json} config  the page config (form schema, default input, prerendered result)
 * @property {{read: () => Json, write: (data: Json) => string[]}} form
 * @property {(data: Json) => void} apply  write an input into the form and recompute
 * @property {{notice: (text: string, level?: string, undo?: Json | null) => void}} toolbar
 * @property {HTMLElement} resultEl
 */

/**
 * The table field that declares the plan's files, if this calculator has one.
 * @param {Json} config
 * @returns {PlanField | undefined}
 */
export function planTable(config) {
  return /** @type {PlanField[]} */ (fieldsOf(config.form || [])).find((f) => f.type === "table" && f.files);
}

/**
 * @param {PlanContext} ctx
 * @returns {() => void}
 */
export function mountPlans(ctx) {
  const { root, config, form, resultEl } = ctx;
  const table = planTable(config);
  if (!table?.files) return () => {};
  const names = table.files;
  /** @type {Json} */
  let result = config.result || {};
  const onResult = (/** @type {Event} */ e) => {
    const detail = /** @type {CustomEvent} */ (e).detail;
    if (detail && typeof detail === "object") result = detail;
  };
  root.addEventListener("pb:result", onResult);
  const json = "application/json";
  const files = h("div", { class: "pb-plans__files" },
    downloadButton("Download the plan (JSON)", `${names.plan}.json`, json, () => JSON.stringify(form.read(), null, 2)),
    downloadButton("Download the plan (CSV)", `${names.plan}.csv`, "text/csv",
      () => tableCsv(table, /** @type {Json[]} */ (form.read()[table.name] || []))),
    downloadButton("Download the result (JSON)", `${names.result}.json`, json, () => JSON.stringify(result, null, 2)),
    downloadButton("Download the result (CSV)", `${names.result}.csv`, "text/csv", () => timelineResultCsv(result)));
  const section = h("section", { class: "pb-plans", "aria-label": "Files of this plan" }, files);
  resultEl.after(section);
  return () => {
    root.removeEventListener("pb:result", onResult);
    section.remove();
  };
}
