// The saved-plans bar of a plan calculator: the current plan saved as the reader
// types (and brought back on the next visit), and named plans to open, rename,
// duplicate and delete. Storage the browser refuses gives one notice; the page
// keeps working. mountSavedPlans(ctx) -> cleanup.
import { h } from "./dom.mjs";
import { planStore } from "./planstore.mjs";

/** @typedef {Record<string, any>} Json */
/**
 * @typedef {object} SavedContext
 * @property {HTMLElement} root
 * @property {string} name  the calculator's name (the storage key)
 * @property {{read: () => Json}} form
 * @property {(data: Json) => void} apply
 * @property {{notice: (text: string, level?: string, undo?: Json | null) => void}} toolbar
 * @property {HTMLElement} before  the element the bar goes after
 * @property {Storage | null} [storage]
 */

const AUTOSAVE_MS = 400;

/**
 * @param {SavedContext} ctx
 * @returns {() => void}
 */
export function mountSavedPlans(ctx) {
  const { root, form, apply, toolbar } = ctx;
  const store = planStore(ctx.name, ctx.storage);
  let refused = false;
  /** @param {{ok: boolean, why?: string}} outcome */
  const check = (outcome) => {
    if (outcome.ok) return true;
    if (!refused) {
      toolbar.notice(`This plan is not kept in this browser: ${outcome.why}. The page works as usual; download the plan to keep it.`);
      root.dataset.storage = "refused";
    }
    refused = true;
    return false;
  };
  const select = /** @type {HTMLSelectElement} */ (h("select", { class: "pb-plans__list", "aria-label": "Your saved plans" }));
  const nameInput = /** @type {HTMLInputElement} */ (h("input", { type: "text", class: "pb-plans__name", maxlength: 80,
    "aria-label": "Plan name", placeholder: "Name of this plan" }));
  const button = (/** @type {string} */ text, /** @type {string} */ cls) => h("button", { type: "button", class: `md-button ${cls}`, text });
  const saveBtn = button("Save as a new plan", "pb-plans__save");
  const openBtn = button("Open", "pb-plans__open");
  const renameBtn = button("Rename", "pb-plans__rename");
  const copyBtn = button("Duplicate", "pb-plans__duplicate");
  const deleteBtn = button("Delete", "pb-plans__delete");
  const bar = h("div", { class: "pb-plans__saved", role: "group", "aria-label": "Plans kept in this browser" },
    nameInput, saveBtn, select, openBtn, renameBtn, copyBtn, deleteBtn);
  ctx.before.after(bar);

  function refresh(/** @type {string} */ chosen = select.value) {
    const listed = store.list();
    const plans = listed.ok ? listed.value : [];
    select.replaceChildren(h("option", { value: "", text: plans.length ? "Your saved plans…" : "No saved plans yet" }),
      ...plans.map((p) => h("option", { value: p.id, text: p.name })));
    select.value = plans.some((p) => p.id === chosen) ? chosen : "";
    for (const b of [openBtn, renameBtn, copyBtn, deleteBtn]) /** @type {HTMLButtonElement} */ (b).disabled = !select.value;
  }
  select.addEventListener("change", () => refresh());

  saveBtn.addEventListener("click", () => {
    const saved = store.save(nameInput.value, form.read());
    if (!check(saved) || !saved.ok) return;
    nameInput.value = "";
    refresh(saved.value.id);
    toolbar.notice(`Saved “${saved.value.name}” in this browser.`, "info");
  });
  openBtn.addEventListener("click", () => {
    const got = store.get(select.value);
    if (!check(got) || !got.ok || !got.value) return;
    const before = form.read();
    apply(got.value.input);
    toolbar.notice(`Opened “${got.value.name}”.`, "info", before);
  });
  renameBtn.addEventListener("click", () => {
    const id = select.value;
    if (!nameInput.value.trim()) {
      toolbar.notice("Type the new name in “Name of this plan”, then press Rename.");
      nameInput.focus();
      return;
    }
    if (!check(store.rename(id, nameInput.value))) return;
    nameInput.value = "";
    refresh(id);
    toolbar.notice("Renamed.", "info");
  });
  copyBtn.addEventListener("click", () => {
    const copy = store.duplicate(select.value);
    if (!check(copy) || !copy.ok || !copy.value) return;
    refresh(copy.value.id);
    toolbar.notice(`Made “${copy.value.name}”.`, "info");
  });
  deleteBtn.addEventListener("click", () => {
    const got = store.get(select.value);
    if (!check(got) || !got.ok || !got.value) return;
    const plan = got.value;
    if (!check(store.remove(plan.id))) return;
    refresh("");
    toolbar.notice(`Deleted “${plan.name}” from this browser.`, "info");
  });

  // Autosave: the current plan, a moment after each change (typing, an import, a recorded forecast).
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (check(store.autosave(form.read()))) root.dataset.autosaved = String(Number(root.dataset.autosaved || 0) + 1);
    }, AUTOSAVE_MS);
  };
  root.addEventListener("input", save);
  root.addEventListener("change", save);
  root.addEventListener("pb:result", save);

  // The last visit's plan comes back, unless a share link brings its own.
  const current = store.current();
  if (check(current) && current.ok && current.value && !/^#i=/.test(location.hash)) {
    const plan = current.value;
    queueMicrotask(() => {
      const before = form.read();
      if (JSON.stringify(before) === JSON.stringify(plan)) return;
      apply(plan);
      toolbar.notice("Your plan from your last visit is back (kept in this browser).", "info", before);
    });
  }
  refresh("");
  return () => {
    clearTimeout(timer);
    root.removeEventListener("input", save);
    root.removeEventListener("change", save);
    root.removeEventListener("pb:result", save);
    bar.remove();
  };
}
