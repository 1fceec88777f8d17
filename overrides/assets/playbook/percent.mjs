// Percent fields: the input holds a fraction (0-1); the page shows and accepts a
// percentage. One rule, the twin of calculators/forms.py:parse_percent (tests/js
// checks that both read every sample alike):
//   "90%" and "90" mean 90%; a number between 0 and 1 written with a decimal
//   point ("0.9", ".5", "0,9") is a fraction, also 90%; "1" means 1%.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The fraction a percent field's text means.
 * @param {unknown} text
 * @returns {number | null} null when the text is not a number (empty text: null)
 */
export function parsePercent(text) {
  let raw = typeof text === "string" ? text.trim().replace(/,/g, ".") : "";
  const hasSign = raw.endsWith("%");
  raw = raw.replace(/%+$/, "").trim();
  if (!raw || !NUMBER.test(raw)) return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  if (!hasSign && raw.includes(".") && value >= 0 && value <= 1) return value;
  return Number((value / 100).toFixed(12));
}

/**
 * A fraction as the page shows it: 0.9 -> "90", 0.125 -> "12.5" (no float noise).
 * @param {unknown} fraction
 * @returns {string} "" when it is not a finite number
 */
export function formatPercent(fraction) {
  if (typeof fraction !== "number" || !Number.isFinite(fraction)) return "";
  return String(Number((fraction * 100).toPrecision(12)));
}
