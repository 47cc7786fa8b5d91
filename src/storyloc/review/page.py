"""What the review page shows of one story: the JSON its script renders, segment by segment.

Each segment has its English, translation, state, provenance, checks, glossary hints, what
changed in the English, and the photos beside it.
:func:`page_data` is the JSON the page's script renders (with ``textContent`` only); each
segment carries the :func:`~storyloc.review.actions.entry_version` a save of it is based on.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import urllib.parse
from pathlib import Path

from ..build import assess
from ..check import CHECKS, entries_for, findings_for, glossary_terms, terms_in
from ..languages import direction, html_lang, language_name, native_name
from ..po import Catalog, Message, provenance
from ..project import Project
from ..story import Story
from .actions import entry_version
from .reviewers import Reviewer


def word_diff(old: str, new: str) -> list[list[str]]:
    """Word diff of the previous English against the current one, as [op, text] pairs."""
    a, b = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    ops: list[list[str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(["=", "".join(a[i1:i2])])
            continue
        if i2 > i1:
            ops.append(["-", "".join(a[i1:i2])])
        if j2 > j1:
            ops.append(["+", "".join(b[j1:j2])])
    return ops


def image_file(project: Project, slug: str, image: str) -> Path | None:
    """A story's photo file, if it is there and inside the story's folder (nothing else is served)."""
    folder = project.article(slug).parent.resolve()
    path = (folder / image).resolve()
    return path if path.is_file() and folder in path.parents else None


def page_data(project: Project, lang: str, slug: str, story: Story, data: bytes, catalog: Catalog,
              reviewer: Reviewer) -> dict:
    """Everything the page shows for one story (``data`` is the catalog's bytes, ``catalog`` them read)."""
    terms = glossary_terms(project, lang)
    entries = {e.message.key: e for e in entries_for(project, slug, lang, catalog, story, terms)}
    figures = _figures(project, slug, story)
    shown = project.rel(project.catalog(slug, lang))
    segments = [_segment(n, m, entries.get(m.key), shown, slug, figures, terms)
                for n, m in enumerate(catalog.entries(), 1)]
    _, progress, state = assess(project, story, lang, catalog)     # the build's own reckoning
    return {
        "story": slug, "stories": list(project.stories), "lang": lang,
        "lang_tag": html_lang(lang), "dir": direction(lang),
        "lang_name": native_name(lang), "lang_name_en": language_name(lang, "en"),
        "source_language": project.story_language(story),
        "catalog": shown, "version": hashlib.sha256(data).hexdigest(),
        "reviewer": {"name": reviewer.name, "role": reviewer.role},
        "approved": sum(1 for seg in segments if seg["state"] == "approved"),
        "counts": progress, "errors": progress["errors"],     # the checks' one count
        "state": state, "reasons": progress.get("reasons", []), "segments": segments,
        "checks": [{"id": c.id, "severity": c.severity, "title": c.title} for c in CHECKS.values()],
    }


def _figures(project: Project, slug: str, story: Story) -> dict[tuple, list[dict]]:
    """For each alt text, caption and credit key, the figures it is shown under."""
    found: dict[tuple, list[dict]] = {}
    for figure in story.figures:
        present = image_file(project, slug, figure.image) is not None
        info = {"id": figure.id, "image": figure.image,
                "url": f"image/{urllib.parse.quote(slug)}/{urllib.parse.quote(figure.id)}" if present else None}
        for seg in (figure.alt, figure.caption, figure.credit):
            if seg is not None:
                found.setdefault(seg.key, []).append(info)
    return found


def _segment(n: int, m: Message, entry, shown: str, slug: str, figures: dict, terms) -> dict:
    """One segment as the page shows it (``entry`` is check's view of it, None for an entry the
    story no longer has)."""
    checks = []
    if entry is not None:
        for f in findings_for(entry, shown, slug):
            checks.append({"id": f.check, "severity": f.severity, "check_severity": CHECKS[f.check].severity,
                           "title": f.title, "message": f.message, "ignored": f.ignored})
    kind = entry.kind if entry is not None else (m.msgctxt or "paragraph")
    segment = entry.segment if entry is not None else None
    return {
        "n": n, "ctxt": m.msgctxt, "msgid": m.msgid, "msgstr": m.msgstr[0] if m.msgstr else "",
        "status": m.status, "state": provenance.state(m), "version": entry_version(m), "kind": kind,
        "line": m.lineno,
        "source_line": segment.line if segment is not None else None,
        "notes": list(m.extracted_comments),
        "comments": [c for c in m.translator_comments if provenance.parse(c) is None],
        "provenance": [{"kind": r.kind, "fields": r.fields, "text": r.text} for r in provenance.records(m)],
        "previous": word_diff(m.previous_msgid, m.msgid) if m.previous_msgid is not None else None,
        "checks": checks,
        "glossary": [{"source": t.source, "target": t.target, "note": t.note, "keep": t.keep}
                     for t in terms_in(m.msgid, terms)],
        "figures": figures.get(m.key, []),
        "plural": m.msgid_plural is not None,
    }
