// One calculator page in headless Firefox, driven by puppeteer-core over WebDriver BiDi.
// Run by tests/browser/test_other_engines.py:
//   node firefox.mjs '{"puppeteer": DIR, "firefox": PATH, "url": URL, "root": SELECTOR,
//                      "field": SELECTOR, "value": TEXT, "result": SELECTOR, "expect": TEXT, "timeout": MS}'
// Opens URL, scrolls the calculator (root) into view, waits until its data-state is
// ready or error, then types `value` into `field` (or clicks it, when `value` is null: a
// radio answer) and waits until `result` reads `expect` (skipped when `field` is empty).
// Prints one JSON object on stdout; the test asserts on it.
import { createRequire } from "node:module";
import { join } from "node:path";

const args = JSON.parse(process.argv[2]);
const out = { engine: "firefox", console: [], pageErrors: [] };
const { default: puppeteer } = await import(createRequire(join(args.puppeteer, "package.json")).resolve("puppeteer-core"));

const clean = (s) => (s || "").replace(/\s+/g, " ").trim();
let browser = null;
try {
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: args.firefox,
    headless: true,
    protocol: "webDriverBiDi",
    timeout: 60_000,
  });
  out.version = await browser.version();
  const page = await browser.newPage();
  page.setDefaultTimeout(args.timeout);
  page.on("console", (m) => out.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => out.pageErrors.push(String((e && e.message) || e)));
  const started = Date.now();
  await page.goto(args.url, { waitUntil: "load" });
  await page.$eval(args.root, (el) => el.scrollIntoView({ block: "center" })); // Python starts when it is seen
  const state = await page.waitForFunction(
    (sel) => /^(ready|error)$/.test(document.querySelector(sel)?.dataset.state || "") && document.querySelector(sel).dataset.state,
    { polling: 100, timeout: args.timeout },
    args.root,
  );
  out.state = await state.jsonValue();
  out.readySeconds = (Date.now() - started) / 1000;
  out.status = await page.$eval(args.root, (el) => el.querySelector(".pb-calc__status")?.textContent || "");
  out.status = clean(out.status);
  if (out.state === "ready" && args.field) {
    out.before = clean(await page.$eval(args.result, (el) => el.textContent));
    const computed = await page.$eval(args.root, (el) => Number(el.dataset.computed || 0));
    const field = await page.$(args.field);
    if (field === null) throw new Error(`no field ${args.field}`);
    // A field in a closed section cannot be clicked (by a reader either): open its sections first.
    await field.evaluate((el) => {
      for (let d = el.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
      el.scrollIntoView({ block: "center" });
    });
    await field.click();
    if (args.value !== null) {
      // Select what is there and type over it, as a reader does.
      await page.keyboard.down("Control");
      await page.keyboard.press("a");
      await page.keyboard.up("Control");
      await page.keyboard.press("Backspace");
      await field.type(args.value);
      out.typed = await field.evaluate((el) => el.value);
    }
    const typedAt = Date.now();
    try {
      await page.waitForFunction(
        (sel, want, n) => {
          const root = document.querySelector(sel.root);
          const text = (document.querySelector(sel.result)?.textContent || "").replace(/\s+/g, " ").trim();
          return Number(root.dataset.computed || 0) > n && text === want;
        },
        { polling: 100, timeout: args.timeout },
        { root: args.root, result: args.result },
        args.expect,
        computed,
      );
      out.shown = args.expect;
    } catch (err) {
      out.shown = clean(await page.$eval(args.result, (el) => el.textContent));
      out.waitError = String(err.message || err);
    }
    out.computeSeconds = (Date.now() - typedAt) / 1000;
    out.hash = await page.evaluate(() => location.hash);
  }
} catch (err) {
  out.error = String((err && err.stack) || err);
} finally {
  await browser?.close().catch(() => {});
}
process.stdout.write(JSON.stringify(out) + "\n");
