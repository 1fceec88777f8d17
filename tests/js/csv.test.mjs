// CSV import (csv.mjs): quoting, line ends, the header check that refuses a
// wrong file whole, and the round trip of a calculator's own CSV export (whose
// cells starting with = + - @ carry a leading ' so spreadsheets do not run them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { csvRows, csvValue, parseCsv } from "../../overrides/assets/playbook/csv.mjs";
import { python } from "./python.mjs";
import { tableCsv } from "../../overrides/assets/playbook/files.mjs";

test("quotes, commas, doubled quotes, CRLF, a BOM and blank lines", () => {
  const text = '\uFEFFid,name\r\n"a","Label, clean ""gold"" data"\r\n\r\nb,"two\nlines"\n';
  assert.deepEqual(csvRows(text), [["id", "name"], ["a", 'Label, clean "gold" data'], ["b", "two\nlines"]]);
});

test("the formula guard is stripped on import; other quotes stay", () => {
  assert.equal(csvValue("'-risky"), "-risky");
  assert.equal(csvValue("'=SUM(A1)"), "=SUM(A1)");
  assert.equal(csvValue("'+1"), 1);
  assert.equal(csvValue("'@home"), "@home");
  assert.equal(csvValue("'quoted'"), "'quoted'");
  assert.equal(csvValue(" 2.5 "), 2.5);
  assert.equal(csvValue(""), "");
});

test("a file with the wrong header is refused whole, naming the expected header", () => {
  const columns = [{ name: "id" }, { name: "name", optional: true }, { name: "weeks" }];
  assert.deepEqual(parseCsv("id,weeks\na,2\n", columns), { rows: [{ id: "a", weeks: 2 }] });
  const wrong = parseCsv("task,duration\na,2\n", columns);
  assert.match(wrong.problem, /header id,name,weeks/);
  assert.match(wrong.problem, /missing: id, weeks/);
  assert.match(wrong.problem, /not known: task, duration/);
  assert.match(parseCsv("", columns).problem, /empty/);
  assert.match(parseCsv("id,weeks\n", columns).problem, /no rows/);
});

test("each calculator's own CSV export imports back to the rows it came from, leading '-' included", () => {
  const exports = python({ do: "plan_exports" }).map((e) => ({ ...e, csv: tableCsv(e.table, e.rows) }));
  assert.ok(exports.length > 0, "no calculator exports its table as CSV");
  assert.ok(exports.some((e) => /^'[-=@]/m.test(e.csv.split("\n").slice(1).join("\n").replace(/,/g, "\n"))),
    "the export should hold a guarded cell (a text starting with - = or @)");
  for (const { calculator, table, csv, rows } of exports) {
    const parsed = parseCsv(csv, table.columns);
    assert.equal(parsed.problem, undefined, `${calculator}: ${parsed.problem}`);
    assert.equal(parsed.rows.length, rows.length);
    parsed.rows.forEach((got, i) => {
      for (const col of table.columns) {
        const want = rows[i][col.name];
        if (want === undefined) continue;
        const value = Array.isArray(want) ? want.join(", ") : want;
        assert.equal(got[col.name], value, `${calculator} row ${i + 1} ${col.name}`);
      }
    });
  }
});

test("a name starting with '-' survives the export and the import", () => {
  const exports = python({ do: "plan_exports" }).map((e) => ({ ...e, csv: tableCsv(e.table, e.rows) }));
  for (const { table, csv } of exports) {
    const text = csv.split("\n")[0] + "\n" + table.columns.map((c) => (c.name === "name" ? "'- tidy up" : "")).join(",") + "\n";
    const parsed = parseCsv(text, table.columns);
    if (table.columns.some((c) => c.name === "name")) assert.equal(parsed.rows[0].name, "- tidy up");
  }
});
