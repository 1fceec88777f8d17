"""The build steps of pipeline/pagespeed.py on small inputs (no site build needed)."""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace

from pipeline import pagespeed as ps


def test_comparison_tables_get_row_headers_and_other_tables_do_not() -> None:
    comparison = (
        "<table>\n<thead>\n<tr>\n<th></th>\n<th>A</th>\n</tr>\n</thead>\n<tbody>\n"
        '<tr>\n<td>Scope</td>\n<td>x</td>\n</tr>\n<tr>\n<td style="text-align: left;">Size</td>\n<td>y</td>\n'
        "</tr>\n</tbody>\n</table>"
    )
    out = ps.row_headers(comparison)
    assert "<th></th>" not in out and out.count('<th scope="row"') == 2
    assert '<th scope="row" style="text-align: left;">Size</th>' in out
    plain = "<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>x</td></tr></tbody></table>"
    assert ps.row_headers(plain) == plain


def test_notebook_styles_leave_the_body_and_the_printed_list_is_dropped() -> None:
    html = (
        '<div class="jupyter-wrapper"><style type="text/css">.a { color: red; }</style><p>x</p>'
        "<style>\n['pre { line-height: 125%; }']\n</style></div>"
    )
    body, css = ps.notebook_styles(html)
    assert "<style" not in body and "<p>x</p>" in body
    assert ".a { color: red; }" in css and "['pre" not in css


def test_page_html_links_notebook_styles_and_api_css_relative_to_the_page() -> None:
    speed = ps.PageSpeed(api_css=True)
    out = speed.page_html('<div class="jupyter-wrapper"><style>.a{}</style></div>', "examples/nb/")
    (name,) = speed.extra_files
    assert f'<link rel="stylesheet" href="../../{name}">' in out and "<style" not in out
    out = speed.page_html(f'<div {ps.API_MARKER}x"></div>', "reference/api/")
    assert f'href="../../{ps.API_CSS}"' in out
    assert ps.API_CSS not in speed.page_html("<p>chapter</p>", "chapters/x/")


def test_configure_bundles_project_stylesheets_in_place_and_drops_the_api_css(tmp_path: Path) -> None:
    theme = tmp_path / "overrides"
    (theme / "assets" / "playbook").mkdir(parents=True)
    (theme / "assets" / "playbook" / "one.css").write_text(".one {}\n/*# sourceMappingURL=one.css.map */\n")
    (theme / "assets" / "playbook" / "two.css").write_text(".two {}\n")
    config = {
        "docs_dir": str(tmp_path / "docs"),
        "theme": SimpleNamespace(dirs=[str(theme)]),
        "extra_css": [ps.API_CSS, "assets/other.css", "assets/playbook/one.css", "assets/playbook/two.css"],
        "extra": {},
    }
    speed = ps.PageSpeed()
    speed.configure(config)
    assert config["extra_css"] == ["assets/other.css", speed.bundle_path]
    assert speed.api_css and speed.bundle_path.startswith(ps.PROJECT_CSS + "bundle.")
    css = speed.bundle_css
    assert css.index(".one") < css.index(".two") < css.index("pb-chart__img--dark")
    assert "sourceMappingURL" not in css


def test_dangling_source_maps_are_removed_and_compressed_copies_follow(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("var a = 1;\n//# sourceMappingURL=a.js.map\n")
    (tmp_path / "a.js.gz").write_bytes(gzip.compress(b"old"))
    (tmp_path / "b.js").write_text("var b = 1;\n//# sourceMappingURL=b.js.map\n")
    (tmp_path / "b.js.map").write_text("{}")
    (tmp_path / "c.css").write_text(".c{}\n/*# sourceMappingURL=c.css.map */")
    assert sorted(ps.dangling_source_maps(tmp_path, fix=True)) == ["a.js", "c.css"]
    assert (tmp_path / "a.js").read_text() == "var a = 1;\n"
    assert gzip.decompress((tmp_path / "a.js.gz").read_bytes()) == b"var a = 1;\n"
    assert "sourceMappingURL=b.js.map" in (tmp_path / "b.js").read_text()
    assert ps.dangling_source_maps(tmp_path) == []


def _configured(tmp_path: Path, theme: Path) -> tuple[dict, ps.PageSpeed]:
    """A PageSpeed configured for a site whose theme folder is ``theme`` (no stylesheets)."""
    config = {
        "docs_dir": str(tmp_path / "docs"),
        "theme": SimpleNamespace(dirs=[str(theme)]),
        "extra_css": [],
        "extra": {},
    }
    speed = ps.PageSpeed()
    speed.configure(config)
    return config, speed


def test_material_scripts_are_joined_per_place(tmp_path: Path) -> None:
    theme = tmp_path / "overrides"
    for parts in ps.MATERIAL_SCRIPTS.values():
        for part in parts:
            (theme / part).parent.mkdir(parents=True, exist_ok=True)
            (theme / part).write_text(f"var {Path(part).stem}=1\n")
    config, speed = _configured(tmp_path, theme)
    joined = config["extra"]["pb_scripts"]
    assert set(joined) == set(ps.MATERIAL_SCRIPTS)
    for place, parts in ps.MATERIAL_SCRIPTS.items():
        text = speed.extra_files[joined[place]]
        assert [line.split("=")[0] for line in text.splitlines()] == [f"var {Path(p).stem}" for p in parts]


def test_material_bundle_runs_late_from_a_content_named_loader(tmp_path: Path) -> None:
    theme = tmp_path / "overrides"
    (theme / ps.LATE_LOADER).parent.mkdir(parents=True)
    (theme / ps.LATE_LOADER).write_text("/* loader */\n")
    _, speed = _configured(tmp_path, theme)
    assert speed.extra_files[speed.late_loader] == "/* loader */\n"
    assert speed.late_loader != ps.LATE_LOADER and speed.late_loader.endswith(".js")
    bundle = '<script src="../../assets/javascripts/bundle.0a1b2c.min.js"></script>'
    page = f'<p>text</p>\n{bundle}\n<script src="x.mjs"></script>'
    out = speed.page_output(page)
    assert (
        f'<script src="../../{speed.late_loader}" data-src="../../assets/javascripts/bundle.0a1b2c.min.js"></script>'
        in out
    )
    assert out.count("<script") == 2 and '<script src="x.mjs"></script>' in out
    # The 404 page addresses files from the root: so is the loader.
    absolute = speed.page_output('<script src="/pb/assets/javascripts/bundle.0a1b2c.min.js"></script>')
    assert absolute.startswith(f'<script src="/pb/{speed.late_loader}" data-src="/pb/assets/')
    # The rest of the page is left byte for byte as written (no re-serialisation by the parser).
    odd = (
        '<!doctype html>\n<html><head>\n  <meta charset="utf-8">\n</head><body>\n'
        '<label hidden>x&nbsp;y</label><svg viewBox="0 0 2 2"><path d="M0 0"/></svg>\n'
        f'    {bundle}\n<p class="a  b">&amp;</p></body></html>'
    )
    late = f'<script src="../../{speed.late_loader}" data-src="../../assets/javascripts/bundle.0a1b2c.min.js"></script>'
    assert speed.page_output(odd) == odd.replace(bundle, late)
    # Without the loader file (a theme that removed it) the page keeps Material's tag.
    assert ps.PageSpeed().page_output(page) == page


def test_notebook_charts_become_static_images() -> None:
    import html
    import json

    from pipeline.chapter_charts import PALETTES, figure

    spec = figure(sorted(__import__("pipeline.chapter_charts", fromlist=["CHARTS"]).CHARTS)[0]).spec
    page = (
        '<div class="pb-chart-block pb-chart-block--notebook">\n'
        '<figure class="pb-chart pb-chart--chapter pb-chart--notebook">\n'
        f'<div class="pb-chart__spec" hidden data-json="{html.escape(json.dumps(spec), quote=True)}"></div>\n'
        '<div class="pb-chart__view" role="img" aria-label="x"></div>\n'
        '<figcaption class="pb-chart__caption">Caption</figcaption>\n</figure></div>'
    )
    speed = ps.PageSpeed()
    # nbconvert re-serialises the HTML: single-quoted attributes, attributes in another order.
    page2 = page.replace(
        f'hidden data-json="{html.escape(json.dumps(spec), quote=True)}"',
        "data-json='" + json.dumps(spec).replace("'", "&#x27;") + "' hidden",
    )
    assert page2 != page
    for out in (speed.page_html(page, "examples/nb/"), speed.page_html(page2, "examples/nb/")):
        assert "pb-chart__spec" not in out and "pb-chart--chapter" not in out
    out = speed.page_html(page, "examples/nb/")
    assert "pb-chart__spec" not in out and "pb-chart--chapter" not in out and "pb-chart--static" in out
    assert out.count("<img") == len(PALETTES) and 'src="../../assets/charts/notebook-' in out
    assert out.index("<img") < out.index("<figcaption")
