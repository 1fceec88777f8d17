"""A static server for the built site, with the deployed headers.

The browser tests, ``scripts/bench.py`` and ``python -m pipeline preview`` serve
``site/`` with it on 127.0.0.1. It sends the headers of ``deploy/_headers`` (the
one copy of the Content-Security-Policy, which docs/deploying.md includes and
deploy/nginx.conf must match), can serve the site under a sub-path as GitHub
Pages does for a project site (``base="/REPO/"``), answers a missing file with
the site's own 404 page, and logs the paths asked for (``requests``). The
tests' fault injection (a missing wasm file, a corrupted numpy, a worker that
throws, a stalled download) is a subclass in ``tests/browser/faults.py``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

from . import compress
from .paths import REPO

HEADERS_FILE = REPO / "deploy" / "_headers"

#: Chromium flags for the browser tests and the benchmark (headless, no calls home).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    """Rules of a Netlify/Cloudflare ``_headers`` file: ``[(path pattern, {header: value})]``.

    >>> parse_headers("/*\\n  X-A: 1\\n# note\\n/x/*\\n  X-B: two words\\n")
    [('/*', {'X-A': '1'}), ('/x/*', {'X-B': 'two words'})]
    """
    rules: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
            continue
        name, sep, value = line.strip().partition(":")
        if not rules or not sep:
            raise ValueError(f"deploy/_headers line {number}: expected 'Header: value' under a path, got {line!r}")
        rules[-1][1][name.strip()] = value.strip()
    return rules


def deployed_headers(path: Path = HEADERS_FILE) -> list[tuple[str, dict[str, str]]]:
    return parse_headers(path.read_text(encoding="utf-8"))


def csp(path: Path = HEADERS_FILE) -> str:
    """The site's Content-Security-Policy: the one in deploy/_headers for every path."""
    for pattern, headers in deployed_headers(path):
        if pattern == "/*" and "Content-Security-Policy" in headers:
            return headers["Content-Security-Policy"]
    raise ValueError(f"{path}: no Content-Security-Policy under '/*'")


def immutable_prefixes(path: Path = HEADERS_FILE) -> tuple[str, ...]:
    """Folders ``_headers`` caches for a year (their paths change whenever their content does)."""
    return tuple(p.rstrip("*") for p, h in deployed_headers(path) if "immutable" in h.get("Cache-Control", ""))


def _matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


CSP = csp()
IMMUTABLE = immutable_prefixes()


def chromium_path() -> str | None:
    """A system Chromium (PLAYWRIGHT_CHROMIUM, then PATH); None means Playwright's own."""
    env = os.environ.get("PLAYWRIGHT_CHROMIUM", "")
    if env == "playwright":
        return None
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


class Handler(http.server.SimpleHTTPRequestHandler):
    server: SiteServer
    extensions_map = {  # noqa: RUF012 (extends the base class's table, as it is meant to be)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/octet-stream",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def log_message(self, *args):  # quiet
        pass

    def handle(self):
        # The browser may drop a download it no longer needs (e.g. on navigation).
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def response_headers(self) -> dict[str, str]:
        """The headers ``deploy/_headers`` gives this request's path (the server's CSP, if any)."""
        path = self._site_path()
        headers: dict[str, str] = {}
        for pattern, values in self.server.rules:
            if path is not None and _matches(pattern, path):
                headers.update(values)
        if self.server.csp:
            headers["Content-Security-Policy"] = self.server.csp
        else:
            headers.pop("Content-Security-Policy", None)
        if getattr(self, "_status", 200) not in (200, 304) or "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-cache"  # never cache an error
        return headers

    def end_headers(self):
        for name, value in self.response_headers().items():
            self.send_header(name, value)
        super().end_headers()

    def _site_path(self) -> str | None:
        """The request's path inside the site ("/..."), or None when it is outside the base."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        base = self.server.base
        if base == "/":
            return path
        if path == base.rstrip("/"):
            return "/"  # redirected by translate_path's directory handling
        return "/" + path[len(base) :] if path.startswith(base) else None

    def translate_path(self, path):
        inside = self._site_path()
        return super().translate_path(inside if inside is not None else "/__outside_the_base__/")

    def send_error(self, code, message=None, explain=None):
        """A missing file gets the site's own 404 page, as static hosts serve it."""
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file() and self.command == "GET":
            self._send(page.read_bytes(), "text/html; charset=utf-8", status=404)
            return
        super().send_error(code, message, explain)

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        """Answer with ``body`` instead of the file on disk."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self._site_path() or self.path
        self.server.requests.append(path)
        if self.server.rewrite_sitemap and path.endswith("sitemap.xml"):
            # Serve the site as if it were published at its site_url: Material's
            # instant navigation keeps only links whose origin matches the
            # sitemap's (it rebases scheme and host, not the port or the path).
            text = (Path(self.directory) / path.lstrip("/")).read_text(encoding="utf-8")
            origin = self.server.url.rstrip("/")
            self._send(
                re.sub(r"(<loc>|href=\")https?://[^/<\"]+", lambda m: m.group(1) + origin, text).encode(),
                "application/xml",
            )
            return
        if compress.serve(self, path):  # NAME.br / NAME.gz beside the file, when the browser accepts it
            return
        super().do_GET()


class SiteServer(http.server.ThreadingHTTPServer):
    """``SiteServer(site_dir).start()``; ``.url`` is the site's address (base included); ``.stop()``.

    ``rewrite_sitemap``: serve sitemap.xml with this server's origin instead of the
    built ``site_url`` (for a site built with the placeholder address); a site
    built for this address (``SITE_URL=http://127.0.0.1:PORT/BASE/``) needs none.
    """

    daemon_threads = True
    #: The request handler (a test's subclass may answer some paths otherwise).
    handler: type[Handler] = Handler
    # Several pages, workers and browsers load at once in the tests: a longer queue of
    # connections waiting to be accepted than the default 5 (a busy machine accepts late).
    request_queue_size = 128

    def __init__(
        self, root: Path, *, csp: str | None = CSP, port: int = 0, base: str = "/", rewrite_sitemap: bool = False
    ):
        self.csp = csp
        self.base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
        self.rewrite_sitemap = rewrite_sitemap
        self.rules = deployed_headers()
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", port), functools.partial(self.handler, directory=str(root)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{self.base}"

    def start(self) -> SiteServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def free_port() -> int:
    """A port nothing listens on now (for a build whose SITE_URL must name the port first)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
