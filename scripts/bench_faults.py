"""How long a reader waits for a clear error when Python cannot start (``make bench`` prints it).

For each fault the browser tests inject (``tests/browser/faults.py``: a missing
wasm file, a corrupted numpy, a worker that throws, a stalled download with the
runtime's timeout at 3 s), the time from opening the first calculator's page until
its status says what went wrong (``data-state="error"``). The tests check what the
reader is told; the time is measured here, on the machine at hand, and never asserted.
The bounds the tests once asserted are shown beside each figure for comparison.
"""

from __future__ import annotations

import statistics
import time

#: fault -> the bound (s) a browser test asserted before timings moved here.
FAULTS = {"wasm_404": 45, "numpy_corrupt": 90, "worker_throws": 30, "stall": 45}


def rows(browser, site, runs: int = 1) -> list[tuple[str, str, str]]:
    """(measure, value, note) per fault: median seconds from navigation to the error state."""
    from calculators import api
    from tests.browser.faults import FaultyServer

    name = next(iter(api.CALCULATORS))
    server = FaultyServer(site, rewrite_sitemap=True).start()
    out = []
    try:
        for fault, bound in FAULTS.items():
            server.faults = {fault}
            took = []
            for _ in range(runs):
                ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
                if fault == "stall":
                    ctx.add_init_script("globalThis.playbookRuntimeTimeoutMs = 3000")
                page = ctx.new_page()
                started = time.monotonic()
                page.goto(server.url + f"calculators/{name}/")
                root = page.locator(f"[data-calculator={name}]")
                root.scroll_into_view_if_needed()  # Python starts when the calculator is in view
                page.wait_for_function(
                    f"document.querySelector('[data-calculator={name}]')?.dataset.state === 'error'", timeout=300_000
                )
                took.append(time.monotonic() - started)
                ctx.close()
            median = f"{statistics.median(took):.1f} s"
            out.append((f"i. clear error after a fault: {fault}", median, f"tests once asserted < {bound} s"))
    finally:
        server.faults = set()
        server.stop()
    return out
