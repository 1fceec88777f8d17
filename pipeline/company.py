"""``python -m pipeline company``: check a fork's overlay (``company/``) and say what it changes; the MkDocs side.

``--check`` validates everything the overlay holds (settings, navigation,
pages, knowledge) without building, and lists its changes in words. The hook
calls :func:`configure` (settings and navigation into the config, every check,
before anything is written) and :func:`files` (the overlay's pages, assets and
theme files over upstream's). ``--init`` writes the starter (``make company``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import overlay as ov
from .paths import REPO

DOCS = REPO / "docs"
DATA_DIRS = (REPO / "calculators" / "data", REPO / "docs" / "_data")


def upstream_pages(docs: Path = DOCS) -> set[str]:
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}


def _published(overlay: ov.Overlay, docs: Path = DOCS) -> set[str]:
    theme_assets = {
        p.relative_to(REPO / "overrides").as_posix() for p in (REPO / "overrides" / "assets").rglob("*") if p.is_file()
    }
    return upstream_pages(docs) | set(overlay.pages) | set(overlay.assets) | theme_assets


def apply(config: Any, overlay: ov.Overlay, *, env_url: bool) -> list[str]:
    """Settings, navigation and page checks on a MkDocs config (a mapping); what the overlay changes, in words."""
    pages = upstream_pages()
    said = ov.apply_settings(config, overlay, _published(overlay), env_url=env_url)
    if config.get("nav"):
        config["nav"], nav_said = ov.apply_nav(config["nav"], overlay, pages)
        said += nav_said
    said += ov.check_pages(overlay, pages, DOCS)
    for rel in overlay.assets:
        said.append(f"{'replaces' if rel in _published(ov.Overlay(overlay.root)) else 'adds'} the file {rel}")
    if ov._tree(overlay.root / "overrides"):
        said.append("puts company/overrides/ before the theme's templates")
    return said


# ------------------------------------------------------------------ knowledge
def _data_names() -> dict[str, str]:
    return {p.name: p.relative_to(REPO).as_posix() for d in DATA_DIRS for p in sorted(d.glob("*.toml"))}


def knowledge(root: Path = ov.COMPANY) -> list[str]:
    """Merge and validate every data file the overlay changes; what it changes, in words.

    Run in a fresh interpreter (``python -m pipeline company --knowledge``): the
    calculators cache what they load.
    """
    from calculators import _data, api
    from calculators._overlay import blame, describe, referrer_name, referrers
    from calculators.errors import DataFileError, InputError

    from . import chapter_charts

    names = _data_names()
    files = sorted((root / "data").glob("*.toml")) if (root / "data").is_dir() else []
    for path in files:
        if path.name not in names:
            raise ov.OverlayError(
                f"company/data/{path.name}", "", f"no upstream data file has this name ({', '.join(names)})"
            )
    try:
        tables = {name: _data.load_toml(name) for name, rel in names.items() if rel.startswith("calculators/")}
        charts = chapter_charts.DATA_FILE
        raw = _data.Reader(names["charts.toml"]).parse(charts.read_text(encoding="utf-8"))
        tables["charts.toml"] = _data.merged(raw, "charts.toml", names["charts.toml"])
        for merged in _data.MERGES.values():
            for kind, ident in merged.removed:
                for name, table in tables.items():
                    if names[name] == merged.over:
                        continue
                    users = sorted(set(referrers(table, ident)))
                    if users:
                        raise DataFileError(
                            merged.file,
                            f"remove {ident!r}",
                            f"{kind} {ident!r} is removed, but {referrer_name(*users[0])} in {names[name]} "
                            f"still refers to it; change that record too (in company/data/{name})",
                        )
        _data_links_to_hidden(root, {name: table for name, table in tables.items()}, names)
        for calc_name in api.CALCULATORS:
            calc = api.get(calc_name)
            calc.form()
            calc.default_input()
            for example in calc.examples():
                try:
                    calc.parse(example["input"])
                except InputError as exc:
                    over = next((m for m in _data.MERGES.values() if example["id"] in m.touched()), None)
                    where = over.file if over else f"the {calc_name} data file"
                    raise ov.OverlayError(where, f"example {example['id']!r}", str(exc)) from None
        chapter_charts.load()
    except DataFileError as exc:
        raise blame(exc, _data.MERGES.get(exc.file)) from None
    said = []
    for merged in _data.MERGES.values():
        said += [f"{merged.file} {line}" for line in describe(merged)]
    return said


def _data_links_to_hidden(root: Path, tables: dict[str, Any], names: dict[str, str]) -> None:
    """A link in the knowledge (an archetype's reading list) to a page the overlay hides stops the check."""
    overlay = ov.load(root)
    hidden = {h.removesuffix(".md").removesuffix("index") + "/": h for h in (overlay.hidden() if overlay else [])}
    if not hidden:
        return

    def strings(value: Any, path: str):
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from strings(v, f"{path}.{k}" if path else k)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v, path)

    for name, table in tables.items():
        for kind, records in table.items():
            for record in records if isinstance(records, list) else [records]:
                for where, text in strings(record, ""):
                    url = text.lstrip("/").split("#")[0]
                    if url in hidden:
                        who = f"{kind} {record.get('id')!r}" if isinstance(record, dict) and "id" in record else kind
                        raise overlay.fail(  # type: ignore[union-attr]
                            f"[nav] hide {hidden[url]!r}",
                            f"{who} ({where}) in {names[name]} links to it; change that link in company/data/{name}",
                        )


def check_knowledge_in_fresh_process() -> list[str]:
    """:func:`knowledge` in a fresh interpreter, so a serve process sees the current files."""
    if not any((ov.COMPANY / "data").glob("*.toml")):
        return []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "company", "--knowledge"], capture_output=True, text=True, cwd=REPO, env=env
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise ValueError(lines[-1] if lines else "company/data: the knowledge check failed")
    return proc.stdout.splitlines()


# ------------------------------------------------------------------ MkDocs
def configure(config: Any) -> ov.Overlay | None:
    """Apply the overlay to MkDocs' ``config`` and check all of it; None when there is no overlay."""
    overlay = ov.load()
    if overlay is None:
        return None
    apply(config, overlay, env_url=bool(os.environ.get("SITE_URL")))
    check_knowledge_in_fresh_process()
    if ov._tree(overlay.root / "overrides"):
        config["theme"].dirs.insert(0, str(overlay.root / "overrides"))
    if overlay.redirects():
        overlay.links = ov.RedirectLinks(overlay)
        config["markdown_extensions"].append(overlay.links.extension)
    return overlay


def files(files: Any, config: Any, overlay: ov.Overlay | None) -> Any:
    """The overlay's pages and assets over upstream's; hidden pages left out."""
    if overlay is None:
        return files
    from mkdocs.structure.files import File

    for hidden in overlay.hidden():
        if (old := files.get_file_from_path(hidden)) is not None:
            files.remove(old)
    for folder, tree in (("docs", overlay.pages), ("", overlay.assets)):
        src = overlay.root / folder if folder else overlay.root
        for rel in tree:
            if (old := files.get_file_from_path(rel)) is not None:
                files.remove(old)
            files.append(File(rel, str(src), config["site_dir"], config["use_directory_urls"]))
    return files


# ------------------------------------------------------------------ command line
def report(root: Path = ov.COMPANY) -> list[str]:
    """Everything ``--check`` says, for the overlay at ``root`` and this checkout's mkdocs.yml."""
    overlay = ov.load(root)
    if overlay is None:
        return []
    config = read_mkdocs_yml()
    return apply(config, overlay, env_url=False) + knowledge(root)


def read_mkdocs_yml(path: Path = REPO / "mkdocs.yml") -> dict[str, Any]:
    """mkdocs.yml as plain data (its ``!ENV`` tags read as their default)."""
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc]
        pass

    def tag(loader: Any, suffix: str, node: Any) -> Any:
        value = (
            loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)
        )
        return value[-1] if isinstance(value, list) else value

    Loader.add_multi_constructor("!", tag)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def main(args: Any) -> int:
    try:
        if args.init:
            from .starter import write

            for line in write(ov.COMPANY):
                print(line)
            return 0
        lines = knowledge() if args.knowledge else report()
    except (ov.OverlayError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not args.knowledge:
        if ov.load() is None:
            print("company/: no overlay (upstream as shipped)")
        else:
            print("company/ overlay:" if lines else "company/ overlay: changes nothing yet (all commented out)")
    for line in lines:
        print(f"  {line}" if not args.knowledge else line)
    return 0
