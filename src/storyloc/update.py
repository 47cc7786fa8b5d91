"""Stage 2: merge a story's template into each language's catalog, losing nothing.

Like ``msgmerge --previous``: a message whose English changed keeps its old
translation, goes fuzzy, and shows the old English as ``#| msgid``; a message
gone from the story becomes obsolete (``#~``); translator comments and flags
stay. Entries follow the story's order. Entries whose content did not change
are written back byte for byte.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .po import fuzzy, provenance
from .po import Catalog, Message, handover, read_catalog, read_po
from .project import Project
from .errors import CatalogError
from .languages import language_name, plural_forms

# A fuzzy match must share at least this much (difflib ratio over words) with the new English.
FUZZY_THRESHOLD = 0.6
# Old texts scoring within this of a new text's best match are kept as its runners-up, in case
# another new text takes the best one.
RUNNERS_UP = 0.1


@dataclass
class UpdateResult:
    """One catalog after the merge: whether it was created or rewritten, and what the merge did."""
    story: str
    lang: str
    path: Path
    created: bool
    written: bool
    new: int = 0            # messages with no translation yet
    fuzzy: int = 0          # messages given an old translation as a suggestion
    obsolete: int = 0       # messages gone from the story, kept as #~


def _format_flags(template: Message) -> list[str]:
    return [f for f in template.flags if f != "fuzzy"]


def _merge_flags(old: Message, template: Message, fuzzy: bool) -> list[str]:
    """The translator's flags (fuzzy, no-wrap, silenced checks) plus the template's format flags."""
    flags = [f for f in old.flags if f != "fuzzy" and not f.endswith("-format")]
    flags = _format_flags(template) + [f for f in flags if f not in template.flags]
    return (["fuzzy"] + flags) if fuzzy else flags


FORMAT_FLAGS = ("c-format", "python-format", "python-brace-format")
DROPPED_FORM = "dropped"        # provenance note: a plural form the template no longer has room for


def _adopt(old: Message, template: Message, nplurals: int) -> Message:
    """The old entry, with what the template owns brought up to date.

    As msgmerge does: when the template adds, drops or changes ``msgid_plural``, or adds a format
    flag the translation was never checked against, a translated entry goes fuzzy with its old
    English kept as ``#| msgid`` / ``#| msgid_plural``, and its forms are resized to the catalog's
    plural count; a form that no longer fits is kept as a ``# storyloc: note dropped …`` comment.
    """
    old.obsolete = False
    old.extracted_comments = list(template.extracted_comments)
    old.references = list(template.references)
    plural_changed = template.msgid_plural != old.msgid_plural
    new_format = any(f in template.flags and f not in old.flags for f in FORMAT_FLAGS)
    if (plural_changed or new_format) and any(old.msgstr):
        if not old.fuzzy:
            old.previous_msgctxt = None
            old.previous_msgid, old.previous_msgid_plural = old.msgid, old.msgid_plural
        old.fuzzy = True
    fuzzy = old.fuzzy
    old.flags = _merge_flags(old, template, fuzzy)
    if plural_changed:
        old.msgid_plural = template.msgid_plural
    old.msgstr = _resized(old, 1 if old.msgid_plural is None else nplurals)
    if not fuzzy:
        old.previous_msgctxt = old.previous_msgid = old.previous_msgid_plural = None
    return old


def _resized(m: Message, count: int) -> list[str]:
    """``m``'s forms made ``count`` long: the last form fills new ones (GNU fills every form from the
    singular); a non-empty form cut off is kept in a provenance note, so no text is lost."""
    forms = list(m.msgstr) or [""]
    if len(forms) == count:
        return forms
    for n, text in enumerate(forms[count:], count):
        if text:
            note = f"{DROPPED_FORM} msgstr[{n}] {json.dumps(text, ensure_ascii=False)}"
            m.translator_comments.append(provenance.Record("note", text=note).format())
    return forms[:count] + [forms[-1]] * (count - len(forms))


def _from_fuzzy(old: Message, template: Message, nplurals: int) -> Message:
    """A new entry carrying an old translation as a suggestion: fuzzy, with the old English beside it."""
    suggestion = Message(
        msgid=template.msgid, msgctxt=template.msgctxt, msgid_plural=template.msgid_plural, msgstr=list(old.msgstr),
        translator_comments=list(old.translator_comments),
        extracted_comments=list(template.extracted_comments), references=list(template.references),
        flags=_merge_flags(old, template, True),
        previous_msgctxt=old.msgctxt if old.msgctxt != template.msgctxt else None,
        previous_msgid=old.msgid,
        previous_msgid_plural=old.msgid_plural,
    )
    suggestion.msgstr = _resized(suggestion, 1 if template.msgid_plural is None else nplurals)
    return suggestion


def _empty(template: Message, nplurals: int) -> Message:
    return Message(
        msgid=template.msgid, msgctxt=template.msgctxt, msgid_plural=template.msgid_plural,
        msgstr=[""] * (nplurals if template.msgid_plural is not None else 1),
        extracted_comments=list(template.extracted_comments), references=list(template.references),
        flags=_format_flags(template),
    )


def _fuzzy_pairs(new: list[Message], candidates: list[Message], memo: dict | None = None) -> dict[int, Message]:
    """Best old translation for each new message, each old one used once, best scores first.

    The pairs depend only on the texts and contexts, so ``memo`` (one per story) gives a language
    whose catalog has the same translated English as another's the same pairs without a search.
    """
    if not new or not candidates:
        return {}
    key = (tuple((m.msgctxt, m.msgid) for m in new), tuple((m.msgctxt, m.msgid) for m in candidates))
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _search_pairs(new, candidates)
        if memo is not None:
            memo[key] = found
    return {i: candidates[j] for i, j in found}


def _search_pairs(new: list[Message], candidates: list[Message]) -> list[tuple[int, int]]:
    index = fuzzy.Index(fuzzy.RATIO)
    for m in candidates:
        index.add(fuzzy.words(m.msgid))
    scored = []
    for i, template in enumerate(new):
        query = fuzzy.words(template.msgid)
        for score, j in index.search(query, FUZZY_THRESHOLD, RUNNERS_UP, extra=index.prefixed(query)):
            # a caption's suggestion should come from a caption: same kind of context first
            same_kind = (template.msgctxt or "").split(":")[0] == (candidates[j].msgctxt or "").split(":")[0]
            scored.append((same_kind, score, -i, -j, i, j))
    scored.sort(reverse=True)
    taken_new, taken_old, pairs = set(), set(), []
    for *_, i, j in scored:
        if i in taken_new or j in taken_old:
            continue
        taken_new.add(i)
        taken_old.add(j)
        pairs.append((i, j))
    return pairs


def merge(old: Catalog, template: Catalog, nplurals: int, memo: dict | None = None) -> tuple[Catalog, dict[str, int]]:
    """``old`` brought in line with ``template``; returns the merged catalog and counts.
    ``memo``: shared by the merges of one template, it saves repeating the fuzzy search."""
    merged = Catalog(newline=old.newline, tail=old.tail, path=old.path)
    header = old.header
    if header is not None:
        merged.messages.append(header)
    live = {}
    for m in old.messages:
        if m is not header:
            live.setdefault((m.obsolete, m.key), m)
    used: set[int] = set()
    slots: list[Message | None] = []
    pending: list[tuple[int, Message]] = []
    for template_message in template.entries():
        found = live.get((False, template_message.key)) or live.get((True, template_message.key))
        if found is not None and id(found) not in used:
            used.add(id(found))
            slots.append(_adopt(found, template_message, nplurals))
        else:
            pending.append((len(slots), template_message))
            slots.append(None)
    # An entry taken by its exact match still suggests a translation for the same English in a new
    # context (a caption that became a pull quote): msgmerge offers it too.
    candidates = [m for m in old.messages if m is not header and m.translated and m.msgid]
    pairs = _fuzzy_pairs([t for _, t in pending], candidates, memo)
    counts = {"new": 0, "fuzzy": 0, "obsolete": 0}
    for n, (slot, template_message) in enumerate(pending):
        source = pairs.get(n)
        if source is not None:
            used.add(id(source))
            slots[slot] = _from_fuzzy(source, template_message, nplurals)
            counts["fuzzy"] += 1
        else:
            slots[slot] = _empty(template_message, nplurals)
            counts["new"] += 1
    merged.messages.extend(m for m in slots if m is not None)
    # Nothing translated is lost: what left the story stays as obsolete entries, in their old order.
    for m in old.messages:
        if m is header or id(m) in used:
            continue
        if m.obsolete or m.translated or m.translator_comments:
            if not m.obsolete:
                m.obsolete = True
                m.references = []
                counts["obsolete"] += 1
            merged.messages.append(m)
    return merged, counts


def new_catalog(story: str, lang: str, template: Catalog) -> Catalog:
    """A fresh catalog for ``lang``: the template's header made right for the language."""
    catalog = Catalog()
    fields = template.header_fields()
    created = fields.get("POT-Creation-Date", "")
    header = Message("", [""], translator_comments=[
        f"{language_name(lang, 'en')} translation of the story “{story}”.",
        "Edit msgstr lines in any PO editor or with `storyloc review`; clear the fuzzy flag when a",
        "translation is right. `storyloc update` keeps your work when the English changes.",
    ])
    catalog.messages.append(header)
    for name, value in [
        ("Project-Id-Version", story), ("Report-Msgid-Bugs-To", ""), ("POT-Creation-Date", created),
        ("PO-Revision-Date", created), ("Last-Translator", ""),
        ("Language-Team", f"{language_name(lang, 'en')}"), ("Language", lang), ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_forms(lang)), ("X-Generator", fields.get("X-Generator", "storyloc")),
    ]:
        catalog.set_header_field(name, value)
    return catalog


def update(project: Project, langs: tuple[str, ...] | None = None,
           stories: tuple[str, ...] | None = None) -> list[UpdateResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<story>.po`` for each story and language."""
    results = []
    for story in project.select_stories(stories):
        template_path = project.template(story)
        if not template_path.exists():
            raise CatalogError("template not found; run `storyloc extract` first", project.rel(template_path))
        template = read_po(template_path, project.rel(template_path))
        handover.forget()                  # one story's catalogs kept at a time: the ones build opens next
        pot_date = template.header_fields().get("POT-Creation-Date")
        memo: dict = {}
        for lang in project.story_targets(story, langs):
            path = project.catalog(story, lang)
            created = not path.exists()
            old = new_catalog(story, lang, template) if created else read_catalog(path, project.rel(path))
            if old.header is None:  # an emptied file, or a header deleted by hand: msgfmt needs its charset
                old.messages.insert(0, new_catalog(story, lang, template).header)
            nplurals = _nplurals(old, lang)
            merged, counts = merge(old, template, nplurals, memo)
            if pot_date and merged.header_fields().get("POT-Creation-Date") != pot_date:
                merged.set_header_field("POT-Creation-Date", pot_date)
            written = handover.save(merged, path)       # kept: build opens it next, in this run
            results.append(UpdateResult(story, lang, path, created, written, **counts))
    return results


def _nplurals(catalog: Catalog, lang: str) -> int:
    """How many msgstr forms a plural entry needs: the catalog's own header wins over CLDR's."""
    forms = catalog.header_fields().get("Plural-Forms") or plural_forms(lang)
    match = re.search(r"nplurals\s*=\s*(\d+)", forms)
    return int(match.group(1)) if match else 2
