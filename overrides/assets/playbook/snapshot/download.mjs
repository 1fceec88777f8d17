// Where a restore's bytes come from over the network: a download into a buffer of
// the announced size, checked against its sha256, and whether the HTTP cache has a file.

/**
 * The lowercase hex sha256 of some bytes (WebCrypto hashes on a thread of its own).
 * @param {BufferSource} buffer
 * @returns {Promise<string>}
 */
export async function sha256(buffer) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Fill `target` (the announced size) with the file at `url` as the bytes arrive (no
 * second copy of a 36 MB memory), then check it against its sha256.
 * @param {string} url
 * @param {Uint8Array<ArrayBuffer>} target
 * @param {string} expected the sha256 the pointer announces
 * @returns {Promise<Uint8Array<ArrayBuffer>>} `target`, filled and checked
 */
export async function fill(url, target, expected) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > target.length) throw new Error(`${url}: longer than announced`);
    target.set(value, at);
    at += value.length;
  }
  if (at !== target.length) throw new Error(`${url}: ${at} bytes, ${target.length} announced`);
  if ((await sha256(target)) !== expected) throw new Error(`${url}: checksum differs`);
  return target;
}

/**
 * Whether the browser's HTTP cache holds `url` (nothing is downloaded to find out).
 * @param {string} url
 * @returns {Promise<boolean>}
 */
export async function inCache(url) {
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (response.ok) {
      response.body?.cancel();
      return true;
    }
  } catch {
    /* not cached */
  }
  return false;
}
