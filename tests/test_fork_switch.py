"""The content-test switch is data: a throwaway fork is made whether the overlay has it on, off or absent.

The switch lives in the fork's overlay, ``[tests] content_tests`` in
``company/playbook.toml`` (upstream never ships that file, so setting it never
conflicts). A fork made before the overlay may still have ``[tool.playbook]
content_tests`` in pyproject.toml: it is read as well, the overlay winning.
The fork test must make its fork in each case, and only the switch may change.
"""

from __future__ import annotations

import tomllib

import pytest

from .conftest import content_tests_enabled
from .forking import _git, customise, make_fork, set_content_tests

SETTINGS = '# Acme\'s settings\n[site]\nname = "Acme ML"   # the name\n'


def _overlay(root, case: str) -> None:
    """company/playbook.toml with the switch on, off, absent (other settings only), or no file at all."""
    path = root / "company" / "playbook.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if case == "no file":
        path.unlink(missing_ok=True)
    elif case == "absent":
        path.write_text(SETTINGS, encoding="utf-8")
    else:
        path.write_text(
            f"{SETTINGS}\n[tests]\ncontent_tests = {'true' if case == 'on' else 'false'}\n", encoding="utf-8"
        )


def _pyproject(root, value: bool | None) -> None:
    text = '[project]\nname = "x"\n'
    if value is not None:
        text += f"\n[tool.playbook]\ncontent_tests = {'true' if value else 'false'}\n"
    (root / "pyproject.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", ["on", "off", "absent", "no file"])
def test_the_switch_is_set_as_data_whatever_the_overlay_has(tmp_path, monkeypatch, case):
    monkeypatch.delenv("PLAYBOOK_CONTENT_TESTS", raising=False)
    _pyproject(tmp_path, None)
    _overlay(tmp_path, case)
    assert content_tests_enabled(tmp_path) is (case != "off")
    set_content_tests(tmp_path, False)
    assert content_tests_enabled(tmp_path) is False
    after = tomllib.loads((tmp_path / "company" / "playbook.toml").read_text(encoding="utf-8"))
    assert after.pop("tests") == {"content_tests": False}
    assert after == ({} if case == "no file" else {"site": {"name": "Acme ML"}}), "only the switch may change"
    if case != "no file":
        assert "# the name" in (tmp_path / "company" / "playbook.toml").read_text(encoding="utf-8"), "comments kept"
    set_content_tests(tmp_path, True)
    assert content_tests_enabled(tmp_path) is True


@pytest.mark.parametrize(
    ("legacy", "overlay", "expected"), [(False, None, False), (True, False, False), (False, True, True)]
)
def test_a_switch_left_in_pyproject_counts_until_the_overlay_sets_one(tmp_path, monkeypatch, legacy, overlay, expected):
    monkeypatch.delenv("PLAYBOOK_CONTENT_TESTS", raising=False)
    _pyproject(tmp_path, legacy)
    if overlay is not None:
        set_content_tests(tmp_path, overlay)
    assert content_tests_enabled(tmp_path) is expected
    monkeypatch.setenv("PLAYBOOK_CONTENT_TESTS", "1")
    assert content_tests_enabled(tmp_path) is True


@pytest.mark.parametrize("case", ["on", "off", "absent"])
def test_the_throwaway_fork_is_made_in_a_checkout_whose_switch_is(tmp_path, monkeypatch, case):
    """The whole fork recipe (every company edit), started from a fork whose overlay has the switch so."""
    monkeypatch.delenv("PLAYBOOK_CONTENT_TESTS", raising=False)
    root = make_fork(tmp_path / "playbook")
    _overlay(root, case)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--no-gpg-sign", "-m", f"switch {case}")
    fork = customise(root)
    assert content_tests_enabled(fork.root) is False, "the fork turns its content tests off, as a real fork does"
    assert fork.task_ids and fork.question_answers, "the company's edits were made"
    settings = tomllib.loads((root / "company" / "playbook.toml").read_text(encoding="utf-8"))
    assert settings["site"]["name"] != "Acme ML", "the company's name replaced the earlier one, as data"
