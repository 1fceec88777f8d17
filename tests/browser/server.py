"""A static server for the built site, with a strict CSP and fault injection.

Browser tests and the benchmark serve ``site/`` with it on 127.0.0.1 and a free
port. ``faults`` lets a test sabotage the runtime on purpose: a missing wasm
file, a corrupted numpy wheel, a worker that throws while starting, a download
that stalls.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from pathlib import Path

from pipeline import compress

#: The policy the site must work under (also documented in docs/deploying.md).
CSP = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; "
    "worker-src 'self'; "
    "connect-src 'self'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)

FAULTS = ("wasm_404", "numpy_corrupt", "worker_throws", "stall")

#: Folders whose paths change whenever their content does (a version or a content
#: hash in the path): served as docs/deploying.md recommends, cached for a year.
IMMUTABLE = ("/assets/pyodide/", "/assets/py/", "/assets/vendor/")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/octet-stream",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_message(self, *args):  # quiet
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the browser dropped a download it no longer needed (e.g. on navigation)

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def end_headers(self):
        if self.server.csp:
            self.send_header("Content-Security-Policy", self.server.csp)
        path = self.path.split("?", 1)[0]
        immutable = any(path.startswith(prefix) for prefix in IMMUTABLE) and not self.server.faults \
            and getattr(self, "_status", 200) in (200, 304)  # never cache an error or a sabotaged file
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def _send(self, body: bytes, content_type: str) -> None:
        """Answer 200 with ``body`` instead of the file on disk."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        faults = self.server.faults
        path = self.path.split("?", 1)[0]
        self.server.requests.append(path)
        if "wasm_404" in faults and path.endswith("pyodide.asm.wasm"):
            self.send_error(404, "Not Found")
            return
        if "stall" in faults and path.endswith("pyodide.asm.wasm"):
            self.send_response(200)
            self.send_header("Content-Type", "application/wasm")
            self.send_header("Content-Length", "10000000")
            self.end_headers()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not self.server.stopping:
                time.sleep(0.1)
            return
        if "numpy_corrupt" in faults and path.endswith(".whl") and "numpy-" in path:
            body = bytearray((Path(self.directory) / path.lstrip("/")).read_bytes())
            body[len(body) // 2] ^= 0xFF
            self._send(bytes(body), "application/octet-stream")
            return
        if "worker_throws" in faults and path.endswith("/worker.mjs"):
            self._send(b'throw new Error("injected: the worker failed while starting");\n', "text/javascript")
            return
        if path.endswith("sitemap.xml"):
            # Serve the site as if it were published at site_url: Material's
            # instant navigation keeps only links whose origin matches the
            # sitemap's (it rebases scheme and host, not the port).
            text = (Path(self.directory) / path.lstrip("/")).read_text(encoding="utf-8")
            origin = self.server.url.rstrip("/")
            self._send(re.sub(r"(<loc>|href=\")https?://[^/<\"]+", lambda m: m.group(1) + origin, text).encode(),
                       "application/xml")
            return
        if compress.serve(self, path):  # NAME.br / NAME.gz beside the file, when the browser accepts it
            return
        super().do_GET()


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, *, csp: str | None = CSP, port: int = 0):
        self.csp = csp
        self.faults: set[str] = set()
        self.requests: list[str] = []
        self.stopping = False
        super().__init__(("127.0.0.1", port), functools.partial(Handler, directory=str(root)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> "SiteServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping = True
        self.shutdown()
        self.server_close()
