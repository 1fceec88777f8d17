"""The worked-example notebooks: executed only when what they depend on changed.

mkdocs-jupyter has no option for a cache or for the kernel's transport, so
:func:`cache_notebooks` replaces three functions of its ``convert`` and
``nbconvert2`` modules (a monkeypatch, applied once per process by the MkDocs
hook): ``nb2html`` looks in ``build/notebooks/`` before executing a notebook and
runs its kernel over a local socket file (IPC), not TCP, so the kernel has
nothing to warn about; and ``nb2md`` (the page's table of contents)
converts a notebook once per content. Nothing else of the pipeline patches a
library; if mkdocs-jupyter renames these functions, this module is the one to change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from .paths import BUILD, REPO
from .steps import KNOWLEDGE, TOOLS, digest

NOTEBOOK_CACHE = BUILD / "notebooks"


def notebook_key(nb_path: Path, options: dict[str, Any]) -> str:
    """What a worked example's page depends on: the notebook, the files beside it that are not
    pages (its inputs), the calculators and their data, the chapter data, the pipeline (the page
    template included), the pinned tools, the Python version and the converter's options."""
    folder = nb_path.parent
    beside = sorted(
        p.relative_to(REPO)
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in (".ipynb", ".md") and "__pycache__" not in p.parts
    )
    shown = {k: v for k, v in sorted(options.items()) if k != "image_dependencies"}
    return digest(
        nb_path.relative_to(REPO),
        *beside,
        *TOOLS,
        *KNOWLEDGE,
        "docs/_data",
        extra=f"{sys.version}\0{json.dumps(shown, sort_keys=True, default=str)}",
    )


def cache_notebooks() -> None:
    """Wrap mkdocs-jupyter's converter: execute a notebook only when what it depends on changed, and
    run its kernel over a local socket file (IPC), not TCP, so the kernel has nothing to warn about.

    The HTML of each executed notebook is kept in build/notebooks/, named by the notebook and its key.
    """
    try:
        from mkdocs_jupyter import convert, nbconvert2
    except ImportError:  # pragma: no cover - mkdocs-jupyter is pinned in the dev group
        return
    if getattr(convert.nb2html, "_playbook", False):
        return
    original, original_app = convert.nb2html, nbconvert2.get_nbconvert_app

    sockets = {"ip": ""}

    def app_over_ipc(*args, **kwargs):
        app = original_app(*args, **kwargs)
        if sockets["ip"]:
            app.config.update({"KernelManager": {"transport": "ipc", "ip": sockets["ip"]}})
        return app

    def convert_over_ipc(nb_path, **kwargs):
        # The kernel starts in the notebook's folder and the client in this one: the socket files
        # need an absolute prefix, short enough for a Unix socket path, removed afterwards.
        import tempfile

        with tempfile.TemporaryDirectory(prefix="pb-kernel-") as folder:
            sockets["ip"] = f"{folder}/k"
            try:
                return original(nb_path, **kwargs)
            finally:
                sockets["ip"] = ""

    def nb2html(nb_path, **kwargs):
        path = Path(nb_path).resolve()
        try:
            path.relative_to(REPO)
        except ValueError:
            return convert_over_ipc(nb_path, **kwargs)
        key = notebook_key(path, kwargs)
        cached = NOTEBOOK_CACHE / f"{path.stem}-{key[:16]}.html"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        body = convert_over_ipc(nb_path, **kwargs)
        NOTEBOOK_CACHE.mkdir(parents=True, exist_ok=True)
        for old in NOTEBOOK_CACHE.glob(f"{path.stem}-*.html"):
            old.unlink()
        cached.write_text(body, encoding="utf-8")
        return body

    original_md, markdown_of = convert.nb2md, {}

    def nb2md(nb_path, *args, **kwargs):
        """The notebook as Markdown (for its table of contents), kept per content in this process."""
        key = (str(nb_path), hashlib.sha256(Path(nb_path).read_bytes()).hexdigest(), args, repr(sorted(kwargs.items())))
        if key not in markdown_of:
            markdown_of[key] = original_md(nb_path, *args, **kwargs)
        return markdown_of[key]

    nb2html._playbook = True  # type: ignore[attr-defined]
    nbconvert2.get_nbconvert_app = app_over_ipc
    convert.nb2html = nb2html
    convert.nb2md = nb2md
