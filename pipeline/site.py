"""Build steps the MkDocs hook calls; each works without MkDocs too.

Every slow step (vendoring, the wheel, the prerender, each notebook) is keyed on
a content hash of its inputs (``pipeline/steps.py``) and runs again only when they
changed: saving a Markdown page under ``make serve`` rebuilds the site without any
of them. The notebooks' cache is in ``pipeline/notebooks.py``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import compress, pybundle, render, vendor
from . import snapshot as memory_snapshot
from .notebooks import cache_notebooks as cache_notebooks  # the hook calls site.cache_notebooks
from .paths import BUILD, MANIFEST, REPO, SITE_ASSETS, TEST_ASSETS, cache_dir, manifest, prune, root_of
from .steps import KNOWLEDGE, TOOLS, cached_step, digest, kept

CALC_MARKER = re.compile(r"<!--\s*calculator:\s*([a-z_]+)\s*-->")
CLI_MARKER = re.compile(r"<!--\s*cli-help(?::\s*([a-z_]+))?\s*-->")
PALETTE_MARKER = re.compile(r"<!--\s*primary-contrast\s*-->")
OFFICIAL_CDN = "https://cdn.jsdelivr.net/pyodide/v{version}/full/"  # optional: only with extra.playbook.pyodide_cdn


@dataclass
class BuildState:
    lock_path: str = ""
    asset_version: str = ""
    prerendered: dict[str, Any] = field(default_factory=dict)
    cdn: str = ""
    expect_bytes: int = 0


def vendor_step() -> dict[str, str]:
    def intact(written: dict[str, str]) -> bool:  # every vendored file still has the bytes that were verified
        return TEST_ASSETS.is_dir() and all(
            (SITE_ASSETS / rel).is_file() and vendor.sha256((SITE_ASSETS / rel).read_bytes()) == digest_
            for rel, digest_ in written.items()
        )

    return cached_step("vendor", digest(*TOOLS, MANIFEST.relative_to(REPO)), vendor.vendor, intact)


def wheel_step() -> str:
    return cached_step(
        "wheel",
        digest(*TOOLS, *KNOWLEDGE, "README.md", "LICENSE"),
        pybundle.build,
        lambda lock: (SITE_ASSETS / lock).is_file() and len(list((SITE_ASSETS / lock).parent.glob("*.whl"))) == 1,
    )


def prepare(*, pyodide_cdn: bool | str = False, snapshot: bool = True) -> BuildState:
    """Vendor the runtime, build our wheel and lock, take the memory snapshot, prerender every calculator."""
    use_this_checkout()
    vendor_step()
    lock_path = wheel_step()
    memory_snapshot.build(lock_path, enabled=snapshot and not pyodide_cdn)
    compress.compress_tree()
    prune_cache()
    state = BuildState(lock_path=lock_path, asset_version=lock_path.split("/")[2])
    state.expect_bytes = runtime_bytes(lock_path)
    write_manifest_module()
    if pyodide_cdn:
        version = manifest()["pyodide"]["version"]
        state.cdn = pyodide_cdn if isinstance(pyodide_cdn, str) else OFFICIAL_CDN.format(version=version)
    state.prerendered = prerender_all()
    return state


#: How much of the user cache's derived files (not downloads) survives a build:
#: enough for a few checkouts or branches side by side, so the folder never grows without end.
KEEP_SNAPSHOTS = 4
KEEP_COMPRESSED_BYTES = 256 << 20


def prune_cache() -> None:
    """Drop the least recently used snapshots and compressed copies from the user cache."""
    gone = prune(cache_dir() / "snapshots", keep=KEEP_SNAPSHOTS)
    gone += prune(cache_dir() / "compressed", max_bytes=KEEP_COMPRESSED_BYTES)
    if gone:
        print(f"[cache] removed {len(gone)} old entries from {cache_dir()}", file=sys.stderr)


def use_this_checkout() -> None:
    """Put this checkout first on ``PYTHONPATH`` for every process the build starts.

    The notebooks' kernels (started by mkdocs-jupyter) inherit the build's
    environment. Without this they import whichever ``calculators`` the
    environment has installed, which for a fork sharing another clone's .venv
    (or an old non-editable install) is not the code being built.
    """
    parts = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(REPO)]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO), *parts])


def prerender_all() -> dict[str, Any]:
    """Every calculator's default result: run again when the calculators or the pipeline change."""
    return cached_step("prerender", digest(*TOOLS, *KNOWLEDGE), _prerender)


def _prerender() -> dict[str, Any]:
    """Run the prerender in a fresh interpreter, so it sees the current code."""
    from calculators.api import CALCULATORS

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "prerender", *CALCULATORS], capture_output=True, text=True, cwd=REPO, env=env
    )
    if proc.returncode != 0:
        raise SystemExit(f"prerendering the calculators failed:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout)


def runtime_bytes(lock_path: str, src: Path = SITE_ASSETS) -> int:
    """Bytes a first visit downloads to start Python: core files and the lock's wheels."""
    version = manifest()["pyodide"]["version"]
    core = src / "assets" / "pyodide" / version
    core_files = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
    total = sum((core / n).stat().st_size for n in core_files)
    lock = json.loads((src / lock_path).read_text())
    for entry in lock["packages"].values():
        total += (core / entry["file_name"]).resolve().stat().st_size
    return total


def write_manifest_module(src: Path = SITE_ASSETS) -> None:
    """assets/playbook/manifest.mjs: where the browser finds the pinned chart libraries."""
    pins = {p["package"]: p["version"] for p in manifest()["npm"]}
    files = {
        "vega": f"../vendor/vega@{pins['vega']}/vega.min.js",
        "vegaLite": f"../vendor/vega-lite@{pins['vega-lite']}/vega-lite.min.js",
        "vegaEmbed": f"../vendor/vega-embed@{pins['vega-embed']}/vega-embed.min.js",
        "interpreter": f"../vendor/vega-interpreter@{pins['vega-interpreter']}/vega-interpreter.mjs",
    }
    text = (
        "// Written by the build (pipeline/site.py) from pipeline/runtime.toml.\n"
        f"export const VENDOR = {json.dumps(files, indent=2, sort_keys=True)};\n"
    )
    vendor._write(src / "assets" / "playbook" / "manifest.mjs", text.encode())


def page_html(html: str, page_url: str, state: BuildState) -> str:
    """Fill the calculator, CLI-help and colour-contrast markers in a page.

    Chart markers are filled by ``pipeline.pagespeed``, which runs first.
    """
    root = root_of(page_url)

    def calc(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in state.prerendered:
            raise SystemExit(
                f"page {page_url or 'index'}: unknown calculator {name!r} in a marker; "
                f"known: {', '.join(state.prerendered)}"
            )
        version = manifest()["pyodide"]["version"]
        index_url = state.cdn or f"{root}assets/pyodide/{version}/"
        return render.calculator_html(
            name,
            state.prerendered[name],
            root=root,
            index_url=index_url,
            lock_url=root + state.lock_path,
            worker_url=f"{root}assets/playbook/worker.mjs?v={state.asset_version}",
            cdn=bool(state.cdn),
            expect_bytes=state.expect_bytes,
            wheel_url=root + wheel_of(state),
            version=state.asset_version,
        )

    def cli(m: re.Match[str]) -> str:
        return cli_help_html(m.group(1), cli_help(m.group(1)))

    html = CALC_MARKER.sub(calc, html)
    html = CLI_MARKER.sub(cli, html)
    return PALETTE_MARKER.sub(lambda m: primary_contrast_html(), html)


@functools.lru_cache(maxsize=1)
def primary_contrast_html() -> str:
    """``<!-- primary-contrast -->``: Material's primary colours and their contrast, read from the theme."""
    import markdown

    from .palette import table_markdown

    return markdown.markdown(table_markdown(), extensions=["tables"])


_DRAWN: dict[tuple[str, str], Any] = {}


def keep_chart_drawings(charts: Any) -> None:
    """Reuse a chapter chart's figure and drawings across rebuilds while its inputs are unchanged.

    ``charts`` is the build's chart filler (pipeline/chapter_charts.py), made afresh for each
    build by the hook; its ``drawings(name)`` is wrapped so ``make serve`` draws a chart only
    when the calculators, their data, the chart data or the pipeline changed.
    """
    original = getattr(charts, "drawings", None)
    if original is None or not isinstance(getattr(charts, "drawn", None), dict):
        return
    key = digest(*TOOLS, *KNOWLEDGE, "docs/_data")

    def drawings(name: str):
        if (name, key) not in _DRAWN:
            _DRAWN[(name, key)] = original(name)
        fig, drawn = _DRAWN[(name, key)]
        charts.drawn[name] = drawn  # what the filler writes into the site after the build
        return fig, drawn

    charts.drawings = drawings


def cli_help(command: str | None = None) -> str:
    """The real ``python -m calculators [COMMAND] --help`` of this checkout, at a fixed width."""
    return kept("cli-help", command or "calculators", digest("calculators"), lambda: _cli_help(command))


def _cli_help(command: str | None) -> str:
    args = [command] if command else []
    env = {**os.environ, "COLUMNS": "88", "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "calculators", *args, "--help"], capture_output=True, text=True, cwd=REPO, env=env
    )
    if proc.returncode != 0:
        raise SystemExit(f"python -m calculators {' '.join(args)} --help failed:\n{proc.stderr.strip()}")
    return proc.stdout


def cli_help_html(command: str | None, text: str) -> str:
    """The help as a console block, under the command that printed it (``<!-- cli-help: NAME -->``)."""
    cmd = "python -m calculators " + (f"{command} " if command else "") + "--help"
    body = render._e(f"$ {cmd}\n{text.rstrip()}")
    return f'<div class="language-console highlight pb-cli-help"><pre><code>{body}</code></pre></div>'


def wheel_of(state: BuildState, src: Path = SITE_ASSETS) -> str:
    lock = json.loads((src / state.lock_path).read_text())
    return state.lock_path.rsplit("/", 1)[0] + "/" + lock["packages"]["calculators"]["file_name"].rsplit("/", 1)[1]


def copy_assets(site_dir: Path, src: Path = SITE_ASSETS) -> int:
    """Copy the vendored runtime and our bundle into the built site; return the bytes copied."""
    copied = 0
    for path in src.rglob("*"):
        if path.is_file():
            dest = site_dir / path.relative_to(src)
            unchanged = dest.exists() and dest.stat().st_size == path.stat().st_size
            if unchanged and dest.stat().st_mtime >= path.stat().st_mtime:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                dest.unlink()
            shutil.copy2(path, dest)  # a copy, never a hard link: later steps may edit the site's files in place
            copied += path.stat().st_size
    return copied


# ------------------------------------------------------------------ deploy builds
#: Hosts reserved for documentation (RFC 2606): a site_url on one of them is a placeholder.
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")


def deploy_build() -> bool:
    """``DEPLOY=1`` (``make build DEPLOY=1``, set by .github/workflows/publish.yml): a build to publish."""
    return os.environ.get("DEPLOY", "").strip().lower() in ("1", "true", "yes", "on")


def deploy_problem(site_url: str, deploy: bool | None = None) -> str:
    """One sentence saying what to set when a deploy build would publish a placeholder address, else "".

    >>> deploy_problem("https://ml-teams-playbook.example.org/", deploy=True)[:46]
    'This build is for publishing (DEPLOY=1) but si'
    >>> deploy_problem("https://acme.github.io/playbook/", deploy=True)
    ''
    >>> deploy_problem("https://ml-teams-playbook.example.org/", deploy=False)
    ''
    """
    if not (deploy_build() if deploy is None else deploy):
        return ""
    from urllib.parse import urlsplit

    host = (urlsplit(site_url).hostname or "").lower()
    if host and not any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS):
        return ""
    shown = f"the placeholder {site_url}" if site_url else "empty"
    return (
        f"This build is for publishing (DEPLOY=1) but site_url is {shown}: set the SITE_URL environment "
        "variable to the address readers will open, for example SITE_URL=https://OWNER.github.io/REPOSITORY/ "
        "make build DEPLOY=1 (the GitHub Pages workflow sets it for you)."
    )


def cache_templates(env) -> None:
    """Keep the theme's compiled templates between builds (Jinja checks each template's source)."""
    import jinja2

    folder = BUILD / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
