// Share links: state.mjs (the page) and calculators/share.py read the same
// link the same way, and each reads what the other writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeState, encodeState, MAX_FRAGMENT } from "../../overrides/assets/playbook/state.mjs";
import { python } from "./python.mjs";

const SAMPLES = [
  { answers: { who_does_ml: "research_group" }, target: "ml_first" },
  { tasks: [{ id: "a", name: "Étiqueter les données — 日本語 ✓", optimistic: 1.5, depends_on: ["b", "c"] }], seed: 0 },
  { text: "<script>alert(1)</script>&i=evil#frag", n: -0.000123, big: 1e21, flag: false, none: null },
  {},
];

test("a link the page writes decodes to the same input in Python, and back", () => {
  const links = SAMPLES.map((d) => "https://example.org/calculators/x/#" + encodeState(d));
  const py = python({ do: "share_decode", links });
  py.forEach((answer, i) => assert.deepEqual(answer, { data: SAMPLES[i] }));
  const pyLinks = python({ do: "share_encode", data: SAMPLES });
  pyLinks.forEach((frag, i) => {
    assert.equal(frag, encodeState(SAMPLES[i]), "both sides write the very same fragment");
    assert.deepEqual(decodeState("#" + frag), { data: SAMPLES[i] });
  });
});

test("damaged links are refused by both, with a notice on the page", () => {
  const bad = ["#i=!!!!", "#i=" + Buffer.from("[1,2]").toString("base64url"), "#i=" + Buffer.from("{nope").toString("base64url"),
    "#i=" + Buffer.from([0xff, 0xfe, 0x7b]).toString("base64url")];
  const py = python({ do: "share_decode", links: bad });
  bad.forEach((link, i) => {
    assert.ok(decodeState(link).notice, `the page reads ${link}`);
    assert.ok(py[i].error, `Python reads ${link}: ${JSON.stringify(py[i])}`);
  });
});

test("no fragment means nothing to read; an oversized one is refused unread", () => {
  assert.deepEqual(decodeState(""), {});
  assert.deepEqual(decodeState("#section-2"), {});
  const huge = "#i=" + "A".repeat(MAX_FRAGMENT + 1);
  assert.match(decodeState(huge).notice, /over the limit/);
});
