"""One article file to story Markdown: the format is told by its name or its first bytes (a WordPress
export, HTML, or a post's Markdown), read by the reader for it, written by the Markdown writer;
``import_article`` writes it as ``source/<story>/article.md``, atomically, never over a story someone
has edited."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from .fields import date_from_name, lang_from_path, split_front_matter, story_fields, write_front_matter
from .html_export import article_root, parse_html, reject_non_articles
from .posts import markdown_to_soup
from .state import State, clean_text, tidy
from .wordpress import is_wordpress_export, wordpress_content, wordpress_post
from .writer import Converter

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MD_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdx"}


@dataclass
class Converted:
    """An article as story Markdown: what :func:`convert` returns."""

    text: str
    title: str
    warnings: list[str] = field(default_factory=list)
    figures: int = 0
    kind: str = "markdown"


@dataclass
class Imported:
    """What ``storyloc import`` did: the file written and what it could not carry."""

    source: Path
    path: Path
    kind: str
    title: str
    figures: int
    warnings: list[str]
    configured: bool = True         # False: the story is not in [tool.storyloc] stories, so no stage sees it


def import_article(path: Path | str, slug: str, project, *, force: bool = False,
                   base_url: str | None = None) -> Imported:
    """Convert ``path`` and write it as ``source/<slug>/article.md``, atomically.

    An existing article is kept unless ``force``: an import must never
    overwrite a story someone has edited.
    """
    from ..project import STORY_SLUG, Project
    from ..files import shown, write_atomic
    path = Path(path)
    if not STORY_SLUG.match(slug):
        raise SourceError(f"not a story name: {slug!r} (lowercase letters, digits and '-')")
    target = project.article(slug)
    if target.exists() and not force:
        raise SourceError("already exists; pass --force to replace it with the import", project.rel(target))
    name = shown(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a folder, not an article file", name) from None
    except FileNotFoundError:
        raise SourceError("no such file", name) from None
    suffix = path.suffix.lower()
    converted = convert(data, name, html=True if suffix in HTML_SUFFIXES else False if suffix in MD_SUFFIXES else None,
                        base_url=base_url, date_hint=date_from_name(path.name),
                        lang_hint=lang_from_path(path), source_language=project.source_language, post=slug)
    write_atomic(target, converted.text.encode("utf-8"))
    configured = slug in Project.load(project.root).stories   # read again: `stories` unset finds source/ anew
    return Imported(path, target, converted.kind, converted.title, converted.figures, converted.warnings,
                    configured)


def convert(data: bytes | str, name: str = "<input>", *, html: bool | None = None,
            base_url: str | None = None, date_hint: str | None = None, lang_hint: str | None = None,
            source_language: str | None = None, post: str | None = None) -> Converted:
    """Convert one article (HTML or Markdown, with or without front matter) to story Markdown.

    ``html=None`` decides by the content: a file whose body starts with a tag is HTML. A WordPress
    export (WXR) gives one of its posts: the one whose slug is ``post``, or its only one.
    """
    state = State(name, base_url)
    state.lang_hint = lang_hint
    if is_wordpress_export(data):
        found = wordpress_post(data, name, post)
        state.lang_hint, state.fields_from = found.lang or lang_hint, "WordPress export"
        if found.status is not None:
            state.warn(found.status[1], f"the post's status is {found.status[0]!r}, not published")
        if found.comments:
            state.warn(found.meta_lines.get("title", 1), f"the post's {found.comments} comment(s) left out")
        body = wordpress_content(found.body, state, found.body_line - 1)
        if not body.strip():
            raise SourceError("the post has no content: not an article", name, found.body_line)
        return _convert(found.meta, found.meta_lines, body, found.body_line, None, state, "wordpress",
                        date_hint, source_language)
    text = _decode(data, name, html)
    meta, body, body_line, meta_lines = split_front_matter(text, name) if text is not None else ({}, None, 1, {})
    if html is None:
        html = body is None or bool(re.match(r"\s*<(!doctype|html|head|body|article|main|div|p|h[1-6]|section)\b",
                                             body, re.I))
    return _convert(meta, meta_lines, body, body_line, data if body is None else None, state,
                    "html" if html else "markdown", date_hint, source_language)


def _decode(data: bytes | str, name: str, html: bool | None) -> str | None:
    """The file's text; ``None`` for HTML that is not UTF-8 (html5lib finds its encoding)."""
    if isinstance(data, bytes):
        if not data.strip():
            raise SourceError("the file is empty: not an article", name, 1)
        if b"\x00" in data[:4096]:
            raise SourceError("a binary file, not an article", name, 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if html is not False and data.lstrip()[:1] == b"<":
                return None  # html5lib reads the <meta charset> or sniffs the encoding
            line = data[:error.start].count(b"\n") + 1
            raise SourceError("not UTF-8 text: not an article this importer can read", name, line) from None
    else:
        text = data
    if not text.strip():
        raise SourceError("the file is empty: not an article", name, 1)
    return text


def _convert(meta: dict, meta_lines: dict, body: str | None, body_line: int, raw: bytes | str | None,
             state: State, kind: str, date_hint: str | None, source_language: str | None) -> Converted:
    """The article's fields and body (text, or ``raw`` bytes for html5lib to decode) as story Markdown."""
    name = state.name
    if kind != "markdown":
        soup = parse_html(body if body is not None else raw, state)
        state.line_offset = body_line - 1
    else:
        soup = markdown_to_soup(body, body_line, state)
    reject_non_articles(soup, name)
    fields = story_fields(meta, meta_lines, soup, state, date_hint)
    state.lang = fields.get("lang") or source_language  # the direction its text runs in, for the writer
    root = article_root(soup, state)
    h1 = root.find("h1")
    if h1 is not None and clean_text(h1.get_text(" ")) == fields["title"]:
        h1.decompose()  # the page's own title, already the story's
    body_md = tidy(Converter(state).convert_soup(root))
    if not state.text_blocks:
        raise SourceError("no article text (no paragraph, list, table or captioned figure): not an article",
                          name, body_line)
    if source_language and fields.get("lang") == source_language:
        del fields["lang"]  # the project's own language goes without saying
    lead = fields.get("lead")
    if lead and lead["image"] in state.figure_images:
        del fields["lead"]
        state.warn(state.lead_line, "the lead image is also a figure of the article; kept once, as that figure")
    elif lead and "alt" not in lead:
        state.warn(state.lead_line, "the lead image has no alt text; add `alt:` under `lead:`")
    text_out = write_front_matter(fields) + "\n" + body_md
    warnings = sorted(state.warnings, key=lambda w: int(w[len(name) + 1:].split(":", 1)[0]))
    return Converted(text_out, fields["title"], warnings, state.figure_count, kind)
