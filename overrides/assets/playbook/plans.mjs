// A plan's life in the page, for a calculator whose form declares `files` on a
// table field (the timeline simulator): its downloads, made on click from the
// form's own input and the last result. mountPlans(...) -> cleanup.
import { h } from "./dom.mjs";
import { downloadButton, tableCsv, timelineResultCsv } from "./files.mjs";
import { fieldsOf } from "./toolbar.mjs";
import { mountSavedPlans } from "./savedplans.mjs";
import { trackerPanel } from "./tracker.mjs";

/** @typedef {import("./files.mjs").Field} Field */
/** @typedef {Field & {files?: {plan: string, result: string}}} PlanField */
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

/** @typedef {{read: () => Json, write: (data: Json) => string[], el?: HTMLElement} & Record<string, any>} Form */

/**
 * A value the plan's file format allows, as the form's field holds it: a number or a list in a text
 * field ("16", "1, 2, 4"), an object in a text field (JSON text), an object in a table (one row per key:
 * capacity {"Ana": 2} -> [{owner: "Ana", capacity: 2}]).
 * @param {Field} field
 * @param {unknown} value
 * @returns {unknown}
 */
export function toField(field, value) {
  if (value === undefined || value === null) return value;
  if (field.type === "text" && typeof value === "number") return String(value);
  if (field.type === "text" && Array.isArray(value)) return value.join(", ");
  if (field.type === "text" && typeof value === "object") return JSON.stringify(value);
  if (field.type === "table" && typeof value === "object" && !Array.isArray(value)) {
    const [key, val] = (field.columns || []).map((/** @type {Field} */ c) => c.name);
    return Object.entries(/** @type {Json} */ (value)).map(([k, v]) => ({ [key]: k, [val]: v }));
  }
  if (field.type === "table" && Array.isArray(value)) {
    return value.map((row) => (row && typeof row === "object" && !Array.isArray(row)
      ? Object.fromEntries(Object.entries(row).map(([k, v]) => {
        const col = (field.columns || []).find((/** @type {Field} */ c) => c.name === k);
        return [k, col ? toField(col, v) : v];
      }))
      : row));
  }
  return value;
}

/**
 * An input in the plan's file format, put in the shape the form's fields hold (see toField).
 * @param {Field[]} schema
 * @param {Json} data
 * @returns {Json}
 */
export function toForm(schema, data) {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data;
  const out = { ...data };
  for (const f of fieldsOf(schema)) if (Object.hasOwn(out, f.name)) out[f.name] = toField(f, out[f.name]);
  return out;
}

/**
 * The form, writing plan files as well as its own shape (a calculator without a plan table: unchanged).
 * @template {Form} F
 * @param {F} form
 * @param {Json} config
 * @returns {F}
 */
export function adaptForm(form, config) {
  if (!planTable(config)) return form;
  const write = form.write.bind(form);
  return Object.assign(form, { write: (/** @type {Json} */ data) => write(toForm(config.form, data)) });
}

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
    localiseDates(resultEl);
  };
  localiseDates(resultEl);
  root.addEventListener("pb:result", onResult);
  const json = "application/json";
  const files = h("div", { class: "pb-plans__files" },
    downloadButton("Download the plan (JSON)", `${names.plan}.json`, json, () => JSON.stringify(form.read(), null, 2)),
    downloadButton("Download the plan (CSV)", `${names.plan}.csv`, "text/csv",
      () => tableCsv(table, /** @type {Json[]} */ (form.read()[table.name] || []))),
    downloadButton("Download the result (JSON)", `${names.result}.json`, json, () => JSON.stringify(result, null, 2)),
    downloadButton("Download the result (CSV)", `${names.result}.csv`, "text/csv", () => timelineResultCsv(result)));
  const note = /** @type {HTMLInputElement} */ (h("input", { type: "text", class: "pb-plans__note", maxlength: 300,
    "aria-label": "Note for this forecast", placeholder: "Note (optional), such as: labels done, model B dropped" }));
  const record = h("button", { type: "button", class: "md-button md-button--primary pb-plans__record", text: "Record this forecast" });
  record.addEventListener("click", () => {
    if (root.dataset.valid === "false") {
      ctx.toolbar.notice("Fix the inputs first: the result shown is for the last inputs that worked.");
      return;
    }
    const before = form.read();
    const row = forecastRow(before, result, note.value);
    ctx.apply({ ...before, history: [...keptHistory(before.history), row] });
    note.value = "";
    ctx.toolbar.notice(`Recorded this forecast (${row.as_of}). It is kept with the plan: in its file, its share link and this browser.`, "info", before);
  });
  const recorder = h("div", { class: "pb-plans__recorder" }, note, record);
  const section = h("section", { class: "pb-plans", "aria-label": "Files of this plan" }, recorder, files);
  resultEl.after(section);
  const toolbarEl = root.querySelector(".pb-calc__toolbar");
  const unsave = toolbarEl instanceof HTMLElement
    ? mountSavedPlans({ root, name: String(config.name || root.dataset.calculator), form, apply: ctx.apply, toolbar: ctx.toolbar, before: toolbarEl })
    : () => {};
  const tracker = trackerPanel({ form, apply: ctx.apply, toolbar: ctx.toolbar, maxRows: Number(/** @type {any} */ (table).max_rows || 100) });
  root.querySelector(".pb-calc__form")?.before(tracker);
  return () => {
    root.removeEventListener("pb:result", onResult);
    unsave();
    tracker.remove();
    section.remove();
  };
}

/**
 * The rows of a history table that hold something (the form shows one empty row).
 * @param {unknown} rows
 * @returns {Json[]}
 */
export function keptHistory(rows) {
  if (!Array.isArray(rows)) return [];
  return rows.filter((r) => r && typeof r === "object" && Object.values(r).some((v) => v !== undefined && v !== null && v !== ""));
}

/**
 * Today's date, year-month-day, in the reader's time zone.
 * @param {Date} [now]
 * @returns {string}
 */
export function todayIso(now = new Date()) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The recorded forecast for a plan and its result: the numbers, the note, and each task's estimate, chance
 * and status (JSON text, as the form's table holds it), so that a later forecast can say what moved.
 * @param {Json} input
 * @param {Json} result
 * @param {string} note
 * @param {Date} [now]
 * @returns {Json}
 */
export function forecastRow(input, result, note, now = new Date()) {
  const asOf = input.as_of !== undefined && input.as_of !== "" ? String(input.as_of) : input.start ? todayIso(now) : "0";
  /** @type {Record<string, unknown[]>} */
  const tasks = {};
  for (const t of /** @type {Json[]} */ (Array.isArray(input.tasks) ? input.tasks : [])) {
    if (typeof t.id !== "string" || !t.id) continue;
    tasks[t.id] = [Number(t.optimistic), Number(t.most_likely), Number(t.pessimistic),
      typeof t.p_success === "number" ? t.p_success : 1, typeof t.status === "string" ? t.status : "todo"];
  }
  const d = result.duration || {};
  const r2 = (/** @type {unknown} */ x) => (typeof x === "number" ? Math.round(x * 100) / 100 : undefined);
  /** @type {Json} */
  const row = { as_of: asOf, p_success: result.p_success, p50: r2(d.p50), p85: r2(d.p85), tasks: JSON.stringify(tasks) };
  if (typeof result.p_by_deadline === "number") row.p_by_deadline = result.p_by_deadline;
  if (note.trim()) row.note = note.trim().slice(0, 300);
  return row;
}

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/**
 * A year-month-day date in the reader's own format ("29 April 2027", "April 29, 2027").
 * @param {string} iso
 * @param {string | undefined} [locale]
 * @returns {string}
 */
export function localDate(iso, locale) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(day.getTime()) || day.getMonth() !== Number(m[2]) - 1) return iso;
  return day.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric" });
}

/**
 * Every year-month-day date in the result's text, shown in the reader's format (Python writes ISO dates).
 * @param {HTMLElement} el
 */
export function localiseDates(el) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue || "";
    if (ISO_DATE.test(text)) node.nodeValue = text.replace(ISO_DATE, (iso) => localDate(iso));
    ISO_DATE.lastIndex = 0;
  }
}
