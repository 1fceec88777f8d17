// The little of the DOM that dom.mjs and blocks.mjs use, enough to run them in
// Node without a browser or a dependency. Elements turn into the same tree
// shape as tests/js/twin.py makes of Python's HTML: [tag, {attrs}, ...children].

class FakeNode {}

class FakeText extends FakeNode {
  constructor(text) {
    super();
    this.data = String(text);
  }
}

class FakeElement extends FakeNode {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.childNodes = [];
    this.listeners = {};
  }
  setAttribute(k, v) {
    this.attributes.set(k, String(v));
  }
  getAttribute(k) {
    return this.attributes.has(k) ? this.attributes.get(k) : null;
  }
  removeAttribute(k) {
    this.attributes.delete(k);
  }
  set className(v) {
    this.setAttribute("class", v);
  }
  get className() {
    return this.getAttribute("class") ?? "";
  }
  set textContent(v) {
    this.childNodes = [new FakeText(v)];
  }
  get textContent() {
    return this.childNodes.map((c) => (c instanceof FakeText ? c.data : c.textContent)).join("");
  }
  append(...nodes) {
    for (const n of nodes) this.childNodes.push(n instanceof FakeNode ? n : new FakeText(n));
  }
  replaceChildren(...nodes) {
    this.childNodes = [];
    this.append(...nodes);
  }
  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }
  querySelector() {
    return null;
  }
  querySelectorAll() {
    return [];
  }
}

export function installFakeDom() {
  globalThis.Node = FakeNode;
  globalThis.document = {
    createElement: (tag) => new FakeElement(tag),
    createTextNode: (text) => new FakeText(text),
  };
}

// Element -> [tag, {attrs}, ...children] (adjacent text merged, blank text dropped).
export function treeOf(node) {
  if (node instanceof FakeText) return node.data;
  const out = [node.tagName.toLowerCase(), Object.fromEntries(node.attributes)];
  for (const child of node.childNodes) {
    const t = treeOf(child);
    if (typeof t === "string") {
      if (!t.trim()) continue;
      if (typeof out.at(-1) === "string" && out.length > 2) out[out.length - 1] += t;
      else out.push(t);
    } else out.push(t);
  }
  return out;
}
