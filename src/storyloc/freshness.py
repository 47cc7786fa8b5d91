"""The one freshness rule: what a story's outputs depend on, each input fingerprinted by its content.

A story's inputs are its article and every other file of its folder (photos may
sit anywhere there), its template and each language's catalog, and what every
story shares: storyloc's version, page template and page words, the project's
settings, glossaries, style guides and imported translation memories. Each is fingerprinted
by its bytes (a missing file as absent), never by its mtime or where the
project lives, so a fresh checkout or a copied ``build/`` is judged the same.

``build`` records the inputs it built from in ``build/<story>/.storyloc-inputs.json``;
``publish`` packs a story only when they are still what that record says (and
names the input that changed); ``storyloc locales`` skips a story whose inputs
match what it stamped after its last complete run.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import __version__
from .files import write_if_changed
from .project import Project

SHARED = "storyloc and the project's settings"     # the key of what every story shares


def _fingerprint(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return "absent"


@lru_cache(maxsize=1)
def _package() -> bytes:
    """storyloc's own inputs to a page: version, page template and page words."""
    h = hashlib.blake2b(__version__.encode())
    root = resources.files("storyloc")
    for part in ("templates", "locale"):
        for item in sorted(_walk(root / part), key=str):
            h.update(str(item.relative_to(root) if isinstance(item, Path) else item).encode())
            h.update(item.read_bytes())
    return h.digest()


def _walk(node):
    for child in node.iterdir():
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child


def _settings(project: Project) -> str:
    """The settings a story's outputs depend on, paths relative to the project (the list of stories
    is not one of them: adding a story redoes no other)."""
    def plain(value):
        if isinstance(value, Path):
            return project.rel(value)
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value
    settings = {f.name: plain(getattr(project, f.name)) for f in dataclasses.fields(project)
                if f.name not in ("root", "stories")}
    return json.dumps(settings, sort_keys=True, default=str)


def shared(project: Project) -> dict[str, str]:
    """What every story shares, fingerprinted (computed once per run and passed to :func:`inputs`):
    storyloc and the settings as one entry, each glossary, style guide and imported memory by its path."""
    h = hashlib.blake2b(_package(), digest_size=16)
    h.update(_settings(project).encode())
    found = {SHARED: h.hexdigest()}
    glossaries = [path for lang in project.languages for path in (project.glossary(lang), project.style_guide(lang))]
    for path in glossaries + project.tm_files():
        found[project.rel(path)] = _fingerprint(path)
    return found


def inputs(project: Project, story: str, common: dict[str, str] | None = None) -> dict[str, str]:
    """Every input of ``story``, as ``{path as users see it: fingerprint}``."""
    article = project.article(story)
    paths = [article, project.template(story),
             *(project.catalog(story, lang) for lang in (project.source_language, *project.languages))]
    if article.parent.is_dir():
        paths += sorted(p for p in article.parent.rglob("*") if p.is_file() and p != article)
    found = dict(common if common is not None else shared(project))
    found.update((project.rel(path), _fingerprint(path)) for path in paths)
    return found


def digest(found: dict[str, str]) -> str:
    """The inputs of :func:`inputs` as one hash."""
    return hashlib.blake2b(json.dumps(found, sort_keys=True).encode(), digest_size=16).hexdigest()


def record(project: Project, story: str, found: dict[str, str]) -> None:
    """Remember the inputs a build of ``story`` was made from."""
    data = {"digest": digest(found), "inputs": found}
    write_if_changed(project.built_inputs(story), (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


def changed_since_build(project: Project, story: str) -> str | None:
    """The first input of ``story`` that changed since its last build (its path, or :data:`SHARED`);
    the record's own path when it was never built by this rule; None when the build is fresh."""
    path = project.built_inputs(story)
    try:
        built = json.loads(path.read_text(encoding="utf-8"))["inputs"]
    except (FileNotFoundError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return project.rel(path)
    now = inputs(project, story)
    if now == built:
        return None
    return next((name for name in sorted(set(now) | set(built)) if now.get(name) != built.get(name)))
