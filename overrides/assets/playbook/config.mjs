// A calculator root's two pieces of build-written data: its page config (form
// schema, examples, prerendered view; in a hidden element's data-json) and its
// runtime options (one data-runtime attribute, read the same way by early.js).

export function readConfig(root) {
  try {
    return JSON.parse(root.querySelector(":scope > .pb-calc__config").dataset.json);
  } catch {
    return null;
  }
}

// -> {indexURL, lockURL, workerURL, wheelURL, cdn, expectBytes}, URLs absolute.
export function runtimeOptions(root) {
  const raw = JSON.parse(root.dataset.runtime || "{}");
  const url = (u) => (u ? new URL(u, location.href).href : "");
  return {
    indexURL: url(raw.indexURL), lockURL: url(raw.lockURL), workerURL: url(raw.workerURL),
    wheelURL: url(raw.wheelURL), cdn: raw.cdn === true, expectBytes: Number(raw.expectBytes || 0),
  };
}
