"""Site-relative link targets: the one check shared by the view blocks and the data-file loaders.

A link a calculator shows points inside the site (``chapters/roles/``), never to another
host or a script. :mod:`calculators.view` checks every ``links`` block with it, and a data
file's loader checks the links a fork writes, so a bad one stops the build with its entry.

Examples
--------
>>> check_href("chapters/roles/#hiring")
'chapters/roles/#hiring'
>>> check_href("javascript:alert(1)")
Traceback (most recent call last):
...
ValueError: unsafe link target 'javascript:alert(1)'
"""

from __future__ import annotations

import re

_SAFE_HREF = re.compile(r"^(?:\.\./|\./)*[A-Za-z0-9_\-./]*(?:#[A-Za-z0-9_\-]*)?$")


def check_href(href: str) -> str:
    """``href`` if it is a safe site-relative target, else ``ValueError`` naming it."""
    if not isinstance(href, str) or not _SAFE_HREF.match(href) or href.startswith("//"):
        raise ValueError(f"unsafe link target {href!r}")
    return href
