// A calculator's form, built from its schema (calculators/forms.py). The form
// turns itself into the calculator's JSON input and back; values are only ever
// set with .value / .checked, so nothing in them can become markup.
import { h } from "./dom.mjs";
import { formatPercent, parsePercent } from "./percent.mjs";

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

/** @typedef {{tr: HTMLTableRowElement, cells: Cell[], up: HTMLButtonElement, down: HTMLButtonElement, remove: HTMLButtonElement, index: number}} Row */

let uid = 0;
const nextId = (/** @type {string} */ name) => `pb-${String(name).replace(/[^A-Za-z0-9_-]/g, "-")}-${++uid}`;

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
function simpleControl(field, path, { compact = false } = {}) {
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
      if (v === undefined) return (box.checked = !!field.default), null;
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
function radioControl(field, path) {
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

// ---------------------------------------------------------------- table field
/**
 * @param {Field} field
 * @param {string} path
 * @param {() => void} onChange
 * @returns {Control}
 */
function tableControl(field, path, onChange) {
  const body = h("tbody");
  const columns = field.columns ?? [];
  /** @type {Row[]} */
  const rows = [];
  const errorEl = h("p", { class: "pb-field__error", id: `${nextId(path)}-error`, hidden: true });
  const caption = h("caption", { class: "pb-field__label", text: field.label });
  const status = h("p", { class: "pb-visually-hidden", role: "status", "aria-live": "polite" });
  const add = h("button", { type: "button", class: "md-button pb-table__add", text: "Add a row" });

  function renumber() {
    rows.forEach((row, i) => {
      row.index = i;
      row.cells.forEach((c) => {
        c.path = `${path}[${i}].${c.column}`;
        c.input.dataset.field = c.path;
        c.input.setAttribute("aria-label", `${c.label}, row ${i + 1}`);
        c.name = `${c.label}, row ${i + 1}`;
      });
      row.up.disabled = i === 0;
      row.down.disabled = i === rows.length - 1;
      row.remove.disabled = rows.length <= (field.min_rows ?? 1);
      row.up.setAttribute("aria-label", `Move row ${i + 1} up`);
      row.down.setAttribute("aria-label", `Move row ${i + 1} down`);
      row.remove.setAttribute("aria-label", `Remove row ${i + 1}`);
    });
    add.disabled = rows.length >= (field.max_rows ?? 100);
  }

  // A row the reader just added shows no errors until each cell is touched
  // (typed in, or left): four red messages on an empty row help nobody.
  /**
   * @param {Record<string, unknown>} [values]
   * @param {{fresh?: boolean}} [options] fresh: added by the reader just now
   * @returns {Row}
   */
  function makeRow(values = {}, { fresh = false } = {}) {
    const cells = columns.map((col) => {
      const control = simpleControl({ ...col, optional: col.optional }, `${path}[0].${col.name}`, { compact: true });
      /** @type {Cell} */
      const c = Object.assign(control, { column: col.name, label: col.label, touched: !fresh, problem: null });
      const touch = () => (c.touched = true);
      c.input.addEventListener("input", touch);
      c.input.addEventListener("change", touch);
      c.input.addEventListener("blur", touch);
      c.problem = c.write(values[col.name] ?? (col.type === "number" ? undefined : col.default));
      return c;
    });
    const up = h("button", { type: "button", class: "pb-table__btn", text: "↑" });
    const down = h("button", { type: "button", class: "pb-table__btn", text: "↓" });
    const remove = h("button", { type: "button", class: "pb-table__btn", text: "✕" });
    // data-label: the column's name, shown above each cell when a row becomes a card on a phone.
    const tr = h("tr", {}, cells.map((c) => h("td", { "data-label": c.label }, c.el)),
      h("td", { class: "pb-table__actions", "data-label": "Order" }, up, down, remove));
    /** @type {Row} */
    const row = { tr, cells, up, down, remove, index: 0 };
    up.addEventListener("click", () => move(row, -1));
    down.addEventListener("click", () => move(row, +1));
    remove.addEventListener("click", () => drop(row));
    return row;
  }

  /**
   * @param {Row} row
   * @param {number} delta -1: up, +1: down
   */
  function move(row, delta) {
    const i = rows.indexOf(row);
    const j = i + delta;
    if (j < 0 || j >= rows.length) return;
    rows.splice(i, 1);
    rows.splice(j, 0, row);
    body.replaceChildren(...rows.map((r) => r.tr));
    renumber();
    (delta < 0 ? row.up : row.down).disabled ? row.cells[0].input.focus() : (delta < 0 ? row.up : row.down).focus();
    status.textContent = `Row moved to position ${j + 1}.`;
    onChange();
  }

  /** @param {Row} row */
  function drop(row) {
    const i = rows.indexOf(row);
    if (rows.length <= (field.min_rows ?? 1)) return;
    rows.splice(i, 1);
    row.tr.remove();
    renumber();
    (rows[Math.min(i, rows.length - 1)]?.remove ?? add).focus();
    status.textContent = `Row ${i + 1} removed.`;
    onChange();
  }

  add.addEventListener("click", () => {
    const row = makeRow({}, { fresh: true });
    rows.push(row);
    body.append(row.tr);
    renumber();
    row.cells[0].input.focus();
    status.textContent = `Row ${rows.length} added.`;
    onChange();
  });

  const table = h("table", { class: "pb-table" }, caption,
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", text: c.label })), h("th", { scope: "col", text: "Order" }))),
    body);
  const el = h("div", { class: "pb-field pb-field--table" },
    // Focusable so a keyboard can scroll it where the table is wider than the screen.
    h("div", { class: "pb-table__scroll", tabindex: "0", role: "group", "aria-label": field.label }, table),
    field.help ? h("p", { class: "pb-field__help", text: field.help }) : null,
    add, errorEl, status);

  return {
    el, errorEl, path, table: true,
    focus: () => (rows[0]?.cells[0].input ?? add).focus(),
    cellsFor: () => rows.flatMap((r) => r.cells),
    read: () => rows.map((r) => {
      /** @type {Record<string, unknown>} */
      const out = {};
      r.cells.forEach((c) => {
        const v = c.read();
        if (v !== undefined) out[c.column] = v;
      });
      return out;
    }),
    write: (v) => {
      if (v === undefined) return null;
      if (!Array.isArray(v)) return "not a list of rows";
      /** @type {string[]} */
      const problems = [];
      const max = field.max_rows ?? 100;
      const items = v.slice(0, max);
      rows.splice(0).forEach((r) => r.tr.remove());
      items.forEach((item, i) => {
        const row = makeRow(item && typeof item === "object" && !Array.isArray(item) ? item : {});
        row.cells.filter((c) => c.problem).forEach((c) => problems.push(`row ${i + 1} ${c.label}: ${c.problem}`));
        rows.push(row);
        body.append(row.tr);
      });
      if (!rows.length) {
        const row = makeRow({});
        rows.push(row);
        body.append(row.tr);
      }
      renumber();
      if (v.length > max) problems.push(`only the first ${max} rows were kept`);
      return problems.length ? problems.join("; ") : null;
    },
  };
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
  el.addEventListener("input", () => onChange());
  el.addEventListener("change", () => onChange());

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
