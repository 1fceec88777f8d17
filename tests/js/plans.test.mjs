// Plans in the page (plans.mjs, planstore.mjs, files.mjs): a plan file's shapes go into the form's fields,
// a recorded forecast holds the numbers and the estimates, dates show in the reader's format, the store
// keeps named plans and reports a refused storage in words, and the CSV writer guards formulas.
import { test } from "node:test";
import assert from "node:assert/strict";
import { forecastRow, keptHistory, localDate, toField, toForm } from "../../overrides/assets/playbook/plans.mjs";
import { planStore, refusal } from "../../overrides/assets/playbook/planstore.mjs";
import { csvCell, tableCsv, timelineResultCsv } from "../../overrides/assets/playbook/files.mjs";
import { parseCsv } from "../../overrides/assets/playbook/csv.mjs";

const schema = [
  { type: "table", name: "tasks", label: "Tasks", columns: [{ type: "text", name: "id", label: "Id" }, { type: "text", name: "started", label: "Started" }, { type: "text", name: "remaining", label: "Remaining" }] },
  { type: "text", name: "deadline", label: "Deadline" },
  { type: "group", label: "People", fields: [{ type: "table", name: "capacity", label: "People", columns: [{ type: "text", name: "owner", label: "Person" }, { type: "number", name: "capacity", label: "Tasks at once" }] }] },
  { type: "group", label: "History", fields: [{ type: "table", name: "history", label: "Recorded", columns: [{ type: "text", name: "as_of", label: "Date" }, { type: "text", name: "tasks", label: "Estimates then" }] }] },
];

test("a plan file's numbers, lists and objects go into the form's text fields and tables", () => {
  const data = toForm(schema, {
    deadline: 20, capacity: { "ML engineer": 2 },
    tasks: [{ id: "a", started: 3, remaining: [1, 2, 4] }],
    history: [{ as_of: 2, tasks: { a: [1, 2, 3, 0.9, "todo"] } }],
  });
  assert.equal(data.deadline, "20");
  assert.deepEqual(data.capacity, [{ owner: "ML engineer", capacity: 2 }]);
  assert.deepEqual(data.tasks, [{ id: "a", started: "3", remaining: "1, 2, 4" }]);
  assert.deepEqual(data.history, [{ as_of: "2", tasks: '{"a":[1,2,3,0.9,"todo"]}' }]);
  assert.equal(toField({ type: "number", name: "x", label: "X" }, 3), 3);
});

test("a recorded forecast keeps the numbers, the note and each task's estimate", () => {
  const input = { start: "2027-01-04", tasks: [{ id: "a", optimistic: 1, most_likely: 2, pessimistic: 4, status: "done" }, { id: "b", optimistic: 2, most_likely: 3, pessimistic: 5, p_success: 0.8 }] };
  const result = { p_success: 0.8, p_by_deadline: 0.512, duration: { p50: 5.123, p85: 7.456 } };
  const row = forecastRow(input, result, " labels late ", new Date(2027, 1, 15));
  assert.deepEqual({ ...row, tasks: JSON.parse(row.tasks) }, {
    as_of: "2027-02-15", p_success: 0.8, p50: 5.12, p85: 7.46, p_by_deadline: 0.512, note: "labels late",
    tasks: { a: [1, 2, 4, 1, "done"], b: [2, 3, 5, 0.8, "todo"] },
  });
  assert.equal(forecastRow({ as_of: "6", tasks: [] }, result, "").as_of, "6");
  assert.equal(forecastRow({ tasks: [] }, result, "").as_of, "0");
  assert.deepEqual(keptHistory([{}, { note: "" }, { as_of: "1" }]), [{ as_of: "1" }]);
});

test("dates in the reader's own format", () => {
  assert.equal(localDate("2027-04-29", "en-GB"), "29 April 2027");
  assert.equal(localDate("2027-04-29", "en-US"), "April 29, 2027");
  assert.equal(localDate("2027-02-30", "en-GB"), "2027-02-30");
});

function memory() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)), items };
}

test("named plans: save, open, rename, duplicate, delete, and the current plan", () => {
  const store = planStore("timeline", memory());
  assert.deepEqual(store.current(), { ok: true, value: null });
  assert.equal(store.autosave({ tasks: [1] }).ok, true);
  assert.deepEqual(store.current().value, { tasks: [1] });
  const saved = store.save("  Plan A ", { tasks: [2] }).value;
  assert.equal(saved.name, "Plan A");
  const copy = store.duplicate(saved.id).value;
  assert.equal(copy.name, "Plan A (copy)");
  store.rename(copy.id, "Plan B");
  assert.deepEqual(store.list().value.map((p) => p.name).sort(), ["Plan A", "Plan B"]);
  assert.deepEqual(store.get(copy.id).value.input, { tasks: [2] });
  store.remove(saved.id);
  assert.deepEqual(store.list().value.map((p) => p.name), ["Plan B"]);
  assert.deepEqual(store.current().value, { tasks: [1] }, "named plans leave the current plan alone");
});

test("a storage the browser refuses is reported in words, never thrown", () => {
  const refuse = (name) => ({ getItem() { throw Object.assign(new Error("no"), { name }); }, setItem() { throw Object.assign(new Error("no"), { name }); } });
  const store = planStore("timeline", refuse("SecurityError"));
  const got = store.autosave({});
  assert.equal(got.ok, false);
  assert.match(got.why, /does not let the page store anything/);
  assert.match(planStore("timeline", refuse("QuotaExceededError")).save("x", {}).why, /full/);
  assert.match(planStore("timeline", null).current().why, /does not let/);
  assert.match(refusal(new Error("x")), /private window/);
});

test("the plan's CSV guards formulas and imports back; the result's CSV lists the tasks riskiest first", () => {
  assert.equal(csvCell("=SUM(A1)"), "'=SUM(A1)");
  assert.equal(csvCell('say "hi", then'), '"say ""hi"", then"');
  assert.equal(csvCell(["a", "b"]), '"a, b"');
  const table = { type: "table", name: "tasks", label: "Tasks", columns: [{ type: "text", name: "id", label: "Id" }, { type: "text", name: "name", label: "Name", optional: true }, { type: "number", name: "optimistic", label: "O" }] };
  const text = tableCsv(table, [{ id: "a", name: "- tidy up", optimistic: 2 }]);
  assert.deepEqual(parseCsv(text, table.columns).rows, [{ id: "a", name: "- tidy up", optimistic: 2 }]);
  const csv = timelineResultCsv({ unit: "weeks", tasks: [{ id: "a", name: "A", p_success: 1, importance: 3, criticality: 0.123456, p85_shift: 0, sinks: 0, risk_score: 0 }], duration: { p85: 5 }, duration_error: { p85: 0.1 } });
  assert.match(csv, /^rank,id,name/);
  assert.match(csv, /\n1,a,A,1,3,0.1235,0,0,0\n/);
  assert.match(csv, /\np85,5,0.1\n$/);
});
