#!/bin/sh
# Make sure a Chromium the browser tests can drive exists; print its path.
# Order: PLAYWRIGHT_CHROMIUM, a system Chromium/Chrome, Debian's chromium via apt
# (when running as root), then Playwright's own download (where it can reach it).
set -u
for c in "${PLAYWRIGHT_CHROMIUM:-}" chromium chromium-browser google-chrome-stable google-chrome; do
  [ -n "$c" ] || continue
  p=$(command -v "$c" 2>/dev/null) && { echo "$p"; exit 0; }
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "[browser] installing Debian's chromium with apt-get (once)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 \
    && p=$(command -v chromium) && { echo "$p"; exit 0; }
fi
if [ -x .venv/bin/playwright ]; then
  echo "[browser] no system Chromium; trying 'playwright install chromium'..." >&2
  .venv/bin/playwright install chromium >&2 && { echo "playwright"; exit 0; }
fi
echo "No Chromium was found for the browser tests: install one (Debian/Ubuntu: 'sudo apt-get install chromium') or set PLAYWRIGHT_CHROMIUM=/path/to/chrome." >&2
exit 1
