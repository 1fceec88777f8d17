"""Build steps the MkDocs hook calls; each works without MkDocs too."""

from __future__ import annotations

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
from .paths import REPO, SITE_ASSETS, manifest

CALC_MARKER = re.compile(r"<!--\s*calculator:\s*([a-z_]+)\s*-->")
CHART_MARKER = re.compile(r"<!--\s*chart:\s*([a-z_]+)\s*-->")
CLI_MARKER = re.compile(r"<!--\s*cli-help(?::\s*([a-z_]+))?\s*-->")
OFFICIAL_CDN = "https://cdn.jsdelivr.net/pyodide/v{version}/full/"  # optional: only with extra.playbook.pyodide_cdn


@dataclass
class BuildState:
    lock_path: str = ""
    asset_version: str = ""
    prerendered: dict[str, Any] = field(default_factory=dict)
    cdn: str = ""
    expect_bytes: int = 0


def prepare(*, pyodide_cdn: bool | str = False, snapshot: bool = True) -> BuildState:
    """Vendor the runtime, build our wheel and lock, prerender every calculator."""
    use_this_checkout()
    vendor.vendor()
    lock_path = pybundle.build()
    memory_snapshot.build(lock_path, enabled=snapshot and not pyodide_cdn)
    compress.compress_tree()
    state = BuildState(lock_path=lock_path, asset_version=lock_path.split("/")[2])
    state.expect_bytes = runtime_bytes(lock_path)
    write_manifest_module()
    if pyodide_cdn:
        version = manifest()["pyodide"]["version"]
        state.cdn = pyodide_cdn if isinstance(pyodide_cdn, str) else OFFICIAL_CDN.format(version=version)
    state.prerendered = prerender_all()
    return state


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
    """Run the prerender in a fresh interpreter, so it sees the current code."""
    from calculators.api import CALCULATORS

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "pipeline", "prerender", *CALCULATORS], capture_output=True,
                          text=True, cwd=REPO, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"prerendering the calculators failed:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout)


def runtime_bytes(lock_path: str, src: Path = SITE_ASSETS) -> int:
    """Bytes a first visit downloads to start Python: core files and the lock's wheels."""
    version = manifest()["pyodide"]["version"]
    core = src / "assets" / "pyodide" / version
    total = sum((core / n).stat().st_size for n in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"))
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
    text = ("// Written by the build (pipeline/site.py) from pipeline/runtime.toml.\n"
            f"export const VENDOR = {json.dumps(files, indent=2, sort_keys=True)};\n")
    vendor._write(src / "assets" / "playbook" / "manifest.mjs", text.encode())


def root_of(page_url: str) -> str:
    """Relative path from a page to the site root (``calculators/timeline/`` -> ``../../``)."""
    return "../" * page_url.count("/")


def page_html(html: str, page_url: str, state: BuildState) -> str:
    """Replace calculator and chart markers in a page's HTML."""
    root = root_of(page_url)

    def calc(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in state.prerendered:
            raise SystemExit(f"page {page_url or 'index'}: unknown calculator {name!r} in a marker; "
                             f"known: {', '.join(state.prerendered)}")
        version = manifest()["pyodide"]["version"]
        index_url = state.cdn or f"{root}assets/pyodide/{version}/"
        return render.calculator_html(
            name, state.prerendered[name], root=root, index_url=index_url, lock_url=root + state.lock_path,
            worker_url=f"{root}assets/playbook/worker.mjs?v={state.asset_version}", cdn=bool(state.cdn),
            expect_bytes=state.expect_bytes, wheel_url=root + wheel_of(state), version=state.asset_version)

    def chart(m: re.Match[str]) -> str:
        from .chapter_charts import figure

        return render.figure_html(m.group(1), figure(m.group(1)))

    def cli(m: re.Match[str]) -> str:
        return cli_help_html(m.group(1), cli_help(m.group(1)))

    html = CALC_MARKER.sub(calc, html)
    html = CLI_MARKER.sub(cli, html)
    return CHART_MARKER.sub(chart, html)


def cli_help(command: str | None = None) -> str:
    """The real ``python -m calculators [COMMAND] --help`` of this checkout, at a fixed width."""
    args = [command] if command else []
    env = {**os.environ, "COLUMNS": "88",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "calculators", *args, "--help"], capture_output=True, text=True,
                          cwd=REPO, env=env)
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
            if dest.exists() and dest.stat().st_size == path.stat().st_size and dest.stat().st_mtime >= path.stat().st_mtime:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            copied += path.stat().st_size
    return copied
