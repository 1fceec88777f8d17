"""The tests' fault injection: a site server that sabotages the runtime on purpose.

:class:`FaultyServer` is :class:`pipeline.devserver.SiteServer` plus a set of
``faults`` a test switches on (the ``faults`` fixture clears it after each test):

- ``wasm_404``: the WebAssembly of Python is missing;
- ``stall``: its download starts and never finishes (until the server stops);
- ``numpy_corrupt``: numpy's wheel, and the snapshot's files image that holds it,
  arrive with one byte flipped (their sha256 no longer matches);
- ``worker_throws``: the worker script throws while starting;
- ``no_sw``: the service worker ``sw.js`` is missing (as on a host that turned offline
  storage off), so a test of the page's own requests sees no background storing;
- ``fast_link`` / ``slow_link``: the worker sees this network link (its
  ``navigator.connection``), so that a test decides whether a first visit
  restores the snapshot or starts normally and fetches it later, whatever the
  machine's load does to the rate the worker measures.

A sabotaged response is never cached, so the next test gets the real file.
"""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.devserver import Handler, SiteServer

FAULTS = ("wasm_404", "numpy_corrupt", "worker_throws", "stall")
LINKS = {
    "fast_link": "{effectiveType: '4g', downlink: 10, rtt: 25, saveData: false}",
    "slow_link": "{effectiveType: '3g', downlink: 1.5, rtt: 300, saveData: false}",
}


class FaultyHandler(Handler):
    server: FaultyServer

    def response_headers(self) -> dict[str, str]:
        headers = super().response_headers()
        if self.server.faults - set(LINKS):
            headers["Cache-Control"] = "no-cache"  # never cache a sabotaged file
        return headers

    def _file(self, path: str) -> bytes:
        return (Path(self.directory) / path.lstrip("/")).read_bytes()

    def do_GET(self):
        faults = self.server.faults
        path = self._site_path() or self.path
        if not faults:
            super().do_GET()
            return
        if "wasm_404" in faults and path.endswith("pyodide.asm.wasm"):
            self.server.requests.append(path)
            self.send_error(404, "Not Found")
            return
        if "stall" in faults and path.endswith("pyodide.asm.wasm"):
            self.server.requests.append(path)
            self.send_response(200)
            self.send_header("Content-Type", "application/wasm")
            self.send_header("Content-Length", "10000000")
            self.end_headers()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not self.server.stopping:
                time.sleep(0.1)
            return
        numpy_file = (path.endswith(".whl") and "numpy-" in path) or ("/files-" in path and path.endswith(".bin"))
        if "numpy_corrupt" in faults and numpy_file:  # the wheel, and the snapshot's files image that holds it
            self.server.requests.append(path)
            body = bytearray(self._file(path))
            body[len(body) // 2] ^= 0xFF
            self._send(bytes(body), "application/octet-stream")
            return
        if "worker_throws" in faults and path.endswith("/worker.mjs"):
            self.server.requests.append(path)
            self._send(b'throw new Error("injected: the worker failed while starting");\n', "text/javascript")
            return
        if "no_sw" in faults and path.endswith("/sw.js"):
            self.server.requests.append(path)
            self.send_error(404, "Not Found")
            return
        link = next((LINKS[f] for f in faults if f in LINKS), None)
        if link and path.endswith("/worker.mjs"):
            self.server.requests.append(path)
            prelude = f"Object.defineProperty(navigator, 'connection', {{configurable: true, value: {link}}});\n"
            self._send(prelude.encode() + self._file(path), "text/javascript")
            return
        super().do_GET()


class FaultyServer(SiteServer):
    """A :class:`SiteServer` whose ``faults`` (a set of the names above) sabotage what it serves."""

    handler = FaultyHandler

    def __init__(self, *args, **kwargs) -> None:
        self.faults: set[str] = set()
        self.stopping = False
        super().__init__(*args, **kwargs)

    def stop(self) -> None:
        self.stopping = True  # ends a stalled download
        super().stop()
