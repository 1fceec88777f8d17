// Tracker import (tracker.mjs): each fixture's headers are guessed as the tool names them, the rows
// become tasks with owners, statuses and dependencies, and the three-point rule and the point rate hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { csvRows } from "../../overrides/assets/playbook/csv.mjs";
import { convert, guessMapping, guessUnit, mapStatus, toPlanUnit } from "../../overrides/assets/playbook/tracker.mjs";

const fixture = (name) => csvRows(readFileSync(new URL(`../fixtures/trackers/${name}`, import.meta.url), "utf8"));
const settings = (unit, extra = {}) => ({ unit, rate: 1, spread: [0.75, 1, 2], planUnit: "weeks", ...extra });

test("Jira: keys, time estimates in seconds, both link directions and the epic", () => {
  const rows = fixture("jira.csv");
  const mapping = guessMapping(rows[0]);
  assert.deepEqual(mapping, {
    title: "Summary", key: "Issue key", estimate: "Original Estimate", status: "Status", assignee: "Assignee",
    blocked_by: "Inward issue link (Blocks)", blocks: "Outward issue link (Blocks)", parent: "Parent",
  });
  assert.equal(guessUnit(mapping.estimate), "seconds");
  const { tasks } = convert(rows, mapping, settings("seconds"));
  const by = Object.fromEntries(tasks.map((t) => [t.id, t]));
  assert.equal(by["CHURN-1"].most_likely, 0.4); // 57,600 s = 16 h = 2 working days = 0.4 weeks
  assert.equal(by["CHURN-1"].status, "done");
  assert.equal(by["CHURN-2"].status, "doing");
  assert.deepEqual(by["CHURN-2"].depends_on, ["CHURN-1"]);
  assert.deepEqual(by["CHURN-4"].depends_on, ["CHURN-3"]); // CHURN-3 blocks CHURN-4
  assert.deepEqual(by["CHURN-5"].depends_on.sort(), ["CHURN-1", "CHURN-2", "CHURN-3", "CHURN-4"]);
  assert.equal(by["CHURN-3"].owner, "Chen Li");
});

test("GitHub Projects: the URL is the key, a parent issue waits for its sub-issues, the first assignee owns it", () => {
  const rows = fixture("github-projects.csv");
  const mapping = guessMapping(rows[0]);
  assert.equal(mapping.key, "URL");
  assert.equal(mapping.parent, "Parent issue");
  const { tasks } = convert(rows, mapping, settings(guessUnit(mapping.estimate), { rate: 0.5 }));
  const by = Object.fromEntries(tasks.map((t) => [t.id, t]));
  assert.deepEqual(Object.keys(by), ["acme/churn#10", "acme/churn#11", "acme/churn#12", "acme/churn#13"]);
  assert.deepEqual(by["acme/churn#10"].depends_on, ["acme/churn#11", "acme/churn#12", "acme/churn#13"]);
  assert.equal(by["acme/churn#12"].owner, "ana-silva");
  assert.deepEqual([by["acme/churn#13"].optimistic, by["acme/churn#13"].most_likely, by["acme/churn#13"].pessimistic], [1.88, 2.5, 5]);
});

test("Linear: blocked-by links, a canceled issue is dropped, a missing estimate is said", () => {
  const rows = fixture("linear.csv");
  const mapping = guessMapping(rows[0]);
  assert.equal(mapping.blocked_by, "Blocked by");
  const { tasks, notes } = convert(rows, mapping, settings("points"));
  const by = Object.fromEntries(tasks.map((t) => [t.id, t]));
  assert.equal(by["ENG-25"].status, "dropped");
  assert.equal(by["ENG-24"].status, undefined);
  assert.deepEqual(by["ENG-24"].depends_on, ["ENG-23"]);
  assert.ok(notes.some((n) => /Took/.test(n)));
});

test("statuses, units and the spread", () => {
  assert.deepEqual(["To Do", "Backlog", "In Review", "Closed", "Won't Do"].map(mapStatus), ["todo", "todo", "doing", "done", "dropped"]);
  assert.equal(toPlanUnit(40, settings("hours")), 1);
  assert.equal(toPlanUnit(5, settings("days", { planUnit: "working_days" })), 5);
  assert.equal(toPlanUnit(3, settings("points", { rate: 0.5 })), 1.5);
});
