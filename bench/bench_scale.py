"""Newsroom scale: build cost against corpus size, and incremental `storyloc locales`."""
from __future__ import annotations

import hashlib
from pathlib import Path

import newsroom
from bench import OUT, PAIRS, PY, STORYLOC
from harness import Program, compare, row

BUILD = "import sys; from storyloc.project import Project; from storyloc.build import build; build(Project.load(sys.argv[1]))"


def _checksums(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "stamps" not in p.name}


def bench_build(cache: Path) -> list[dict]:
    rows = []
    per_story = {}
    for n in (50, 100, 200):
        project = newsroom.generate(OUT / f"newsroom-{n}", n)
        timing, = compare(Program(f"build {n}", [PY, "-c", BUILD, str(project.root)]), pairs=PAIRS)
        per_story[n] = timing.median / n
        result = row(f"build {n} stories × 7 languages (from catalogs)", timing, None, None,
                     stories_per_second=n / timing.median)
        result["baseline"] = f"{n / timing.median:.1f} stories/s"
        result["goal"] = "linear"
        rows.append(result)
    linear = per_story[200] / per_story[50]
    rows.append({"work": "build: seconds per story at 200 / at 50", "storyloc_s": linear, "baseline": "1.0 = linear",
                 "baseline_s": None, "ratio": linear, "goal": "≤ 1.2", "met": linear <= 1.2})
    return rows


def bench_incremental(cache: Path) -> list[dict]:
    root = OUT / "newsroom-200"
    if not root.exists():
        newsroom.generate(root, 200)
    cmd = [STORYLOC, "--project", str(root), "locales"]
    compare(Program("bring up to date", cmd), pairs=1, warmup=False)
    before = _checksums(root)
    idle, = compare(Program("nothing changed", cmd), pairs=PAIRS)
    unchanged = _checksums(root) == before
    from storyloc.project import Project
    edited = newsroom.change_one_paragraph(Project.load(root))
    one, = compare(Program("one paragraph changed", cmd), pairs=1, warmup=False)
    after = _checksums(root)
    changed = sorted(k for k in after if after.get(k) != before.get(k))
    story = edited.parent.name
    overview = {"build/index.html", "build/status.svg"}   # the newsroom's overview reflects every change
    foreign = [k for k in changed if story not in k and k not in overview]
    first = row("storyloc locales, 200 stories, nothing changed", idle, None, 1.0, no_file_changed=unchanged)
    second = row("storyloc locales, one paragraph of one story changed (one run)", one, None, None,
                 files_changed=changed, files_of_other_stories_changed=foreign)
    second["baseline"] = f"{len(changed)} files rewritten"
    second["goal"] = "that story only"
    second["met"] = not foreign
    return [first, second]


BENCHES = {"build": bench_build, "incremental": bench_incremental}
