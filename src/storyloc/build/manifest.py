"""``build/<story>/manifest.json``: every language's progress, publish state and file checksums.

``publish`` reads it (and only it, of the build's own files) to pack the bundles;
``storyloc status`` and the overview page read it to show where each language stands.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..files import pretty_json, write_if_changed
from ..languages import direction
from ..project import Project

MANIFEST_SCHEMA = "storyloc.manifest/1"


@dataclass
class LanguageResult:
    lang: str
    state: str
    counts: dict
    files: dict[str, str]
    written: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    story: str
    manifest: Path
    languages: list[LanguageResult]
    warnings: list[str]
    manifest_written: bool = False

    @property
    def files_written(self) -> int:
        """The bundles' files rewritten, and the manifest if it was."""
        return sum(len(r.written) for r in self.languages) + self.manifest_written


def write_manifest(project: Project, slug: str, source_language: str,
                   results: list[LanguageResult]) -> tuple[Path, bool]:
    """Write the story's manifest (only when its bytes change); returns its path, and whether it was written."""
    manifest = {
        "schema": MANIFEST_SCHEMA, "story": slug, "source_language": source_language,
        "publish_threshold": project.publish_threshold,
        "languages": {r.lang: {"state": r.state, **r.counts, "dir": direction(r.lang),
                               "missing_images": r.missing_images, "files": r.files} for r in results},
    }
    path = project.manifest(slug)
    return path, write_if_changed(path, pretty_json(manifest))
