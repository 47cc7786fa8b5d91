"""Shared fixtures: the frozen fixture project copied into tmp_path, a fixed clock, golden files,
and the GNU tools as oracles."""
from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyloc.cli import main
from storyloc.project import Project

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
PROJECT = DATA / "project"          # a frozen copy of the project: no test reads the live locales/ or source/
GOLDEN = DATA / "golden"
STORY = "bakhmut-under-fire"
EPOCH = 1700000000                  # 2023-11-14T22:13:20Z: the moment every test runs at


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/data/golden/ from what the code produces now (review the diff!)")


CACHE = pytest.StashKey[str]()


def pytest_configure(config):
    """The same world on every machine, for the whole run (module fixtures and subprocesses included):
    - no test reads the wall clock: storyloc's one clock (storyloc.clock) honours SOURCE_DATE_EPOCH;
    - the GNU tools speak English, whatever the developer's locale;
    - the engine cache is the run's own, never the user's ~/.cache;
    - the fake engines and servers on 127.0.0.1 are reached directly, even behind an HTTP proxy.
    A test may change any of them with monkeypatch."""
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    os.environ["LC_ALL"] = "C.UTF-8"
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(filter(None, [os.environ.get(name), "127.0.0.1", "localhost"]))
    config.stash[CACHE] = os.environ["STORYLOC_CACHE_DIR"] = tempfile.mkdtemp(prefix="storyloc-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(config.stash.get(CACHE, ""), ignore_errors=True)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """The fixture project (config, story, catalogs; no glossary) copied into tmp_path."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(PROJECT / "source", root / "source")
    shutil.copytree(PROJECT / "locales", root / "locales")
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project.load(project_dir)


def built_story(root: Path, slug: str, text: str) -> Project:
    """The project with one more story (``source/<slug>/article.md`` holding ``text``, listed in
    ``stories``), extracted, updated and built."""
    from storyloc.build import build
    from storyloc.extract import extract
    from storyloc.update import update
    article = root / "source" / slug / "article.md"
    article.parent.mkdir(parents=True)
    article.write_text(text, encoding="utf-8")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'stories = ["{STORY}"]', f'stories = ["{STORY}", "{slug}"]'))
    project = Project.load(root)
    extract(project)
    update(project, stories=(slug,))
    build(project, (slug,))
    return project


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


DATE_FIELDS = re.compile(r'("(?:POT-Creation-Date|PO-Revision-Date): )[^\\"]*'
                         r'|("(?:created|last_review|date)": )"[^"]*"')


def normalise_dates(text: str) -> str:
    """Header and feed dates replaced by a placeholder, so a golden file states content, not time."""
    return DATE_FIELDS.sub(lambda m: f"{m.group(1)}<date>" if m.group(1) else f'{m.group(2)}"<date>"', text)


@pytest.fixture
def golden(request):
    """``golden(name, text)``: ``text`` must equal tests/data/golden/<name> whole.

    ``pytest --update-golden`` writes the file instead: a deliberate act, reviewed in the diff.
    """
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.exists(), f"{path} is missing: run pytest --update-golden and review what it writes"
        expected = path.read_bytes().decode("utf-8")
        assert text == expected, (f"{name} differs from tests/data/golden/{name}; if the change is meant, "
                                  f"run pytest --update-golden and commit the reviewed diff")

    return check


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (but caches), for byte-for-byte comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Every tool is installed (`make test` sees to it): a skipped test is a failure, in CI or not."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (f"skipped, and the suite runs every test: {report.longrepr}; "
                           "`make test` installs what the tests need")
