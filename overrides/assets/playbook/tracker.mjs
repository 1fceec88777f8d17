// Import from a tracker: a CSV export of Jira, GitHub Projects or Linear becomes
// the plan's tasks. The columns are guessed from the headers and shown in a
// mapping step the reader can correct, with a preview of the plan before it
// replaces anything; the import can be undone (the toolbar's notice). The pure
// part (guess, convert) is separate from the panel, and tested with node.
import { h } from "./dom.mjs";
import { csvRows } from "./csv.mjs";

/** @typedef {Record<string, any>} Json */
/** @typedef {"title" | "key" | "estimate" | "status" | "assignee" | "blocked_by" | "blocks" | "parent"} Target */
/** @typedef {Partial<Record<Target, string>>} Mapping  target -> header (every column with that header) */
/**
 * @typedef {object} Settings
 * @property {string} unit  what the estimate column counts: "weeks", "days", "hours", "seconds" or "points"
 * @property {number} rate  plan units per story point
 * @property {[number, number, number]} spread  optimistic, most likely and pessimistic as multiples of the estimate
 * @property {string} planUnit  the plan's time unit ("weeks", "working_days", "days", ...)
 */

/** The columns a plan can take from a tracker, with the headers each tool uses for them. */
export const TARGETS = /** @type {{target: Target, label: string, pattern: RegExp}[]} */ ([
  { target: "title", label: "Title", pattern: /^(summary|title|name|issue title)$/i },
  { target: "key", label: "Key or id", pattern: /^(issue key|key|id|identifier|issue|number|issue number|url)$/i },
  { target: "estimate", label: "Estimate", pattern: /^(original estimate|estimate|story points|custom field \(story points\)|points|size|time estimate)$/i },
  { target: "status", label: "Status", pattern: /^(status|state)$/i },
  { target: "assignee", label: "Assignee", pattern: /^(assignee|assignees|owner)$/i },
  { target: "blocked_by", label: "Is blocked by", pattern: /^(inward issue link \(blocks\)|blocked by|is blocked by|depends on)$/i },
  { target: "blocks", label: "Blocks", pattern: /^(outward issue link \(blocks\)|blocks|blocking)$/i },
  { target: "parent", label: "Parent", pattern: /^(parent|parent key|parent id|parent issue|parent summary)$/i },
]);

/** Rules that turn one estimate e into three points, as the reader picks them. */
export const SPREADS = /** @type {{label: string, spread: [number, number, number]}[]} */ ([
  { label: "0.75×, 1×, 2× (the usual: tasks run late more than early)", spread: [0.75, 1, 2] },
  { label: "0.5×, 1×, 3× (research-heavy work)", spread: [0.5, 1, 3] },
  { label: "0.9×, 1×, 1.5× (well-known work)", spread: [0.9, 1, 1.5] },
]);

/**
 * The first header that fits each target (Jira's "Issue key" before its "Issue id").
 * @param {string[]} headers
 * @returns {Mapping}
 */
export function guessMapping(headers) {
  /** @type {Mapping} */
  const out = {};
  for (const { target, pattern } of TARGETS) {
    const found = headers.find((hd) => pattern.test(hd.trim()) && !Object.values(out).includes(hd));
    if (found) out[target] = found;
  }
  return out;
}

/**
 * What the estimate column counts, guessed from its header: Jira's time estimates are in seconds,
 * story points and Linear's estimates are points.
 * @param {string | undefined} header
 * @returns {string}
 */
export function guessUnit(header) {
  if (!header) return "points";
  if (/original estimate|time estimate/i.test(header)) return "seconds";
  if (/hour/i.test(header)) return "hours";
  if (/day/i.test(header)) return "days";
  if (/week/i.test(header)) return "weeks";
  return "points";
}

/**
 * One estimate in the plan's unit.
 * @param {number} value
 * @param {Settings} s
 * @returns {number}
 */
export function toPlanUnit(value, s) {
  const perWeek = { weeks: 1, working_days: 5, days: 7 }[s.planUnit] ?? 1;
  const workDay = s.planUnit === "days" ? 1.4 : perWeek / 5; // a working day, in the plan's unit
  switch (s.unit) {
    case "points": return value * s.rate;
    case "seconds": return (value / 3600 / 8) * workDay;
    case "hours": return (value / 8) * workDay;
    case "days": return value * workDay;
    default: return value * perWeek;
  }
}

/**
 * A tracker's status in the plan's words.
 * @param {string} raw
 * @returns {"todo" | "doing" | "done" | "dropped"}
 */
export function mapStatus(raw) {
  const s = String(raw || "").trim();
  if (/cancel|won.?t|duplicate|dropped|declined|invalid/i.test(s)) return "dropped";
  if (/done|closed|resolved|complete|merged|shipped|released/i.test(s)) return "done";
  if (/progress|doing|review|started|active|testing/i.test(s)) return "doing";
  return "todo";
}

const round = (/** @type {number} */ x) => Math.round(x * 100) / 100;

/**
 * An issue's key as links name it: a GitHub issue's URL becomes "owner/repo#12", as its "Parent issue" cell says.
 * @param {string} raw
 * @returns {string}
 */
export function issueKey(raw) {
  const s = String(raw || "").trim();
  const gh = /^https?:\/\/github\.com\/([^/]+\/[^/]+)\/(?:issues|pull)\/(\d+)/.exec(s);
  return gh ? `${gh[1]}#${gh[2]}` : s;
}
const splitKeys = (/** @type {string} */ cell) => String(cell || "").split(/[,;\s]+/).map((k) => k.trim()).filter(Boolean);

/**
 * A tracker's CSV rows as the plan's tasks.
 * @param {string[][]} rows  the header first
 * @param {Mapping} mapping
 * @param {Settings} settings
 * @returns {{tasks: Json[], notes: string[]}}
 */
export function convert(rows, mapping, settings) {
  const [header, ...body] = rows;
  const cols = (/** @type {Target} */ t) => (mapping[t] ? header.flatMap((hd, i) => (hd === mapping[t] ? [i] : [])) : []);
  const cell = (/** @type {string[]} */ row, /** @type {Target} */ t) => cols(t).map((i) => row[i] ?? "").filter((x) => x.trim() !== "");
  /** @type {Json[]} */
  const tasks = [];
  const ids = new Map(); // tracker key -> task id
  const seen = new Set();
  let unestimated = 0;
  body.forEach((row, n) => {
    const rawKey = issueKey(cell(row, "key")[0] || `t${n + 1}`);
    let id = rawKey.replace(/[,\s]+/g, "-").slice(0, 40) || `t${n + 1}`;
    while (seen.has(id)) id = `${id.slice(0, 36)}-${n + 1}`;
    seen.add(id);
    ids.set(rawKey, id);
    const title = (cell(row, "title")[0] || id).slice(0, 200);
    const raw = Number(String(cell(row, "estimate")[0] || "").replace(",", "."));
    const e = Number.isFinite(raw) && raw > 0 ? toPlanUnit(raw, settings) : 0;
    if (!e) unestimated++;
    const base = e || 1;
    const [fo, fm, fp] = settings.spread;
    /** @type {Json} */
    const task = { id, name: title, optimistic: round(base * fo), most_likely: round(base * fm), pessimistic: round(base * fp) };
    const owner = cell(row, "assignee")[0];
    if (owner) task.owner = owner.split(/[,;]/)[0].trim().slice(0, 60);
    const status = mapStatus(cell(row, "status")[0] || "");
    if (status !== "todo") task.status = status;
    if (status === "done") task.actual = task.most_likely;
    if (status === "dropped") task.required = false; // a cancelled issue is not something the project needs
    if (status === "doing") task.started = "0";
    task._blockedBy = cell(row, "blocked_by").flatMap(splitKeys);
    task._blocks = cell(row, "blocks").flatMap(splitKeys);
    task._parent = cell(row, "parent").flatMap(splitKeys);
    tasks.push(task);
  });
  let outside = 0;
  const byId = new Map(tasks.map((t) => [t.id, t]));
  /** @type {(key: string) => string | undefined} */
  const known = (key) => {
    const id = ids.get(issueKey(key));
    if (!id) outside++;
    return id;
  };
  for (const t of tasks) t.depends_on = [];
  for (const t of tasks) {
    for (const k of t._blockedBy) { const d = known(k); if (d && d !== t.id) t.depends_on.push(d); }
    for (const k of t._blocks) { const d = known(k); const other = d && byId.get(d); if (other && d !== t.id) other.depends_on.push(t.id); }
    for (const k of t._parent) { const d = known(k); const parent = d && byId.get(d); if (parent && d !== t.id) parent.depends_on.push(t.id); }
  }
  for (const t of tasks) {
    t.depends_on = [...new Set(t.depends_on)];
    delete t._blockedBy; delete t._blocks; delete t._parent;
  }
  const notes = [];
  if (unestimated) notes.push(`${unestimated} ${unestimated === 1 ? "issue has" : "issues have"} no estimate: each is set to 1 ${settings.planUnit.replace("_", " ")} at most likely; check them.`);
  if (outside) notes.push(`${outside} ${outside === 1 ? "link points" : "links point"} to issues outside the file and ${outside === 1 ? "is" : "are"} left out.`);
  if (tasks.some((t) => t.status === "done")) notes.push("A done issue takes its estimate as what it took; correct Took where you know better.");
  if (tasks.some((t) => t.status === "doing")) notes.push("Issues in progress start at week 0 and today is week 0: set Today and each Started to re-forecast.");
  return { tasks, notes };
}

/**
 * The tracker panel: file -> mapping step (correctable) -> preview -> replace (undoable).
 * @param {{form: {read: () => Json}, apply: (data: Json) => void, toolbar: {notice: (t: string, l?: string, u?: Json | null) => void}, maxRows: number}} ctx
 * @returns {HTMLElement}
 */
export function trackerPanel(ctx) {
  const file = /** @type {HTMLInputElement} */ (h("input", { type: "file", accept: ".csv,text/csv", class: "pb-tracker__file", "aria-label": "Tracker CSV file" }));
  const body = h("div", { class: "pb-tracker__body" });
  const panel = h("details", { class: "pb-group pb-tracker" }, h("summary", { text: "Import from a tracker (Jira, GitHub Projects, Linear)" }),
    h("p", { class: "pb-field__help", text: "Export your issues as CSV from the tracker, then choose the file. Nothing leaves your browser." }),
    file, body);
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > 2_000_000) return ctx.toolbar.notice(`${f.name} was not read: it is larger than 2 MB.`);
    const rows = csvRows(await f.text());
    if (rows.length < 2) return ctx.toolbar.notice(`${f.name} was not read: it needs a header line and at least one issue.`);
    mappingStep(rows, f.name);
  });

  /** @param {string[][]} rows @param {string} fileName */
  function mappingStep(rows, fileName) {
    const headers = [...new Set(rows[0].map((x) => x.trim()))];
    rows[0] = rows[0].map((x) => x.trim());
    const mapping = guessMapping(headers);
    const planUnit = String(ctx.form.read().unit || "weeks");
    /** @type {Settings} */
    const settings = { unit: guessUnit(mapping.estimate), rate: 1, spread: SPREADS[0].spread, planUnit };
    const selects = TARGETS.map(({ target, label }) => {
      const sel = /** @type {HTMLSelectElement} */ (h("select", { "data-target": target, "aria-label": `Column for ${label}` },
        h("option", { value: "", text: "(none)" }), headers.map((hd) => h("option", { value: hd, text: hd }))));
      sel.value = mapping[target] || "";
      sel.addEventListener("change", () => { mapping[target] = sel.value || undefined; if (target === "estimate") { settings.unit = guessUnit(sel.value); unitSel.value = settings.unit; } preview(); });
      return h("label", { class: "pb-tracker__map" }, h("span", { text: label }), sel);
    });
    const unitSel = /** @type {HTMLSelectElement} */ (h("select", { "aria-label": "The estimate counts" },
      [["points", "story points"], ["hours", "hours"], ["days", "working days"], ["weeks", "weeks"], ["seconds", "seconds (Jira's time estimates)"]]
        .map(([v, t]) => h("option", { value: v, text: t }))));
    unitSel.value = settings.unit;
    const rate = /** @type {HTMLInputElement} */ (h("input", { type: "number", min: "0.01", step: "any", value: "1", "aria-label": `${planUnit.replace("_", " ")} per story point` }));
    const spread = /** @type {HTMLSelectElement} */ (h("select", { "aria-label": "From one estimate to three" }, SPREADS.map((s, i) => h("option", { value: String(i), text: s.label }))));
    unitSel.addEventListener("change", () => { settings.unit = unitSel.value; preview(); });
    rate.addEventListener("input", () => { settings.rate = Number(rate.value) > 0 ? Number(rate.value) : 1; preview(); });
    spread.addEventListener("change", () => { settings.spread = SPREADS[Number(spread.value)].spread; preview(); });
    const rule = h("p", { class: "pb-tracker__rule" });
    const table = h("div", { class: "pb-tracker__preview" });
    const replace = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "md-button md-button--primary pb-tracker__replace" }));
    const cancel = h("button", { type: "button", class: "md-button pb-tracker__cancel", text: "Cancel" });
    /** @type {Json[]} */
    let tasks = [];
    function preview() {
      const made = convert(rows, mapping, settings);
      tasks = made.tasks.slice(0, ctx.maxRows);
      const [o, m, p] = settings.spread;
      rule.textContent = `Each estimate e becomes optimistic ${o}e, most likely ${m}e, pessimistic ${p}e` +
        (settings.unit === "points" ? `; one story point is ${settings.rate} ${planUnit.replace("_", " ")}.` : `, in ${planUnit.replace("_", " ")}.`) +
        (made.notes.length ? ` ${made.notes.join(" ")}` : "") +
        (made.tasks.length > ctx.maxRows ? ` Only the first ${ctx.maxRows} issues are kept.` : "");
      const cols = ["Id", "Name", "Optimistic", "Most likely", "Pessimistic", "Owner", "Status", "Depends on"];
      table.replaceChildren(h("table", { class: "pb-table" }, h("caption", { text: `The plan from ${fileName} (first 12 of ${tasks.length})` }),
        h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col", text: c })))),
        h("tbody", {}, tasks.slice(0, 12).map((t) => h("tr", {}, [t.id, t.name, t.optimistic, t.most_likely, t.pessimistic, t.owner || "", t.status || "todo", t.depends_on.join(", ")]
          .map((v) => h("td", { text: String(v) })))))));
      replace.textContent = `Replace the plan's tasks with these ${tasks.length}`;
      replace.disabled = !mapping.title && !mapping.key;
    }
    replace.addEventListener("click", () => {
      const before = ctx.form.read();
      /** @type {Json} */
      const next = { ...before, tasks };
      if (tasks.some((t) => t.status === "doing") && (before.as_of === undefined || before.as_of === "")) next.as_of = "0";
      ctx.apply(next);
      body.replaceChildren();
      ctx.toolbar.notice(`Imported ${tasks.length} tasks from ${fileName}.`, "info", before);
    });
    cancel.addEventListener("click", () => body.replaceChildren());
    body.replaceChildren(
      h("p", { class: "pb-tracker__step", text: "Check which column is which (guessed from the headers), then the preview." }),
      h("div", { class: "pb-tracker__maps" }, selects),
      h("div", { class: "pb-tracker__settings" },
        h("label", {}, h("span", { text: "The estimate counts " }), unitSel),
        h("label", {}, h("span", { text: ` ${planUnit.replace("_", " ")} per story point ` }), rate),
        h("label", {}, h("span", { text: " From one estimate to three " }), spread)),
      rule, table, replace, " ", cancel);
    preview();
  }
  return panel;
}
