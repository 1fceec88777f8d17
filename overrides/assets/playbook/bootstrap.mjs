// The playbook's one ES-module entry. It subscribes once to Material's
// document$ and mounts what it finds in each page: calculators
// ([data-calculator]) and chapter charts (figure.pb-chart--chapter). Each mount
// returns a cleanup, run when instant navigation swaps the page.
import { h } from "./dom.mjs";
import { buildForm } from "./form.mjs";
import { renderBlocks } from "./blocks.mjs";
import { embedChart } from "./charts.mjs";
import { getRuntime, progressText, startRuntime } from "./runtime.mjs";
import { decodeState, parseCsv, writeState } from "./state.mjs";

const DEBOUNCE_MS = 200;
const MAX_IMPORT_BYTES = 1_000_000;

function readConfig(root) {
  try {
    return JSON.parse(root.querySelector(":scope > .pb-calc__config").dataset.json);
  } catch {
    return null;
  }
}

function runtimeOptions(root, config) {
  const resolve = (u) => new URL(u, location.href).href;
  return {
    indexURL: resolve(root.dataset.indexUrl),
    lockURL: resolve(root.dataset.lockUrl),
    workerURL: resolve(root.dataset.workerUrl),
    cdn: root.dataset.cdn === "true",
    wheelURL: config.wheel ? resolve(config.wheel) : "",
    expectBytes: Number(root.dataset.expectBytes || 0),
  };
}

function mountCalculator(root) {
  const config = readConfig(root);
  if (!config) return () => {};
  // Python starts when the calculator comes into view, or when the reader first
  // touches it; with Save-Data on, only on touch. Already in view: start it now,
  // before the form is built, so the download overlaps the page's own work.
  const saveData = navigator.connection?.saveData === true;
  const box = root.getBoundingClientRect();
  const inView = !saveData && box.top < innerHeight && box.bottom > 0;
  if (inView) startRuntime(runtimeOptions(root, config));
  const name = root.dataset.calculator;
  const status = root.querySelector(".pb-calc__status");
  const resultEl = root.querySelector(".pb-calc__result");
  const inputsEl = root.querySelector(".pb-calc__inputs");
  const notices = h("div", { class: "pb-calc__notices", "aria-live": "polite" });
  const ctx = { root: root.dataset.root || "", charts: config.charts || {}, cleanups: [] };
  const cleanups = [];
  let timer = null;
  let sequence = 0;
  let dirty = false;
  let alive = true;

  const setState = (value) => {
    root.dataset.state = value;
  };
  const notice = (text, level = "warning") => notices.append(h("p", { class: `pb-block pb-block--notice pb-block--${level}`, text }));

  const form = buildForm(config.form, () => schedule());
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
  const toolbar = h("div", { class: "pb-calc__toolbar" }, exampleSelect, importBtn, fileInput, resetBtn, copyBtn);
  inputsEl.replaceChildren(toolbar, notices, form.el);

  // Initial inputs: a share link if the URL holds one, else the defaults.
  const fromUrl = decodeState(location.hash);
  if (fromUrl.notice) notice(fromUrl.notice);
  form.write(config.default);
  if (fromUrl.data) {
    const ignored = form.write(fromUrl.data);
    if (ignored.length) notice(`Some values in the link were ignored: ${ignored.slice(0, 5).join("; ")}.`);
    dirty = true;
  }
  renderBlocks(resultEl, config.view, ctx);
  cleanups.push(() => ctx.cleanups.splice(0).forEach((fn) => fn()));

  function load(data, what) {
    notices.replaceChildren();
    form.write(config.default);
    const ignored = form.write(data);
    if (ignored.length) notice(`Some values in ${what} were ignored: ${ignored.slice(0, 5).join("; ")}.`);
    schedule(0);
  }

  exampleSelect?.addEventListener("change", () => {
    const ex = examples.find((e) => e.id === exampleSelect.value);
    if (ex) load({ ...config.default, ...ex.input }, "the example");
  });
  resetBtn.addEventListener("click", () => {
    notices.replaceChildren();
    form.write(config.default);
    schedule(0);
  });
  copyBtn.addEventListener("click", async () => {
    writeState(form.read());
    try {
      await navigator.clipboard.writeText(location.href);
      copyBtn.textContent = "Link copied";
    } catch {
      copyBtn.textContent = "Link is in the address bar";
    }
    setTimeout(() => (copyBtn.textContent = "Copy share link"), 2000);
  });
  importBtn.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) return notice(`${file.name} is larger than 1 MB; nothing was imported.`);
    const text = await file.text();
    try {
      if (/\.csv$/i.test(file.name) || file.type === "text/csv") {
        const table = config.form.find((f) => f.type === "table");
        if (!table) throw new Error("this calculator has no table to fill from a CSV file");
        load({ ...form.read(), [table.name]: parseCsv(text) }, file.name);
      } else {
        const data = JSON.parse(text);
        if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("the file must hold one JSON object");
        load(data.input && typeof data.input === "object" ? data.input : data, file.name);
      }
    } catch (err) {
      notice(`${file.name} could not be imported: ${String(err.message || err).slice(0, 200)}.`);
    }
  });

  // ------------------------------------------------------------ runtime
  let unsubscribe = null;
  function ensureRuntime() {
    if (unsubscribe) return;
    const rt = startRuntime(runtimeOptions(root, config));
    unsubscribe = rt.subscribe((s) => {
      if (!alive) return;
      if (s.status === "error") {
        setState("error");
        status.textContent = s.error;
        status.classList.add("pb-calc__status--error");
      } else if (s.status === "ready") {
        status.classList.remove("pb-calc__status--error");
        if (root.dataset.state !== "ready") {
          status.textContent = progressText(s);
          setState("ready");
          if (dirty) schedule(0);
        }
      } else {
        setState("loading");
        status.textContent = progressText(s);
      }
    });
    cleanups.push(() => unsubscribe());
  }

  async function compute() {
    const mine = ++sequence;
    const input = form.read();
    writeState(input);
    const rt = getRuntime();
    if (!rt || rt.state.status !== "ready") {
      dirty = true;
      ensureRuntime();
      return;
    }
    dirty = false;
    let answer;
    try {
      answer = await rt.compute(name, input);
    } catch (err) {
      return;
    }
    if (!alive || mine !== sequence) return;
    form.clearErrors();
    resultEl.querySelectorAll(".pb-calc__stale").forEach((e) => e.remove());
    if (answer.error) {
      const { unmatched, first } = form.showErrors(answer.error.fields || []);
      const text = answer.error.internal
        ? `The calculation failed (${answer.error.message.slice(0, 200)}). Change an input to try again; the result below is for the last inputs that worked.`
        : `Please fix ${answer.error.fields.length === 1 ? "the highlighted field" : "the highlighted fields"}${unmatched.length ? `: ${unmatched.join("; ")}` : ""}. The result below is for the last valid inputs.`;
      status.textContent = text;
      status.classList.add("pb-calc__status--invalid");
      root.dataset.valid = "false";
      if (first && !root.contains(document.activeElement)) first.focus();
      return;
    }
    status.classList.remove("pb-calc__status--invalid");
    status.textContent = "Python is ready: results update as you type.";
    root.dataset.valid = "true";
    renderBlocks(resultEl, answer.view, ctx);
    root.dataset.computed = String(Number(root.dataset.computed || 0) + 1);
    root.dispatchEvent(new CustomEvent("pb:result", { detail: answer.result }));
  }

  function schedule(delay = DEBOUNCE_MS) {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(compute, delay);
  }

  const touch = () => ensureRuntime();
  root.addEventListener("focusin", touch, { once: true });
  root.addEventListener("pointerdown", touch, { once: true });
  let observer = null;
  if (inView) {
    ensureRuntime();
  } else if (!saveData && "IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        ensureRuntime();
      }
    });
    observer.observe(root);
  }
  if (getRuntime()) ensureRuntime(); // already started on an earlier page
  if (dirty) schedule(0);

  return () => {
    alive = false;
    clearTimeout(timer);
    observer?.disconnect();
    root.removeEventListener("focusin", touch);
    root.removeEventListener("pointerdown", touch);
    cleanups.forEach((fn) => fn());
  };
}

function mountChapterChart(figure) {
  try {
    const spec = JSON.parse(figure.querySelector(".pb-chart__spec").dataset.json);
    return embedChart(figure.querySelector(".pb-chart__view"), spec);
  } catch {
    return () => {};
  }
}

// Material leaves two landmarks in its header without a name (axe-core:
// aria-dialog-name, aria-progressbar-name); the header survives instant navigation.
function nameMaterialWidgets() {
  document.querySelector(".md-search[role=dialog]:not([aria-label])")?.setAttribute("aria-label", "Search");
  document.querySelector(".md-progress[role=progressbar]:not([aria-label])")?.setAttribute("aria-label", "Loading the page");
}

// A table wider than the page scrolls sideways: let the keyboard reach it too.
function focusableScrollers() {
  for (const el of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    if (el.scrollWidth > el.clientWidth + 1) {
      el.tabIndex = 0;
      el.setAttribute("role", "group");
      el.setAttribute("aria-label", el.querySelector("caption")?.textContent || "Table (scrolls sideways)");
    }
  }
}

let mounted = [];
function mountAll() {
  nameMaterialWidgets();
  focusableScrollers();
  mounted.splice(0).forEach((fn) => fn());
  document.querySelectorAll("[data-calculator]").forEach((el) => mounted.push(mountCalculator(el)));
  document.querySelectorAll("figure.pb-chart--chapter").forEach((el) => mounted.push(mountChapterChart(el)));
}

if (globalThis.document$?.subscribe) {
  globalThis.document$.subscribe(() => mountAll());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll, { once: true });
} else {
  mountAll();
}
