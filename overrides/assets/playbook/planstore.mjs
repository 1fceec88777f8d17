// Plans kept in the browser's own storage (localStorage), for one calculator:
// the current plan, saved as the reader types, and any number of named plans.
// Nothing leaves the browser. A storage the browser refuses (a private window,
// a full quota, storage turned off) makes every call report it, never throw.

/** @typedef {Record<string, any>} Json */
/** @typedef {{id: string, name: string, saved: string, input: Json}} SavedPlan */
/** @typedef {{ok: true} | {ok: false, why: string}} Outcome */

const PREFIX = "playbook:plans:";

/**
 * Why a storage call failed, in the reader's words.
 * @param {unknown} err
 * @returns {string}
 */
export function refusal(err) {
  const name = err && typeof err === "object" && "name" in err ? String(err.name) : "";
  if (/Quota/i.test(name)) return "this browser's storage for the site is full";
  return "this browser does not let the page store anything (a private window, or storage turned off)";
}

/**
 * The store for one calculator's plans.
 * @param {string} calculator
 * @param {Storage | null} [storage]  defaults to window.localStorage, if the browser gives it
 */
export function planStore(calculator, storage) {
  const key = `${PREFIX}${calculator}`;
  /** @returns {Storage} */
  const area = () => {
    const s = storage === undefined ? globalThis.localStorage : storage;
    if (!s) throw new Error("no storage");
    return s;
  };
  /** @returns {{current: Json | null, plans: SavedPlan[]}} */
  const load = () => {
    const raw = area().getItem(key);
    if (!raw) return { current: null, plans: [] };
    try {
      const data = JSON.parse(raw);
      return { current: data.current ?? null, plans: Array.isArray(data.plans) ? data.plans : [] };
    } catch {
      return { current: null, plans: [] };
    }
  };
  /**
   * @param {{current: Json | null, plans: SavedPlan[]}} data
   */
  const store = (data) => area().setItem(key, JSON.stringify(data));
  /**
   * @template T
   * @param {() => T} fn
   * @returns {{ok: true, value: T} | {ok: false, why: string}}
   */
  const attempt = (fn) => {
    try {
      return { ok: true, value: fn() };
    } catch (err) {
      return { ok: false, why: refusal(err) };
    }
  };
  const newId = () => `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  return {
    /** The plan autosaved last, or null. */
    current: () => attempt(() => load().current),
    /** @param {Json} input */
    autosave: (input) => attempt(() => store({ ...load(), current: input })),
    /** Every named plan, newest first. */
    list: () => attempt(() => [...load().plans].sort((a, b) => (a.saved < b.saved ? 1 : -1))),
    /** @param {string} name @param {Json} input */
    save: (name, input) => attempt(() => {
      const data = load();
      const plan = { id: newId(), name: name.trim().slice(0, 80) || "Untitled plan", saved: new Date().toISOString(), input };
      store({ ...data, plans: [...data.plans, plan] });
      return plan;
    }),
    /** @param {string} id @param {Json} input */
    update: (id, input) => attempt(() => {
      const data = load();
      store({ ...data, plans: data.plans.map((p) => (p.id === id ? { ...p, input, saved: new Date().toISOString() } : p)) });
    }),
    /** @param {string} id @param {string} name */
    rename: (id, name) => attempt(() => {
      const data = load();
      store({ ...data, plans: data.plans.map((p) => (p.id === id ? { ...p, name: name.trim().slice(0, 80) || p.name } : p)) });
    }),
    /** @param {string} id */
    duplicate: (id) => attempt(() => {
      const data = load();
      const source = data.plans.find((p) => p.id === id);
      if (!source) return null;
      const copy = { ...source, id: newId(), name: `${source.name} (copy)`.slice(0, 80), saved: new Date().toISOString() };
      store({ ...data, plans: [...data.plans, copy] });
      return copy;
    }),
    /** @param {string} id */
    remove: (id) => attempt(() => {
      const data = load();
      store({ ...data, plans: data.plans.filter((p) => p.id !== id) });
    }),
    /** @param {string} id */
    get: (id) => attempt(() => load().plans.find((p) => p.id === id) ?? null),
  };
}
