"""HTML for what the build writes into pages: calculator roots and chart figures.

The browser draws the same view blocks with DOM calls (overrides/assets/playbook/
blocks.mjs); both produce the same elements and classes, so a prerendered result
and a live one look alike. Every string is escaped: blocks carry text, never HTML.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def json_data(data: Any, cls: str) -> str:
    """JSON for the page script, in an attribute of a hidden element.

    Not a ``<script type="application/json">``: Material's instant navigation
    re-creates every script in the new page without its ``type`` and would run
    the JSON as code (and a strict CSP would refuse it). Attributes are also
    left out of the search index.
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return f'<div class="{cls}" hidden data-json="{_e(text)}"></div>'


def block_html(block: dict[str, Any], *, root: str = "") -> str:
    """One view block as HTML. ``root`` is the relative path to the site root."""
    kind = block["type"]
    if kind == "summary":
        return f'<p class="pb-block pb-block--summary">{_e(block["text"])}</p>'
    if kind == "heading":
        return f'<h3 class="pb-block pb-block--heading">{_e(block["text"])}</h3>'
    if kind == "paragraph":
        return f'<p class="pb-block pb-block--paragraph">{_e(block["text"])}</p>'
    if kind == "metrics":
        items = "".join(
            f'<div class="pb-metric"><dt class="pb-metric__label">{_e(i["label"])}</dt>'
            f'<dd class="pb-metric__value">{_e(i["value"])}</dd>'
            + (f'<dd class="pb-metric__hint">{_e(i["hint"])}</dd>' if i.get("hint") else "")
            + "</div>"
            for i in block["items"]
        )
        return f'<dl class="pb-block pb-block--metrics">{items}</dl>'
    if kind == "table":
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in block["columns"])
        body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in block["rows"])
        return (
            f'<div class="pb-block pb-block--table"><table tabindex="0"><caption>{_e(block["caption"])}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )
    if kind == "list":
        tag = "ol" if block.get("ordered") else "ul"
        items = "".join(f"<li>{_e(i)}</li>" for i in block["items"])
        return f'<{tag} class="pb-block pb-block--list">{items}</{tag}>'
    if kind == "links":
        items = "".join(f'<li><a href="{_e(root + i["href"])}">{_e(i["text"])}</a></li>' for i in block["items"])
        return f'<ul class="pb-block pb-block--links">{items}</ul>'
    if kind == "notice":
        return f'<p class="pb-block pb-block--notice pb-block--{_e(block["level"])}">{_e(block["text"])}</p>'
    if kind == "chart":
        title = f'<figcaption class="pb-chart__caption">{_e(block["title"])}</figcaption>' if block.get("title") else ""
        return (
            f'<figure class="pb-block pb-block--chart pb-chart" data-chart="{_e(block["chart"])}">'
            f'{title}<div class="pb-chart__view" role="img" aria-label="{_e(block["alt"])}"></div>'
            f'<p class="pb-chart__alt">{_e(block["alt"])}</p></figure>'
        )
    if kind == "actions":
        items = "".join(f"<li>{_e(i)}</li>" for i in block["items"])
        return (
            f'<section class="pb-block pb-block--actions"><h3 class="pb-block__title">What to do next</h3>'
            f"<ul>{items}</ul></section>"
        )
    if kind == "method":
        inner = "".join(block_html(b, root=root) for b in block["blocks"])
        return f'<details class="pb-block pb-block--method"><summary>{_e(block["title"])}</summary>{inner}</details>'
    if kind == "download":
        return (
            f'<p class="pb-block pb-block--download"><button type="button" class="md-button pb-download" disabled '
            f'data-filename="{_e(block["filename"])}">{_e(block["label"])}</button></p>'
        )
    raise ValueError(f"unknown view block type {kind!r}")


def blocks_html(blocks: list[dict[str, Any]], *, root: str = "") -> str:
    return "\n".join(block_html(b, root=root) for b in blocks)


def calculator_html(
    name: str,
    prerendered: dict[str, Any],
    *,
    root: str,
    index_url: str,
    lock_url: str,
    worker_url: str,
    cdn: bool,
    expect_bytes: int,
    wheel_url: str,
    version: str = "",
) -> str:
    """The calculator root element with its prerendered result."""
    config = {
        **prerendered["config"],
        "charts": prerendered["charts"],
        "result": prerendered["result"],
        "view": prerendered["view"],
        "wheel": wheel_url,
    }
    # One runtime-config attribute, read by early.js and by the page modules (config.mjs).
    # returningKey: where runtime.mjs notes a started runtime's lock file for early.js (defined once, here).
    runtime = {
        "returningKey": "pb:runtime-started",
        "indexURL": index_url,
        "lockURL": lock_url,
        "workerURL": worker_url,
        "wheelURL": wheel_url,
        "cdn": cdn,
        "expectBytes": expect_bytes,
    }
    return (
        f'<div class="pb-calc" data-calculator="{_e(name)}" data-state="prerendered" '
        f'data-runtime="{_e(json.dumps(runtime, separators=(",", ":")))}" data-root="{_e(root)}">\n'
        + json_data(config, "pb-calc__config")
        + "\n"
        '<div class="pb-calc__inputs"><noscript><p class="pb-calc__noscript">This calculator needs JavaScript '
        "to change its inputs. The result below was computed for the example inputs when the page was built."
        "</p></noscript></div>\n"
        '<p class="pb-calc__status" role="status" aria-live="polite">Result for the example inputs, '
        "computed when this page was built. Change any input to recompute it in your browser.</p>\n"
        # A level-2 heading: the result's own headings (h3) follow it, never the page's h1 directly.
        f'<h2 class="pb-calc__heading" id="pb-result-{_e(name)}">Result</h2>\n'
        f'<section class="pb-calc__result" aria-live="polite" aria-labelledby="pb-result-{_e(name)}">\n'
        + blocks_html(prerendered["view"], root=root)
        + "\n</section>\n</div>\n"
        # Starts Python during parsing when this calculator is already in view (see early.js).
        f'<script src="{_e(root)}assets/playbook/early.js?v={_e(version)}"></script>'
    )
