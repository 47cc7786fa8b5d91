"""Writing the bundles: each language's ``index.html``, ``article.md``, ``article.json``, ``.mo`` and
images in ``build/<story>/<lang>/``, then the story's manifest, then the overview page."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import freshness
from ..files import write_if_changed
from ..languages import direction, format_story_date
from ..po import compile_mo, handover
from ..project import Project
from ..story import Segment, Story, figure_json, load_story, render_markdown
from ..story.markdown import markdown_body
from ..story.inline import clean
from .gates import assess
from .manifest import BuildResult, LanguageResult, write_manifest
from .page import Inline, json_bytes, page_data, render_page

ARTICLE_SCHEMA = "storyloc.article/2"


def feed_published(project: Project, slug: str) -> list[str]:
    """Languages of ``slug`` with a published version in ``dist/index.json`` (none before the first
    publish): a language whose new build is a draft keeps its alternates while that version is served."""
    from ..errors import StorylocError
    from ..feed import check_feed, published_languages
    path = project.feed()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError) as e:
        raise StorylocError(f"not valid JSON ({e}); restore it from a backup", project.rel(path)) from None
    return published_languages(check_feed(data, project.rel(path)), slug)


def _article_json(project: Project, story: Story, lang: str, shown: dict, state: str, images: dict,
                  inline: Inline | None = None) -> bytes:
    inline = inline or Inline(story, shown)

    def seg(s: Segment | None):
        return inline.json(s) if s is not None else None

    data = {
        "schema": ARTICLE_SCHEMA, "story": story.slug, "lang": lang, "dir": direction(lang),
        "source_language": project.story_language(story), "state": state,
        "meta": {**{k: clean(v) if isinstance(v, str) else v for k, v in story.meta.items() if k != "lang"},
                 "date_display": format_story_date(story.meta.get("date"), lang)},
        **inline.for_texts("article.json", lambda: {
            "title": seg(story.title), "dek": seg(story.dek), "byline": seg(story.byline),
            "lead": figure_json(story.lead, seg) if story.lead is not None else None,
            "blocks": [b.as_json(seg) for b in story.blocks],
            "footnotes": [{"label": n.label, "number": n.number, "line": n.line,
                           "children": [b.as_json(seg) for b in n.children]} for n in story.footnotes],
            "corrections": [{"date": c.date, "note": seg(c.note)} for c in story.corrections]}),
        "images": {image: present for image, present in sorted(images.items())},
    }
    return json_bytes(data)


def _write_bundle(directory: Path, files: dict[str, bytes]) -> list[str]:
    """Make ``directory`` hold exactly ``files``: changed ones rewritten atomically, stale ones removed."""
    written = [name for name, data in sorted(files.items()) if write_if_changed(directory / name, data)]
    if directory.exists():
        for path in sorted(directory.rglob("*"), reverse=True):
            name = path.relative_to(directory).as_posix()
            if path.is_file() and name not in files:
                path.unlink()
                written.append(name)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def _images(project: Project, story: Story, warnings: list[str]) -> tuple[dict[str, bool], dict[str, bytes]]:
    """Whether each local image is there, and its bytes (read once, copied into every bundle)."""
    source_path = project.article(story.slug)
    images: dict[str, bool] = {}
    image_data: dict[str, bytes] = {}
    for image, figure in story.local_images():
        path = source_path.parent / image
        images[image] = path.is_file()
        if images[image]:
            image_data[image] = path.read_bytes()
        else:
            warnings.append(f"{project.rel(source_path)}:{figure.line}: image {image} not found; "
                            f"the page shows a placeholder")
    return images, image_data


def build_story(project: Project, slug: str, common: dict[str, str] | None = None) -> BuildResult:
    """Build one story's bundles and manifest (see :func:`build`), and record the inputs they were
    made from (:mod:`storyloc.freshness`)."""
    project.select_stories((slug,))                        # a configured story, never a path
    found = freshness.inputs(project, slug, common)        # before reading them: a later edit is seen
    story = load_story(project, slug)
    project.check_story_language(story)
    warnings = list(story.warnings)
    images, image_data = _images(project, story, warnings)
    # Every language's state first: a page links only to the languages a reader can read.
    story_lang = project.story_language(story)
    # A catalog is compiled as soon as it is assessed and not kept: a long story's catalogs, all
    # held at once, were a quarter of the build's peak memory.
    states = {}
    for lang in [story_lang, *project.story_targets(story)]:
        catalog = mo = None
        if lang != story_lang:
            path = project.catalog(slug, lang)
            catalog = handover.read_catalog(path, project.rel(path))   # not read again if update saved it
        shown, progress, state = assess(project, story, lang, catalog)
        if catalog is not None:
            mo = compile_mo(catalog)
        states[lang] = (mo, shown, progress, state)
        del catalog
    in_feed = set(feed_published(project, story.slug))
    published = [lang for lang, (*_, state) in states.items() if state == "published" or lang in in_feed]
    results = []
    rendered: dict = {}                        # each text parsed once for all languages and files
    for lang, (mo, shown, progress, state) in states.items():
        inline = Inline(story, shown, rendered)
        page = page_data(project, story, lang, shown, published, images, state, inline)
        files: dict[str, bytes] = {
            "index.html": render_page(page, lang).encode("utf-8"),
            "article.md": render_markdown(story, lambda seg: shown[seg.key].text, lang, inline.markdown,
                                          inline.for_texts("article.md body", lambda: markdown_body(
                                              story, inline.markdown))).encode("utf-8"),
            "article.json": _article_json(project, story, lang, shown, state, images, inline),
        }
        if mo is not None:
            files[project.mo_name(slug)] = mo
        files.update(image_data)
        written = _write_bundle(project.bundle(slug, lang), files)
        checksums = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
        results.append(LanguageResult(lang, state, progress, checksums, written,
                                      [i for i, ok in images.items() if not ok]))
    manifest_path, manifest_written = write_manifest(project, slug, story_lang, results)
    freshness.record(project, slug, found)
    return BuildResult(slug, manifest_path, results, warnings, manifest_written)


def build(project: Project, stories: tuple[str, ...] | None = None) -> list[BuildResult]:
    """Build every configured language of each story (the source language included), then the
    overview page that links every bundle (``build/index.html`` and its chart)."""
    from ..status import write_overview         # status reads the build's reckoning: imported when used
    slugs = project.select_stories(stories)
    common = freshness.shared(project)
    results = [build_story(project, slug, common) for slug in slugs]
    write_overview(project)
    return results
