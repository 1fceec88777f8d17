"""Share links: a calculator's whole input in the URL fragment.

The fragment is ``#i=`` followed by the input object as compact JSON, UTF-8,
base64url without padding. The page writes it on every change and reads it on
load (``overrides/assets/playbook/state.mjs``, its twin); Python decodes the same
format. The edge decodes links pasted into a form field (:func:`decode_lines`,
called by :func:`calculators.api.compute` for a field marked ``share_links``),
so that no calculator knows the page's URL format.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from typing import Any

from .errors import InputError

MAX_FRAGMENT = 65_536  # characters; longer fragments are refused, not parsed
MAX_LINES_TEXT = 500_000  # characters of pasted links (:func:`decode_lines`); longer text is refused


def encode(data: dict[str, Any]) -> str:
    """The fragment (without ``#``) for ``data``.

    Examples
    --------
    >>> encode({"answers": {"q": "a"}})
    'i=eyJhbnN3ZXJzIjp7InEiOiJhIn19'
    >>> decode("https://example.org/calculators/archetype/#" + encode({"answers": {"q": "a"}}))
    {'answers': {'q': 'a'}}
    """
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    return "i=" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(link: str, *, field: str = "link") -> dict[str, Any]:
    """The input object held by a share link, a bare fragment, or a JSON object text.

    Parameters
    ----------
    link : str
        A whole share link (``https://.../#i=...``), its fragment (``i=...``), or
        the input object as JSON text.
    field : str
        The field name used in error messages (default ``"link"``).

    Returns
    -------
    dict
        The calculator input object.

    Raises
    ------
    calculators.errors.InputError
        The text holds no input, cannot be decoded, or is longer than :data:`MAX_FRAGMENT`.

    Examples
    --------
    >>> decode("https://example.org/calculators/feedback/#i=eyJjb3N0X2FzayI6MX0")
    {'cost_ask': 1}
    >>> decode('{"answers": {}}')
    {'answers': {}}
    >>> decode("https://example.org/calculators/feedback/")
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: link: link holds no calculator input (expected '#i=...')
    """
    if not isinstance(link, str):
        raise InputError(f"{field} must be text", field=field)
    text = link.strip()
    if len(text) > MAX_FRAGMENT:
        raise InputError(f"{field} is {len(text):,} characters; the limit is {MAX_FRAGMENT:,}", field=field)
    if text.startswith("{"):
        payload = text
    else:
        try:
            frag = urllib.parse.urlsplit(text).fragment if "#" in text else text
        except ValueError:  # a malformed URL (an unclosed IPv6 bracket, for instance)
            raise InputError(f"{field} is not a valid share link (cannot read it)", field=field) from None
        # "+" stays a "+" (base64's own character, as the page reads it), not a space as in a query string
        pairs = urllib.parse.parse_qsl(frag.replace("+", "%2B"), keep_blank_values=True)
        values = [v for k, v in pairs if k == "i"]
        if not values:
            raise InputError(f"{field} holds no calculator input (expected '#i=...')", field=field)
        try:
            b = values[0]
            payload = base64.urlsafe_b64decode(b + "=" * (-len(b) % 4)).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise InputError(f"{field} is not a valid share link (cannot decode it)", field=field) from None
    try:
        data = json.loads(payload)
    except json.JSONDecodeError:
        raise InputError(f"{field} is not a valid share link (not JSON)", field=field) from None
    if not isinstance(data, dict):
        raise InputError(f"{field} must hold a JSON object", field=field)
    return data


def decode_lines(text: str, *, field: str) -> list[dict[str, Any]]:
    """Each non-blank line of ``text`` decoded: ``{"line": n, "input": {...}}`` or ``{"line": n, "error": ...}``.

    The edge's half of a form field that holds share links, one per line (a group's
    answers pasted by a team lead): :func:`calculators.api.compute` replaces the field's
    text with this list before the calculator validates it, so the calculator sees input
    objects (or which line could not be read), never the page's URL format. Lines count
    from 1, blank lines included, as the reader sees them.

    Raises
    ------
    calculators.errors.InputError
        ``text`` is longer than :data:`MAX_LINES_TEXT` (the message names ``field``).

    Examples
    --------
    >>> link = "https://example.org/calculators/archetype/#i=eyJhbnN3ZXJzIjp7fX0"
    >>> decode_lines(link + "\\n\\nnope", field="merge")  # doctest: +NORMALIZE_WHITESPACE
    [{'line': 1, 'input': {'answers': {}}},
     {'line': 3, 'error': "line 3 holds no calculator input (expected '#i=...')"}]
    """
    if len(text) > MAX_LINES_TEXT:
        raise InputError(f"{field} is {len(text):,} characters long; the limit is {MAX_LINES_TEXT:,}", field=field)
    out: list[dict[str, Any]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append({"line": n, "input": decode(line, field=f"line {n}")})
        except InputError as exc:
            out.append({"line": n, "error": exc.errors[0].message})
    return out
