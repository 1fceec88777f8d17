// CSV import. Spreadsheet exports (calculators' own included) write a cell that
// starts with = + - or @ with a leading ' so a spreadsheet shows it as text
// instead of running it as a formula; the import strips that quote again.

/**
 * Text -> list of rows (lists of cells), quotes and CRLF handled, blank lines dropped.
 * @param {unknown} text
 * @returns {string[][]}
 */
export function csvRows(text) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {string[]} */
  let row = [];
  let cell = "";
  let quoted = false;
  const s = String(text ?? "").replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

/**
 * One cell as read: the formula guard's ' removed, numbers as numbers.
 * @param {unknown} raw
 * @returns {string | number}
 */
export function csvValue(raw) {
  let v = String(raw ?? "").trim();
  if (/^'[=+\-@]/.test(v)) v = v.slice(1);
  return v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
}

// A CSV text with a header line -> {rows: [objects]} or {problem: text}.
// `columns`: the table's column names; the header must hold every required one
// and nothing else, or the whole file is refused.
/**
 * @param {unknown} text
 * @param {(string | {name: string, optional?: boolean})[] | null} [columns]
 * @returns {{rows?: Record<string, string | number>[], problem?: string}}
 */
export function parseCsv(text, columns = null) {
  const [header, ...body] = csvRows(text);
  if (!header) return { problem: "the file is empty" };
  const keys = header.map((k) => k.trim().replace(/^\uFEFF/, ""));
  if (columns) {
    const names = columns.map((c) => (typeof c === "string" ? c : c.name));
    const required = columns.filter((c) => typeof c === "string" || !c.optional).map((c) => (typeof c === "string" ? c : c.name));
    const unknown = keys.filter((k) => !names.includes(k));
    const missing = required.filter((k) => !keys.includes(k));
    if (unknown.length || missing.length) {
      return { problem: `its first line must be the header ${names.join(",")}` + (missing.length ? ` (missing: ${missing.join(", ")})` : "")
        + (unknown.length ? ` (not known: ${unknown.slice(0, 5).join(", ")})` : "") };
    }
    if (!body.length) return { problem: "it has a header but no rows" };
  }
  return { rows: body.map((r) => Object.fromEntries(keys.map((k, i) => [k, csvValue(r[i])]))) };
}
