// @ts-check
/// <reference lib="webworker" />
// The playbook's service worker: the site offline after a first visit.
// The build (pipeline/offline.py) writes it to the site's root as sw.js, after
// `const MANIFEST = {...}`: every file of this version of the site with its
// sha256, size and tier (shell, pages, runtime). Files are kept in one cache
// keyed by their content hash, so a file a new version did not change is never
// downloaded again, and each download is checked against its hash: a file from
// another version of the site is never stored under this one.
//
// - install: store the shell (the offline page and what it links); on an update,
//   also every tier the reader had stored before, so nothing goes missing offline.
//   A first install takes over at once; an update waits (skipWaiting only when
//   a page asks: offline.mjs does on the reader's next navigation or "Reload").
// - fetch: a file of this version from the cache, else the network; a page that
//   is not stored and cannot be fetched gets the offline page.
// - Never mixing: pages open when an update took over keep the previous
//   version's files (kept until those pages are gone); a page fetched from the
//   network that is not this version's (a deploy newer than this worker) gets
//   all its files from the network, and the worker checks for its update.
// - message {type: "store", calculator}: store the pages, and the runtime when
//   the site is small (MANIFEST.eager) or the reader has opened a calculator.

/** @typedef {[string, number, string]} Entry  sha256 ("" = not checked), bytes, tier */
/** @typedef {{version: string, files: Record<string, Entry>, bytes: Record<string, number>, eager: boolean, offline: string}} Manifest */
/** @typedef {{version: string, clients: Set<string>, files: Record<string, Entry>}} Previous */

/* global MANIFEST */
(() => {
  /** @type {Manifest} */
  // @ts-ignore: declared by the build above this code
  const M = MANIFEST;
  const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
  const SCOPE = new URL("./", sw.location.href).href;
  const FILES = "pb-offline-files";
  const META = "pb-offline-meta";
  /** @type {Set<string>} pages fetched from the network that are not this version's */
  const passthrough = new Set();
  let queue = Promise.resolve();
  let busy = 0;
  let progress = { done: 0, total: 0 };
  let lastError = "";

  /**
   * The cache key of a file: its content hash (or, for an unchecked file, its version and path).
   * @param {string} path @param {Entry} entry @param {string} [version]
   */
  const keyOf = (path, entry, version = M.version) => `${SCOPE}__pb/${entry[0] || `${version}/${path}`}`;

  /** @param {string} url @returns {string} the path inside the site ("chapters/roles/index.html") */
  function pathOf(url) {
    const u = new URL(url);
    let path = decodeURIComponent(u.pathname.slice(new URL(SCOPE).pathname.length));
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  }

  /** @param {string} name */
  async function readMeta(name) {
    const hit = await (await caches.open(META)).match(`${SCOPE}__pb/meta/${name}`);
    return hit ? hit.json() : null;
  }

  /** @param {string} name @param {unknown} value */
  async function writeMeta(name, value) {
    const body = JSON.stringify(value);
    await (await caches.open(META)).put(`${SCOPE}__pb/meta/${name}`, new Response(body, { headers: { "content-type": "application/json" } }));
  }

  /** @returns {Promise<Previous | null>} */
  async function readPrevious() {
    const previous = await readMeta("previous");
    if (!previous) return null;
    const files = await readMeta(`manifest-${previous.version}`);
    return files ? { version: previous.version, clients: new Set(previous.clients), files } : null;
  }
  let previousState = readPrevious();
  /** @type {Previous | null | undefined} the same, once read (undefined: not read yet) */
  let previousKnown;
  const track = () => previousState.then((p) => (previousKnown = p));
  track();

  /** @param {ArrayBuffer} buffer */
  async function sha256(buffer) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
    return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** @param {Headers} headers: the server's, minus those that describe the transfer */
  function kept(headers) {
    const out = new Headers(headers);
    for (const name of ["content-encoding", "content-length", "transfer-encoding"]) out.delete(name);
    return out;
  }

  /** Download one file of this version and check its hash (revalidated, then from the server itself). @param {string} path @param {Entry} entry */
  async function fetchChecked(path, entry) {
    const url = SCOPE + path.split("/").map(encodeURIComponent).join("/");
    for (const mode of /** @type {RequestCache[]} */ (["no-cache", "reload"])) {
      const response = await fetch(url, { cache: mode, credentials: "same-origin" });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const body = await response.arrayBuffer();
      if (!entry[0] || (await sha256(body)) === entry[0]) return new Response(body, { headers: kept(response.headers) });
    }
    throw new Error(`${path} on the server is not this version's`);
  }

  /** @returns {Promise<Record<string, unknown>>} what offline.mjs shows */
  async function currentStatus() {
    const stored = (await readMeta(`stored-${M.version}`)) || {};
    return {
      type: "pb-offline", version: M.version, storing: busy > 0, progress, error: lastError, eager: M.eager,
      bytes: M.bytes, stored: { pages: Boolean(stored.pages), runtime: Boolean(stored.runtime) },
    };
  }

  async function broadcast() {
    const message = await currentStatus();
    for (const client of await sw.clients.matchAll({ type: "window" })) client.postMessage(message);
  }

  // The memory snapshot and its files image serve only a restore, which only Chromium does (the
  // same test as snapshot/pointer.mjs): other engines never read them, so they are not stored there
  // (tens of MB a Firefox or Safari reader would download for nothing).
  const SNAPSHOT_ONLY = /\/(snapshot|files)-[^/]+\.bin$/;
  const restores = Boolean(/** @type {any} */ (sw.navigator)?.userAgentData?.brands?.some(
    (/** @type {{brand: string}} */ b) => b.brand === "Chromium"));

  /** Store every file of these tiers that is not stored yet, one at a time. @param {string[]} tiers */
  async function storeNow(tiers) {
    const cache = await caches.open(FILES);
    const todo = Object.entries(M.files).filter(([path, e]) => tiers.includes(e[2]) && (restores || !SNAPSHOT_ONLY.test(path)));
    progress = { done: 0, total: todo.reduce((n, [, e]) => n + e[1], 0) };
    let reported = 0;
    for (const [path, entry] of todo) {
      const key = keyOf(path, entry);
      if (!(await cache.match(key))) await cache.put(key, await fetchChecked(path, entry));
      progress.done += entry[1];
      if (progress.done - reported > 2e6 || progress.done === progress.total) {
        reported = progress.done;
        await broadcast();
      }
    }
    const stored = (await readMeta(`stored-${M.version}`)) || {};
    await writeMeta(`stored-${M.version}`, {
      pages: stored.pages || tiers.includes("pages"), runtime: stored.runtime || tiers.includes("runtime"),
    });
  }

  /** Queue a store; errors are kept for the status line. @param {string[]} tiers */
  function store(tiers) {
    busy += 1;
    const run = queue.then(() => storeNow(tiers)).then(() => {
      lastError = "";
    }, (err) => {
      lastError = String(err && err.message || err);
      throw err;
    }).finally(() => {
      busy -= 1;
      return broadcast();
    });
    queue = run.catch(() => {});
    return run;
  }

  /** The tiers the reader asked for, for this version. @param {boolean} calculator */
  async function storeFor(calculator) {
    const wanted = (await readMeta("wanted")) || {};
    const runtime = M.eager || calculator || Boolean(wanted.runtime);
    await writeMeta("wanted", { pages: true, runtime });
    await store(runtime ? ["shell", "pages", "runtime"] : ["shell", "pages"]).catch(() => {});
  }

  /** Delete what neither this version nor a page still open on the previous one uses; old caches too. */
  async function prune() {
    const previous = await previousState;
    const keep = new Set(Object.entries(M.files).map(([p, e]) => keyOf(p, e)));
    const versions = new Set([M.version]);
    if (previous) {
      const open = await Promise.all([...previous.clients].map((id) => sw.clients.get(id)));
      if (open.some(Boolean)) {
        versions.add(previous.version);
        for (const [p, e] of Object.entries(previous.files)) keep.add(keyOf(p, e, previous.version));
      } else {
        await (await caches.open(META)).delete(`${SCOPE}__pb/meta/previous`);
        previousState = Promise.resolve(null);
        track();
      }
    }
    const files = await caches.open(FILES);
    for (const request of await files.keys()) if (!keep.has(request.url)) await files.delete(request);
    const meta = await caches.open(META);
    for (const request of await meta.keys()) {
      const m = /\/meta\/(?:manifest|stored)-(.+)$/.exec(request.url);
      if (m && !versions.has(m[1])) await meta.delete(request);
    }
    for (const name of await caches.keys()) if (name.startsWith("pb-offline") && name !== FILES && name !== META) await caches.delete(name);
  }

  sw.addEventListener("install", (event) => event.waitUntil((async () => {
    await writeMeta(`manifest-${M.version}`, M.files);
    const wanted = (await readMeta("wanted")) || {};
    const saveData = /** @type {any} */ (navigator).connection?.saveData === true;
    const tiers = ["shell", ...(wanted.pages && !saveData ? ["pages"] : []), ...(wanted.runtime && !saveData ? ["runtime"] : [])];
    await store(tiers);
    if (!sw.registration.active) await sw.skipWaiting(); // a first install: no page of another version to mix with
  })()));

  sw.addEventListener("activate", (event) => event.waitUntil((async () => {
    const current = await readMeta("current");
    if (current && current.version !== M.version) {
      // The pages open now were loaded with the previous version: they keep its files.
      const open = await sw.clients.matchAll({ type: "window" });
      await writeMeta("previous", { version: current.version, clients: open.map((c) => c.id) });
      previousState = readPrevious();
      track();
    }
    await writeMeta("current", { version: M.version });
    await prune();
    if (!current) await sw.clients.claim(); // the first visit's page is of this version
  })()));

  /** The offline page, at the address the reader asked for (a <base> keeps its links right). */
  async function offlinePage() {
    const entry = M.files[M.offline];
    const hit = entry && (await caches.match(keyOf(M.offline, entry), { cacheName: FILES }));
    if (!hit) return Response.error();
    // Rendered at the site's root: its relative addresses (links, Material's "base", the palette's scope) point there.
    const text = (await hit.text())
      .replace("<head>", `<head><base href="${SCOPE}">`)
      .replace('"base": "."', `"base": ${JSON.stringify(SCOPE)}`)
      .replace('data-scope="."', `data-scope="${SCOPE}"`);
    return new Response(text, { status: 503, statusText: "Offline", headers: kept(hit.headers) });
  }

  /** @param {FetchEvent} event @param {string} path */
  async function answer(event, path) {
    const request = event.request;
    // A navigation's clientId is the page it leaves: the new page is resultingClientId, of this version.
    const client = request.mode === "navigate" ? "" : event.clientId;
    if (passthrough.has(client)) return fetch(request);
    const previous = await previousState;
    const prev = client && previous && previous.clients.has(client) ? previous : null;
    const files = prev ? prev.files : M.files;
    const entry = files[path];
    if (entry) {
      const hit = await caches.match(keyOf(path, entry, prev ? prev.version : M.version), { cacheName: FILES });
      if (hit) return hit;
    }
    try {
      const response = await fetch(request);
      if (request.mode !== "navigate" || !entry || !entry[0] || !response.ok || prev) return response;
      // A page from the network: this version's (store it) or a newer deploy's (its files from the network too).
      const body = await response.arrayBuffer();
      const fresh = new Response(body, { status: response.status, statusText: response.statusText, headers: kept(response.headers) });
      if ((await sha256(body)) === entry[0]) {
        await (await caches.open(FILES)).put(keyOf(path, entry), fresh.clone());
      } else {
        passthrough.add(event.resultingClientId);
        sw.registration.update().catch(() => {});
      }
      return fresh;
    } catch (err) {
      if (request.mode === "navigate") return offlinePage();
      throw err;
    }
  }

  sw.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
    const path = pathOf(request.url);
    if (path === "sw.js") return;
    if (path in M.files || request.mode === "navigate" || passthrough.has(event.clientId)) {
      event.respondWith(answer(event, path));
    } else if (previousKnown === undefined || previousKnown?.clients.has(event.clientId)) {
      // Not a file of this version: a page still open on the previous one may want it.
      event.respondWith(previousState.then((p) => (p && p.clients.has(event.clientId) ? answer(event, path) : fetch(request))));
    }
  });

  sw.addEventListener("message", (event) => {
    const data = event.data || {};
    const source = /** @type {Client | null} */ (event.source);
    if (data.type === "activate") {
      event.waitUntil(sw.skipWaiting());
    } else if (data.type === "status") {
      event.waitUntil(currentStatus().then((m) => source?.postMessage(m)));
    } else if (data.type === "store") {
      event.waitUntil(storeFor(Boolean(data.calculator)));
    } else if (data.type === "available") {
      event.waitUntil((async () => {
        const cache = await caches.open(FILES);
        const pages = Object.entries(M.files).filter(([p]) => p.endsWith(".html"));
        const stored = [];
        for (const [path, entry] of pages) if (await cache.match(keyOf(path, entry))) stored.push(path);
        source?.postMessage({ type: "pb-offline-available", paths: stored });
      })());
    }
  });
})();
