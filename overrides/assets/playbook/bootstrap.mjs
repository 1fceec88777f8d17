// The playbook's one ES-module entry. It subscribes once to Material's
// document$ and mounts what it finds in each page: calculators
// ([data-calculator], calculator.mjs) and chapter charts (figure.pb-chart--chapter),
// after the fixes to Material's own markup (material.mjs). Each mount returns a
// cleanup, run when instant navigation swaps the page.
import { mountCalculator } from "./calculator.mjs";
import { embedChart } from "./charts.mjs";
import { fixMaterial } from "./material.mjs";
import { mountOffline } from "./offline.mjs";
import { mountPrint } from "./print.mjs";

/**
 * @param {Element} figure a chapter chart's figure
 * @returns {() => void} the cleanup
 */
function mountChapterChart(figure) {
  try {
    const spec = JSON.parse(/** @type {HTMLElement} */ (figure.querySelector(".pb-chart__spec")).dataset.json || "");
    return embedChart(/** @type {HTMLElement} */ (figure.querySelector(".pb-chart__view")), spec);
  } catch {
    return () => {};
  }
}

/** @type {(() => void)[]} */
const mounted = [];
/** @type {Element | null} */
let mountedOn = null;
function mountAll() {
  // Once per page: Material's document$ repeats the page the playbook already
  // mounted when its bundle arrives late (material/late.js); instant navigation
  // brings a new article.
  const article = document.querySelector("article") || document.body;
  if (article === mountedOn) return;
  mountedOn = article;
  fixMaterial();
  mounted.splice(0).forEach((fn) => fn());
  document.querySelectorAll("[data-calculator]").forEach((el) => {
    const root = /** @type {HTMLElement} */ (el);
    mounted.push(mountCalculator(root), mountPrint(root));
  });
  document.querySelectorAll("figure.pb-chart--chapter").forEach((el) => mounted.push(mountChapterChart(el)));
  mounted.push(mountOffline()); // the offline line and the offline page's links (issue 25)
}

// Material's bundle may run before this module or after the page has loaded.
const followMaterial = () => globalThis.document$?.subscribe?.(() => mountAll());
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll, { once: true });
else mountAll();
if (globalThis.document$?.subscribe) followMaterial();
else document.addEventListener("pb:material", () => {
  followMaterial();
  fixMaterial(); // the widgets Material adds when it runs
}, { once: true });
