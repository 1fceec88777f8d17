"""A fork's overlay, ``company/``: settings, navigation, pages, assets and theme files over upstream's.

Upstream ships nothing in ``company/`` (at most a ``.gitkeep``), so a fork that
edits only files there merges every upstream release without a conflict. The
build applies it through the MkDocs hook (overrides/hooks/playbook.py), which
calls :func:`configure`, :func:`files` and :func:`page_markdown`; knowledge
(``company/data/``) is merged where it is loaded, by :mod:`calculators._overlay`.

- ``company/playbook.toml``: site settings, palette, ``extra.playbook`` settings,
  the content-test switch and navigation changes (see ``make company`` for a
  commented starter);
- ``company/docs/``: pages; a page with the path of an upstream page replaces it;
- ``company/assets/``: files published under ``assets/``; one with the path of an
  upstream asset (a logo, a stylesheet) replaces it;
- ``company/overrides/``: theme templates and partials, before ``overrides/``;
- ``company/data/<name>.toml``: partial records over each data file.

Every problem is one :class:`OverlayError` sentence naming the file and the entry,
raised before the build writes anything.
"""

from __future__ import annotations

import copy
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import REPO

COMPANY = REPO / "company"
SETTINGS = "playbook.toml"
SITE_KEYS = {
    "name": "site_name",
    "description": "site_description",
    "url": "site_url",
    "copyright": "copyright",
    "repo_url": "repo_url",
}
THEME_KEYS = ("language", "logo", "favicon")
SCHEMES = {"light": "default", "dark": "slate"}
SECTIONS = ("site", "palette", "playbook", "tests", "nav")


class OverlayError(Exception):
    """One sentence: the overlay's file, the entry and the problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}" if entry else f"{file}: {problem}")


@dataclass
class Overlay:
    root: Path
    settings: dict[str, Any] = field(default_factory=dict)
    #: Site path (``chapters/x.md``, ``assets/images/logo.svg``) -> the overlay's file.
    pages: dict[str, Path] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)
    links: Any = None  # RedirectLinks, while MkDocs renders

    @property
    def file(self) -> str:
        return f"company/{SETTINGS}"

    def nav(self) -> dict[str, Any]:
        nav = self.settings.get("nav", {})
        return nav if isinstance(nav, dict) else {}

    def hidden(self) -> list[str]:
        return list(self.nav().get("hide", []))

    def redirects(self) -> dict[str, str]:
        return dict(self.nav().get("redirect", {}))

    def fail(self, entry: str, problem: str) -> OverlayError:
        return OverlayError(self.file, entry, problem)


def _tree(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".gitkeep" and "__pycache__" not in p.parts
    }


def load(root: Path = COMPANY) -> Overlay | None:
    """The overlay at ``root``, or None when there is none (no folder, or only a ``.gitkeep``)."""
    if not root.is_dir() or not _tree(root):
        return None
    overlay = Overlay(root)
    path = root / SETTINGS
    if path.is_file():
        try:
            overlay.settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise overlay.fail("", f"not valid TOML ({exc})") from None
    for key in overlay.settings:
        if key not in SECTIONS:
            raise overlay.fail(f"[{key}]", f"unknown section; expected one of {', '.join(SECTIONS)}")
    overlay.pages = _tree(root / "docs")
    overlay.assets = {f"assets/{k}": v for k, v in _tree(root / "assets").items()}
    return overlay


def content_tests(root: Path = COMPANY) -> bool | None:
    """The content-test switch, ``[tests] content_tests``, read as data (None when the overlay does not set it)."""
    path = root / SETTINGS
    if not path.is_file():
        return None
    value = tomllib.loads(path.read_text(encoding="utf-8")).get("tests", {}).get("content_tests")
    return None if value is None else bool(value)


# ------------------------------------------------------------------ settings
def _section(overlay: Overlay, name: str) -> dict[str, Any]:
    value = overlay.settings.get(name, {})
    if not isinstance(value, dict):
        raise overlay.fail(name, f"must be a table [{name}]")
    return value


def _text(overlay: Overlay, entry: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise overlay.fail(entry, f"must be text, not {value!r}")
    return value


def apply_settings(config: Any, overlay: Overlay, published: set[str], *, env_url: bool) -> list[str]:
    """Site, theme, palette and ``extra.playbook`` settings into the MkDocs ``config``; return what changed."""
    said: list[str] = []
    site = _section(overlay, "site")
    for key, value in site.items():
        entry = f"[site] {key}"
        if key in SITE_KEYS:
            if key == "url" and env_url:
                continue  # SITE_URL (the publish workflow's Pages address) wins
            config[SITE_KEYS[key]] = _text(overlay, entry, value)
        elif key in THEME_KEYS:
            value = _text(overlay, entry, value)
            if key in ("logo", "favicon") and value not in published:
                raise overlay.fail(entry, f"{value!r} is not a file of the site: put it in company/{value}")
            config["theme"][key] = value
        elif key == "extra_css":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise overlay.fail(entry, 'must be a list of paths, e.g. ["assets/company.css"]')
            for css in value:
                if css not in published:
                    raise overlay.fail(entry, f"{css!r} is not a file of the site: put it in company/{css}")
            config["extra_css"] = [*config["extra_css"], *value]
        else:
            known = ", ".join([*SITE_KEYS, *THEME_KEYS, "extra_css"])
            raise overlay.fail(entry, f"unknown setting; expected one of {known}")
        said.append(f"sets {key} to {value!r}")
    said += _palette(config, overlay)
    extra = config["extra"].setdefault("playbook", {})
    for key, value in _section(overlay, "playbook").items():
        if key not in extra:
            raise overlay.fail(
                f"[playbook] {key}", f"unknown setting; mkdocs.yml's extra.playbook has {', '.join(extra)}"
            )
        if not isinstance(value, type(extra[key])) and not isinstance(extra[key], bool | str):
            raise overlay.fail(f"[playbook] {key}", f"must be {type(extra[key]).__name__}, not {value!r}")
        extra[key] = value
        said.append(f"sets extra.playbook.{key} to {value!r}")
    tests = _section(overlay, "tests")
    for key, value in tests.items():
        if key != "content_tests" or not isinstance(value, bool):
            raise overlay.fail(f"[tests] {key}", "the one setting here is content_tests = true or false")
        said.append(f"turns this playbook's content tests {'on' if value else 'off'}")
    return said


def _names(kind: str) -> set[str]:
    from .palette import _stylesheet

    return set(re.findall(rf"\[data-md-color-{kind}=([a-z-]+)\]", _stylesheet())) | {"custom"}


def _palette(config: Any, overlay: Overlay) -> list[str]:
    from .palette import AA, passing

    section = _section(overlay, "palette")
    both = {k: v for k, v in section.items() if not isinstance(v, dict)}
    said = []
    for name, scheme in SCHEMES.items():
        own = section.get(name, {})
        wanted = {**both, **(own if isinstance(own, dict) else {})}
        for key, value in wanted.items():
            entry = f"[palette{'.' + name if key in own else ''}] {key}"
            if key not in ("primary", "accent"):
                raise overlay.fail(
                    entry, "unknown setting; expected primary or accent (under [palette.light] or .dark)"
                )
            if not isinstance(value, str) or value.replace(" ", "-") not in _names(key):
                raise overlay.fail(
                    entry, f"{value!r} is not one of Material's colours: {', '.join(sorted(_names(key)))}"
                )
            named = value.replace(" ", "-")
            if key == "primary" and scheme == "default" and named != "custom" and named not in passing():
                raise overlay.fail(
                    entry, f"{value!r} fails the {AA}:1 contrast check; these pass: {', '.join(passing())}"
                )
            for entry_ in config["theme"]["palette"]:
                if entry_.get("scheme") == scheme:
                    entry_[key] = value
            said.append(f"sets the {name} scheme's {key} colour to {value}")
    for key in section:
        if key not in ("primary", "accent", *SCHEMES):
            raise overlay.fail(
                f"[palette] {key}", "unknown setting; expected primary, accent, [palette.light], [palette.dark]"
            )
    return said


# ------------------------------------------------------------------ navigation
def _entry_pages(item: Any) -> list[str]:
    if isinstance(item, str):
        return [item]
    if isinstance(item, dict):
        return [p for v in item.values() for p in _entry_pages(v)]
    if isinstance(item, list):
        return [p for v in item for p in _entry_pages(v)]
    return []


def _added(overlay: Overlay) -> list[dict[str, Any]]:
    adds = overlay.nav().get("add", [])
    if not isinstance(adds, list) or not all(isinstance(a, dict) for a in adds):
        raise overlay.fail("[[nav.add]]", "must be an array of tables, each with after and entry")
    return adds


def apply_nav(nav: list[Any], overlay: Overlay, upstream_pages: set[str]) -> tuple[list[Any], list[str]]:
    """Upstream's nav with the overlay's hides, renames and additions; and what changed, in words."""
    said: list[str] = []
    spec = overlay.nav()
    for key in spec:
        if key not in ("hide", "rename", "redirect", "add"):
            raise overlay.fail(f"[nav] {key}", "unknown setting; expected hide, rename, redirect or [[nav.add]]")
    listed = set(_entry_pages(nav))
    hide = overlay.hidden()
    for page in hide:
        if page not in listed:
            raise overlay.fail(f"[nav] hide {page!r}", "names no page of the navigation")
        said.append(f"hides {page}")
    for page, target in overlay.redirects().items():
        if page not in hide:
            raise overlay.fail(f"[nav.redirect] {page!r}", "only a hidden page (in hide) can be redirected")
        if target not in upstream_pages | set(overlay.pages):
            raise overlay.fail(f"[nav.redirect] {page!r}", f"{target!r} is not a page of the site")
    renames = dict(spec.get("rename", {}))
    for page in renames:
        if page not in listed:
            raise overlay.fail(f"[nav.rename] {page!r}", "names no page of the navigation")
        said.append(f"names {page} {renames[page]!r} in the navigation")

    def walk(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, str):
                page, title = item, None
            elif isinstance(item, dict) and len(item) == 1:
                title, page = next(iter(item.items()))
            else:
                out.append(item)
                continue
            if isinstance(page, list):
                out.append({title: walk(page)})
            elif page in hide:
                continue
            elif page in renames:
                out.append({renames[page]: page})
            else:
                out.append(item)
        return out

    nav = copy.deepcopy(nav)
    for n, add in enumerate(_added(overlay)):
        entry = f"[[nav.add]] number {n + 1}"
        after, item = add.get("after"), add.get("entry")
        if not isinstance(after, str) or item is None:
            raise overlay.fail(entry, 'needs after = "a page or section" and entry = { "Title" = "page.md" }')
        for page in _entry_pages(item):
            if page not in upstream_pages and page not in overlay.pages:
                raise overlay.fail(entry, f"{page!r} is neither an upstream page nor a page in company/docs/")
        if not _insert_after(nav, after, item):
            raise overlay.fail(entry, f"after = {after!r} names no page path or section title of the navigation")
        said.append(f"adds {', '.join(_entry_pages(item))} after {after}")
    return walk(nav), said  # hidden after the additions: an anchor may be a page the fork hides


def _insert_after(items: list[Any], anchor: str, new: Any) -> bool:
    for i, item in enumerate(items):
        title, value = next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (None, item)
        if value == anchor or title == anchor:
            items.insert(i + 1, new)
            return True
        if isinstance(value, list) and _insert_after(value, anchor, new):
            return True
    return False


# ------------------------------------------------------------------ pages and links
LINK = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)([^)\s>#]+\.md)(#[^)\s>]*)?", re.M)


def _target(page: str, link: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), link))


def check_pages(overlay: Overlay, upstream_pages: set[str], docs: Path) -> list[str]:
    """Shadowing, additions and links to hidden pages; what the overlay does to pages, in words."""
    said: list[str] = []
    wanted = {p for add in _added(overlay) for p in _entry_pages(add.get("entry"))} | set(overlay.redirects().values())
    for rel in overlay.pages:
        if rel in upstream_pages:
            said.append(f"replaces the page {rel}")
        elif rel.endswith(".md") and rel not in wanted:
            raise OverlayError(
                f"company/docs/{rel}",
                "",
                "replaces no upstream page and no [[nav.add]] lists it (is the path misspelt?)",
            )
        else:
            said.append(f"adds the page {rel}")
    hidden = set(overlay.hidden())
    redirects = overlay.redirects()
    sources = {rel: docs / rel for rel in upstream_pages if rel.endswith((".md", ".ipynb"))} | overlay.pages
    for rel, path in sorted(sources.items()):
        if rel in hidden or not rel.endswith((".md", ".ipynb")):
            continue
        for target in _links(rel, path):
            if target in hidden and (target not in redirects or rel.endswith(".ipynb")):
                where = f"company/docs/{rel}" if rel in overlay.pages else f"docs/{rel}"
                fix = (
                    "a notebook's links are not redirected"
                    if rel.endswith(".ipynb")
                    else "give it a replacement in [nav.redirect]"
                )
                raise overlay.fail(
                    f"[nav] hide {target!r}", f"{where} links to it; {fix}, or replace {where} in company/docs/"
                )
    return said


def anchors(markdown: str) -> set[str]:
    """The anchors a page's headings get (``toc``'s slugs, or an explicit ``{#id}``)."""
    from markdown.extensions.toc import slugify

    out = set()
    for m in re.finditer(r"^#{1,6}\s+(.*?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$", markdown, re.M):
        out.add(m.group(2) or slugify(m.group(1), "-"))
    return out


def _links(rel: str, path: Path) -> list[str]:
    """The pages a page links to (a notebook's by its site address, ``../../chapters/x/``, from its own folder)."""
    text = path.read_text(encoding="utf-8")
    if not rel.endswith(".ipynb"):
        return [_target(rel, m.group(2)) for m in LINK.finditer(text)]
    import json

    cells = json.loads(text).get("cells", [])
    words = "".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    base = rel.removesuffix(".ipynb") + "/"
    found = re.findall(r"\]\(\s*<?([^)\s>#]+/)(?:#[^)\s>]*)?", words)
    return [posixpath.normpath(posixpath.join(base, u)) + ".md" for u in found if not u.startswith(("http", "/"))]


def page_markdown(markdown: str, src_uri: str, overlay: Overlay | None) -> str:
    """Links to a hidden page go to its replacement (``[nav.redirect]``), with the section when it has it."""
    if overlay is None or not overlay.redirects():
        return markdown
    redirects = overlay.redirects()

    def swap(m: re.Match[str]) -> str:
        target = _target(src_uri, m.group(2))
        if target not in redirects:
            return m.group(0)
        new = redirects[target]
        source = overlay.pages.get(new) or overlay.root.parent / "docs" / new
        anchor = m.group(3) or ""
        keep = anchor if source.is_file() and anchor[1:] in anchors(source.read_text(encoding="utf-8")) else ""
        return m.group(1) + posixpath.relpath(new, posixpath.dirname(src_uri) or ".") + keep

    return LINK.sub(swap, markdown)


class RedirectLinks:
    """A Markdown extension: links to a hidden page go to its replacement, in a page and in what it includes.

    Its preprocessor runs after ``pymdownx.snippets`` has put included files in (priority 32), before
    Markdown sets raw HTML blocks aside (20: links in ``md_in_html`` blocks are rewritten too), and before
    MkDocs checks the links; the hook tells it which page is being rendered (links are relative to it).
    """

    def __init__(self, overlay: Overlay) -> None:
        from markdown.extensions import Extension
        from markdown.preprocessors import Preprocessor

        self.page = ""
        outer = self

        class Rewrite(Preprocessor):  # type: ignore[misc]
            def run(self, lines: list[str]) -> list[str]:
                return page_markdown("\n".join(lines), outer.page, overlay).split("\n")

        class Ext(Extension):  # type: ignore[misc]
            def extendMarkdown(self, md: Any) -> None:
                md.preprocessors.register(Rewrite(md), "pb-redirect-links", 25)  # see above

        self.extension = Ext()
