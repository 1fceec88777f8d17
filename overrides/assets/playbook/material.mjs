// Accessibility fixes to Material for MkDocs' own markup, run on every page
// (the header survives instant navigation; the content is swapped).

// Material leaves two widgets in its header without a name (axe-core:
// aria-dialog-name, aria-progressbar-name).
function nameMaterialWidgets() {
  document.querySelector(".md-search[role=dialog]:not([aria-label])")?.setAttribute("aria-label", "Search");
  document.querySelector(".md-progress[role=progressbar]:not([aria-label])")?.setAttribute("aria-label", "Loading the page");
}

// A table wider than the page scrolls sideways: let the keyboard reach it too,
// and mark it so the stylesheet can show a scroll cue.
function focusableScrollers() {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])"))) {
    if (el.scrollWidth > el.clientWidth + 1) {
      el.tabIndex = 0;
      el.setAttribute("role", "group");
      el.setAttribute("aria-label", el.querySelector("caption")?.textContent || "Table (scrolls sideways)");
    }
  }
}

export function fixMaterial() {
  nameMaterialWidgets();
  focusableScrollers();
  wireSearchForms();
}

// The 404 page's search box hands its words to Material's search dialog.
export function wireSearchForms() {
  for (const form of /** @type {NodeListOf<HTMLFormElement>} */ (document.querySelectorAll("form[data-pb-search]:not([data-wired])"))) {
    form.dataset.wired = "";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = form.querySelector("input")?.value || "";
      const toggle = /** @type {HTMLInputElement | null} */ (document.getElementById("__search"));
      const input = /** @type {HTMLInputElement | null} */ (document.querySelector(".md-search__input"));
      if (!toggle || !input) return;
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      input.value = query;
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    });
  }
}
