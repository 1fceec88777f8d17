// Draw view blocks (see calculators/view.py) with DOM calls. The build's
// pipeline/render.py writes the same elements for the prerendered result
// (tests/js/twins.test.mjs feeds both the same blocks and compares the HTML).
// Charts are drawn by ctx.embed(view, spec) -> cleanup, when the page passes it.
import { h, safeHref } from "./dom.mjs";

/**
 * A view block (calculators/view.py), as the JSON the page receives.
 * @typedef {{type: "summary" | "heading" | "paragraph", text: string}
 *   | {type: "metrics", items: {label: string, value: string, hint?: string}[]}
 *   | {type: "actions", items: string[]}
 *   | {type: "method", title: string, blocks: Block[]}
 *   | {type: "table", caption: string, columns: string[], rows: (string | number)[][]}
 *   | {type: "list", ordered?: boolean, items: string[]}
 *   | {type: "links", items: {href: string, text: string}[]}
 *   | {type: "notice", level?: string, text: string}
 *   | {type: "chart", chart: string, title?: string, alt: string, data: Record<string, unknown>}
 *   | DownloadBlock} Block
 */

/** @typedef {{type: "download", filename: string, label: string, content: string, mime?: string}} DownloadBlock */

/**
 * What drawing blocks needs from the page.
 * @typedef {object} BlockContext
 * @property {string} root the site's root, relative to the page (for links)
 * @property {Record<string, Record<string, unknown>>} [charts] chart templates by name (Vega-Lite specs without data)
 * @property {(view: HTMLElement, spec: Record<string, unknown>) => () => void} [embed] draws a chart, returns its cleanup
 * @property {(() => void)[]} cleanups the drawn charts' cleanups, run before the next draw
 */

/** @param {DownloadBlock} block */
function download(block) {
  const button = h("button", { type: "button", class: "md-button pb-download", "data-filename": block.filename, text: block.label });
  button.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([block.content], { type: block.mime || "application/octet-stream" }));
    const a = h("a", { href: url, download: block.filename });
    document.body.append(a);
    a.click();
    a.remove();
    // The browser reads the blob after this handler returns, later still on a busy
    // machine: revoking it after a second lost downloads under load (FileSaver.js waits 40 s).
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return h("p", { class: "pb-block pb-block--download" }, button);
}

/**
 * @param {Block} block
 * @param {BlockContext} ctx
 * @returns {HTMLElement}
 */
export function blockElement(block, ctx) {
  switch (block.type) {
    case "summary":
      return h("p", { class: "pb-block pb-block--summary", text: block.text });
    case "heading":
      return h("h3", { class: "pb-block pb-block--heading", text: block.text });
    case "paragraph":
      return h("p", { class: "pb-block pb-block--paragraph", text: block.text });
    case "metrics":
      return h("dl", { class: "pb-block pb-block--metrics" },
        block.items.map((i) => h("div", { class: "pb-metric" },
          h("dt", { class: "pb-metric__label", text: i.label }),
          h("dd", { class: "pb-metric__value", text: i.value }),
          i.hint ? h("dd", { class: "pb-metric__hint", text: i.hint }) : null)));
    case "actions":
      return h("section", { class: "pb-block pb-block--actions" },
        h("h3", { class: "pb-block__title", text: "What to do next" }),
        h("ul", {}, block.items.map((i) => h("li", { text: i }))));
    case "method":
      return h("details", { class: "pb-block pb-block--method" },
        h("summary", { text: block.title }),
        block.blocks.map((b) => blockElement(b, ctx)));
    case "table":
      return h("div", { class: "pb-block pb-block--table" },
        h("table", { tabindex: "0" }, // a wide table scrolls: keyboard users need to reach it
          h("caption", { text: block.caption }),
          h("thead", {}, h("tr", {}, block.columns.map((c) => h("th", { scope: "col", text: c })))),
          h("tbody", {}, block.rows.map((row) => h("tr", {}, row.map((v) => h("td", { text: v })))))));
    case "list":
      return h(block.ordered ? "ol" : "ul", { class: "pb-block pb-block--list" }, block.items.map((i) => h("li", { text: i })));
    case "links":
      return h("ul", { class: "pb-block pb-block--links" },
        block.items.map((i) => h("li", {}, h("a", { href: safeHref(ctx.root, i.href), text: i.text }))));
    case "notice":
      return h("p", { class: `pb-block pb-block--notice pb-block--${block.level === "warning" ? "warning" : "info"}`, text: block.text });
    case "chart": {
      const view = h("div", { class: "pb-chart__view", role: "img", "aria-label": block.alt });
      const fig = h("figure", { class: "pb-block pb-block--chart pb-chart", "data-chart": block.chart },
        block.title ? h("figcaption", { class: "pb-chart__caption", text: block.title }) : null,
        view,
        h("p", { class: "pb-chart__alt", text: block.alt }));
      const template = ctx.charts?.[block.chart];
      if (template && ctx.embed) ctx.cleanups.push(ctx.embed(view, { ...structuredClone(template), datasets: block.data }));
      return fig;
    }
    case "download":
      return download(block);
    default:
      return h("p", { class: "pb-block pb-block--notice pb-block--warning", text: `(unknown result block ${String(/** @type {{type: unknown}} */ (block).type).slice(0, 40)})` });
  }
}

/**
 * Replace `container`'s blocks (charts' cleanups run first).
 * @param {Element} container
 * @param {Block[]} blocks
 * @param {BlockContext} ctx
 */
export function renderBlocks(container, blocks, ctx) {
  ctx.cleanups.splice(0).forEach((fn) => fn());
  // A reader who opened "How this is computed" keeps it open across recomputes.
  const method = ":scope > .pb-block--method";
  const open = /** @type {HTMLDetailsElement | null | undefined} */ (container.querySelector?.(method))?.open === true;
  container.replaceChildren(...blocks.map((b) => blockElement(b, ctx)));
  if (open) container.querySelectorAll(method).forEach((d) => (/** @type {HTMLDetailsElement} */ (d).open = true));
}
