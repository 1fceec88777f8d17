"""The result view: a small list of typed blocks that every front end draws.

A calculator turns its result into blocks; the build renders them to HTML
(prerendered page), the browser renders the very same blocks with DOM calls
(``textContent`` only), and the command line ignores them. Blocks hold plain
text, never HTML.

Block types (each a dict with ``"type"``):

A result reads in this order: ``summary`` (the headline answer, plain words, no
ids, formulas or citations), ``metrics`` (two to four key figures, formatted with
:mod:`calculators._format` like the headline), ``actions`` ("What to do next"),
then the details (tables, charts, lists, notices, links), and last ``method``
("How this is computed": formulas, sources, model parameters).

``summary``   ``text``: the headline answer, read out by screen readers.
``actions``   ``items`` (list of str): one to three next steps derived from this result.
``method``    ``title``, ``blocks``: a collapsed section; its blocks are paragraph,
              list, table or links blocks.
``heading``   ``text``.
``paragraph`` ``text``.
``metrics``   ``items``: list of ``{"label", "value", "hint"?}``.
``table``     ``caption``, ``columns`` (list of str), ``rows`` (list of lists of str).
``list``      ``items`` (list of str), ``ordered`` (bool).
``links``     ``items``: list of ``{"text", "href"}`` (site-relative hrefs only).
``notice``    ``level`` (``info``, ``warning``), ``text``.
``chart``     ``chart`` (template name in :mod:`calculators.charts`), ``data``
              (``{dataset name: [rows]}``), ``alt`` (text alternative), ``title``.
``download``  ``label``, ``filename``, ``mime``, ``content`` (str).
"""

from __future__ import annotations

from typing import Any

from ._links import check_href

Block = dict[str, Any]


def summary(text: str) -> Block:
    return {"type": "summary", "text": text}


def actions(items: list[str]) -> Block:
    """ "What to do next": one to three actions derived from this result.

    >>> actions(["Split the riskiest task."])["type"]
    'actions'
    """
    items = [str(i) for i in items if str(i).strip()]
    if not 1 <= len(items) <= 3:
        raise ValueError(f"actions takes one to three items, not {len(items)}")
    return {"type": "actions", "items": items}


METHOD_BLOCKS = ("paragraph", "list", "table", "links")


def method(blocks: list[Block], *, title: str = "How this is computed") -> Block:
    """The collapsed "How this is computed" section: formulas, sources, parameters.

    >>> method([paragraph("P85 is computed over the runs that succeed.")])["title"]
    'How this is computed'
    """
    for b in blocks:
        if b.get("type") not in METHOD_BLOCKS:
            raise ValueError(f"a method section holds {', '.join(METHOD_BLOCKS)} blocks, not {b.get('type')!r}")
    return {"type": "method", "title": title, "blocks": list(blocks)}


def heading(text: str) -> Block:
    return {"type": "heading", "text": text}


def paragraph(text: str) -> Block:
    return {"type": "paragraph", "text": text}


def metrics(*items: tuple[str, str] | tuple[str, str, str]) -> Block:
    out = []
    for item in items:
        entry = {"label": item[0], "value": item[1]}
        if len(item) > 2:
            entry["hint"] = item[2]
        out.append(entry)
    return {"type": "metrics", "items": out}


def table(caption: str, columns: list[str], rows: list[list[Any]]) -> Block:
    return {"type": "table", "caption": caption, "columns": list(columns), "rows": [[str(v) for v in r] for r in rows]}


def bullet_list(items: list[str], *, ordered: bool = False) -> Block:
    return {"type": "list", "ordered": ordered, "items": list(items)}


def links(items: list[tuple[str, str]]) -> Block:
    """Links to pages of the site; ``href`` is relative to the site root (``chapters/roles/``)."""
    for _, href in items:
        check_href(href)
    return {"type": "links", "items": [{"text": t, "href": h} for t, h in items]}


def notice(text: str, *, level: str = "info") -> Block:
    if level not in ("info", "warning"):
        raise ValueError(f"notice level must be info or warning, not {level!r}")
    return {"type": "notice", "level": level, "text": text}


def chart(name: str, data: dict[str, list[dict[str, Any]]], *, alt: str, title: str = "") -> Block:
    return {"type": "chart", "chart": name, "data": data, "alt": alt, "title": title}


def download(label: str, filename: str, content: str, *, mime: str = "application/json") -> Block:
    return {"type": "download", "label": label, "filename": filename, "mime": mime, "content": content}
