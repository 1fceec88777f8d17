"""Where things are: the repo, the build folder, the user cache folder."""

from __future__ import annotations

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
