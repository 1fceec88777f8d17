// Rules written twice, once in the page and once in Python: the safe-link rule
// (dom.mjs safeHref / calculators/view.py links) and the percent rule
// (percent.mjs / calculators/forms.py parse_percent). Both must agree on every sample.
import { test } from "node:test";
import assert from "node:assert/strict";
import { safeHref } from "../../overrides/assets/playbook/dom.mjs";
import { formatPercent, parsePercent } from "../../overrides/assets/playbook/percent.mjs";
import { python } from "./python.mjs";

const HREFS = ["chapters/roles/", "../index.html", "./a#b", "calculators/timeline/#i-x", "", "#top", "glossary.html#ml",
  "https://evil.example/", "//evil.example/x", "javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "a b",
  "chapters/roles/?q=1", "a#b#c", "..\\windows", "mailto:x@y", "chapters/%2e%2e/", "a\nb", "/absolute/path"];

test("the safe-link rule: the page and Python accept and refuse the same links", () => {
  const py = python({ do: "safe_href", hrefs: HREFS });
  HREFS.forEach((href, i) => {
    const page = safeHref("../", href) !== "#";
    assert.equal(page, py[i], `${JSON.stringify(href)}: page ${page}, Python ${py[i]}`);
  });
  assert.equal(safeHref("../../", "chapters/roles/"), "../../chapters/roles/");
  assert.equal(safeHref("", "javascript:alert(1)"), "#");
});

const TEXTS = ["90", "90%", "0.9", " 12.5 % ", "1", "1.0", "0", "0.0", "100", "100%", ".5", "0,9", "12,5%", "5e1",
  "-5", "-0.5", "1.5", "150", "0.05%", "abc", "", "   ", "%", "9 0", "90%%", "1e400", "0x10", "+20", "00.9"];

test("the percent rule: the page reads what a person types as Python does", () => {
  const py = python({ do: "percent", texts: TEXTS });
  TEXTS.forEach((text, i) => assert.equal(parsePercent(text), py[i], `${JSON.stringify(text)}`));
});

test("the percent rule as documented: 90, 90% and 0.9 all mean 90%; 1 means 1%", () => {
  for (const t of ["90", "90%", "0.9", " 90 % "]) assert.equal(parsePercent(t), 0.9, t);
  assert.equal(parsePercent("1"), 0.01);
  assert.equal(parsePercent("abc"), null);
  assert.equal(parsePercent(""), null);
});

test("a fraction is shown as the percentage that reads back to it", () => {
  for (const f of [0, 0.01, 0.1, 0.125, 0.3, 0.9, 0.999, 1, 0.07]) {
    assert.equal(parsePercent(formatPercent(f)), f, `${f} -> ${formatPercent(f)}`);
  }
  assert.equal(formatPercent(0.07), "7");
  assert.equal(formatPercent(NaN), "");
});
