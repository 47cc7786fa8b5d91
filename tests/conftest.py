"""Shared fixtures: a copy of the real project in tmp_path, and the GNU tools as oracles."""
from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyloc.cli import main
from storyloc.config import Project

REPO = Path(__file__).resolve().parent.parent
STORY = "bakhmut-under-fire"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """The repository's project (config, story, committed catalogs) copied into tmp_path."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "source", root / "source")
    if (REPO / "locales").exists():
        shutil.copytree(REPO / "locales", root / "locales")
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project.load(project_dir)


def run(root: Path, *args: str):
    """Run the CLI as a user would, in ``root``; returns click's Result."""
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt --check: the outside judge of every catalog we write."""
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)


def plural_rule(header: str) -> tuple[int, list[int]]:
    """A ``Plural-Forms`` value as what it means: nplurals and the form chosen for n = 0…1000.

    Babel and gettext spell one CLDR rule in several ways (Babel 2.19 rewrote Ukrainian's);
    tests compare this, never the string.
    """
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", header)
    assert match, f"not a Plural-Forms value: {header!r}"
    rule = gettext.c2py(match.group(2))
    return int(match.group(1)), [rule(n) for n in range(1001)]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (but caches), for byte-for-byte comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI every tool is installed (.ci/run sees to it): a skipped test there is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be: {report.longrepr}"
