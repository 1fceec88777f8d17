// runtime.mjs: the status line and bar while Python loads, for an engine that
// reports download sizes to a worker (Chromium, Firefox) and for one that does
// not (WebKit gives its worker's resource entries 0 bytes).
import { test } from "node:test";
import assert from "node:assert/strict";

const { progressText, progressFraction, READY_TEXT } = await import("../../overrides/assets/playbook/runtime.mjs");
const MB = 1024 * 1024;

test("sizes known: how much of how much", () => {
  const s = { status: "loading", stage: "runtime", loaded: 6.5 * MB, total: 16 * MB, files: 4 };
  assert.equal(progressText(s), "Loading the calculator: 6.5 of 16 MB");
  assert.ok(progressFraction(s) > 0.3 && progressFraction(s) < 0.9);
});

test("no sizes reported: the size to expect, never '0.0 of'", () => {
  const s = { status: "loading", stage: "runtime", loaded: 0, total: 16 * MB, files: 7 };
  assert.equal(progressText(s), "Loading the calculator (16 MB)…");
  assert.doesNotMatch(progressText(s), /0\.0 of/);
});

test("starting Python and ready", () => {
  assert.equal(progressText({ status: "loading", stage: "import", loaded: 0, total: 0 }), "Starting the calculator: almost ready…");
  assert.equal(progressText({ status: "ready" }), READY_TEXT);
  assert.equal(progressFraction({ status: "ready" }), 1);
});
