"""A fork's overlay (company/): the knowledge merge, the wheel, the starter, the settings.

Fork-safe: every expectation is read from this checkout's own data and nav, so
these hold inside a fork too. The navigation, the pages and the whole
``python -m pipeline company --check`` in a throwaway copy are tested in
tests/test_overlay_pages.py.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import tomllib
import zipfile

import pytest

from calculators import _data
from calculators._overlay import blame, merge, referrers
from calculators.errors import DataFileError
from pipeline import company, knowledge_files, overlay, starter
from pipeline.paths import REPO

FILE, OVER = "company/data/f.toml", "calculators/data/f.toml"
UP = {
    "scoring": {"margin": 5.0, "top": 2},
    "question": [
        {"id": "a", "text": "A?", "weight": 1.0, "answer": [{"id": "y", "text": "Yes"}]},
        {"id": "b", "text": "B?", "weight": 1.0, "answer": [{"id": "n", "text": "No"}]},
    ],
    "example": [{"id": "e", "answers": {"a": "y", "b": "n"}, "target": "t"}],
}


# ------------------------------------------------------------------ the merge rules
def test_a_field_given_replaces_that_field_and_a_table_merges_key_by_key():
    m = merge(UP, {"question": [{"id": "b", "text": "Bee?"}], "scoring": {"top": 3}}, file=FILE, over=OVER)
    assert m.data["question"][1] == {**UP["question"][1], "text": "Bee?"}
    assert m.data["scoring"] == {"margin": 5.0, "top": 3}
    assert m.changed == [("question", "b")] and m.settings == ["scoring"]
    assert UP["question"][1]["text"] == "B?", "upstream's table is not changed in place"


def test_a_new_id_adds_a_record_and_order_puts_records_first():
    new = {"id": "c", "text": "C?", "weight": 2.0, "answer": [{"id": "m", "text": "Maybe"}]}
    m = merge(UP, {"question": [new], "order": {"question": ["c", "b"]}}, file=FILE, over=OVER)
    assert [q["id"] for q in m.data["question"]] == ["c", "b", "a"]
    assert m.added == [("question", "c")]


def test_remove_takes_records_out_and_names_what_still_refers_to_them():
    with pytest.raises(DataFileError) as err:
        merge(UP, {"remove": ["b"]}, file=FILE, over=OVER)
    assert str(err.value) == (
        "company/data/f.toml: remove 'b': question 'b' is removed, but example 'e' (answers.b) in "
        "calculators/data/f.toml still refers to it; change or remove that record too"
    )
    m = merge(UP, {"remove": ["b", "example:e"]}, file=FILE, over=OVER)
    assert [q["id"] for q in m.data["question"]] == ["a"] and m.data["example"] == []
    assert m.removed == [("question", "b"), ("example", "e")]


@pytest.mark.parametrize(
    ("layer", "said"),
    [
        (
            {"remove": ["nope"]},
            "company/data/f.toml: remove 'nope': unknown id: calculators/data/f.toml has no record 'nope'",
        ),
        ({"order": {"question": ["zz"]}}, "company/data/f.toml: order.question 'zz': unknown id: no question 'zz'"),
        (
            {"question": [{"id": "a", "weight": "heavy"}]},
            "company/data/f.toml: question 'a': 'weight' must be a number (as upstream's), not text",
        ),
        (
            {"question": [{"id": "z", "weight": [1]}]},
            "company/data/f.toml: question 'z': 'weight' must be a number (as upstream's), not a list",
        ),
        ({"scoring": {"top": "3"}}, "company/data/f.toml: scoring: 'top' must be a number (as upstream's), not text"),
        (
            {"question": [{"text": "no id"}]},
            "company/data/f.toml: [[question]] number 1: needs an 'id' (text): the record it changes or adds",
        ),
        ({"question": [{"id": "a"}, {"id": "a"}]}, "company/data/f.toml: question 'a': is given twice"),
        (
            {"questoin": [{"id": "a"}]},
            "company/data/f.toml: questoin: calculators/data/f.toml has no 'questoin' to change "
            "(it has scoring, question, example)",
        ),
    ],
)
def test_a_bad_overlay_record_is_one_sentence_naming_the_file_and_the_record(layer, said):
    with pytest.raises(DataFileError) as err:
        merge(UP, layer, file=FILE, over=OVER)
    assert str(err.value) == said


def test_referrers_find_values_keys_and_question_answer_pairs():
    data = {**UP, "rule": [{"id": "r", "answers": ["a.y", "b.n"], "top": "t"}]}
    assert sorted(referrers(data, "a")) == [("example", "e", "answers.a"), ("rule", "r", "answers")]
    assert sorted(referrers(data, "t")) == [("example", "e", "target"), ("rule", "r", "top")]
    assert list(referrers(data, "q")) == []


def test_the_loader_merges_company_data_and_blames_the_overlay_for_its_records(tmp_path):
    name = next(p.name for p in (REPO / "calculators" / "data").glob("*.toml"))
    label = f"calculators/data/{name}"
    upstream = tomllib.loads((REPO / label).read_text(encoding="utf-8"))
    kind = next(k for k, v in upstream.items() if isinstance(v, list) and v and isinstance(v[0], dict))
    first = upstream[kind][0]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / name).write_text(f'[[{kind}]]\nid = "{first["id"]}"\nfork_only = 1\n', encoding="utf-8")
    try:
        merged = _data.merged(upstream, name, label, tmp_path)
        assert merged[kind][0] == {**first, "fork_only": 1}
        said = blame(DataFileError(label, f"{kind} {first['id']!r}", "unknown key 'fork_only'"), _data.MERGES[label])
        assert str(said).startswith(f"company/data/{name} (over {label}): {kind} {first['id']!r}:")
        other = blame(DataFileError(label, f"{kind} 'not-touched'", "a problem"), _data.MERGES[label])
        assert str(other).startswith(f"{label}: "), "upstream's own record keeps upstream's file"
    finally:
        _data.MERGES.pop(label, None)


# ------------------------------------------------------------------ the wheel carries the merged knowledge
def test_the_wheel_gets_the_merged_files_and_a_true_record(tmp_path):
    wheel = tmp_path / "calculators-1-py3-none-any.whl"
    old = b"[[q]]\nid = 'a'\n"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("calculators/data/f.toml", old)
        z.writestr("calculators/x.py", "x = 1\n")
        z.writestr("calculators-1.dist-info/RECORD", "calculators/data/f.toml,sha256=old,12\ncalculators/x.py,,\n")
    assert knowledge_files.into_wheel(wheel, {"f.toml": "merged = true\n"}) == ["calculators/data/f.toml"]
    with zipfile.ZipFile(wheel) as z:
        assert z.read("calculators/data/f.toml") == b"merged = true\n" and z.read("calculators/x.py") == b"x = 1\n"
        record = z.read("calculators-1.dist-info/RECORD").decode().splitlines()
    digest = base64.urlsafe_b64encode(hashlib.sha256(b"merged = true\n").digest()).rstrip(b"=").decode()
    assert record[0] == f"calculators/data/f.toml,sha256={digest},14"


def test_merged_knowledge_survives_its_toml_round_trip():
    for path in sorted((REPO / "calculators" / "data").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert tomllib.loads(knowledge_files.dump_toml(data)) == data, path.name


# ------------------------------------------------------------------ the starter
def test_the_starter_changes_nothing_until_a_line_is_uncommented(tmp_path):
    said = starter.write(tmp_path / "company")
    assert "wrote company/playbook.toml" in said and starter.write(tmp_path / "company")[0].startswith("kept ")
    root = tmp_path / "company"
    for path in (root / "data").glob("*.toml"):
        assert tomllib.loads(path.read_text(encoding="utf-8")) == {}, path
        upstream = next(d / path.name for d in company.DATA_DIRS if (d / path.name).is_file())
        assert upstream.is_file(), f"the starter's {path.name} names no upstream data file"
    assert knowledge_files.merged_texts(root) == {}, "the wheel would differ from upstream's"
    config = company.read_mkdocs_yml()
    before = repr(config)
    ov = overlay.load(root)
    assert ov is not None and company.apply(config, ov, env_url=False) == []
    assert repr(config) == before, "the starter changed the site's configuration"


def test_the_starters_settings_pass_the_checks_once_uncommented(tmp_path):
    """Every example in the starter's playbook.toml, uncommented, is a valid change of this checkout."""
    text = re.sub(r'^# (?=\[|[\w-]+ *=|"[^"]+" *=)', "", starter.PLAYBOOK_TOML, flags=re.M)
    root = tmp_path / "company"
    root.mkdir()
    (root / "playbook.toml").write_text(text, encoding="utf-8")
    settings = tomllib.loads(text)
    for rel in (settings["site"]["logo"], *settings["site"]["extra_css"]):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("/* Acme */\n", encoding="utf-8")
    for entry in settings["nav"]["add"]:
        for page in entry["entry"].values():
            (root / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
            (root / "docs" / page).write_text("# Acme\n", encoding="utf-8")
    ov = overlay.load(root)
    assert ov is not None
    said = company.apply(company.read_mkdocs_yml(), ov, env_url=False)
    assert len(said) >= 10, said


def test_serve_watches_the_overlay(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("playbook_hook", REPO / "overrides" / "hooks" / "playbook.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    (tmp_path / "company").mkdir()
    monkeypatch.setattr(hook, "REPO", tmp_path)

    class Server:
        def __init__(self):
            self.watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = hook.on_serve(Server(), config={}, builder=None)
    assert str(tmp_path / "company") in server.watched


# ------------------------------------------------------------------ settings
@pytest.mark.parametrize(
    ("settings", "said"),
    [
        (
            "[playbook]\nno_such_flag = true\n",
            "[playbook] no_such_flag: unknown setting; mkdocs.yml's extra.playbook has",
        ),
        (
            '[site]\nlogo = "assets/images/missing.svg"\n',
            "[site] logo: 'assets/images/missing.svg' is not a file of the site",
        ),
        ('[site]\ncolour = "red"\n', "[site] colour: unknown setting"),
        (
            '[palette]\nprimary = "no-such-colour"\n',
            "[palette] primary: 'no-such-colour' is not one of Material's colours",
        ),
        (
            '[tests]\ncontent_tests = "no"\n',
            "[tests] content_tests: the one setting here is content_tests = true or false",
        ),
        ('[sitee]\nname = "x"\n', "[sitee]: unknown section; expected one of site, palette, playbook, tests, nav"),
    ],
)
def test_a_bad_setting_is_one_sentence_naming_it(tmp_path, settings, said):
    (tmp_path / "playbook.toml").write_text(settings, encoding="utf-8")
    with pytest.raises(overlay.OverlayError) as err:
        ov = overlay.load(tmp_path)
        assert ov is not None
        company.apply(company.read_mkdocs_yml(), ov, env_url=False)
    assert str(err.value).startswith("company/playbook.toml: ") and said in str(err.value), str(err.value)


def test_settings_reach_the_config_and_the_publish_address_wins(tmp_path):
    from pipeline.palette import passing

    config = company.read_mkdocs_yml()
    flag = next(iter(config["extra"]["playbook"]))
    value = not config["extra"]["playbook"][flag] if isinstance(config["extra"]["playbook"][flag], bool) else "x"
    colour = next(c for c in passing() if all(p.get("primary") != c for p in config["theme"]["palette"]))
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "acme.css").write_text("/* */\n", encoding="utf-8")
    (tmp_path / "playbook.toml").write_text(
        f'[site]\nname = "Acme"\nurl = "https://acme.example/"\nextra_css = ["assets/acme.css"]\n'
        f"[palette.light]\nprimary = {json.dumps(colour)}\n[playbook]\n{flag} = {json.dumps(value)}\n",
        encoding="utf-8",
    )
    ov = overlay.load(tmp_path)
    assert ov is not None
    company.apply(config, ov, env_url=True)
    assert config["site_name"] == "Acme" and config["site_url"] != "https://acme.example/", "SITE_URL wins"
    assert config["extra_css"][-1] == "assets/acme.css" and config["extra"]["playbook"][flag] == value
    light = next(p for p in config["theme"]["palette"] if p["scheme"] == "default")
    dark = next(p for p in config["theme"]["palette"] if p["scheme"] == "slate")
    assert light["primary"] == colour and dark["primary"] != colour, "[palette.light] sets the light scheme only"


def test_a_field_may_take_any_kind_upstreams_records_use_there():
    up = {"plan": [{"id": "a", "deadline": 20}, {"id": "b", "deadline": "2027-04-26"}]}
    m = merge(up, {"plan": [{"id": "a", "deadline": "2027-05-01"}, {"id": "c", "deadline": 12}]}, file=FILE, over=OVER)
    assert [p["deadline"] for p in m.data["plan"]] == ["2027-05-01", "2027-04-26", 12]
    with pytest.raises(DataFileError) as err:
        merge(up, {"plan": [{"id": "c", "deadline": [12]}]}, file=FILE, over=OVER)
    assert (
        str(err.value)
        == "company/data/f.toml: plan 'c': 'deadline' must be a number or text (as upstream's), not a list"
    )
