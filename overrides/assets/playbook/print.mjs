// "Print the result": a calculator's answer on one sheet (A4 or Letter). The
// button and the browser's own print give the same page: print.css shows only
// the calculator's title, the date, the headline, the key figures, "What to do
// next", the main chart (drawn by Vega as SVG), the inputs in brief and the
// share link as text. This module keeps the print-only parts (heading, inputs in
// brief, link) up to date with every result, so a print needs no preparation.
// No QR code: no pinned library here draws one locally (see docs/deploying.md).
import { h } from "./dom.mjs";
import { drawNow } from "./charts.mjs";
import { readConfig } from "./config.mjs";
import { formatPercent } from "./percent.mjs";
import { shared } from "./shared.mjs";
import { decodeState, encodeState } from "./state.mjs";
import { fieldsOf } from "./toolbar.mjs";

/** @typedef {import("./fields.mjs").Field} Field */

/**
 * The value at a dotted path ("answers.reporting").
 * @param {unknown} data
 * @param {string} path
 * @returns {unknown}
 */
function valueAt(data, path) {
  /** @type {any} */
  let o = data;
  for (const key of path.split(".")) o = o && typeof o === "object" ? o[key] : undefined;
  return o;
}

/**
 * One value as the reader reads it: an option's label, a percentage, Yes/No.
 * @param {Field} field
 * @param {unknown} value
 * @returns {string}
 */
export function shown(field, value) {
  if (value === undefined || value === null || value === "") return "";
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (field.type === "checkbox") return value ? "Yes" : "No";
  if (field.options) return field.options.find((o) => o.value === value)?.label ?? String(value);
  if (field.percent && typeof value === "number") return `${formatPercent(value)}%`;
  const text = typeof value === "number" ? value.toLocaleString("en") : String(value);
  return field.unit && field.unit !== "%" ? `${text} ${field.unit}` : text;
}

/**
 * The inputs in brief: a table field as a small table, every other answered field as "label: value".
 * @param {Field[]} schema
 * @param {unknown} data
 * @returns {HTMLElement}
 */
export function inputsBrief(schema, data) {
  const items = [];
  const tables = [];
  for (const field of fieldsOf(schema)) {
    const value = valueAt(data, field.name);
    if (field.type === "table" && Array.isArray(value) && field.columns) {
      const columns = field.columns.filter((c) => value.some((row) => shown(c, row?.[c.name]) !== ""));
      tables.push(h("table", { class: "pb-print__table" },
        h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", text: c.label || c.name })))),
        h("tbody", {}, value.map((row) => h("tr", {}, columns.map((c) => h("td", { text: shown(c, row?.[c.name]) })))))));
      continue;
    }
    const text = shown(field, value);
    if (text) items.push(h("li", {}, h("span", { class: "pb-print__label", text: `${field.label || field.name}: ` }), text));
  }
  return h("div", { class: "pb-print__inputs" }, h("h3", { text: "Inputs" }), ...tables,
    items.length ? h("ul", { class: "pb-print__answers" }, items) : null);
}

/**
 * Mount the print parts on one calculator root; returns the cleanup.
 * @param {HTMLElement} root
 * @returns {() => void}
 */
export function mountPrint(root) {
  const config = readConfig(root);
  if (!config || document.querySelector('meta[name="pb-print"][content="off"]')) return () => {};
  const resultEl = root.querySelector(".pb-calc__result");
  if (!resultEl) return () => {};
  const h1 = /** @type {HTMLElement | undefined} */ (document.querySelector("article h1")?.cloneNode(true));
  h1?.querySelectorAll(".headerlink").forEach((a) => a.remove());
  const title = h1?.textContent?.trim() || document.title;
  const date = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  const head = h("div", { class: "pb-print__head" },
    h("p", { class: "pb-print__title", text: title }), h("p", { class: "pb-print__date", text: date }));
  const link = h("p", { class: "pb-print__link" });
  const brief = h("div");
  const button = h("button", { type: "button", class: "md-button pb-print__button", text: "Print the result" });
  const bar = h("p", { class: "pb-print__bar" }, button);

  const mainChart = () => /** @type {HTMLElement | null} */ (resultEl.querySelector(".pb-block--chart .pb-chart__view"));
  const update = () => {
    const data = decodeState(location.hash).data ?? config.default;
    const url = new URL(location.href);
    url.hash = encodeState(data);
    link.replaceChildren(h("span", { class: "pb-print__label", text: "Open this result: " }), url.href);
    brief.replaceChildren(inputsBrief(config.form, data));
  };
  update();
  root.dataset.print = "one-page"; // print.css: this calculator's page prints as its result alone
  root.querySelector(".pb-calc__heading")?.before(head);
  resultEl.after(brief, link);
  root.querySelector(".pb-calc__heading")?.after(bar);

  // The main chart is drawn once Python has settled and the page is idle (or now, for a print),
  // so the browser's own print finds it drawn too.
  const draw = () => {
    const view = mainChart();
    if (view && !view.dataset.rendered) drawNow(view);
  };
  const idle = () => ("requestIdleCallback" in globalThis ? requestIdleCallback(draw, { timeout: 5000 }) : setTimeout(draw, 1000));
  if (shared().settled) idle();
  else document.addEventListener("pb:python", idle, { once: true });

  const onPrint = () => {
    update();
    const view = mainChart();
    if (!view || view.dataset.rendered) return window.print();
    view.addEventListener("pb:chart-rendered", () => window.print(), { once: true });
    drawNow(view);
  };
  button.addEventListener("click", onPrint);
  root.addEventListener("pb:result", update);
  addEventListener("beforeprint", update);
  return () => {
    document.removeEventListener("pb:python", idle);
    root.removeEventListener("pb:result", update);
    removeEventListener("beforeprint", update);
    delete root.dataset.print;
    head.remove();
    bar.remove();
    brief.remove();
    link.remove();
  };
}
