"""The lock .venv is installed from covers pyproject.toml: every dependency pinned inside its range, with hashes."""
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def locked(path):
    """{name: [(version, marker, hashes)]} from a `uv pip compile --generate-hashes` file."""
    pins, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = (match.group(2), match.group(3), [])
            pins.setdefault(canonicalize_name(match.group(1)), []).append(current)
        elif line.strip().startswith("--hash=sha256:"):
            current[2].append(line.strip())
    return pins


def test_every_dependency_is_locked_within_its_range_with_hashes():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [*pyproject["project"]["dependencies"], *pyproject["project"]["optional-dependencies"]["test"],
              *pyproject["dependency-groups"]["build"]]
    pins = locked(REPO / "requirements" / "lock.txt")
    assert pins and all(hashes for versions in pins.values() for _, _, hashes in versions)
    for text in wanted:
        requirement = Requirement(text)
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements/lock.txt: run make lock"
        for version, _, _ in versions:
            assert requirement.specifier.contains(version, prereleases=True), \
                f"{requirement.name}=={version} is outside {requirement.specifier}: run make lock"
    uv = locked(REPO / "requirements" / "uv.txt")
    [uv_range] = [Requirement(t) for t in pyproject["dependency-groups"]["lock"]]
    assert all(uv_range.specifier.contains(v) and h for v, _, h in uv[canonicalize_name(uv_range.name)])
