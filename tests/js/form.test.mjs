// The form asks for one computation per edit: a control's "change" that follows its own
// "input" carries nothing new (it used to compute again and redraw the result under the
// reader's next click), while a "change" with no "input" before it still computes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { installFakeDom } from "./fakedom.mjs";

installFakeDom();
const { buildForm } = await import("../../overrides/assets/playbook/form.mjs");

/** Call the form's own listeners for `type`, as the browser would for an event from `target`. */
function fire(form, type, target) {
  for (const listener of form.el.listeners[type] ?? []) listener({ type, target });
}

test("an edit computes once: input then change on the same control", () => {
  let calls = 0;
  const form = buildForm([], () => calls++);
  const cell = {};
  fire(form, "input", cell);
  assert.equal(calls, 1);
  fire(form, "change", cell);
  assert.equal(calls, 1, "the change after the control's own input is not a new edit");
  fire(form, "input", cell);
  fire(form, "input", cell);
  fire(form, "change", cell);
  assert.equal(calls, 3, "each keystroke is an edit; the change on leaving the field is not");
});

test("a change with no input before it still computes, once per change", () => {
  let calls = 0;
  const form = buildForm([], () => calls++);
  const cell = {};
  const select = {};
  fire(form, "input", cell);
  fire(form, "change", select);
  assert.equal(calls, 2, "another control's change is its own edit");
  fire(form, "change", cell);
  fire(form, "change", cell);
  assert.equal(calls, 3, "a second change with no input since computes again");
});
