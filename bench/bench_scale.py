"""Newsroom scale: build cost against corpus size, and incremental `storyloc locales`."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import newsroom
from bench import OUT, PY, measure

BUILD = "import sys; from storyloc.config import Project; from storyloc.build import build; build(Project.load(sys.argv[1]))"


def _checksums(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "stamps" not in p.name}


def bench_build(cache: Path) -> list[dict]:
    rows = []
    per_story = {}
    for n in (50, 100, 200):
        project = newsroom.generate(OUT / f"newsroom-{n}", n)
        seconds, mib = measure([PY, "-c", BUILD, str(project.root)])
        per_story[n] = seconds / n
        rows.append({"work": f"build {n} stories × 7 languages (from catalogs)", "storyloc_s": seconds,
                     "baseline": f"{n / seconds:.1f} stories/s", "baseline_s": None, "ratio": None,
                     "storyloc_mib": mib, "goal": "linear", "stories_per_second": n / seconds})
    rows.append({"work": "build: seconds per story at 200 / at 50", "storyloc_s": per_story[200] / per_story[50],
                 "baseline": "1.0 = linear", "baseline_s": None, "ratio": per_story[200] / per_story[50],
                 "goal": "≈ 1"})
    return rows


def bench_incremental(cache: Path) -> list[dict]:
    project = newsroom.generate(OUT / "newsroom-200", 200) if not (OUT / "newsroom-200").exists() else None
    root = OUT / "newsroom-200"
    storyloc = str(Path(sys.executable).parent / "storyloc")
    measure([storyloc, "--project", str(root), "locales"])          # bring everything up to date
    before = _checksums(root)
    idle, mib = min(measure([storyloc, "--project", str(root), "locales"]) for _ in range(3))
    unchanged = _checksums(root) == before
    from storyloc.config import Project
    project = Project.load(root)
    edited = newsroom.change_one_paragraph(project)
    one, _ = measure([storyloc, "--project", str(root), "locales"])
    after = _checksums(root)
    changed = sorted(k for k in after if after.get(k) != before.get(k))
    story = edited.parent.name
    overview = {"build/index.html", "build/status.svg"}   # the newsroom's overview reflects every change
    foreign = [k for k in changed if story not in k and k not in overview]
    return [
        {"work": "storyloc locales, 200 stories, nothing changed", "storyloc_s": idle, "baseline": "goal < 1 s",
         "baseline_s": None, "ratio": None, "storyloc_mib": mib, "goal": "< 1 s", "no_file_changed": unchanged},
        {"work": "storyloc locales, one paragraph of one story changed", "storyloc_s": one,
         "baseline": f"{len(changed)} files rewritten", "baseline_s": None, "ratio": None, "goal": "that story only",
         "files_changed": changed, "files_of_other_stories_changed": foreign},
    ]


BENCHES = {"build": bench_build, "incremental": bench_incremental}
