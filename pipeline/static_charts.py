"""Chapter charts as static SVG, drawn at build time, and their figure in the page.

:func:`draw_svg` renders a chart's Vega-Lite spec with ``vl-convert`` (Vega
bundled, no browser, no network) in each of :data:`PALETTES`; the result is
cached on disk by content. :func:`figure_html` writes the figure: one ``<img>``
per palette (the stylesheet shows the one in use), the caption, the data table.
:class:`pipeline.chapter_charts.StaticCharts` fills a build's chart markers with them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from .chart_record import Figure
from .paths import BUILD

#: Where drawn SVGs are kept between builds (keyed on the spec, the palette and the renderer).
SVG_CACHE = BUILD / "chart-svg"
#: Where the SVGs go in the site.
SVG_DIR = "assets/charts"
#: The drawing width in CSS pixels; the image scales to the column (its height follows).
WIDTH = 520
CHART_MARKER = re.compile(r"<!--\s*chart:\s*([a-z_]+)\s*-->")
_FONT = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"
#: Colours of text, axes and grid in each palette: Material's default and slate schemes.
PALETTES: dict[str, dict[str, str]] = {
    "light": {"fg": "rgba(0,0,0,0.87)", "muted": "rgba(0,0,0,0.62)", "grid": "rgba(0,0,0,0.09)"},
    "dark": {"fg": "hsla(232,15%,90%,0.87)", "muted": "hsla(232,15%,90%,0.66)", "grid": "hsla(232,15%,90%,0.12)"},
}

# --------------------------------------------------------------------------
# Static SVG (build time) and the figure's HTML
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawing:
    """One chart drawn in one palette: the SVG text, its size and a short content hash."""

    palette: str
    svg: str
    width: int
    height: int
    digest: str

    def filename(self, name: str) -> str:
        return f"{name}.{self.palette}.svg"


def _palette_config(palette: str) -> dict[str, Any]:
    c = PALETTES[palette]
    return {
        "background": None,
        "font": _FONT,
        "view": {"stroke": None},
        "axis": {
            "labelColor": c["muted"],
            "titleColor": c["fg"],
            "gridColor": c["grid"],
            "domainColor": c["muted"],
            "tickColor": c["muted"],
            "labelFontSize": 12,
            "titleFontSize": 12,
        },
        "legend": {"labelColor": c["muted"], "titleColor": c["fg"], "labelFontSize": 12},
        "title": {"color": c["fg"]},
        "text": {"color": c["fg"]},
        "header": {"labelColor": c["fg"], "titleColor": c["fg"]},
    }


def _vl_version(spec: dict[str, Any]) -> str:
    """The Vega-Lite minor version the spec was written for (``6.4``), as vl-convert names it."""
    found = re.search(r"/v(\d+)\.(\d+)", spec.get("$schema", ""))
    return f"{found.group(1)}.{found.group(2)}" if found else "6.4"


def draw_svg(fig: Figure, palette: str, *, cache: Path | None = SVG_CACHE) -> Drawing:
    """Draw ``fig`` in ``palette`` ("light" or "dark") as SVG with vl-convert (cached on disk).

    The spec's ``width: "container"`` becomes :data:`WIDTH`; the page scales the
    image to its column. Interaction (tooltips) is dropped: the data table
    beside the chart carries every number.
    """
    import vl_convert

    spec = {**fig.spec, "width": WIDTH, "config": _palette_config(palette)}
    version = _vl_version(spec)
    renderer = getattr(vl_convert, "__version__", "")
    key = hashlib.sha256(json.dumps([spec, version, renderer], sort_keys=True).encode()).hexdigest()
    path = cache / f"{key[:32]}.svg" if cache else None
    if path is not None and path.exists():
        svg = path.read_text(encoding="utf-8")
    else:
        svg = vl_convert.vegalite_to_svg(spec, vl_version=version)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not size:
        raise ValueError(f"the renderer returned no SVG size for {palette} chart")
    digest = hashlib.sha256(svg.encode()).hexdigest()[:10]
    return Drawing(palette, svg, round(float(size.group(1))), round(float(size.group(2))), digest)


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def img_html(name: str, d: Drawing, alt: str, root: str) -> str:
    """One palette's drawing as an ``<img>`` addressed from a page ``root`` away from the site root."""
    return (
        f'<img class="pb-chart__img pb-chart__img--{d.palette}" '
        f'src="{_e(root)}{SVG_DIR}/{_e(d.filename(name))}?v={d.digest}" width="{d.width}" height="{d.height}" '
        f'alt="{_e(alt)}" loading="lazy" decoding="async">'
    )


def figure_html(name: str, fig: Figure, drawings: list[Drawing], *, root: str = "") -> str:
    """The static chart as HTML: one ``<img>`` per palette, the caption, then the data table.

    The ``<figure>`` holds the images and ends with its ``<figcaption>``; the
    table (a ``<details>``) follows the figure inside one wrapper, so the figure
    stays valid HTML. Width and height on the images reserve the chart's space
    before it loads (no layout shift); the hidden palette's image is lazy and
    never fetched.
    """
    images = "".join(img_html(name, d, fig.alt, root) for d in drawings)
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in fig.columns)
    body = "".join(
        "<tr>" + f'<th scope="row">{_e(row[0])}</th>' + "".join(f"<td>{_e(v)}</td>" for v in row[1:]) + "</tr>"
        for row in fig.rows
    )
    return (
        f'<div class="pb-chart-block" data-chart="{_e(name)}">\n'
        f'<figure class="pb-chart pb-chart--static" data-chart="{_e(name)}">\n'
        f'<div class="pb-chart__frame">{images}</div>\n'
        f'<figcaption class="pb-chart__caption">{_e(fig.caption)}</figcaption>\n'
        "</figure>\n"
        f'<details class="pb-chart__data"><summary>The data behind this chart</summary>'
        f'<div class="pb-block--table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        "</details>\n</div>"
    )
