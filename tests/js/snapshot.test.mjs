// The snapshot's pure parts: the first visit's link-speed policy (snapshot/policy.mjs),
// the measured rate it reads, the files image a restore unpacks (snapshot/restore.mjs),
// and the function-table signature the maker and the restore compare (snapshot/format.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, measuredRate, SAVED_SECONDS } from "../../overrides/assets/playbook/snapshot/policy.mjs";
import { unpackImage } from "../../overrides/assets/playbook/snapshot/restore.mjs";
import { tableDigest, tableSignature } from "../../overrides/assets/playbook/snapshot/format.mjs";
import { sha256 } from "../../overrides/assets/playbook/snapshot/download.mjs";

const MB = 1_000_000;
const fastLink = { effectiveType: "4g", downlink: 10, rtt: 25, saveData: false };

test("Save-Data and slow links never fetch the snapshot, whatever the measure says", () => {
  const rate = 1000 * MB * 8; // a measure that alone would say yes
  assert.deepEqual(decide({ link: { ...fastLink, saveData: true }, rate, extraBytes: MB }), { use: false, why: "save-data" });
  for (const effectiveType of ["slow-2g", "2g", "3g"]) {
    assert.deepEqual(decide({ link: { ...fastLink, effectiveType }, rate, extraBytes: MB }), { use: false, why: "slow link" });
  }
});

test("a measured rate decides when the download takes less time than the restore saves", () => {
  const extraBytes = 10 * MB; // 80 Mbit
  const needed = (extraBytes * 8) / SAVED_SECONDS; // bit/s at which it takes exactly SAVED_SECONDS
  const faster = decide({ link: undefined, rate: needed * 1.01, extraBytes });
  assert.equal(faster.use, true);
  assert.match(faster.why, /^measured \d+ Mbit\/s$/);
  // At the break-even rate or below, the measure does not say yes (and no link estimate is known).
  assert.equal(decide({ link: undefined, rate: needed, extraBytes }).use, false);
  assert.equal(decide({ link: undefined, rate: needed / 2, extraBytes }).use, false);
});

test("without a measure, only Chromium's fastest class with a short round trip counts as fast", () => {
  const extraBytes = 30 * MB;
  assert.equal(decide({ link: fastLink, rate: 0, extraBytes }).use, true);
  assert.equal(decide({ link: { ...fastLink, downlink: 9.9 }, rate: 0, extraBytes }).use, false);
  assert.equal(decide({ link: { ...fastLink, rtt: 51 }, rate: 0, extraBytes }).use, false);
  assert.equal(decide({ link: { ...fastLink, rtt: 0 }, rate: 0, extraBytes }).use, false, "rtt 0 means unknown");
  assert.deepEqual(decide({ link: undefined, rate: 0, extraBytes }), { use: false, why: "navigator.connection unknown" });
  // A slow measure does not veto a fast estimate: the measure shares the link, so it errs low.
  assert.equal(decide({ link: fastLink, rate: 1 * MB, extraBytes }).use, true);
});

test("the measured rate counts network downloads only, over their receive time", () => {
  const entry = (transferSize, encodedBodySize, responseStart, responseEnd) =>
    /** @type {PerformanceResourceTiming} */ ({ transferSize, encodedBodySize, responseStart, responseEnd });
  assert.equal(measuredRate([]), 0);
  // From the HTTP cache (transferSize 0) or too small to tell: not counted.
  assert.equal(measuredRate([entry(0, 5 * MB, 0, 100), entry(30_000, 20_000, 0, 1)]), 0);
  // 1 MB in 100 ms and 3 MB in 300 ms: 4 MB in 0.4 s = 80 Mbit/s.
  const rate = measuredRate([entry(MB, MB, 10, 110), entry(3 * MB, 3 * MB, 200, 500), entry(0, 9 * MB, 0, 1)]);
  assert.equal(rate, 80 * MB);
});

/** A files image as pipeline/snapshot.py:files_image writes it. */
function image(files) {
  const body = files.map(([, text]) => new TextEncoder().encode(text));
  const head = new TextEncoder().encode(JSON.stringify(files.map(([name], i) => [name, body[i].length])));
  const out = new Uint8Array(4 + head.length + body.reduce((n, b) => n + b.length, 0));
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + head.length;
  for (const b of body) out.set(b, at), (at += b.length);
  return out.buffer;
}

test("the files image unpacks into its files, and a damaged one is refused", () => {
  const buffer = image([["numpy/__init__.py", "import os\n"], ["calculators/api.py", "x = 1\n"], ["empty.txt", ""]]);
  const files = unpackImage(buffer);
  assert.deepEqual(files.map((f) => [f.name, new TextDecoder().decode(f.data)]),
    [["numpy/__init__.py", "import os\n"], ["calculators/api.py", "x = 1\n"], ["empty.txt", ""]]);
  assert.throws(() => unpackImage(buffer.slice(0, buffer.byteLength - 1)), /truncated/);
  const longer = new Uint8Array(buffer.byteLength + 1);
  longer.set(new Uint8Array(buffer));
  assert.throws(() => unpackImage(longer.buffer), /trailing bytes/);
});

test("a function table's signature names each slot by function and arity, and its digest is the sha256 of its JSON", async () => {
  function one(a) { return a; }
  function two(a, b) { return a + b; }
  const slots = [null, one, two, null];
  const table = /** @type {WebAssembly.Table} */ (/** @type {unknown} */ ({ length: slots.length, get: (i) => slots[i] }));
  const signature = tableSignature(table);
  assert.deepEqual(signature, [null, "one/1", "two/2", null]);
  assert.equal(await tableDigest(signature), await sha256(new TextEncoder().encode(JSON.stringify(signature))));
  assert.equal(await sha256(new TextEncoder().encode("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
