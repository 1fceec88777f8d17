// Draw view blocks (see calculators/view.py) with DOM calls. The build's
// pipeline/render.py writes the same elements for the prerendered result
// (tests/js/twins.test.mjs feeds both the same blocks and compares the HTML).
// Charts are drawn by ctx.embed(view, spec) -> cleanup, when the page passes it.
import { h, safeHref } from "./dom.mjs";

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
      return h("p", { class: "pb-block pb-block--notice pb-block--warning", text: `(unknown result block ${String(block.type).slice(0, 40)})` });
  }
}

export function renderBlocks(container, blocks, ctx) {
  ctx.cleanups.splice(0).forEach((fn) => fn());
  // A reader who opened "How this is computed" keeps it open across recomputes.
  const open = container.querySelector?.(":scope > .pb-block--method")?.open === true;
  container.replaceChildren(...blocks.map((b) => blockElement(b, ctx)));
  if (open) container.querySelectorAll(":scope > .pb-block--method").forEach((d) => (d.open = true));
}
