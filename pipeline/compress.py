"""Pre-compressed copies of the runtime files, and the one rule that serves them.

The build writes ``NAME.br`` (brotli) and ``NAME.gz`` (gzip) beside every
runtime file that compresses: the wasm, the JavaScript and the memory snapshot.
The zips and wheels are compressed already and get no copies. A server that
knows the convention (nginx ``gzip_static``/``brotli_static``, the test server
through :func:`negotiate`) sends the smaller file with ``Content-Encoding``;
one that does not simply serves the originals.

Both encodings are reproducible: gzip without a timestamp or a name, brotli at
a fixed quality. The results are cached by content hash in the user cache
folder, since brotli's best quality takes a while on 10 MB of wasm.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
from pathlib import Path

from .paths import SITE_ASSETS, cache_dir, touch

#: What gets compressed copies: every file under these folders whose name ends so.
FOLDERS = ("assets/pyodide", "assets/py", "assets/vendor")
SUFFIXES = (".wasm", ".js", ".mjs", ".json", ".bin")
#: Smaller files gain nothing worth a second request path.
MIN_BYTES = 1024
#: Preference when the browser accepts both.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))

try:  # brotli is pinned in the build tool chain; without it the build writes .gz only
    import brotli
except ImportError:  # pragma: no cover - exercised only on a machine without the pin
    brotli = None


def _log(msg: str) -> None:
    print(f"[compress] {msg}", file=sys.stderr, flush=True)


def encode(data: bytes, encoding: str) -> bytes:
    """``data`` compressed reproducibly (same input, same bytes on every machine).

    >>> import gzip as g
    >>> g.decompress(encode(b"abc" * 100, "gzip")) == b"abc" * 100
    True
    >>> encode(b"x" * 5000, "gzip") == encode(b"x" * 5000, "gzip")
    True
    """
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    if encoding == "br":
        if brotli is None:
            raise RuntimeError("the brotli package is not installed")
        # The best quality for the runtime files; a notch lower for the 36 MB
        # snapshot, where quality 11 takes minutes for a few percent.
        return brotli.compress(data, quality=11 if len(data) <= 16 << 20 else 9, lgwin=24)
    raise ValueError(f"unknown encoding {encoding!r}")


def _cached(data: bytes, encoding: str) -> bytes:
    key = hashlib.sha256(data).hexdigest()
    path = cache_dir() / "compressed" / f"{key}.{encoding}"
    if path.exists():
        touch(path)
        return path.read_bytes()
    out = encode(data, encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(out)
    tmp.replace(path)
    return out


def wanted(path: Path) -> bool:
    """Whether ``path`` is a runtime file that gets compressed copies.

    >>> wanted(Path("pyodide.asm.wasm")), wanted(Path("numpy-2.0.2.whl")), wanted(Path("a.wasm.br"))
    (True, False, False)
    """
    return path.suffix in SUFFIXES


def compress_file(path: Path) -> dict[str, int]:
    """Write ``.br`` and ``.gz`` beside ``path`` (when smaller); return ``{encoding: bytes}``.

    A copy is rewritten only when its content would change, so a second build touches nothing.
    """
    from .vendor import _write

    sizes = {}
    data = path.read_bytes()
    for encoding, suffix in ENCODINGS:
        if encoding == "br" and brotli is None:
            continue
        body = _cached(data, encoding)
        out = path.with_name(path.name + suffix)
        if len(body) >= len(data):
            out.unlink(missing_ok=True)
            continue
        _write(out, body)
        sizes[encoding] = len(body)
    return sizes


def compress_tree(root: Path = SITE_ASSETS, folders: tuple[str, ...] = FOLDERS) -> list[Path]:
    """Write ``.br`` and ``.gz`` beside each runtime file under ``root``; return the originals compressed."""
    if brotli is None:
        _log("the brotli package is missing: writing .gz copies only (run `make venv`)")
    done = []
    for folder in folders:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and wanted(path) and path.stat().st_size >= MIN_BYTES:
                compress_file(path)
                done.append(path)
    return done


def negotiate(root: Path | str, url_path: str, accept_encoding: str) -> tuple[Path, str] | None:
    """The pre-compressed file to send for ``url_path`` and its encoding, or None for the original.

    Chooses brotli over gzip when the request accepts both (``q=0`` refuses an
    encoding), and only when the copy exists beside an existing original.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "a.wasm").write_bytes(b"0"); (d / "a.wasm.gz").write_bytes(b"1")
    1
    1
    >>> negotiate(d, "/a.wasm", "gzip, deflate, br")[1]
    'gzip'
    >>> negotiate(d, "/a.wasm", "br;q=1, gzip;q=0") is None
    True
    >>> negotiate(d, "/../a.wasm", "gzip") is None
    True
    """
    accepted = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if name:
            accepted[name.strip().lower()] = q
    root = Path(root).resolve()
    original = (root / url_path.lstrip("/")).resolve()
    if root not in original.parents or not original.is_file() or not wanted(original):
        return None
    for encoding, suffix in ENCODINGS:
        if accepted.get(encoding, accepted.get("*", 0.0)) <= 0:
            continue
        candidate = original.with_name(original.name + suffix)
        if candidate.is_file():
            return candidate, encoding
    return None


def serve(handler, url_path: str) -> bool:
    """Answer a GET on an ``http.server`` handler with the pre-compressed copy, if one fits.

    Returns False (having sent nothing) when the original should be served.
    """
    hit = negotiate(handler.directory, url_path, handler.headers.get("Accept-Encoding", ""))
    if hit is None:
        return False
    body = hit[0].read_bytes()
    handler.send_response(200)
    handler.send_header("Content-Type", handler.guess_type(url_path))
    handler.send_header("Content-Encoding", hit[1])
    handler.send_header("Vary", "Accept-Encoding")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return True
