"""A fork's overlay (company/): its navigation changes (hide, rename, add, redirect) and
its pages, and the whole ``python -m pipeline company --check`` run in a throwaway copy (no
site build). Fork-safe: every expectation is read from this checkout's own data and nav,
so these hold inside a fork too. A bad nav change, a link to a hidden page, a page that
replaces nothing or a bad data record each gives one sentence naming the overlay's file
and the setting or record.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from calculators._overlay import referrers
from pipeline import overlay

from .forking import make_fork, nav_pages

# ------------------------------------------------------------------ navigation and pages
NAV = [
    {"Home": "index.md"},
    {"Chapters": [{"One": "chapters/one.md"}, {"Two": "chapters/two.md"}]},
    {"About": [{"Licence": "licence.md"}]},
]


def _overlay(tmp_path, settings: str, pages: dict[str, str] | None = None) -> overlay.Overlay:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "playbook.toml").write_text(settings, encoding="utf-8")
    for rel, text in (pages or {}).items():
        (tmp_path / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / rel).write_text(text, encoding="utf-8")
    loaded = overlay.load(tmp_path)
    assert loaded is not None
    return loaded


def test_nav_hides_renames_and_adds_after_a_page_or_a_section(tmp_path):
    ov = _overlay(
        tmp_path,
        '[nav]\nhide = ["chapters/two.md"]\nrename = { "chapters/one.md" = "First" }\n'
        '[[nav.add]]\nafter = "chapters/two.md"\nentry = { "Ours" = "chapters/ours.md" }\n'
        '[[nav.add]]\nafter = "Chapters"\nentry = { "Company" = ["company/a.md"] }\n',
        {"chapters/ours.md": "# Ours\n", "company/a.md": "# A\n"},
    )
    nav, said = overlay.apply_nav(NAV, ov, {"index.md", "chapters/one.md", "chapters/two.md", "licence.md"})
    assert nav == [
        {"Home": "index.md"},
        {"Chapters": [{"First": "chapters/one.md"}, {"Ours": "chapters/ours.md"}]},
        {"Company": ["company/a.md"]},
        {"About": [{"Licence": "licence.md"}]},
    ]
    assert "hides chapters/two.md" in said


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        (
            '[[nav.add]]\nafter = "chapters/three.md"\nentry = { "X" = "index.md" }\n',
            "after = 'chapters/three.md' names no page path or section title",
        ),
        ('[nav]\nhide = ["chapters/nine.md"]\n', "[nav] hide 'chapters/nine.md': names no page of the navigation"),
        ('[nav]\nrename = { "nine.md" = "N" }\n', "[nav.rename] 'nine.md': names no page of the navigation"),
        (
            '[[nav.add]]\nafter = "Chapters"\nentry = { "X" = "missing.md" }\n',
            "'missing.md' is neither an upstream page nor a page in company/docs/",
        ),
    ],
)
def test_a_bad_nav_change_is_one_sentence_naming_the_setting(tmp_path, settings, said):
    ov = _overlay(tmp_path, settings)
    with pytest.raises(overlay.OverlayError) as err:
        overlay.apply_nav(NAV, ov, {"index.md", "chapters/one.md", "chapters/two.md", "licence.md"})
    assert str(err.value).startswith("company/playbook.toml: ") and said in str(err.value)


def test_links_to_a_hidden_page_go_to_its_replacement_and_its_section_when_it_has_it(tmp_path):
    ov = _overlay(
        tmp_path,
        '[nav]\nhide = ["chapters/two.md"]\n[nav.redirect]\n"chapters/two.md" = "company/new.md"\n',
        {"company/new.md": "# New\n\n## The part we kept\n\n## Ours {#own-id}\n"},
    )
    text = (
        "See [two](two.md#gone), [kept](two.md#the-part-we-kept), [own](two.md#own-id), [one](one.md)\n\n[r]: two.md\n"
    )
    assert overlay.page_markdown(text, "chapters/one.md", ov) == (
        "See [two](../company/new.md), [kept](../company/new.md#the-part-we-kept), [own](../company/new.md#own-id), "
        "[one](one.md)\n\n[r]: ../company/new.md\n"
    )


def test_a_notebook_linking_a_hidden_page_is_named_even_with_a_redirect(tmp_path):
    docs = tmp_path / "up"
    (docs / "examples").mkdir(parents=True)
    cell = {"cell_type": "markdown", "source": ["Read [Two](../../chapters/two/#part)."]}
    (docs / "examples" / "nb.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    ov = _overlay(tmp_path / "c", '[nav]\nhide = ["chapters/two.md"]\n[nav.redirect]\n"chapters/two.md" = "one.md"\n')
    with pytest.raises(overlay.OverlayError) as err:
        overlay.check_pages(ov, {"examples/nb.ipynb", "chapters/two.md", "one.md"}, docs)
    assert "docs/examples/nb.ipynb links to it; a notebook's links are not redirected" in str(err.value)


def test_a_link_to_a_hidden_page_without_replacement_stops_the_check_naming_both(tmp_path):
    docs = tmp_path / "up"
    (docs / "chapters").mkdir(parents=True)
    (docs / "chapters" / "one.md").write_text("Read [two](two.md).\n", encoding="utf-8")
    (docs / "chapters" / "two.md").write_text("# Two\n", encoding="utf-8")
    ov = _overlay(tmp_path / "company", '[nav]\nhide = ["chapters/two.md"]\n')
    with pytest.raises(overlay.OverlayError) as err:
        overlay.check_pages(ov, {"chapters/one.md", "chapters/two.md"}, docs)
    assert str(err.value) == (
        "company/playbook.toml: [nav] hide 'chapters/two.md': docs/chapters/one.md links to it; give it a "
        "replacement in [nav.redirect], or replace docs/chapters/one.md in company/docs/"
    )


def test_a_page_that_shadows_nothing_is_named(tmp_path):
    ov = _overlay(tmp_path, "", {"chapters/oen.md": "# One\n"})
    with pytest.raises(overlay.OverlayError) as err:
        overlay.check_pages(ov, {"chapters/one.md"}, tmp_path)
    assert str(err.value) == (
        "company/docs/chapters/oen.md: replaces no upstream page and no [[nav.add]] lists it (is the path misspelt?)"
    )


# ------------------------------------------------------------------ the whole check, in a throwaway copy
@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return make_fork(tmp_path_factory.mktemp("overlay") / "playbook")


def _check(root: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    shutil.rmtree(root / "company", ignore_errors=True)
    for rel, text in files.items():
        (root / "company" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "company" / rel).write_text(text, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "company", "--check"], cwd=root, env=env, capture_output=True, text=True
    )


def _records(root: Path) -> tuple[str, str, str, str, str]:
    """A data file, a record kind examples refer to, one such id, an example referring to it, a text field."""
    for path in sorted((root / "calculators" / "data").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for kind, records in data.items():
            if kind == "example" or not (isinstance(records, list) and records and isinstance(records[0], dict)):
                continue
            for record in records:
                users = [i for k, i, _ in referrers(data, record["id"]) if k == "example"]
                texts = [k for k, v in record.items() if isinstance(v, str) and k != "id"]
                if users and texts:
                    return path.name, kind, record["id"], users[0], texts[0]
    raise AssertionError("no record that an example refers to")


def test_the_check_lists_what_an_overlay_changes_in_words(checkout):
    name, kind, ident, _, _ = _records(checkout)
    chapter = nav_pages(checkout)[-1]
    proc = _check(
        checkout,
        {
            f"data/{name}": f'[[{kind}]]\nid = "{ident}"\n',
            f"docs/{chapter}": "# Ours\n",
            "playbook.toml": f'[nav]\nrename = {{ "{chapter}" = "Ours" }}\n',
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert f"company/data/{name} changes {kind} {ident!r}" in proc.stdout
    assert f"replaces the page {chapter}" in proc.stdout and f"names {chapter} 'Ours'" in proc.stdout


@pytest.mark.parametrize(
    "case", ["unknown id", "removed but referred to", "wrong type", "shadows nothing", "no anchor"]
)
def test_a_bad_overlay_fails_the_check_in_one_sentence(checkout, case):
    name, kind, ident, example, text = _records(checkout)
    data, page, nav = f"data/{name}", "docs/chapters/no-such-chapter.md", "playbook.toml"
    files, said = {
        "unknown id": ({data: 'remove = ["no-such-id"]\n'}, rf"company/data/{name}: remove 'no-such-id': unknown id"),
        "removed but referred to": (
            {data: f'remove = ["{kind}:{ident}"]\n'},
            rf"company/data/{name}: remove '{ident}': {kind} '{ident}' is removed, but .*example '{example}'",
        ),
        "wrong type": (
            {data: f'[[{kind}]]\nid = "{ident}"\n{text} = 7\n'},
            rf"company/data/{name}: {kind} '{ident}': '{text}' must be text \(as upstream's\), not a number",
        ),
        "shadows nothing": ({page: "# X\n"}, rf"company/{page}: replaces no upstream page"),
        "no anchor": (
            {nav: '[[nav.add]]\nafter = "No such section"\nentry = { "X" = "index.md" }\n'},
            r"company/playbook.toml: \[\[nav.add\]\] number 1: after = 'No such section' names no page",
        ),
    }[case]
    proc = _check(checkout, files)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.match(said, lines[0]), lines[0]
