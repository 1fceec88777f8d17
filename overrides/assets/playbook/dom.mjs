// Tiny DOM builder: text goes in with textContent, never as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Site-relative link targets only: no scheme, no protocol-relative URLs.
export function safeHref(root, href) {
  return /^(\.\.\/|\.\/)*[A-Za-z0-9_\-./]*(#[A-Za-z0-9_\-]*)?$/.test(href) && !href.startsWith("//") ? root + href : "#";
}
