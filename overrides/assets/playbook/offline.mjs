// The page's side of the offline copy (the service worker is sw.js at the site's root).
// - Registers the worker once the page has loaded, Python (on a calculator page) has
//   settled and the browser is idle, never with Save-Data or on a metered connection;
//   then asks it to store the pages, and the runtime on a calculator page.
// - Says on <html data-pb-offline="..."> and on the home page's line whether the
//   playbook is available offline on this device, with a button to remove it.
// - When a new version is installed, shows a quiet notice; the next click on a link
//   of the site (or "Reload now") lets the new version take over, then loads the page
//   in full, so one page never mixes old and new files.
// - On the offline page, hides the links to pages that are not stored.
// The page's <meta name="pb-offline" content="URL of sw.js" data-state="on | off"> (main.html,
// from extra.playbook.offline) turns it on or off; off also removes a copy an earlier version left.
import { h } from "./dom.mjs";
import { shared } from "./shared.mjs";

const REMOVED = "pb:offline-removed";
const meta = /** @type {HTMLMetaElement | null} */ (document.querySelector('meta[name="pb-offline"]'));
const enabled = Boolean(meta && meta.dataset.state !== "off");
const swURL = meta ? new URL(meta.content, location.href).href : "";
const scope = swURL ? new URL("./", swURL).href : "";
const supported = "serviceWorker" in navigator && "caches" in globalThis;
const embedded = Boolean(document.querySelector("[data-pb-embed]"));

/** @typedef {{stored?: {pages: boolean, runtime: boolean}, storing?: boolean, progress?: {done: number, total: number},
 *   bytes?: Record<string, number>, eager?: boolean, error?: string}} Status */
/** @type {Status} */
let status = {};
/** @type {string} none | storing | pages | all | removed | save-data | unsupported | off */
let state = "none";
/** @type {ServiceWorkerRegistration | null} */
let registration = null;

function limited() {
  const c = /** @type {any} */ (navigator).connection;
  return Boolean(c && (c.saveData === true || c.metered === true || c.type === "cellular"));
}

function removed() {
  try {
    return localStorage.getItem(REMOVED) === "1";
  } catch {
    return false;
  }
}

/** @param {number} bytes */
const mb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);

function computeState() {
  if (!enabled) return "off";
  if (!supported) return "unsupported";
  if (removed()) return "removed";
  if (status.storing) return "storing";
  if (status.stored?.pages && status.stored.runtime) return "all";
  if (status.stored?.pages) return "pages";
  if (limited()) return "save-data";
  return "none";
}

/** The home page's line: one sentence and, when something is stored, a button to remove it. */
function renderLines() {
  state = computeState();
  document.documentElement.dataset.pbOffline = state;
  const bytes = status.bytes || {};
  const pages = (bytes.shell || 0) + (bytes.pages || 0);
  const all = pages + (bytes.runtime || 0);
  for (const line of document.querySelectorAll("[data-pb-offline-line]")) {
    const el = /** @type {HTMLElement} */ (line);
    el.hidden = state === "off";
    el.dataset.state = state;
    const text = {
      all: `The playbook is available offline on this device: every page, search and the calculators (${mb(all)} MB).`,
      pages: `The playbook's pages and search are available offline on this device (${mb(pages)} MB); the calculators are stored too once you open one.`,
      storing: `Storing the playbook on this device for offline reading: ${mb(status.progress?.done || 0)} of ${mb(status.progress?.total || 0)} MB…`,
      none: "The playbook is not stored on this device yet: it is stored for offline reading once you have read a page for a moment.",
      "save-data": "The playbook is not stored for offline reading: this browser asks to save data.",
      removed: "You removed the playbook's offline copy from this device.",
      unsupported: "This browser cannot keep the playbook for offline reading.",
      off: "",
    }[state];
    const button = state === "all" || state === "pages"
      ? h("button", { type: "button", class: "pb-offline-line__button", text: "Remove it from this device", onclick: remove })
      : state === "removed"
        ? h("button", { type: "button", class: "pb-offline-line__button", text: "Keep it offline again", onclick: keepAgain })
        : null;
    el.replaceChildren(h("span", { text }), button ? " " : "", button || "");
  }
}

async function remove() {
  try {
    localStorage.setItem(REMOVED, "1");
  } catch {
    /* no storage: removed for this visit only */
  }
  await forget();
  status = {};
  renderLines();
}

async function keepAgain() {
  try {
    localStorage.removeItem(REMOVED);
  } catch {
    /* no storage */
  }
  renderLines();
  await start();
}

/** Unregister the worker and delete what it stored. */
async function forget() {
  if (!supported) return;
  const all = await navigator.serviceWorker.getRegistrations();
  await Promise.all(all.filter((r) => r.scope === scope).map((r) => r.unregister()));
  for (const name of await caches.keys()) if (name.startsWith("pb-offline")) await caches.delete(name);
  registration = null;
}

/** @param {string} href */
function takeOver(href) {
  const waiting = registration?.waiting;
  if (!waiting) return location.assign(href);
  let gone = false;
  const go = () => {
    if (gone) return;
    gone = true;
    location.assign(href);
  };
  navigator.serviceWorker.addEventListener("controllerchange", go, { once: true });
  waiting.addEventListener("statechange", () => waiting.state === "activated" && go());
  waiting.postMessage({ type: "activate" });
  // A click must never do nothing: if the new version has not taken over in 10 s (a busy
  // browser, another tab holding the old one), open the page with the version in place.
  setTimeout(go, 10_000);
}

/** @param {MouseEvent} event: a click on a link of the site while an update waits */
function onClick(event) {
  const target = /** @type {Element | null} */ (event.target instanceof Element ? event.target : null);
  const link = /** @type {HTMLAnchorElement | null} */ (target?.closest("a[href]") ?? null);
  if (!link || !registration?.waiting || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.hasAttribute("download")) return;
  if (link.target && link.target !== "_self") return;
  const url = new URL(link.href, location.href);
  if (!url.href.startsWith(scope) || (url.pathname === location.pathname && url.hash)) return;
  event.preventDefault();
  event.stopImmediatePropagation(); // before Material's instant navigation, which would stay on the old version
  takeOver(url.href);
}

function showUpdate() {
  if (document.querySelector(".pb-update")) return;
  document.documentElement.dataset.pbUpdate = "ready";
  const reload = h("button", { type: "button", class: "pb-update__button", text: "Reload now", onclick: () => takeOver(location.href) });
  document.body.append(h("div", { class: "pb-update", role: "status" },
    "A new version of the playbook is ready: it opens on your next page. ", reload));
  addEventListener("click", onClick, true);
}

/** @param {ServiceWorkerRegistration} reg */
function watchUpdates(reg) {
  if (reg.waiting && navigator.serviceWorker.controller) showUpdate();
  reg.addEventListener("updatefound", () => {
    const worker = reg.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate();
    });
  });
}

/** Resolves once the page has loaded, Python (if this page starts it) has settled and the browser is idle. */
function idle() {
  return new Promise((resolve) => {
    const go = () => ("requestIdleCallback" in globalThis ? requestIdleCallback(() => resolve(undefined), { timeout: 10_000 }) : setTimeout(resolve, 2000));
    const afterPython = () => {
      const python = shared();
      if (!document.querySelector("[data-calculator]") || python.settled || !python.started) return go();
      document.addEventListener("pb:python", go, { once: true });
    };
    if (document.readyState === "complete") afterPython();
    else addEventListener("load", afterPython, { once: true });
  });
}

async function start() {
  if (!enabled || !supported || removed()) return;
  await idle();
  if (limited() || removed()) return renderLines();
  // Offline, the worker in place goes on; online, this visit checks for a new version (not only after a day).
  const online = navigator.onLine !== false;
  registration = (!online && (await navigator.serviceWorker.getRegistration(scope))) || (await navigator.serviceWorker.register(swURL, { scope }));
  watchUpdates(registration);
  if (online) registration.update().catch(() => {});
  const active = (await navigator.serviceWorker.ready).active;
  active?.postMessage({ type: "store", calculator: Boolean(document.querySelector("[data-calculator]")) });
  active?.postMessage({ type: "status" });
}

/** On the offline page: keep only the links to pages this device has stored. */
function filterLinks() {
  const list = document.querySelector("[data-pb-offline-links]");
  const sw = navigator.serviceWorker?.controller;
  if (!list || !sw) return;
  sw.postMessage({ type: "available" });
}

/** @param {string[]} paths */
function showAvailable(paths) {
  const stored = new Set(paths);
  for (const a of document.querySelectorAll("[data-pb-offline-links] a[href]")) {
    const url = new URL(/** @type {HTMLAnchorElement} */ (a).href);
    let path = decodeURIComponent(url.pathname.slice(new URL(scope || location.href).pathname.length));
    if (path === "" || path.endsWith("/")) path += "index.html";
    const item = /** @type {HTMLElement} */ (a.closest("li") || a);
    item.hidden = !stored.has(path);
  }
  for (const list of document.querySelectorAll("[data-pb-offline-links] ul")) {
    const section = /** @type {HTMLElement} */ (list.closest("section") || list);
    section.hidden = ![...list.querySelectorAll("li")].some((li) => !(/** @type {HTMLElement} */ (li).hidden));
  }
}

if (supported && !embedded) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "pb-offline") {
      status = event.data;
      renderLines();
    } else if (event.data?.type === "pb-offline-available") {
      showAvailable(event.data.paths);
    }
  });
}

/** Mount on each page (bootstrap.mjs; instant navigation swaps the content): the line and the offline page's links. */
export function mountOffline() {
  if (embedded) return () => {};
  renderLines();
  filterLinks();
  return () => {};
}

if (!embedded && swURL) {
  if (!enabled && supported) forget().catch(() => {}); // turned off by the site: remove a copy an earlier version left
  else start().catch((err) => console.warn("playbook: the offline copy could not be set up:", err));
}
