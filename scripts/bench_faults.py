"""How long a reader waits for a clear error when Python cannot start (``make bench`` prints it).

For each fault the browser tests inject (a missing wasm file, a corrupted numpy, a
worker that throws, a stalled download with the runtime's timeout at 3 s), the time
from opening the first calculator's page until its status says what went wrong
(``data-state="error"``). The tests check what the reader is told
(tests/browser/test_robustness.py); the time is measured here, on the machine at
hand, and never asserted. The bounds the tests once asserted are shown beside each
figure. The faults are made here with Playwright's request routing (which also sees
the worker's requests), not with the tests' server: scripts never import the tests.
"""

from __future__ import annotations

import statistics
import time


def _missing(route) -> None:
    route.fulfill(status=404, body="Not Found")


def _stalled(route) -> None:
    pass  # never answered: the download stalls until the page closes


def _corrupt(route) -> None:
    body = bytearray(route.fetch().body())
    body[len(body) // 2] ^= 0xFF
    route.fulfill(status=200, body=bytes(body), headers={"Content-Type": "application/octet-stream"})


def _throwing(route) -> None:
    route.fulfill(status=200, body='throw new Error("injected");\n', headers={"Content-Type": "text/javascript"})


#: fault -> (URL patterns, handler, the bound in seconds a browser test asserted before timings moved here)
FAULTS = {
    "wasm_404": (["**/pyodide.asm.wasm*"], _missing, 45),
    "numpy_corrupt": (["**/numpy-*.whl*", "**/files-*.bin*"], _corrupt, 90),
    "worker_throws": (["**/worker.mjs*"], _throwing, 30),
    "stall": (["**/pyodide.asm.wasm*"], _stalled, 45),
}


def rows(browser, base_url: str, runs: int = 1) -> list[tuple[str, str, str]]:
    """(measure, value, note) per fault: median seconds from navigation to the error state."""
    from calculators import api

    name = next(iter(api.CALCULATORS))
    ready = f"document.querySelector('[data-calculator={name}]')?.dataset.state === 'error'"
    out = []
    for fault, (patterns, handler, bound) in FAULTS.items():
        took = []
        for _ in range(runs):
            ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
            for pattern in patterns:
                ctx.route(pattern, handler)
            if fault == "stall":
                ctx.add_init_script("globalThis.playbookRuntime = {timeoutMs: 3000}")  # shared.mjs
            page = ctx.new_page()
            started = time.monotonic()
            page.goto(base_url + f"calculators/{name}/")
            page.locator(f"[data-calculator={name}]").scroll_into_view_if_needed()  # Python starts in view
            page.wait_for_function(ready, timeout=300_000)
            took.append(time.monotonic() - started)
            # A stalled or corrupted request may still be pending: drop its route before closing,
            # or Playwright reports "Response has been disposed" and the whole bench stops.
            ctx.unroute_all(behavior="ignoreErrors")
            ctx.close()
        median = f"{statistics.median(took):.1f} s"
        out.append((f"i. clear error after a fault: {fault}", median, f"tests once asserted < {bound} s"))
    return out
