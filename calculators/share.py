"""Share links: a calculator's whole input in the URL fragment.

The fragment is ``#i=`` followed by the input object as compact JSON, UTF-8,
base64url without padding. The page writes it on every change and reads it on
load; Python decodes the same format (for instance to merge the answers of
several respondents pasted as links).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from .errors import InputError

MAX_FRAGMENT = 65_536  # characters; longer fragments are refused, not parsed


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
        frag = text.split("#", 1)[1] if "#" in text else text
        params = dict(p.split("=", 1) for p in frag.split("&") if "=" in p)
        if "i" not in params:
            raise InputError(f"{field} holds no calculator input (expected '#i=...')", field=field)
        try:
            b = params["i"]
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
