"""A draft run: the resources every catalog shares, and each catalog drafted, saved batch by batch.

:func:`draft` is ``storyloc draft``: every story in the chosen languages.
:class:`DraftSession` is the same run held open across the stories of a
``storyloc locales`` run, so the engines, the cache and the translation memory
are made once.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..clock import now
from ..errors import CatalogError, ConfigError
from ..files import write_if_changed
from ..glossary import Glossary, load_glossary
from ..po import Catalog, Message, encode_po, handover, read_catalog
from ..po.provenance import Record, is_machine_draft, replace, text_digest
from ..project import ENGINE_NAMES, ONLINE_ENGINES, Project
from .chain import Chain
from .document import Document
from .results import Draft, DraftEvent, DraftResult, Progress, StoryDraft, Undrafted
from .tm import Memory, load_memory


def draft(project: Project, langs: tuple[str, ...] | None = None, engines: tuple[str, ...] | None = None,
          force: bool = False, progress: Progress | None = None, env=None) -> list[DraftResult]:
    """Draft every empty entry of each story's catalog in each language (``storyloc draft``).

    ``engines`` chooses the machine engines (see :func:`protected_chain`); ``force`` re-drafts
    entries that are still exactly a machine's draft; ``env`` stands for ``os.environ``."""
    for name in engines or ():
        if name not in ENGINE_NAMES:
            raise ConfigError(f"unknown engine {name!r} (known: {', '.join(ENGINE_NAMES)})")
    languages = project.select_languages(langs)
    run = Run(project, protected_chain(engines), online_allowed(project, engines, env), env, force, progress)
    try:
        return [run.catalog(story, lang) for story in project.stories
                for lang in project.story_targets(story, languages)]
    finally:
        run.close()


class DraftSession:
    """One set of engines, cache and translation memory for a whole `storyloc locales` run.

    The pipeline drafts story by story; a fresh run per story would read every
    catalog of the language again to build the memory each time (quadratic in
    the number of stories). Within one run the memory is the reviewed work as
    the run began: drafting adds no reviewed entries, so nothing is missed.
    """

    def __init__(self, project: Project, progress: Progress | None = None, env=None):
        self._run = Run(project, None, online_allowed(project, None, env), env, False, progress)

    def __call__(self, project: Project, story: str) -> StoryDraft:
        return StoryDraft(story, [self._run.catalog(story, lang) for lang in project.story_targets(story)])

    def __enter__(self) -> DraftSession:
        return self

    def __exit__(self, *exc) -> None:
        self._run.close()


def online_allowed(project: Project, named: tuple[str, ...] | None = None, env=None) -> bool:
    """``STORYLOC_ONLINE`` decides when set; else naming an online engine allows them; else the project."""
    env = os.environ if env is None else env
    value = (env.get("STORYLOC_ONLINE") or "").strip().lower()
    if value:
        return value not in ("0", "false", "no", "off")
    if named and any(name in ONLINE_ENGINES for name in named):
        return True
    return project.draft.online


def protected_chain(engines: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``--engine`` chooses the machine engines; the translation memory and the glossary always come
    first (name them to put them elsewhere). Masking and verification are not engines: always on."""
    if not engines:
        return None
    named = tuple(dict.fromkeys(engines))
    return tuple(e for e in ("tm", "glossary") if e not in named) + named


def wants_draft(message: Message, force: bool = False) -> bool:
    """Empty entries; with ``force`` also machine drafts. Never a person's translation."""
    if message.status == "missing":
        return True
    return force and is_machine_draft(message)


class Run:
    """Resources shared by every catalog of a run: engines (and their circuit breakers), TM, cache."""

    def __init__(self, project: Project, override: tuple[str, ...] | None, online: bool, env,
                 force: bool, progress: Progress | None):
        self.project = project
        self.override = override
        self.online = online
        self.env = env
        self.force = force
        self.progress = progress or (lambda event: None)
        self.today = now().date().isoformat()      # the day every draft of the run records
        self.engines: dict = {}
        self.memories: dict[tuple[str, str], Memory] = {}
        self.source = project.source_language          # the language of the story being drafted
        self.glossaries: dict[str, Glossary] = {}
        self.stories: dict = {}
        self._cache = None

    def engine(self, name: str):
        if name not in self.engines:
            from .engines import make_engine          # deep-translator is imported only when needed
            self.engines[name] = make_engine(name, self.project.draft, self.env)
        return self.engines[name]

    def cache(self):
        if self._cache is None:
            from .cache import DraftCache
            self._cache = DraftCache(self.project.draft_cache())
        return self._cache

    def memory(self, lang: str) -> Memory:
        """The translation memory of the pair (the current story's language, ``lang``)."""
        key = (self.source, lang)
        if key not in self.memories:
            self.memories[key] = load_memory(self.project, lang, self.source)
        return self.memories[key]

    def glossary(self, lang: str) -> Glossary:
        if lang not in self.glossaries:
            self.glossaries[lang] = load_glossary(self.project, lang)
        return self.glossaries[lang]

    def story(self, slug: str):
        """The parsed story (kinds, front matter names), or None when its source is missing."""
        if slug not in self.stories:
            from ..story import parse_story
            path = self.project.article(slug)
            self.stories[slug] = parse_story(path, slug, self.project.rel(path)) if path.exists() else None
        return self.stories[slug]

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()
        if self._cache is not None:
            self._cache.close()

    def catalog(self, story: str, lang: str) -> DraftResult:
        """Draft one catalog, batch by batch, saving after each batch."""
        project = self.project
        self.source = project.story_language(story)      # a German-origin story drafts from German
        path = project.catalog(story, lang)
        shown = project.rel(path)
        if not path.exists():
            raise CatalogError("no catalog yet; run `storyloc update` first", shown)
        on_disk = path.read_bytes()                  # read before the catalog: a later save shows as a change
        catalog = handover.read_catalog(path, shown)  # update's, when it saved it a moment ago
        result = DraftResult(story, lang, path, shown, self.override or project.draft.chain(lang))
        # glossary/<lang>.csv pairs the project's source language with <lang>: a story written in another
        # language (lang: de) is drafted without it, only with its own keep-as-is names
        glossary = self.glossary(lang) if self.source == project.source_language else Glossary(lang)
        chain = Chain(self, lang, Document.of(catalog, self.story(story), lang, glossary), result)
        by_text = self._todo(catalog, result)
        texts = list(by_text)
        applied: dict[tuple[str | None, str], Draft] = {}
        done = len(result.undrafted)                 # the plural entries, already decided
        self.progress(DraftEvent("start", story, lang, 0, result.segments, 0))
        size = project.draft.batch_size
        last = max(0, len(texts) - 1) // size * size          # the last batch's start: its save is kept for build
        for start in range(0, len(texts), size):
            batch = texts[start:start + size]
            drafts, failed, transient = chain(result.chain, batch)
            for text in batch:
                messages = by_text[text]
                done += len(messages)
                if text in drafts:
                    for m in messages:
                        apply_draft(m, drafts[text])
                        applied[m.key] = drafts[text]
                    result.by_engine[drafts[text].engine] += len(messages)
                else:
                    result.undrafted += [Undrafted(text, m.lineno, failed[text], text in transient)
                                         for m in messages]
            catalog, on_disk, written = self._save(catalog, path, shown, on_disk, applied, start == last)
            result.written |= written
            self.progress(DraftEvent("advance", story, lang, done, result.segments, result.drafted))
        if not texts:                                # nothing to draft: kept for build all the same
            result.written |= self._save(catalog, path, shown, on_disk, applied, True)[2]
        self.progress(DraftEvent("finish", story, lang, result.segments, result.segments, result.drafted))
        return result

    def _todo(self, catalog: Catalog, result: DraftResult) -> dict[str, list[Message]]:
        """The entries that want a draft, by English text (one engine call per distinct text);
        plural entries are left to a person, and said so in ``result``."""
        todo = [m for m in catalog.entries() if wants_draft(m, self.force)]
        result.segments = len(todo)
        by_text: dict[str, list[Message]] = {}
        for m in todo:
            if m.msgid_plural is not None:
                result.undrafted.append(Undrafted(m.msgid, m.lineno, ["plural entry: translate it by hand"]))
            else:
                by_text.setdefault(m.msgid, []).append(m)
        return by_text

    def _save(self, catalog: Catalog, path: Path, shown: str, on_disk: bytes,
              applied: dict, final: bool = False) -> tuple[Catalog, bytes, bool]:
        """Save the drafts so far (the ``final`` save kept for build, see :mod:`storyloc.po.handover`).
        A run can take minutes: if someone saved the catalog meanwhile (Poedit, the review page),
        their file is the base, and drafts go only where still wanted."""
        if path.read_bytes() != on_disk:
            catalog = read_catalog(path, shown)
            for m in catalog.entries():
                if m.key in applied and wants_draft(m, self.force):
                    apply_draft(m, applied[m.key])
        if final:
            written = handover.save(catalog, path, shown)
            return catalog, catalog.bytes_as_read, written
        data = encode_po(catalog, shown)
        return catalog, data, write_if_changed(path, data)


def apply_draft(message: Message, d: Draft) -> None:
    """Put a draft into an entry: fuzzy, provenance replaced, the old English hint cleared."""
    text = d.text.strip()
    if message.msgid.startswith("\n"):
        text = "\n" + text
    if message.msgid.endswith("\n"):
        text += "\n"
    message.msgstr = [text]
    message.fuzzy = True
    message.previous_msgctxt = message.previous_msgid = message.previous_msgid_plural = None
    records = [Record(r.kind, {**r.fields, "text": text_digest(text)}, r.text) if r.kind == "draft" else r
               for r in d.records]
    replace(message, records, ("draft", "note"))
