"""Chart templates: Altair charts fed by a calculator's result.

Altair runs at build time and in notebooks only (the browser never imports it).
Each template is a function returning an Altair chart that reads *named*
datasets (``alt.Data(name=...)``); a ``chart`` view block names the template
and carries the rows for those datasets. The build writes every template's
Vega-Lite spec into the page, and the browser fills in ``datasets`` from the
block. No arithmetic here: the numbers come from the calculator.

Each calculator names its chart module in ``CHARTS_MODULE`` (see
:mod:`calculators._contract`); that module's ``TEMPLATES`` dict maps template
names to functions, collected here into :data:`TEMPLATES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: template name -> "module:function"; the function takes no arguments and
#: returns an Altair chart that reads named datasets.
TEMPLATES: dict[str, str] = {}


def _load() -> None:
    from .._contract import get, names

    for calc in names():
        m = importlib.import_module(get(calc).CHARTS_MODULE)
        for name, fn in getattr(m, "TEMPLATES", {}).items():
            TEMPLATES[name] = f"{m.__name__}:{fn.__name__}"


def template(name: str) -> Any:
    """The Altair chart for template ``name``."""
    if not TEMPLATES:
        _load()
    module, func = TEMPLATES[name].split(":")
    fn: Callable[[], Any] = getattr(importlib.import_module(module), func)
    return fn()


def spec(name: str) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) of template ``name``, without data."""
    out: dict[str, Any] = template(name).to_dict(validate=True)
    return out


def all_specs() -> dict[str, dict[str, Any]]:
    if not TEMPLATES:
        _load()
    return {name: spec(name) for name in sorted(TEMPLATES)}


def from_block(block: dict[str, Any]) -> Any:
    """An Altair chart for a ``chart`` view block, data included (for notebooks).

    Examples
    --------
    >>> import altair as alt
    >>> TEMPLATES["_demo"] = "calculators.charts.theme:demo"
    >>> ch = from_block({"type": "chart", "chart": "_demo", "data": {"rows": [{"x": 1, "y": 2}]}})
    >>> ch.to_dict()["datasets"]["rows"]
    [{'x': 1, 'y': 2}]
    >>> from_block({"type": "chart", "chart": "_demo", "data": {"rows": []}, "alt": "Nothing yet."}).description
    'Nothing yet.'
    """
    import altair as alt

    s = spec(block["chart"])
    s["datasets"] = {**s.get("datasets", {}), **block["data"]}
    # The block's text alternative and title travel with the chart: the site's
    # notebook template uses them for the figure's aria-label and caption.
    if block.get("alt"):
        s["description"] = block["alt"]
    if block.get("title"):
        s["usermeta"] = {**s.get("usermeta", {}), "caption": block["title"]}
    kinds: dict[str, Any] = {
        "layer": alt.LayerChart,
        "vconcat": alt.VConcatChart,
        "hconcat": alt.HConcatChart,
        "concat": alt.ConcatChart,
        "facet": alt.FacetChart,
        "repeat": alt.RepeatChart,
    }
    cls = next((c for key, c in kinds.items() if key in s), alt.Chart)
    return cls.from_dict(s, validate=False)


#: Where the Vega-Lite spec sits in a notebook output (Altair's own mimetype).
NOTEBOOK_MIMETYPE = "application/vnd.vegalite.v6+json"  # "+json": nbformat stores it as JSON


def _notebook_renderer(spec: dict[str, Any], **metadata: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from altair.vegalite.v6.display import html_renderer

    html = html_renderer(spec, **metadata)
    bundle = html if isinstance(html, dict) else html[0]
    return {**bundle, NOTEBOOK_MIMETYPE: spec}, {}


def use_in_notebooks() -> None:
    """Show Altair charts in a notebook so that the playbook's site can draw them too.

    Each chart's output then holds Altair's usual HTML (what Jupyter shows) and
    the bare Vega-Lite spec. When the site renders an executed notebook, its
    template (``pipeline/notebook.html.j2``) ignores the HTML, which would load
    Vega from a CDN, and draws the spec with the site's own copy of Vega instead.
    The Altair renderer it enables is called ``"playbook"``.

    Examples
    --------
    >>> import altair as alt
    >>> use_in_notebooks()
    >>> alt.renderers.active
    'playbook'
    >>> bundle = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")._repr_mimebundle_()
    >>> sorted(bundle if isinstance(bundle, dict) else bundle[0])
    ['application/vnd.vegalite.v6+json', 'text/html']
    >>> _ = alt.renderers.enable("default")
    """
    import altair as alt

    alt.renderers.register("playbook", _notebook_renderer)
    alt.renderers.enable("playbook")
