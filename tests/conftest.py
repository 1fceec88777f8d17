"""Shared fixtures: the repo root, and hypothesis settings for CI."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import settings

from pipeline.paths import REPO

from .forking import fork, fork_site  # noqa: F401 (session fixtures: a fork with a company's edits, and its build)


def content_tests_enabled(root: Path = REPO) -> bool:
    """The content-test switch, read as data: ``[tests] content_tests`` in ``root``'s overlay
    (company/playbook.toml), else ``[tool.playbook] content_tests`` in its pyproject.toml (where
    forks made before the overlay set it), else on; PLAYBOOK_CONTENT_TESTS overrides both."""
    env = os.environ.get("PLAYBOOK_CONTENT_TESTS", "").strip().lower()
    if env:
        return env not in ("0", "false", "no", "off")
    overlay = root / "company" / "playbook.toml"
    if overlay.is_file():
        value = tomllib.loads(overlay.read_text(encoding="utf-8")).get("tests", {}).get("content_tests")
        if value is not None:
            return bool(value)
    with open(root / "pyproject.toml", "rb") as fh:
        return bool(tomllib.load(fh).get("tool", {}).get("playbook", {}).get("content_tests", True))


#: Fixtures that build the whole site when it is not built yet: a test using one is ``slow``.
SITE_FIXTURES = ("site", "site_dir", "fork_site")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark tests that need a built site ``slow`` (``make test-fast`` deselects them), then deselect
    the ``content`` tests when the fork turned them off (the fork-safe set runs)."""
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in SITE_FIXTURES):
            item.add_marker(pytest.mark.slow)
    if content_tests_enabled():
        return
    kept = [item for item in items if item.get_closest_marker("content") is None]
    dropped = [item for item in items if item.get_closest_marker("content") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


settings.register_profile("default", deadline=None, max_examples=60)
settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
