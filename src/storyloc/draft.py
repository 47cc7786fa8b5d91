"""Stage 3: fill every empty entry with a machine draft, marked fuzzy, with its provenance.

Each language has a chain of engines (``[tool.storyloc.draft] engines``):
translation memory first, then the glossary, then machine engines (Apertium
offline; deep-translator's providers online). A segment goes down the chain
until one engine drafts it; what no engine could draft stays empty, with the
reasons, and the run goes on.

What a person wrote is never touched: only empty entries are drafted, and
``force`` re-drafts only entries that are still machine drafts
(:func:`storyloc.provenance.is_machine_draft`). Every draft is fuzzy and says
where it came from in a translator comment (engine, date, TM score, review
notes), which survives ``update`` and shows in Poedit. A catalog someone saved
during the run (Poedit, the review page) is read again before the next save.

The catalog is saved (atomically) after each batch, and every machine answer
is in the draft cache as soon as it arrives: a run killed half-way leaves a
valid catalog with the drafts made so far, and the next run carries on
without sending anything twice.

Online engines run only when a person allows it: unpublished copy is not
sent to a third party by default, and offline machines and CI make no
network attempts at all. ``STORYLOC_ONLINE=1``, ``online = true``, or naming
an online engine with ``--engine`` allows it; ``STORYLOC_ONLINE=0`` forbids it.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .catalog import Catalog, Message, encode_po, read_catalog
from .config import ENGINE_NAMES, ONLINE_ENGINES, Project
from .errors import CatalogError, ConfigError, EngineError
from .files import write_if_changed
from .glossary import Glossary, load_glossary
from .mask import MaskError, mask, unmask
from .provenance import Record, is_machine_draft, replace, text_digest
from .tm import Memory, load_memory

ONLINE_OFF = "online engines are off (set STORYLOC_ONLINE=1, or online = true in [tool.storyloc.draft])"


@dataclass
class Draft:
    text: str
    engine: str
    records: list[Record]


@dataclass
class Undrafted:
    msgid: str
    line: int
    reasons: list[str]
    transient: bool = False         # an engine failed (network, server): the next run may succeed

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) or "no engine in the chain"


@dataclass
class DraftResult:
    """What happened to one catalog."""

    story: str
    lang: str
    path: Path
    shown: str
    chain: tuple[str, ...] = ()
    segments: int = 0                                   # entries that wanted a draft
    by_engine: Counter = field(default_factory=Counter)
    undrafted: list[Undrafted] = field(default_factory=list)
    written: bool = False

    @property
    def drafted(self) -> int:
        return sum(self.by_engine.values())

    @property
    def complete(self) -> bool:
        """Nothing left that a later run could draft without a change of configuration."""
        return not any(u.transient for u in self.undrafted)

    def reasons(self) -> Counter:
        return Counter(u.reason for u in self.undrafted)

    def error(self, undrafted: Undrafted) -> EngineError:
        """The engine failure as storyloc's error: catalog, line, engine and segment named."""
        excerpt = undrafted.msgid if len(undrafted.msgid) <= 40 else undrafted.msgid[:39] + "…"
        return EngineError(f"{undrafted.reason} (segment “{excerpt}”)", self.shown, undrafted.line)


@dataclass
class DraftEvent:
    """What the progress callback hears: a catalog starts, advances after each saved batch, finishes."""

    kind: str               # start | advance | finish
    story: str
    lang: str
    done: int
    total: int
    drafted: int


Progress = Callable[[DraftEvent], None]


def online_allowed(project: Project, named: tuple[str, ...] | None = None, env=None) -> bool:
    env = os.environ if env is None else env
    value = (env.get("STORYLOC_ONLINE") or "").strip().lower()
    if value:
        return value not in ("0", "false", "no", "off")
    if named and any(name in ONLINE_ENGINES for name in named):
        return True
    return project.draft.online


def draft_date() -> str:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` for reproducible runs."""
    from .clock import now
    return now().date().isoformat()


def wants_draft(message: Message, force: bool = False) -> bool:
    """Empty entries; with ``force`` also machine drafts. Never a person's translation."""
    if message.status == "missing":
        return True
    return force and is_machine_draft(message)


def draft(project: Project, langs: tuple[str, ...] | None = None, engines: tuple[str, ...] | None = None,
          force: bool = False, progress: Progress | None = None, stories: tuple[str, ...] | None = None,
          env=None) -> list[DraftResult]:
    """Draft every empty entry of each story's catalog in each language; see the module notes."""
    for name in engines or ():
        if name not in ENGINE_NAMES:
            raise ConfigError(f"unknown engine {name!r} (known: {', '.join(ENGINE_NAMES)})")
    languages = project.select_languages(langs)
    run = _Run(project, tuple(engines) if engines else None, online_allowed(project, engines, env), env,
               force, progress)
    try:
        return [run.catalog(story, lang) for story in (stories or project.stories)
                for lang in project.story_targets(story, languages)]
    finally:
        run.close()


class _Run:
    """Resources shared by every catalog of a run: engines (and their circuit breakers), TM, cache."""

    def __init__(self, project: Project, override: tuple[str, ...] | None, online: bool, env,
                 force: bool, progress: Progress | None):
        self.project = project
        self.override = override
        self.online = online
        self.env = env
        self.force = force
        self.progress = progress
        self.today = draft_date()
        self.engines: dict = {}
        self.memories: dict[tuple[str, str], Memory] = {}
        self.source = project.source_language          # the language of the story being drafted
        self.glossaries: dict[str, Glossary] = {}
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

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()
        if self._cache is not None:
            self._cache.close()

    def catalog(self, story: str, lang: str) -> DraftResult:
        project = self.project
        self.source = project.story_language(story)      # a German-origin story drafts from German
        path = project.catalog(story, lang)
        shown = project.rel(path)
        if not path.exists():
            raise CatalogError("no catalog yet; run `storyloc update` first", shown)
        on_disk = path.read_bytes()                  # read before the catalog: a later save shows as a change
        catalog = read_catalog(path, shown)
        chain = self.override or project.draft.chain(lang)
        result = DraftResult(story, lang, path, shown, chain)
        todo = [m for m in catalog.entries() if wants_draft(m, self.force)]
        result.segments = len(todo)
        for m in todo:
            if m.msgid_plural is not None:
                result.undrafted.append(Undrafted(m.msgid, m.lineno, ["plural entry: translate it by hand"]))
        by_text: dict[str, list[Message]] = {}
        for m in todo:
            if m.msgid_plural is None:
                by_text.setdefault(m.msgid, []).append(m)
        texts = list(by_text)
        applied: dict[tuple[str | None, str], Draft] = {}

        notify = self.progress or (lambda event: None)
        done = len(result.undrafted)                 # the plural entries, already decided
        notify(DraftEvent("start", story, lang, 0, result.segments, 0))
        size = project.draft.batch_size
        for start in range(0, len(texts), size):
            batch = texts[start:start + size]
            drafts, failed, transient = self.chain(chain, lang, batch)
            for text in batch:
                messages = by_text[text]
                done += len(messages)
                if text in drafts:
                    for m in messages:
                        _apply(m, drafts[text])
                        applied[m.key] = drafts[text]
                    result.by_engine[drafts[text].engine] += len(messages)
                else:
                    result.undrafted += [Undrafted(text, m.lineno, failed[text], text in transient)
                                         for m in messages]
            catalog, on_disk, written = self._save(catalog, path, shown, on_disk, applied)
            result.written |= written
            notify(DraftEvent("advance", story, lang, done, result.segments, result.drafted))
        notify(DraftEvent("finish", story, lang, result.segments, result.segments, result.drafted))
        return result

    def _save(self, catalog: Catalog, path: Path, shown: str, on_disk: bytes,
              applied: dict) -> tuple[Catalog, bytes, bool]:
        """Save the drafts so far. A run can take minutes: if someone saved the catalog meanwhile
        (Poedit, the review page), their file is the base, and drafts go only where still wanted."""
        if path.read_bytes() != on_disk:
            catalog = read_catalog(path, shown)
            for m in catalog.entries():
                if m.key in applied and wants_draft(m, self.force):
                    _apply(m, applied[m.key])
        data = encode_po(catalog, shown)
        return catalog, data, write_if_changed(path, data)

    def chain(self, names: tuple[str, ...], lang: str, texts: list[str]):
        """Run ``texts`` down the chain: drafts by text, reasons by text for the rest, and which
        of the rest an engine failed on (rather than none being available)."""
        pending: dict[str, list[str]] = {t: [] for t in texts}
        drafts: dict[str, Draft] = {}
        transient: set[str] = set()                  # texts an engine failed on
        # glossary/<lang>.csv pairs the project's source language with <lang>: a story written in another
        # language (lang: de) is drafted without it rather than with terms of the wrong language
        own = self.source == self.project.source_language
        terms = self.glossary(lang).pairs() if "glossary" in names and own else []
        for name in names:
            if not pending:
                break
            if name == "tm":
                self._tm(lang, pending, drafts)
            elif name == "glossary":
                self._glossary(lang, terms, pending, drafts)
            else:
                self._machine(name, lang, terms, pending, drafts, transient)
        return drafts, pending, transient & set(pending)

    def _tm(self, lang: str, pending: dict, drafts: dict) -> None:
        memory = self.memory(lang)
        floor = self.project.draft.tm_min_score
        for text in list(pending):
            match = memory.lookup(text, floor)
            if match is None:
                pending[text].append(f"tm: no match of {floor}% or more")
                continue
            records = [Record("draft", {"engine": "tm", "score": str(match.score), "date": self.today})]
            if match.score < 100:
                records.append(Record("note", text=f"TM {match.score}% match, from {match.origin}; its English: "
                                                   f"“{_one_line(match.source)}”"))
            drafts[text] = Draft(match.target, "tm", records)
            del pending[text]

    def _glossary(self, lang: str, terms: list, pending: dict, drafts: dict) -> None:
        """Segments that are nothing but glossary terms (a name, a credit) need no engine."""
        for text in list(pending):
            masked = mask(text, terms)
            if any(kind == "term" for kind in masked.kinds.values()) and masked.only_placeholders():
                drafts[text] = Draft(unmask(masked, masked.text), "glossary",
                                     [Record("draft", {"engine": "glossary", "date": self.today})])
                del pending[text]

    def _machine(self, name: str, lang: str, terms: list, pending: dict, drafts: dict, transient: set) -> None:
        from .engines import EngineFailure
        engine = self.engine(name)
        source = self.source
        reason = ONLINE_OFF if engine.online and not self.online else engine.unavailable(source, lang)
        if reason:
            for text in pending:
                pending[text].append(f"{name}: {reason}")
            if getattr(engine, "down", False):
                transient.update(pending)
            return
        masks = {text: mask(text, terms) for text in pending}
        unique = list(dict.fromkeys(m.text for m in masks.values()))
        answers: dict = {}
        identity = engine.identity(source, lang)
        if engine.cacheable:
            answers.update(self.cache().get_many(*identity, unique))
        to_send = [text for text in unique if text not in answers]

        def remember(i: int, answer) -> None:
            if engine.cacheable and isinstance(answer, str):
                self.cache().put(*identity, to_send[i], answer)

        answers.update(zip(to_send, engine.translate(to_send, source, lang, remember)))
        inflecting = self.glossary(lang).inflecting
        for text, masked in masks.items():
            answer = answers[masked.text]
            if isinstance(answer, EngineFailure):
                pending[text].append(f"{name}: {answer.reason}")
                transient.add(text)
                continue
            raw, notes = engine.postprocess(answer)
            try:
                restored = unmask(masked, raw)
            except MaskError as e:
                pending[text].append(f"{name}: {e}; draft not used")
                continue
            if not restored:
                pending[text].append(f"{name}: empty translation")
                continue
            records = [Record("draft", {"engine": name, **engine.fields(source, lang), "date": self.today})]
            records += [Record("note", text=_one_line(note)) for note in notes]
            if inflecting and masked.terms:
                records.append(Record("note", text="glossary terms put in as written, check their case endings: "
                                                   + ", ".join(dict.fromkeys(masked.terms))))
            drafts[text] = Draft(restored, name, records)
            del pending[text]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _apply(message: Message, d: Draft) -> None:
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


def strict_error(results: list[DraftResult]) -> EngineError | None:
    """For ``--strict``: the first segment left undrafted, as an error naming how many there are."""
    left = [(r, u) for r in results for u in r.undrafted]
    if not left:
        return None
    result, first = left[0]
    error = result.error(first)
    error.message = f"{len(left)} segment(s) left undrafted; first: {error.message}"
    return error


@dataclass
class StoryDraft:
    """One story drafted in every language: the stage `storyloc locales` runs between update and build."""

    story: str
    results: list[DraftResult]

    @property
    def complete(self) -> bool:
        """False when an engine failed: the pipeline then tries again on its next run."""
        return all(r.complete for r in self.results)


class DraftSession:
    """One set of engines, cache and translation memory for a whole `storyloc locales` run.

    The pipeline drafts story by story; a fresh run per story would read every
    catalog of the language again to build the memory each time (quadratic in
    the number of stories). Within one run the memory is the reviewed work as
    the run began: drafting adds no reviewed entries, so nothing is missed.
    """

    def __init__(self, project: Project, progress: Progress | None = None, env=None):
        self._run = _Run(project, None, online_allowed(project, None, env), env, False, progress)

    def __call__(self, project: Project, story: str) -> StoryDraft:
        return StoryDraft(story, [self._run.catalog(story, lang) for lang in project.story_targets(story)])

    def __enter__(self) -> "DraftSession":
        return self

    def __exit__(self, *exc) -> None:
        self._run.close()


def draft_story(project: Project, story: str, progress: Progress | None = None) -> StoryDraft:
    """One story in every language, with resources of its own (see :class:`DraftSession` for many)."""
    with DraftSession(project, progress) as session:
        return session(project, story)
