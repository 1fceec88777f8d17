"""The content-test switch is data: a throwaway fork is made whether the checkout has it on, off or absent.

A company that followed the README has already turned its content tests off; one that never
touched the file has no switch line at all after an upgrade that moved it. The fork test must
make its fork in each case (issue: "the content-test switch breaks the fork test").
"""

from __future__ import annotations

import tomllib

import pytest

from .conftest import REPO, content_tests_enabled
from .forking import _git, customise, make_fork, set_content_tests


def _without_switch(data: dict) -> dict:
    data = {**data, "tool": dict(data.get("tool", {}))}
    playbook = {k: v for k, v in data["tool"].get("playbook", {}).items() if k != "content_tests"}
    data["tool"]["playbook"] = playbook
    return data


def _variant(text: str, case: str) -> str:
    """pyproject.toml's text with the switch on, off, or its line (and table, if empty) gone."""
    lines = text.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.strip().replace(" ", "").startswith("content_tests=")]
    assert len(at) == 1, "this checkout's pyproject.toml should hold the switch once"
    if case == "absent":
        del lines[at[0]]
    else:
        lines[at[0]] = f"content_tests = {'true' if case == 'on' else 'false'}\n"
    return "".join(lines)


@pytest.mark.parametrize("case", ["on", "off", "absent"])
def test_the_switch_is_set_as_data_whatever_the_checkout_has(tmp_path, monkeypatch, case):
    monkeypatch.delenv("PLAYBOOK_CONTENT_TESTS", raising=False)
    original = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(_variant(original, case), encoding="utf-8")
    assert content_tests_enabled(tmp_path) is (case != "off")
    set_content_tests(tmp_path, False)
    assert content_tests_enabled(tmp_path) is False
    after = tomllib.loads((tmp_path / "pyproject.toml").read_text(encoding="utf-8"))
    assert _without_switch(after) == _without_switch(tomllib.loads(original)), "only the switch may change"
    set_content_tests(tmp_path, True)
    assert content_tests_enabled(tmp_path) is True


@pytest.mark.parametrize("case", ["on", "off", "absent"])
def test_the_throwaway_fork_is_made_in_a_checkout_whose_switch_is(tmp_path, monkeypatch, case):
    """The whole fork recipe (every company edit), started from a checkout in each state."""
    monkeypatch.delenv("PLAYBOOK_CONTENT_TESTS", raising=False)
    root = make_fork(tmp_path / "playbook")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(_variant(pyproject.read_text(encoding="utf-8"), case), encoding="utf-8")
    _git(root, "commit", "-q", "--no-gpg-sign", "--allow-empty", "-am", f"switch {case}")
    fork = customise(root)
    assert content_tests_enabled(fork.root) is False, "the fork turns its content tests off, as a real fork does"
    assert fork.task_ids and fork.question_answers, "the company's edits were made"
