// A calculator's fields, built from its schema (calculators/forms.py): each control
// reads its value from the page and writes one into it; values are only ever set
// with .value / .checked, so nothing in them can become markup.
import { h } from "./dom.mjs";
import { formatPercent, parsePercent } from "./percent.mjs";

/** How a CSV cell (ours, or a spreadsheet's) spells a tick box's value. @type {Record<string, boolean>} */
const CSV_BOOLEANS = { true: true, false: false, yes: true, no: false, "1": true, "0": false };

/**
 * A field of a calculator's form schema (calculators/forms.py), as JSON.
 * @typedef {object} Field
 * @property {string} name its key in the input
 * @property {string} label as the reader sees it
 * @property {string} type "number", "select", "checkbox", "textarea", "tags", "text", "radio", "table" or "group"
 * @property {string} [help]
 * @property {boolean} [optional] may be left out of the input
 * @property {boolean} [percent] a number shown as a percentage
 * @property {unknown} [default]
 * @property {number} [min]
 * @property {number} [max]
 * @property {number | string} [step]
 * @property {number} [rows] a text area's height
 * @property {number} [max_length]
 * @property {string} [unit]
 * @property {{value: string, label: string}[]} [options] a select's or a radio's choices
 * @property {Field[]} [fields] a group's fields
 * @property {boolean} [open] a group starts open (default true)
 * @property {Field[]} [columns] a table's columns
 * @property {number} [min_rows]
 * @property {number} [max_rows]
 */

/**
 * One field on the page: it reads its value from the page and writes one into it.
 * @typedef {object} Control
 * @property {HTMLElement} el
 * @property {() => unknown} read the value (undefined: left out of the input)
 * @property {(value: unknown) => string | null} write shows a value; returns the problem when it does not fit
 * @property {() => void} focus
 * @property {HTMLElement} errorEl where its error is shown
 * @property {string} path its input path ("tasks[0].name")
 * @property {HTMLElement} [input] the element that takes focus and aria-invalid
 * @property {Field} [field] (set by buildForm)
 * @property {string} [name] as the reader sees it (a cell: "Label, row 2")
 * @property {boolean} [table] a table of cells
 * @property {() => Cell[]} [cellsFor] a table's cells
 * @property {boolean} [touched] false: a cell of a new row the reader has not touched (its errors wait)
 */

/**
 * A table's cell.
 * @typedef {Control & {input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, column: string,
 *   label: string, touched: boolean, problem: string | null}} Cell
 */


let uid = 0;
/** A unique element id for a field's path. */
export const nextId = (/** @type {string} */ name) => `pb-${String(name).replace(/[^A-Za-z0-9_-]/g, "-")}-${++uid}`;

// ---------------------------------------------------------------- simple fields

/**
 * @param {Field} field
 * @param {HTMLElement} control
 * @param {HTMLElement} errorEl
 * @param {HTMLElement | null} helpEl
 */
function describe(field, control, errorEl, helpEl) {
  const ids = [helpEl?.id, errorEl.id].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", ids);
}

/**
 * @param {Field} field
 * @param {string} path
 * @param {{compact?: boolean}} [options] compact: a table's cell (no help, the label as aria-label)
 * @returns {Control & {input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement}}
 */
export function simpleControl(field, path, { compact = false } = {}) {
  const id = nextId(path);
  const errorEl = h("p", { class: "pb-field__error", id: `${id}-error`, hidden: true });
  const helpEl = field.help && !compact ? h("p", { class: "pb-field__help", id: `${id}-help`, text: field.help }) : null;
  /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */
  let input;
  /** @type {() => unknown} */
  let read;
  /** @type {(v: unknown) => string | null} */
  let write;
  const options = field.options ?? [];
  if (field.type === "number" && field.percent) {
    // A fraction in the input, a percentage on the page: "90", "90%" and "0.9" all mean 90%.
    const placeholder = field.optional && typeof field.default === "number" ? formatPercent(field.default) : undefined;
    input = h("input", { type: "text", id, inputmode: "decimal", autocomplete: "off", spellcheck: false, placeholder,
      "data-field": path, "data-percent": "", maxlength: 40 });
    read = () => {
      if (input.value.trim() === "") return field.optional ? undefined : "";
      const v = parsePercent(input.value);
      return v === null ? input.value : v; // not a number: the calculator says so next to the field
    };
    write = (v) => {
      if (v === undefined || v === null || v === "") return (input.value = ""), null;
      if (typeof v !== "number" || !Number.isFinite(v)) return "not a number";
      input.value = formatPercent(v);
      return null;
    };
  } else if (field.type === "number") {
    // An optional number left empty takes the calculator's default: show it as the placeholder.
    const placeholder = field.optional && typeof field.default === "number" ? String(field.default) : undefined;
    input = h("input", { type: "number", id, inputmode: "decimal", min: field.min, max: field.max, step: field.step ?? "any", placeholder, "data-field": path });
    read = () => (input.value === "" ? (field.optional ? undefined : "") : Number(input.value));
    write = (v) => {
      if (v === undefined || v === null || v === "") return (input.value = ""), null;
      if (typeof v !== "number" || !Number.isFinite(v)) return "not a number";
      input.value = String(v);
      return null;
    };
  } else if (field.type === "select") {
    input = h("select", { id, "data-field": path }, options.map((o) => h("option", { value: o.value, text: o.label })));
    read = () => (input.value === "" && field.optional ? undefined : input.value);
    write = (v) => {
      if (v === undefined || v === null) return (input.value = String(field.default ?? "")), null;
      if (!options.some((o) => o.value === v)) return "not one of the choices";
      input.value = String(v);
      return null;
    };
  } else if (field.type === "checkbox") {
    const box = h("input", { type: "checkbox", id, "data-field": path });
    input = box;
    read = () => box.checked;
    write = (v) => {
      if (v === undefined || v === "") return (box.checked = !!field.default), null;
      if (typeof v === "string") v = CSV_BOOLEANS[v.trim().toLowerCase()] ?? v; // e.g. a CSV cell: "true", "no"
      if (typeof v !== "boolean") return "not true or false";
      box.checked = v;
      return null;
    };
  } else if (field.type === "textarea") {
    input = h("textarea", { id, rows: field.rows || 4, maxlength: field.max_length, "data-field": path });
    read = () => (input.value.trim() === "" && field.optional ? undefined : input.value);
    write = (v) => {
      if (v === undefined || v === null) return (input.value = ""), null;
      if (typeof v !== "string") return "not text";
      if (field.max_length !== undefined && v.length > field.max_length) return `longer than ${field.max_length} characters`;
      input.value = v;
      return null;
    };
  } else if (field.type === "tags") {
    input = h("input", { type: "text", id, autocomplete: "off", spellcheck: false, "data-field": path, maxlength: 2000 });
    read = () => {
      const items = input.value.split(",").map((s) => s.trim()).filter(Boolean);
      return items.length || !field.optional ? items : undefined;
    };
    write = (v) => {
      if (v === undefined || v === null) return (input.value = ""), null;
      if (typeof v === "string") v = v.split(/[,;|]/).map((/** @type {string} */ s) => s.trim()).filter(Boolean); // e.g. a CSV cell
      if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) return "not a list of ids";
      const text = v.join(", ");
      if (text.length > 2000) return "too long";
      input.value = text;
      return null;
    };
  } else {
    input = h("input", { type: "text", id, maxlength: field.max_length, "data-field": path, autocomplete: "off" });
    read = () => (input.value.trim() === "" && field.optional ? undefined : input.value);
    write = (v) => {
      if (v === undefined || v === null) return (input.value = ""), null;
      if (typeof v !== "string") return "not text";
      if (v.length > (field.max_length || 200)) return `longer than ${field.max_length || 200} characters`;
      input.value = v;
      return null;
    };
  }
  describe(field, input, errorEl, helpEl);
  /** @type {HTMLElement} */
  let el;
  if (compact) {
    input.setAttribute("aria-label", field.label);
    // A percentage cell shows its unit too (the column header has no room for it).
    const cell = field.percent ? h("span", { class: "pb-field__control" }, input, h("span", { class: "pb-field__unit", "aria-hidden": "true", text: "%" })) : input;
    el = h("div", { class: "pb-field pb-field--cell" }, cell, errorEl);
  } else if (field.type === "checkbox") {
    el = h("div", { class: "pb-field pb-field--checkbox" }, h("label", { for: id }, input, " ", field.label), helpEl, errorEl);
  } else {
    const label = h("label", { for: id, class: "pb-field__label", text: field.label });
    el = h("div", { class: `pb-field pb-field--${field.type}` }, label,
      field.unit ? h("span", { class: "pb-field__control" }, input, h("span", { class: "pb-field__unit", text: field.unit })) : input,
      helpEl, errorEl);
  }
  return { el, read, write, focus: () => input.focus(), errorEl, path, input };
}

// An optional question offers "Not sure" last (value ""): choosing it clears the
// answer and leaves the key out of the input.
export const NOT_SURE = "Not sure";

/**
 * @param {Field} field
 * @param {string} path
 * @returns {Control}
 */
export function radioControl(field, path) {
  const id = nextId(path);
  const errorEl = h("p", { class: "pb-field__error", id: `${id}-error`, hidden: true });
  const choices = field.options ?? [];
  const options = field.optional ? [...choices, { value: "", label: NOT_SURE }] : choices;
  const inputs = options.map((o, i) => h("input", { type: "radio", name: id, id: `${id}-${i}`, value: o.value, "data-field": path,
    class: o.value === "" ? "pb-radio__unsure" : null }));
  const legendId = `${id}-legend`;
  const el = h("fieldset", { class: "pb-field pb-field--radio", "aria-describedby": errorEl.id },
    h("legend", { id: legendId, class: "pb-field__label", text: field.label }),
    field.help ? h("p", { class: "pb-field__help", text: field.help }) : null,
    h("div", { class: "pb-radio__options" },
      options.map((o, i) => h("label", { class: `pb-radio__option${o.value === "" ? " pb-radio__option--unsure" : ""}`, for: inputs[i].id },
        inputs[i], h("span", { text: o.label })))),
    errorEl);
  return {
    el, errorEl, path, input: inputs[0],
    focus: () => (inputs.find((i) => i.checked) || inputs[0]).focus(),
    read: () => inputs.find((i) => i.checked)?.value || undefined,
    write: (v) => {
      if (v === undefined || v === null || v === "") {
        inputs.forEach((i) => (i.checked = i.value === "" ));
        return null;
      }
      const match = inputs.find((i) => i.value === v && v !== "");
      if (!match) return "not one of the answers";
      match.checked = true;
      return null;
    },
  };
}
