// Tiny DOM builder: text goes in with textContent, never as HTML.

/**
 * A child h() appends: a node, text, or a (nested) list of them; null, undefined and false are skipped.
 * @typedef {Node | string | number | boolean | null | undefined | Child[]} Child
 */

/**
 * An element with attributes ("class", "text" for textContent, "on<event>" for a listener,
 * an element's own property for a non-string value, else an attribute) and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "text") el.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key in el && typeof value !== "string") /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of /** @type {unknown[]} */ (children).flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Site-relative link targets only: no scheme, no protocol-relative URLs.
 * @param {string} root the site's root, relative to the page
 * @param {string} href
 * @returns {string} the link, or "#" when it is not allowed
 */
export function safeHref(root, href) {
  return /^(\.\.\/|\.\/)*[A-Za-z0-9_./-]*(#[A-Za-z0-9_-]*)?$/.test(href) && !href.startsWith("//") ? root + href : "#";
}
