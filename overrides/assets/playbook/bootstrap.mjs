// The playbook's one ES-module entry. It subscribes once to Material's
// document$ and mounts what it finds in each page: calculators
// ([data-calculator], calculator.mjs) and chapter charts (figure.pb-chart--chapter),
// after the fixes to Material's own markup (material.mjs). Each mount returns a
// cleanup, run when instant navigation swaps the page.
import { mountCalculator } from "./calculator.mjs";
import { embedChart } from "./charts.mjs";
import { fixMaterial } from "./material.mjs";

function mountChapterChart(figure) {
  try {
    const spec = JSON.parse(figure.querySelector(".pb-chart__spec").dataset.json);
    return embedChart(figure.querySelector(".pb-chart__view"), spec);
  } catch {
    return () => {};
  }
}

let mounted = [];
function mountAll() {
  fixMaterial();
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
