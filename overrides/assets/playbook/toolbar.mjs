// The calculator's toolbar: start from an example, import a JSON or CSV file,
// reset to the example, copy the share link; and its one notice line. Import
// and reset can be undone once. A file of the wrong shape is refused whole,
// with what was expected, and the inputs stay as they were.
import { h } from "./dom.mjs";
import { parseCsv } from "./csv.mjs";
import { writeState } from "./state.mjs";

const MAX_IMPORT_BYTES = 1_000_000;

/** @typedef {import("./fields.mjs").Field} Field */

/**
 * Every field of a schema, groups flattened.
 * @param {Field[]} schema
 * @returns {Field[]}
 */
export function fieldsOf(schema) {
  return schema.flatMap((f) => (f.type === "group" ? fieldsOf(f.fields ?? []) : [f]));
}

/**
 * Does `data` have the shape of this calculator's input?
 * @param {unknown} data
 * @param {Field[]} schema
 * @returns {string | null} null, or what was expected
 */
export function shapeProblem(data, schema) {
  const expected = [...new Set(fieldsOf(schema).map((f) => f.name.split(".")[0]))];
  const want = `a JSON object with the fields ${expected.join(", ")}`;
  if (!data || typeof data !== "object" || Array.isArray(data)) return `the file must hold ${want}`;
  const keys = Object.keys(data);
  const unknown = keys.filter((k) => !expected.includes(k));
  if (!keys.length || unknown.length) {
    return `expected ${want}` + (unknown.length ? `; it has ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? "…" : ""}` : "");
  }
  return null;
}

/**
 * @param {object} parts
 * @param {import("./config.mjs").PageConfig} parts.config
 * @param {import("./form.mjs").Form} parts.form
 * @param {(data: unknown) => void} parts.apply writes an input into the form and recomputes
 */
export function buildToolbar({ config, form, apply }) {
  const notices = h("div", { class: "pb-calc__notices", "aria-live": "polite" });
  const examples = config.examples || [];
  const exampleSelect = examples.length > 1
    ? h("select", { class: "pb-calc__example", "aria-label": "Start from an example" },
      h("option", { value: "", text: "Start from an example…" }),
      examples.map((ex) => h("option", { value: ex.id, text: ex.label })))
    : null;
  const fileInput = h("input", { type: "file", accept: ".json,.csv,application/json,text/csv", class: "pb-visually-hidden", tabindex: "-1", "aria-label": "Import a JSON or CSV file" });
  const importBtn = h("button", { type: "button", class: "md-button", text: "Import JSON or CSV" });
  const resetBtn = h("button", { type: "button", class: "md-button", text: "Reset to the example" });
  const copyBtn = h("button", { type: "button", class: "md-button", text: "Copy share link" });
  const el = h("div", { class: "pb-calc__toolbar" }, exampleSelect, importBtn, fileInput, resetBtn, copyBtn);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let copyTimer;

  /**
   * One notice at a time: a new one replaces the old.
   * @param {string} text
   * @param {string} [level] "warning" or "info"
   * @param {unknown} [undo] the inputs to go back to
   */
  function notice(text, level = "warning", undo = null) {
    const p = h("p", { class: `pb-block pb-block--notice pb-block--${level}` }, h("span", { text }));
    if (undo) {
      const button = h("button", { type: "button", class: "md-button pb-calc__undo", text: "Undo" });
      button.addEventListener("click", () => {
        apply(undo);
        notice("Your previous inputs are back.", "info");
        notices.querySelector("p")?.setAttribute("tabindex", "-1");
        notices.querySelector("p")?.focus();
      }, { once: true });
      p.append(" ", button);
    }
    notices.replaceChildren(p);
  }

  // The page opened on an example's answers: say so, and offer a blank start.
  // `blank` is the calculator's empty input (page config); shown until the reader edits.
  /**
   * @param {string} label the example's
   * @param {unknown} blank
   */
  function exampleNotice(label, blank) {
    const p = h("p", { class: "pb-block pb-block--notice pb-block--info pb-calc__example-notice" },
      h("span", { text: `Showing the answers of the example “${label}”, not yours.` }));
    const fresh = h("button", { type: "button", class: "md-button pb-calc__blank", text: "Start from blank" });
    const keep = h("button", { type: "button", class: "md-button pb-calc__keep", text: "Keep editing" });
    fresh.addEventListener("click", () => {
      const before = form.read();
      apply(blank);
      notice("Started from blank: answer what you know, and leave the rest on “Not sure”.", "info", before);
    }, { once: true });
    keep.addEventListener("click", () => p.remove(), { once: true });
    p.append(" ", fresh, " ", keep);
    notices.replaceChildren(p);
  }

  // Write `data` into the form; if any of it does not fit, put the previous inputs back.
  /**
   * @param {Record<string, unknown>} data
   * @param {string} what the file's name, for the notice
   */
  function tryLoad(data, what) {
    const before = form.read();
    const ignored = form.write(data);
    if (ignored.length) {
      form.write(before);
      notice(`${what} was not imported: ${ignored.slice(0, 3).join("; ")}${ignored.length > 3 ? "; …" : ""}. Your inputs are unchanged.`);
      return;
    }
    apply(data);
    notice(`Imported ${what}.`, "info", before);
  }

  exampleSelect?.addEventListener("change", () => {
    const ex = examples.find((e) => e.id === exampleSelect.value);
    if (!ex) return;
    const before = form.read();
    apply({ ...config.default, ...ex.input });
    notice(`Showing the example “${ex.label}”.`, "info", before);
  });
  resetBtn.addEventListener("click", () => {
    const before = form.read();
    apply(config.default);
    if (exampleSelect) exampleSelect.value = "";
    notice("The inputs are back to the example.", "info", before);
  });
  copyBtn.addEventListener("click", async () => {
    writeState(form.read());
    try {
      await navigator.clipboard.writeText(location.href);
      copyBtn.textContent = "Link copied";
    } catch {
      copyBtn.textContent = "Link is in the address bar";
    }
    clearTimeout(copyTimer);
    copyTimer = setTimeout(() => (copyBtn.textContent = "Copy share link"), 2000);
  });
  importBtn.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const refuse = (/** @type {string} */ why) => notice(`${file.name} was not imported: ${why}. Your inputs are unchanged.`);
    if (file.size > MAX_IMPORT_BYTES) return refuse("it is larger than 1 MB");
    const text = await file.text();
    if (/\.csv$/i.test(file.name) || file.type === "text/csv") {
      const table = fieldsOf(config.form).find((f) => f.type === "table");
      if (!table) return refuse("this calculator has no table to fill from a CSV file; import a JSON file instead");
      const parsed = parseCsv(text, table.columns ?? []);
      if (parsed.problem) return refuse(parsed.problem);
      return tryLoad({ ...form.read(), [table.name]: parsed.rows }, file.name);
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return refuse(`it is not JSON or CSV (expected ${String(shapeProblem(null, config.form)).replace(/^the file must hold /, "")})`);
    }
    if (data && typeof data === "object" && !Array.isArray(data) && data.input && typeof data.input === "object") data = data.input;
    const problem = shapeProblem(data, config.form);
    if (problem) return refuse(problem);
    tryLoad({ ...config.default, ...data }, file.name);
  });

  return { el, notices, notice, exampleNotice, cleanup: () => clearTimeout(copyTimer) };
}
