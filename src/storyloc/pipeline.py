"""``make locales``: every stage for every story, in one process, redoing only what changed.

A story is skipped when the digest of everything its outputs depend on
(its article, images, template and catalogs; the configuration, glossaries and
imported memories; storyloc's own page template and words) equals the digest
recorded after its last complete run. Reading and hashing a few files per
story is what a run with nothing to do costs: well under a second for
hundreds of stories.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from . import __version__
from .config import Project
from .files import write_if_changed

STAMPS = ".storyloc-stamps.json"


@dataclass
class StoryRun:
    story: str
    skipped: bool
    stages: dict[str, object] = field(default_factory=dict)
    complete: bool = True           # False when something was left for a later run (e.g. an engine was offline)


def _package_digest() -> bytes:
    """storyloc's own inputs to a page: version, page template and page words."""
    h = hashlib.blake2b(__version__.encode())
    root = resources.files("storyloc")
    for part in ("templates", "locale"):
        for item in sorted(_walk(root / part), key=str):
            h.update(str(item).encode())
            h.update(item.read_bytes())
    return h.digest()


def _walk(node):
    for child in node.iterdir():
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child


def input_digest(project: Project, story: str, shared: bytes) -> str:
    """What a story's outputs depend on, as one hash; missing files count as absent."""
    h = hashlib.blake2b(shared)
    for path in [project.article(story), project.template(story),
                 *(project.catalog(story, lang) for lang in project.languages)]:
        h.update(str(path).encode())
        try:
            h.update(path.read_bytes())
        except FileNotFoundError:
            h.update(b"\0absent")
    article = project.article(story)
    for path in sorted(article.parent.rglob("*")):  # images may live anywhere in the story folder
        if path.is_file() and path != article:
            h.update(_stat_key(path))
    return h.hexdigest()


def _stat_key(path: Path) -> bytes:
    """A file's name, size and mtime: enough to notice a new photo without reading it."""
    stat = path.stat()
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()


def _config_digest(project: Project) -> bytes:
    """The settings, and the files every story's checks and drafts read: glossaries and imported TMX."""
    h = hashlib.blake2b(repr((project.source_language, project.languages, project.stories,
                              project.publish_threshold, str(project.source_dir), str(project.locales_dir),
                              str(project.build_dir), project.draft, project.embed_hosts)).encode())
    for path in [project.glossary(lang) for lang in project.languages] + project.tm_files():
        h.update(_stat_key(path) if path.is_file() else f"{path}:absent".encode())
    return h.digest()


def locales(project: Project, stages: list[tuple[str, Callable[[Project, str], object]]],
            force: bool = False, on_story: Callable[[StoryRun], None] | None = None) -> list[StoryRun]:
    """Run ``stages`` (name, fn(project, story)) for each story whose inputs changed.

    A stage may return an object with ``complete = False`` (drafting with an
    engine offline): the story is then not stamped, so the next run tries again.
    """
    stamps_path = project.build_dir / STAMPS
    try:
        stamps = json.loads(stamps_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        stamps = {}
    shared = _package_digest() + _config_digest(project)
    runs = []
    for story in project.stories:
        digest = input_digest(project, story, shared)
        if not force and stamps.get(story) == digest and project.manifest(story).exists():
            run = StoryRun(story, skipped=True)
        else:
            run = StoryRun(story, skipped=False)
            for name, stage in stages:
                result = stage(project, story)
                run.stages[name] = result
                if getattr(result, "complete", True) is False:
                    run.complete = False
            if run.complete:
                stamps[story] = input_digest(project, story, shared)
            else:
                stamps.pop(story, None)
        runs.append(run)
        if on_story is not None:
            on_story(run)
    stamps = {s: d for s, d in stamps.items() if s in project.stories}
    write_if_changed(stamps_path, (json.dumps(stamps, indent=1, sort_keys=True) + "\n").encode())
    return runs
