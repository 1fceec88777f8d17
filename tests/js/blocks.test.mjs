// blocks.mjs (the page) and pipeline/render.py (the build) draw the same view
// blocks as the same elements: every block every calculator's examples emit,
// and one of each type with hostile text, incl. the actions and method blocks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { installFakeDom, treeOf } from "./fakedom.mjs";
import { python } from "./python.mjs";

installFakeDom();
const { blockElement } = await import("../../overrides/assets/playbook/blocks.mjs");

const HOSTILE = `<img src=x onerror="alert(1)"> & 'quotes' "double" </p>`;
const EVERY_TYPE = [
  { type: "summary", text: `An 8% chance. ${HOSTILE}` },
  { type: "heading", text: HOSTILE },
  { type: "paragraph", text: HOSTILE },
  { type: "metrics", items: [{ label: "Finish", value: "17 weeks", hint: HOSTILE }, { label: HOSTILE, value: "<b>1</b>" }] },
  { type: "actions", items: ["Split the riskiest task.", HOSTILE] },
  { type: "table", caption: HOSTILE, columns: ["a", "<th>"], rows: [["1", HOSTILE], ["", "&amp;"]] },
  { type: "list", ordered: true, items: ["one", HOSTILE] },
  { type: "list", ordered: false, items: ["one"] },
  { type: "links", items: [{ text: HOSTILE, href: "chapters/roles/#who" }] },
  { type: "notice", level: "warning", text: HOSTILE },
  { type: "notice", level: "info", text: "fine" },
  { type: "chart", chart: "timeline_finish", data: {}, alt: HOSTILE, title: HOSTILE },
  { type: "chart", chart: "x", data: {}, alt: "no title", title: "" },
  { type: "download", label: "Download (CSV)", filename: "a\"b.csv", mime: "text/csv", content: "x" },
  {
    type: "method", title: "How this is computed",
    blocks: [
      { type: "paragraph", text: "P85 = the 85th percentile." },
      { type: "list", ordered: false, items: ["Chow, 1970", HOSTILE] },
      { type: "table", caption: "Parameters", columns: ["name", "value"], rows: [["trials", "2000"]] },
      { type: "links", items: [{ text: "Managing", href: "chapters/managing/" }] },
    ],
  },
];

// The build writes a download button disabled (it works once the page's script runs).
function live(tree) {
  if (!Array.isArray(tree)) return tree;
  const [tag, attrs, ...children] = tree;
  const a = { ...attrs };
  if (tag === "button" && (a.class || "").includes("pb-download")) delete a.disabled;
  return [tag, a, ...children.map(live)];
}

function compare(blocks, root) {
  const want = python({ do: "blocks_tree", blocks, root });
  blocks.forEach((block, i) => {
    const got = treeOf(blockElement(block, { root, charts: {}, cleanups: [] }));
    assert.deepEqual([got], want[i].map(live), `block ${i} (${block.type}) differs between blocks.mjs and render.py`);
  });
}

test("every block type is drawn alike by blocks.mjs and render.py", () => {
  compare(EVERY_TYPE, "../../");
  compare(EVERY_TYPE, "");
});

test("the blocks every calculator emits for its examples are drawn alike", () => {
  const blocks = python({ do: "calculator_blocks" });
  assert.ok(blocks.length > 0);
  compare(blocks, "../../");
});
