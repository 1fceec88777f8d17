// A table field: rows of cells that the reader adds, removes and reorders.
import { h } from "./dom.mjs";
import { nextId, simpleControl } from "./fields.mjs";

/** @typedef {import("./fields.mjs").Field} Field */
/** @typedef {import("./fields.mjs").Control} Control */
/** @typedef {import("./fields.mjs").Cell} Cell */

/** @typedef {{tr: HTMLTableRowElement, cells: Cell[], up: HTMLButtonElement, down: HTMLButtonElement, remove: HTMLButtonElement, index: number}} Row */

/**
 * @param {Field} field
 * @param {string} path
 * @param {() => void} onChange
 * @returns {Control}
 */
export function tableControl(field, path, onChange) {
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
