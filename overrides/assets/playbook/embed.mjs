// An embed page (embed/<name>/, written by pipeline/embed.py): the calculator alone in
// a frame. It tells the framing page its height, so the frame needs no scrollbar:
//   parent <- {type: "pb:embed-height", calculator: "timeline", height: 1234}
// (docs/deploying.md has the ten lines a host page needs), and keeps the link to the
// full page pointing at the reader's inputs (the share state in this page's address).

const main = /** @type {HTMLElement | null} */ (document.querySelector("[data-pb-embed]"));
const full = /** @type {HTMLAnchorElement | null} */ (document.querySelector("a[data-pb-full]"));

/** The height of the page's content, in CSS pixels. */
function height() {
  return Math.ceil(Math.max(document.documentElement.scrollHeight, main ? main.getBoundingClientRect().bottom + scrollY : 0));
}

let last = 0;
function post() {
  const value = height();
  if (value === last || parent === window) return;
  last = value;
  parent.postMessage({ type: "pb:embed-height", calculator: main?.dataset.pbEmbed || "", height: value }, "*");
}

/** The full page's address with this page's inputs (the fragment the calculator writes). */
function pointFull() {
  if (full) full.href = new URL(full.dataset.pbFull || "", location.href).href.split("#")[0] + location.hash;
}

if (main) {
  new ResizeObserver(post).observe(document.body);
  addEventListener("load", post);
  for (const type of ["pointerdown", "focus", "contextmenu"]) full?.addEventListener(type, pointFull);
  document.addEventListener("pb:result", pointFull, true);
  pointFull();
  post();
}
