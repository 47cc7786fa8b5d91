"""Stage 1: a story's segments become its template, ``locales/<story>.pot``.

One message per block; captions carry ``msgctxt figure:<id>`` so they stay
tied to their photo when figures move; identical credit lines share one
message with every reference. ``#.`` notes tell translators what a segment is
and what must stay as is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, clock
from .po import Catalog, Message, format_po, parse_po
from .project import Project
from .errors import CatalogError
from .files import write_atomic
from .story import Segment, Story, parse_story, parse_story_text

@dataclass
class ExtractResult:
    story: str
    path: Path
    messages: int
    written: bool
    warnings: list[str] = field(default_factory=list)     # "file:line: what" (raw HTML left out, no alt text)


def notes(seg: Segment, story: Story, paragraph: int | None = None) -> list[str]:
    """What a translator should know about a segment: what and where it is, its links, what to keep."""
    out = [seg.note] if seg.note else []
    for n, target in enumerate(seg.links, 1):
        if n in seg.images:
            out.append(f"Image [{n}] is {target}: keep the ![text][{n}] marker; translate its words.")
        else:
            out.append(f"Link [{n}] goes to {target}: keep the [text][{n}] marker; the address is not translated.")
    for label in dict.fromkeys(seg.footnotes):
        out.append(f"Keep the footnote marker [^{label}] where the note belongs.")
    publisher = story.meta.get("publisher")
    if publisher and publisher in seg.text and f"Keep “{publisher}” as is." not in seg.note:
        out.append(f"Keep “{publisher}” as is.")
    return out


def template_for(story: Story, reference_path: str) -> Catalog:
    """The template catalog of a story (without header), messages in reading order."""
    catalog = Catalog()
    by_key: dict[tuple[str | None, str], Message] = {}
    for seg in story.segments():
        reference = f"{reference_path}:{seg.line}"
        existing = by_key.get(seg.key)
        if existing is not None:
            existing.references.append(reference)
            continue
        message = Message(msgid=seg.text, msgctxt=seg.context, references=[reference],
                          extracted_comments=notes(seg, story))
        by_key[seg.key] = message
        catalog.messages.append(message)
    return catalog


def header(story: Story, created: str) -> Message:
    """The template's header: gettext's conventional placeholders, which ``msginit`` and editors fill in."""
    title = story.title.text
    fields = [
        ("Project-Id-Version", story.slug),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", created),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Generator", f"storyloc {__version__}"),
    ]
    return Message(
        msgid="",
        msgstr=["".join(f"{k}: {v}\n" for k, v in fields)],
        translator_comments=[f"Template for translations of “{title}”.",
                             "Made by `storyloc extract` from the story; edit the story, not this file."],
        flags=["fuzzy"],
    )


def extract(project: Project, stories: tuple[str, ...] | None = None) -> list[ExtractResult]:
    """Write each story's ``.pot``; leave it alone when nothing but its date would change.
    Every story is read before any template is written, so a bad story leaves every file as it was."""
    read = []
    for slug in project.select_stories(stories):
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source), project.embed_hosts)
        project.check_story_language(story)
        read.append((slug, source, story))
    results = []
    for slug, source, story in read:
        target = project.template(slug)
        catalog = template_for(story, project.rel(source))
        current, old_date = _current(target)
        # the entries are laid out once; only the header's date may differ between the two texts
        body = format_po(catalog) if catalog.messages else ""
        text = _with_header(story, old_date or clock.po_date(), body)
        written = text != current
        if written:
            if old_date is not None:  # the content changed, so the date does too
                text = _with_header(story, clock.po_date(), body)
            write_atomic(target, text.encode("utf-8"))
        results.append(ExtractResult(slug, target, len(catalog.messages), written, list(story.warnings)))
    return results


def _with_header(story: Story, created: str, body: str) -> str:
    """The template's text: its header, then the entries (``body``, laid out by :func:`format_po`)
    after the blank line that separates entries."""
    head = format_po(Catalog([header(story, created)]))
    return head + "\n" + body if body else head


def _current(path: Path) -> tuple[str | None, str | None]:
    """The current template's text and date, so an unchanged template compares equal.

    The date is read from the first entry alone, the header as extract writes it (a long story's
    template is thousands of entries); the whole file only when that entry has no date."""
    try:
        text = path.read_text(encoding="utf-8")
        first = text.split("\n\n", 1)[0]
        date = _date(first, path)
        return text, date if date is not None or first == text else _date(text, path)
    except (FileNotFoundError, UnicodeDecodeError):
        return None, None  # no template yet: it is written anew


def _date(text: str, path: Path) -> str | None:
    try:
        return parse_po(text, str(path)).header_fields().get("POT-Creation-Date")
    except CatalogError:
        return None  # a broken template: it is written anew


def babel_extract(fileobj, keywords, comment_tags, options):
    """Babel extraction method: ``[storyloc: source/**/article.md]`` in babel.cfg."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    name = getattr(fileobj, "name", "article.md")
    story = parse_story_text(text, Path(name), Path(name).parent.name, str(name))
    for seg in story.segments():
        comments = notes(seg, story)
        if seg.context is None:
            yield seg.line, None, seg.text, comments
        else:
            yield seg.line, "pgettext", (seg.context, seg.text), comments
