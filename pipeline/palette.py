"""Material's primary colours and their contrast with the header's text (WCAG 2).

Read from the installed theme's own palette stylesheet, so the table on the
"Make it your own" page and the colour the fork test picks cannot drift from
the colours a build really uses.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

#: WCAG 2 AA for normal text: the header, the tabs and links in the light scheme use the primary colour.
AA = 4.5


def _rgba(colour: str) -> tuple[float, float, float, float]:
    """'#4051b5', '#fff' or '#000000de' -> (r, g, b, alpha) in 0..1."""
    hexa = colour.lstrip("#")
    if len(hexa) in (3, 4):
        hexa = "".join(c * 2 for c in hexa)
    alpha = int(hexa[6:8], 16) / 255 if len(hexa) == 8 else 1.0
    return int(hexa[0:2], 16) / 255, int(hexa[2:4], 16) / 255, int(hexa[4:6], 16) / 255, alpha


def _rgb(colour: str) -> tuple[float, float, float]:
    r, g, b, _ = _rgba(colour)
    return r, g, b


def over(text: str, background: str) -> str:
    """A translucent text colour as it shows on an opaque background.

    >>> over("#00000080", "#ffffff")
    '#7f7f7f'
    """
    r, g, b, a = _rgba(text)
    R, G, B = _rgb(background)
    mixed = (r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a))
    return "#" + "".join(f"{int(c * 255):02x}" for c in mixed)


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours.

    >>> round(contrast("#ffffff", "#000000"), 1)
    21.0
    >>> round(contrast("#4051b5", "#fff"), 1)
    6.9
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _stylesheet() -> str:
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return next(folder.glob("palette.*.min.css")).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def primaries() -> dict[str, tuple[str, str, str]]:
    """``{primary name: (header colour, header text colour, link colour on white)}`` in the light scheme."""
    css = _stylesheet()
    out: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if "data-md-color-scheme=slate]" in selectors and ":not(" not in selectors:
            continue  # the dark scheme's own link colours
        for name in re.findall(r"\[data-md-color-primary=([a-z-]+)\]", selectors):
            for var, value in re.findall(
                r"--md-(primary-fg-color|primary-bg-color|typeset-a-color):(#[0-9a-f]{3,8})\b", body
            ):
                out.setdefault(name, {})[var] = value
    return {
        name: (
            v["primary-fg-color"],
            over(v.get("primary-bg-color", "#fff"), v["primary-fg-color"]),
            v.get("typeset-a-color", v["primary-fg-color"]),
        )
        for name, v in sorted(out.items())
        if "primary-fg-color" in v
    }


def ratios(name: str) -> tuple[float, float]:
    """(header text on the header, links on the white page) for one primary."""
    header, text, link = primaries()[name]
    return contrast(header, text), contrast(link, "#ffffff")


def passing(minimum: float = AA) -> list[str]:
    """Primaries whose header text and links both reach ``minimum``."""
    return [name for name in primaries() if min(ratios(name)) >= minimum]


def table_markdown() -> str:
    """The contrast table the "Make it your own" page shows."""
    rows = [
        "| `primary` | header | header text | text contrast | link contrast | 4.5:1 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, (header, text, _) in primaries().items():
        head, link = ratios(name)
        shade = "white" if luminance(text) > 0.5 else "black"
        verdict = "passes" if min(head, link) >= AA else "fails"
        rows.append(f"| `{name}` | `{header}` | {shade} | {head:.1f}:1 | {link:.1f}:1 | {verdict} |")
    return "\n".join(rows)
