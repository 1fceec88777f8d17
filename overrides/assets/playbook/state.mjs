// Share links: the whole input in the URL fragment as `#i=<base64url(JSON)>`
// (the same format as calculators/share.py). Parsed defensively: anything
// oversized or malformed is ignored with a notice, never executed or rendered.

export const MAX_FRAGMENT = 65_536;

/**
 * @param {unknown} data the calculator's input
 * @returns {string} the fragment, without "#"
 */
export function encodeState(data) {
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  let bin = "";
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return "i=" + btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * @param {unknown} hash the URL's fragment
 * @returns {{data?: Record<string, unknown>, notice?: string}} {data}, {notice}, or {} (nothing to read)
 */
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

/**
 * Put the input in the address bar's fragment (without a history entry), when it fits.
 * @param {unknown} data
 */
export function writeState(data) {
  const next = "#" + encodeState(data);
  if (next.length <= MAX_FRAGMENT && location.hash !== next) history.replaceState(history.state, "", next);
}
