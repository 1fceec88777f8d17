"""Where things are: the repo, the build folder, the user cache folder."""

from __future__ import annotations

import contextlib
import os
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build"
#: Files the site serves besides MkDocs' own output, laid out as in the site.
SITE_ASSETS = BUILD / "site-assets"
#: Files only the tests use (axe-core).
TEST_ASSETS = BUILD / "test-assets"
MANIFEST = REPO / "pipeline" / "runtime.toml"


def root_of(page_url: str) -> str:
    """Relative path from a page to the site root (``calculators/timeline/`` -> ``../../``)."""
    return "../" * page_url.count("/")


def manifest() -> dict:
    return tomllib.loads(MANIFEST.read_text(encoding="utf-8"))


def cache_dir() -> Path:
    """The user's cache folder for downloads, shared by every clone on the machine.

    ``PLAYBOOK_CACHE`` overrides it; otherwise ``$XDG_CACHE_HOME`` (or ``~/.cache``
    on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows).
    """
    if env := os.environ.get("PLAYBOOK_CACHE"):
        return Path(env)
    name = manifest()["cache_name"]
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / name
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / name
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / name


def touch(path: Path) -> None:
    """Mark a cache entry as just used, so that :func:`prune` keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def prune(folder: Path, *, keep: int | None = None, max_bytes: int | None = None) -> list[Path]:
    """Delete the least recently used entries of a cache folder; return what was deleted.

    The newest entries (by modification time, which a cache hit refreshes with
    :func:`touch`) stay: at most ``keep`` of them, and at most ``max_bytes`` in
    all. The entries a build has just used are the newest, so it never loses its own.

    >>> import tempfile, time
    >>> d = Path(tempfile.mkdtemp())
    >>> for i, name in enumerate("abc"):
    ...     _ = (d / name).write_bytes(b"x" * 10)
    ...     os.utime(d / name, (1000 + i, 1000 + i))
    >>> [p.name for p in prune(d, keep=2)], sorted(p.name for p in d.iterdir())
    (['a'], ['b', 'c'])
    >>> [p.name for p in prune(d, max_bytes=15)], sorted(p.name for p in d.iterdir())
    (['b'], ['c'])
    >>> import shutil; shutil.rmtree(d)
    """
    import shutil

    if not folder.is_dir():
        return []
    entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    gone: list[Path] = []
    total = 0
    for index, entry in enumerate(entries):
        total += _size(entry)
        if (keep is not None and index >= keep) or (max_bytes is not None and total > max_bytes and index > 0):
            gone.append(entry)
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    return gone
