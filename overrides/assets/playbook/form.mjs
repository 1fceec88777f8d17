// A calculator's form, built from its schema (calculators/forms.py). The form
// turns itself into the calculator's JSON input and back; values are only ever
// set with .value / .checked, so nothing in them can become markup.
import { h } from "./dom.mjs";
import { radioControl, simpleControl } from "./fields.mjs";
import { tableControl } from "./table.mjs";

/** @typedef {import("./fields.mjs").Field} Field */
/** @typedef {import("./fields.mjs").Control} Control */

/**
 * @param {unknown} obj
 * @param {string} path dotted
 * @returns {unknown} undefined when the path is not there
 */
function getPath(obj, path) {
  return path.split(".").reduce((/** @type {any} */ o, k) => (o && typeof o === "object" && Object.hasOwn(o, k) ? o[k] : undefined), obj);
}

/**
 * @param {Record<string, any>} obj
 * @param {string} path dotted
 * @param {unknown} value
 */
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = value;
}

// ---------------------------------------------------------------- the form
/**
 * The calculator's form.
 * @typedef {object} Form
 * @property {HTMLFormElement} el
 * @property {() => Record<string, unknown>} read the calculator's input
 * @property {(data: unknown) => string[]} write sets every field from an input object; returns
 *   what was ignored ("Label: problem"). Values of the wrong type are ignored and reported, never rendered.
 * @property {() => void} clearErrors
 * @property {(errors: FieldError[]) => {unmatched: string[], first: Control | null, waiting: number}} showErrors
 *   shows each error's reader text next to its field; returns the texts that match no field, the first
 *   field shown and how many errors wait in cells of a new row the reader has not touched yet
 */

/**
 * One problem with the input, as calculators.api reports it.
 * @typedef {{field?: string, message?: string, reader?: string}} FieldError
 */

/**
 * @param {Field[]} schema
 * @param {() => void} onChange called on every edit
 * @returns {Form}
 */
export function buildForm(schema, onChange) {
  /** @type {Control[]} */
  const controls = [];
  /**
   * @param {Field} field
   * @returns {HTMLElement}
   */
  function build(field) {
    if (field.type === "group") {
      const children = (field.fields ?? []).map(build);
      const details = h("details", { class: "pb-group", open: field.open !== false },
        h("summary", { text: field.label }),
        field.help ? h("p", { class: "pb-field__help", text: field.help }) : null,
        children);
      return details;
    }
    const control = field.type === "radio" ? radioControl(field, field.name)
      : field.type === "table" ? tableControl(field, field.name, onChange)
        : simpleControl(field, field.name);
    control.field = field;
    control.name = field.label;
    controls.push(control);
    return control.el;
  }
  const el = h("form", { class: "pb-calc__form", novalidate: true, "aria-label": "Inputs" }, schema.map(build));
  el.addEventListener("submit", (e) => e.preventDefault());
  // A control that changed fires "input" (computed after a short pause), then "change" when
  // it loses focus: that second event carries nothing new, and computing again would redraw
  // the result under the reader's next click (a download button clicked right after typing
  // lost its click that way). "change" alone, with no "input" before it, still computes.
  /** @type {WeakSet<EventTarget>} */
  const announced = new WeakSet();
  el.addEventListener("input", (e) => {
    if (e.target) announced.add(e.target);
    onChange();
  });
  el.addEventListener("change", (e) => {
    if (e.target && announced.delete(e.target)) return;
    onChange();
  });

  return {
    el,
    read() {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const c of controls) {
        const v = c.read();
        if (v !== undefined && c.field) setPath(out, c.field.name, v);
      }
      return out;
    },
    write(data) {
      /** @type {string[]} */
      const ignored = [];
      for (const c of controls) {
        const field = /** @type {Field} */ (c.field);
        const v = data && typeof data === "object" ? getPath(data, field.name) : undefined;
        const problem = c.write(v === undefined ? (c.table ? field.default : undefined) : v);
        if (problem) ignored.push(`${field.label}: ${problem}`);
      }
      return ignored;
    },
    clearErrors() {
      el.querySelectorAll(".pb-field__error").forEach((e) => ((/** @type {HTMLElement} */ (e).hidden = true), (e.textContent = "")));
      el.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
    },
    showErrors(errors) {
      /** @type {string[]} */
      const unmatched = [];
      const all = controls.flatMap((c) => (c.cellsFor ? [c, ...c.cellsFor()] : [c]));
      /** @type {Control | null} */
      let first = null;
      let waiting = 0;
      for (const err of errors) {
        const text = err.reader || err.message || "";
        const target = all.find((c) => c.path === err.field) || all.find((c) => err.field && err.field.startsWith(`${c.path}.`))
          || all.find((c) => err.field && c.path.startsWith(`${err.field}`) && c.table);
        if (!target) {
          unmatched.push(text);
          continue;
        }
        if (target.touched === false) {
          waiting++;
          continue;
        }
        target.errorEl.hidden = false;
        target.errorEl.textContent = target.errorEl.textContent ? `${target.errorEl.textContent} ${text}` : text;
        (target.input ?? target.el).setAttribute?.("aria-invalid", "true");
        // A message inside a collapsed group would be invisible (and its field unfocusable).
        for (let d = target.el.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
        first ??= target;
      }
      return { unmatched, first, waiting };
    },
  };
}
