// Vega-Embed on Altair specs, loaded from this site only when a page has a chart.
// Expressions run through vega-interpreter (no `new Function`), so charts work
// under a Content-Security-Policy without 'unsafe-eval'.
import { VENDOR } from "./manifest.mjs";

/** @typedef {{el: HTMLElement, spec: Record<string, unknown>, view: {finalize(): void} | null}} Entry */
/** @typedef {{embed: NonNullable<typeof globalThis.vegaEmbed>, expr: unknown}} Libraries */

/** @type {Promise<Libraries> | null} */
let libraries = null;
/** @type {Set<Entry>} */
const live = new Set();

/**
 * @param {string} src
 * @returns {Promise<unknown>}
 */
function script(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(el);
  });
}

function load() {
  if (!libraries) {
    const url = (/** @type {string} */ path) => new URL(path, import.meta.url).href;
    libraries = (async () => {
      if (!globalThis.vega) await script(url(VENDOR.vega));
      if (!globalThis.vegaLite) await script(url(VENDOR.vegaLite));
      if (!globalThis.vegaEmbed) await script(url(VENDOR.vegaEmbed));
      const { expressionInterpreter } = await import(url(VENDOR.interpreter));
      if (!globalThis.vegaEmbed) throw new Error("Vega-Embed did not load");
      return { embed: globalThis.vegaEmbed, expr: expressionInterpreter };
    })();
  }
  return libraries;
}

function themeConfig() {
  const css = getComputedStyle(document.body);
  const fg = css.getPropertyValue("--md-default-fg-color").trim() || "#222";
  const muted = css.getPropertyValue("--md-default-fg-color--light").trim() || "#666";
  const grid = css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
  const font = css.getPropertyValue("--md-text-font-family").trim() || "sans-serif";
  return {
    background: null,
    font,
    view: { stroke: null },
    axis: { labelColor: muted, titleColor: fg, gridColor: grid, domainColor: muted, tickColor: muted, labelFontSize: 12, titleFontSize: 12 },
    legend: { labelColor: muted, titleColor: fg, labelFontSize: 12 },
    title: { color: fg },
    text: { color: fg },
    header: { labelColor: fg, titleColor: fg },
  };
}

/** @param {Entry} entry */
async function draw(entry) {
  const { embed, expr } = await load();
  if (!entry.el.isConnected) return;
  entry.view?.finalize();
  const spec = { ...entry.spec };
  delete spec.$schema;
  // vega-embed labels the element it draws into (role="graphics-document",
  // aria-label from the spec or "Vega visualization"): keep the page's own
  // role="img" and text alternative.
  const role = entry.el.getAttribute("role");
  const label = entry.el.getAttribute("aria-label");
  const result = await embed(entry.el, spec, {
    mode: "vega-lite", actions: false, renderer: "svg", ast: true, expr, config: themeConfig(), tooltip: false,
  });
  if (role) entry.el.setAttribute("role", role);
  if (label) entry.el.setAttribute("aria-label", label);
  entry.view = result.view;
  entry.el.dataset.rendered = "true";
  entry.el.dispatchEvent(new CustomEvent("pb:chart-rendered", { bubbles: true }));
}

// Charts are drawn when they come near the viewport: a page's charts below the
// fold cost nothing while Python starts (on a small machine the wasm compiler
// and Vega compete for the same cores), and charts nobody scrolls to are never drawn.
/** @type {Map<Element, () => void>} */
const waiting = new Map();
/** @type {IntersectionObserver | null} */
const nearView = "IntersectionObserver" in globalThis
  ? new IntersectionObserver((entries, observer) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      observer.unobserve(e.target);
      waiting.get(e.target)?.();
      waiting.delete(e.target);
    }
  }, { rootMargin: "400px 0px" })
  : null;

/**
 * Draw a Vega-Lite spec into `el` when it comes near the viewport (again on a palette change).
 * @param {HTMLElement} el
 * @param {Record<string, unknown>} spec
 * @returns {() => void} the cleanup
 */
export function embedChart(el, spec) {
  /** @type {Entry} */
  const entry = { el, spec, view: null };
  live.add(entry);
  const start = () => draw(entry).catch((err) => {
    el.dataset.rendered = "error";
    el.textContent = "The chart could not be drawn; its data is described next to it.";
    console.warn("chart:", err);
  });
  if (nearView) {
    waiting.set(el, start);
    nearView.observe(el);
  } else {
    start();
  }
  return () => {
    live.delete(entry);
    waiting.delete(el);
    nearView?.unobserve(el);
    entry.view?.finalize();
  };
}

/**
 * Draw a waiting chart now, wherever it is (a print needs the main chart: print.mjs).
 * @param {HTMLElement} el the chart's view
 */
export function drawNow(el) {
  const start = waiting.get(el);
  if (!start) return;
  waiting.delete(el);
  nearView?.unobserve(el);
  start();
}

// Redraw in the new palette when the reader switches light/dark.
new MutationObserver(() => live.forEach((entry) => entry.view && draw(entry).catch(() => {}))).observe(document.body, {
  attributes: true,
  attributeFilter: ["data-md-color-scheme"],
});
