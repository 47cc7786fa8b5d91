"""Where each story stands in each language: reviewed, drafted, missing."""
from __future__ import annotations

from dataclasses import dataclass

from .build import choose, counts, publish_state
from .catalog import Catalog, read_po
from .config import Project
from .story import parse_story


@dataclass
class LanguageStatus:
    story: str
    lang: str
    state: str
    counts: dict

    def as_json(self) -> dict:
        return {"story": self.story, "lang": self.lang, "state": self.state, **self.counts}


def status(project: Project, langs: tuple[str, ...] | None = None,
           stories: tuple[str, ...] | None = None) -> list[LanguageStatus]:
    rows = []
    for slug in stories or project.stories:
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source))
        for lang in project.select_languages(langs):
            path = project.catalog(slug, lang)
            catalog = read_po(path, project.rel(path)) if path.exists() else Catalog()
            progress = counts(choose(story, catalog))
            state = publish_state(project, progress)
            rows.append(LanguageStatus(slug, lang, state, progress))
    return rows

