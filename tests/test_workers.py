"""``make test`` runs pytest on two workers: the tests that must share one are grouped.

The groups come from ``worker_group`` in ``tests/conftest.py``. A collection of a few
real test files, in a separate pytest, reports each test's ``xdist_group`` marks; the
fork's tests must share one group (else the fork and its build are made twice), the
tests that build in this checkout must share another (else two builds write ``build/``
at once), and a test with only its own fixtures must be free to go anywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys

from pipeline.paths import REPO

from .conftest import BUILDS_HERE

PLUGIN = """
import pytest

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    for item in items:
        groups = [m.args[0] for m in item.iter_markers("xdist_group")]
        print("GROUP", item.nodeid, "|".join(groups) or "-", sep="\\t")
"""

FILES = ("tests/test_fork.py", "tests/test_notebooks.py", "tests/browser/test_subpath.py", "tests/test_build.py")


def collected_groups(tmp_path) -> dict[str, str]:
    (tmp_path / "group_report.py").write_text(PLUGIN, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTEST_ADDOPTS", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "group_report",
            "-p",
            "no:cacheprovider",
            *FILES,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    rows = [line.split("\t") for line in proc.stdout.splitlines() if line.startswith("GROUP\t")]
    return {nodeid: group for _, nodeid, group in rows}


def test_tests_sharing_a_costly_fixture_or_building_here_share_one_worker(tmp_path):
    groups = collected_groups(tmp_path)
    assert len(groups) > 20, groups

    assert all("|" not in g for g in groups.values()), "a test has more than one group"

    fork = {g for node, g in groups.items() if node.startswith("tests/test_fork.py::")}
    assert len(fork) == 1 and fork != {"-"}, f"the fork's tests are spread over groups {fork}"

    notebooks = {
        g
        for node, g in groups.items()
        if node.startswith("tests/test_notebooks.py::test_runs_quickly_and_draws_charts")
    }
    assert len(notebooks) == 1 and notebooks != {"-"} and notebooks != fork, notebooks

    builds = {node for node, g in groups.items() if g == BUILDS_HERE}
    assert any(n.startswith("tests/browser/test_subpath.py::") for n in builds), sorted(groups.items())[:5]
    assert any("placeholder_address" in n for n in builds), "the deploy-build tests run mkdocs build here"
    assert all(g == BUILDS_HERE for n, g in groups.items() if n.startswith("tests/browser/test_subpath.py::"))

    free = groups["tests/test_notebooks.py::test_there_are_four_notebooks_in_the_nav"]
    assert free == "-", "a test with only its own fixtures goes wherever a worker is free"


def test_cpu_by_process_counts_the_commands_own_processes_and_keeps_its_exit_code():
    """scripts/cpu_by_process.py, which showed the suite is bound by CPU: it counts what the
    command runs (here one busy Python child) and passes the command's exit code on."""
    busy = "import time\nend = time.process_time() + 1.5\nwhile time.process_time() < end: pass\nraise SystemExit(3)"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "cpu_by_process.py"), "--", sys.executable, "-c", busy],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    rows = dict(
        line.split(None, 1)[::-1] for line in proc.stdout.splitlines() if line[:9].strip().replace(".", "").isdigit()
    )
    python = float(rows["python (pytest, its workers, builds)"])
    assert 1.0 <= python <= 3.0, proc.stdout
