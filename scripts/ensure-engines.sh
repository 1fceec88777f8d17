#!/bin/sh
# Make sure the other engines the browser tests drive exist (tests/browser/test_other_engines.py):
#   Firefox  Debian's firefox-esr, driven over WebDriver BiDi by the pinned npm puppeteer-core
#   WebKit   Debian's webkit2gtk-driver (WebKitWebDriver and its MiniBrowser), under Xvfb, driven by
#            Selenium (pinned in pyproject.toml's browser group, installed by `make venv`)
# Installs what is missing once (apt-get only when root; npm into the download cache)
# and is quiet and quick when everything is there. Never fails: an engine it cannot
# install is skipped by its test, which says why.
#   sh scripts/ensure-engines.sh          install what is missing
#   sh scripts/ensure-engines.sh --where  print puppeteer-core's folder (installs nothing)
set -u
PUPPETEER_CORE=24.43.1 # the 24.x line runs on Node 18+ (25.x needs Node >= 22.12)
CACHE=${PLAYBOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ml-teams-playbook}
WHERE=$CACHE/puppeteer-core-$PUPPETEER_CORE
if [ "${1:-}" = "--where" ]; then
  echo "$WHERE"
  exit 0
fi

missing=
command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 || missing="$missing firefox-esr"
command -v WebKitWebDriver >/dev/null 2>&1 || missing="$missing webkit2gtk-driver"
command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "[engines] installing$missing with apt-get (once)..." >&2
    apt-get update -qq >/dev/null 2>&1
    for package in $missing; do # one at a time: a package this distribution lacks skips only its engine
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 \
        || echo "[engines] apt-get install $package failed: its engine's test will be skipped" >&2
    done
  else
    echo "[engines] not installed:$missing (Debian: 'sudo apt-get install$missing'); their tests will be skipped" >&2
  fi
fi

if [ ! -f "$WHERE/node_modules/puppeteer-core/package.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "[engines] installing puppeteer-core@$PUPPETEER_CORE into $WHERE (once)..." >&2
    mkdir -p "$WHERE" && echo '{"private": true}' >"$WHERE/package.json" \
      && npm install --silent --no-audit --no-fund --prefix "$WHERE" "puppeteer-core@$PUPPETEER_CORE" >/dev/null 2>&1 \
      || echo "[engines] npm install puppeteer-core@$PUPPETEER_CORE failed: the Firefox test will be skipped" >&2
  else
    echo "[engines] npm is not installed: the Firefox test will be skipped" >&2
  fi
fi
exit 0
