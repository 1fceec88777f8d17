// One calculator on a page: its form, toolbar and result, kept in step with the
// Python runtime. mountCalculator(root) -> cleanup (run when instant navigation
// swaps the page).
import { h } from "./dom.mjs";
import { buildForm } from "./form.mjs";
import { renderBlocks } from "./blocks.mjs";
import { embedChart } from "./charts.mjs";
import { readConfig, runtimeOptions } from "./config.mjs";
import { shared } from "./shared.mjs";
import { getRuntime, progressFraction, progressText, READY_TEXT, startRuntime } from "./runtime.mjs";
import { decodeState, writeState } from "./state.mjs";
import { buildToolbar, fieldsOf } from "./toolbar.mjs";
import { adaptForm, mountPlans } from "./plans.mjs";

const DEBOUNCE_MS = 200;

// The status line: one sentence for the reader, a progress bar while loading,
// and (when inputs are invalid) a link that moves focus to the first one.
/** @param {HTMLElement} status */
function statusLine(status) {
  const text = h("span", { class: "pb-calc__status-text" });
  const bar = h("progress", { class: "pb-calc__progress", max: "1", hidden: true, "aria-hidden": "true" });
  status.replaceChildren(text, bar);
  return {
    /**
     * @param {string} sentence
     * @param {{link?: HTMLElement | null, after?: string, progress?: number | null}} [options] a link
     *   after the sentence (then `after`), or the progress bar's position
     */
    say(sentence, { link = null, after = "", progress = null } = {}) {
      text.replaceChildren(sentence, ...(link ? [link, after] : []));
      bar.hidden = progress === null;
      if (progress !== null) bar.value = progress;
    },
  };
}

/**
 * @param {HTMLElement} root a calculator's root ([data-calculator])
 * @returns {() => void} the cleanup
 */
export function mountCalculator(root) {
  const config = readConfig(root);
  if (!config) return () => {};
  const options = runtimeOptions(root);
  // Python starts when the calculator comes into view, or when the reader first
  // touches it; with Save-Data on, only on touch. Already in view: start it now,
  // before the form is built, so the download overlaps the page's own work.
  // Already started by early.js (in view, or a returning reader): adopt it now.
  const saveData = /** @type {any} */ (navigator).connection?.saveData === true;
  const box = root.getBoundingClientRect();
  const inView = !saveData && box.top < innerHeight && box.bottom > 0;
  if (inView || shared().early) startRuntime(options);
  const name = root.dataset.calculator || "";
  const status = /** @type {HTMLElement} */ (root.querySelector(".pb-calc__status"));
  const resultEl = /** @type {HTMLElement} */ (root.querySelector(".pb-calc__result"));
  const inputsEl = /** @type {HTMLElement} */ (root.querySelector(".pb-calc__inputs"));
  const line = statusLine(status);
  line.say(status.textContent.trim());
  /** @type {import("./blocks.mjs").BlockContext} */
  const ctx = { root: root.dataset.root || "", charts: config.charts || {}, cleanups: [], embed: embedChart };
  /** @type {(() => void)[]} */
  const cleanups = [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let sequence = 0;
  let dirty = false;
  let alive = true;

  const setState = (/** @type {string} */ value) => {
    root.dataset.state = value;
  };
  const form = adaptForm(buildForm(config.form, () => schedule()), config); // plan files' shapes too
  const apply = (/** @type {unknown} */ data) => {
    form.write(data);
    schedule(0);
  };
  const toolbar = buildToolbar({ config, form, apply });
  cleanups.push(toolbar.cleanup);
  // On a phone the result is far below a long form: a link jumps there.
  if (!resultEl.id) resultEl.id = `pb-result-${name}`;
  const jump = h("a", { class: "pb-calc__jump", href: `#${resultEl.id}`, text: "Jump to the result" });
  jump.addEventListener("click", (e) => {
    e.preventDefault(); // keep the share link in the address bar,
    e.stopPropagation(); // and keep Material's instant navigation out of it
    resultEl.scrollIntoView({ block: "start" });
    resultEl.setAttribute("tabindex", "-1");
    resultEl.focus({ preventScroll: true });
  });
  inputsEl.replaceChildren(toolbar.el, jump, toolbar.notices, form.el);
  cleanups.push(mountPlans({ root, config, form, apply, toolbar, resultEl })); // a plan's files, history, storage
  // Forms without a table sit beside their result on a wide screen (the result
  // stays in view while the reader answers); a page can choose with config.layout.
  const side = config.layout ? config.layout === "side" : !fieldsOf(config.form).some((f) => f.type === "table");
  root.classList.toggle("pb-calc--side", side);

  // Initial inputs: a share link if the URL holds one, else the defaults.
  const fromUrl = decodeState(location.hash);
  if (fromUrl.notice) toolbar.notice(fromUrl.notice);
  form.write(config.default);
  if (fromUrl.data) {
    const ignored = form.write(fromUrl.data); // a link holds the whole input
    if (ignored.length) toolbar.notice(`Some values in the link were ignored: ${ignored.slice(0, 5).join("; ")}.`);
    dirty = true;
  }
  renderBlocks(resultEl, config.view, ctx);
  cleanups.push(() => ctx.cleanups.splice(0).forEach((fn) => fn()));
  // An example's answers are shown as the example's, never as the reader's own.
  if (!fromUrl.data && !fromUrl.notice && config.blank && typeof config.result?.example === "string") {
    toolbar.exampleNotice(config.result.example, config.blank);
    const onResult = (/** @type {Event} */ e) => {
      if (/** @type {CustomEvent} */ (e).detail?.example) return;
      root.removeEventListener("pb:result", onResult);
      toolbar.notices.querySelector(".pb-calc__example-notice")?.remove();
    };
    root.addEventListener("pb:result", onResult);
    cleanups.push(() => root.removeEventListener("pb:result", onResult));
  }

  // ------------------------------------------------------------ runtime
  /** @type {(() => void) | null} */
  let unsubscribe = null;
  function ensureRuntime() {
    if (unsubscribe) return;
    const rt = startRuntime(options);
    unsubscribe = rt.subscribe((s) => {
      if (!alive) return;
      if (s.status === "error") {
        setState("error");
        line.say(s.error);
        status.classList.add("pb-calc__status--error");
      } else if (s.status === "ready") {
        status.classList.remove("pb-calc__status--error");
        if (root.dataset.state !== "ready") {
          line.say(READY_TEXT);
          setState("ready");
          if (dirty) schedule(0);
        }
      } else {
        setState("loading");
        line.say(progressText(s), { progress: progressFraction(s) });
      }
    });
    cleanups.push(() => unsubscribe?.());
  }

  /**
   * @param {boolean} stale
   * @param {string} [sentence] why, shown above the result
   */
  function markStale(stale, sentence = "") {
    root.dataset.valid = stale ? "false" : "true";
    resultEl.classList.toggle("pb-calc__result--stale", stale);
    resultEl.querySelectorAll(":scope > .pb-calc__stale").forEach((e) => e.remove());
    if (stale) resultEl.prepend(h("p", { class: "pb-calc__stale", text: sentence }));
  }

  /** @param {{error: {fields?: import("./form.mjs").FieldError[], internal?: boolean, message?: string}}} answer */
  function showInvalid(answer) {
    const fields = answer.error.fields || [];
    const { unmatched, first, waiting } = form.showErrors(fields);
    const shown = fields.length - waiting - unmatched.length;
    if (answer.error.internal) {
      line.say(`The calculation failed (${String(answer.error.message).slice(0, 200)}). Change an input to try again.`);
    } else if (first) {
      // A button that reads as a link: an <a href="#"> would be taken over by Material's instant navigation.
      const target = first;
      const link = h("button", { type: "button", class: "pb-calc__first-error", text: target.name });
      link.addEventListener("click", (e) => {
        e.preventDefault();
        target.focus();
      });
      const count = shown === 1 ? "One input needs fixing: " : `${shown} inputs need fixing, first `;
      line.say(count, { link, after: `.${unmatched.length ? ` Also: ${unmatched.join(" ")}` : ""}` });
    } else if (unmatched.length) {
      line.say(`Please check the inputs: ${unmatched.join(" ")}`);
    } else {
      line.say(`Fill in the new row to include it: ${waiting === 1 ? "one cell is" : `${waiting} cells are`} still empty or incomplete.`);
    }
    status.classList.add("pb-calc__status--invalid");
    markStale(true, answer.error.internal
      ? "This result is for the last inputs that worked."
      : "This result is for the last valid inputs; it updates when the inputs above are fixed.");
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
    // data-pending: an edit is waiting for its result; cleared once the newest edit's result
    // (or its problems) is shown, so a test waits for "this input's value computed".
    const settle = () => {
      if (!dirty && mine === sequence) delete root.dataset.pending;
    };
    let answer;
    try {
      answer = await rt.compute(name, input);
    } catch (err) {
      settle();
      return;
    }
    if (!alive || mine !== sequence) return;
    settle();
    form.clearErrors();
    if (answer.error) return showInvalid(answer);
    status.classList.remove("pb-calc__status--invalid");
    line.say(READY_TEXT);
    renderBlocks(resultEl, answer.view, ctx);
    markStale(false);
    root.dataset.computed = String(Number(root.dataset.computed || 0) + 1);
    root.dispatchEvent(new CustomEvent("pb:result", { detail: answer.result }));
  }

  function schedule(delay = DEBOUNCE_MS) {
    dirty = true;
    root.dataset.pending = "true";
    clearTimeout(timer);
    timer = setTimeout(compute, delay);
  }

  const touch = () => ensureRuntime();
  root.addEventListener("focusin", touch, { once: true });
  root.addEventListener("pointerdown", touch, { once: true });
  /** @type {IntersectionObserver | null} */
  let observer = null;
  if (inView) {
    ensureRuntime();
  } else if (!saveData && "IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries, self) => {
      if (entries.some((e) => e.isIntersecting)) {
        self.disconnect();
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
