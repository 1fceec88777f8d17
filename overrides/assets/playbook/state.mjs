// Share links: the whole input in the URL fragment as `#i=<base64url(JSON)>`
// (the same format as calculators/share.py). Parsed defensively: anything
// oversized or malformed is ignored with a notice, never executed or rendered.

export const MAX_FRAGMENT = 65_536;

export function encodeState(data) {
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  let bin = "";
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return "i=" + btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// -> {data} | {notice} | {} (nothing to read)
export function decodeState(hash) {
  const frag = String(hash || "").replace(/^#/, "");
  if (!frag.startsWith("i=")) return {};
  if (frag.length > MAX_FRAGMENT) {
    return { notice: `The link's inputs are ${frag.length.toLocaleString()} characters long, over the limit of ${MAX_FRAGMENT.toLocaleString()}; the example inputs are shown instead.` };
  }
  try {
    const b64 = frag.slice(2).split("&")[0].replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    const data = JSON.parse(text);
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("not an object");
    return { data };
  } catch {
    return { notice: "The inputs in this link could not be read (the link is damaged or was not made by this page); the example inputs are shown instead." };
  }
}

export function writeState(data) {
  const next = "#" + encodeState(data);
  if (next.length <= MAX_FRAGMENT && location.hash !== next) history.replaceState(history.state, "", next);
}

// Rows of a CSV text with a header line -> list of objects (numbers parsed).
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.some((c) => c.trim() !== ""));
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((key, i) => {
    const raw = (r[i] ?? "").trim();
    const k = key.trim();
    return [k, raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw];
  })));
}
