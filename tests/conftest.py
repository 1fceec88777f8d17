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


def skip_unless_own_content(why: str) -> None:
    """Skip a fork-safe test whose case a fork's data may not have (``why`` says which), but
    fail it in this playbook, whose own data always has the case: there the skip would
    only hide a broken data file or model from CI."""
    if content_tests_enabled():
        pytest.fail(f"this playbook's own data should have this case, but {why}")
    pytest.skip(why)


#: Fixtures that build the whole site when it is not built yet: a test using one is ``slow``.
SITE_FIXTURES = ("site", "site_dir", "fork_site")


#: Wide fixtures every worker may make for itself: one Chromium, one server of the built site.
PER_WORKER = frozenset({"browser", "server", "site_dir", "repo", "tmp_path_factory", "worker_id"})
#: Tests that run ``mkdocs build`` in this checkout: its build/ folder is written by each build,
#: so two at once could read each other's half-written files.
BUILDS_HERE = "builds-in-this-checkout"


def worker_group(item: pytest.Item) -> str | None:
    """The one worker a test must share with others under ``make test``'s ``-n 2 --dist loadgroup``.

    Tests that use the same costly module- or session-wide fixture (the throwaway fork and its
    build, executed notebooks, the snapshot harness...) run on one worker, so that fixture is
    made once: the group is the widest such fixture the test rests on (``fork_site`` rests on
    ``fork``). Tests marked ``builds_here`` run on one worker, one at a time. Every other test
    goes wherever a worker is free.
    """
    if item.get_closest_marker("builds_here"):
        return BUILDS_HERE
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    defs = {n: info.name2fixturedefs[n][-1] for n in item.fixturenames if info.name2fixturedefs.get(n)}
    wide = {n for n, d in defs.items() if n not in PER_WORKER and d.scope in ("module", "package", "session")}
    roots = sorted(n for n in wide if not set(defs[n].argnames) & wide)  # item.fixturenames is the closure
    return f"{defs[roots[0]].baseid or 'tests'}::{roots[0]}" if roots else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark tests that need a built site ``slow`` (``make test-fast`` deselects them) and give
    tests that must share a worker one ``xdist_group``; then deselect the ``content`` tests when
    the fork turned them off (the fork-safe set runs)."""
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in SITE_FIXTURES):
            item.add_marker(pytest.mark.slow)
        if (group := worker_group(item)) is not None:
            item.add_marker(pytest.mark.xdist_group(group))
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
