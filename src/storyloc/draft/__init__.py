"""Stage 3: fill every empty entry with a machine draft, marked fuzzy, with its provenance.

Each language has a chain of engines (``[tool.storyloc.draft] engines``):
translation memory first, then the glossary, then machine engines (Apertium
offline; deep-translator's providers online). A segment goes down the chain
until one engine drafts it; what no engine could draft stays empty, with the
reasons, and the run goes on.

What a person wrote is never touched: only empty entries are drafted, and
``force`` re-drafts only entries that are still machine drafts
(:func:`storyloc.po.provenance.is_machine_draft`). Every draft is fuzzy and says
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
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..po import Catalog, Message, encode_po, read_catalog
from ..project import ENGINE_NAMES, ONLINE_ENGINES, Project
from ..errors import CatalogError, ConfigError, EngineError, EngineFailure, MaskError
from ..files import write_if_changed
from ..glossary import Glossary, load_glossary, load_style, story_names, story_terms
from .placeholders import mask, unmask
from ..po.provenance import Record, is_machine_draft, replace, text_digest
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
class EngineStats:
    """What one engine cost in one catalog: requests sent (retries included), tokens, cache hits, time."""

    requests: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0


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
    stats: dict = field(default_factory=dict)           # engine -> EngineStats
    rejected: Counter = field(default_factory=Counter)  # "engine: reason" -> drafts verification refused

    def stat(self, engine: str) -> "EngineStats":
        return self.stats.setdefault(engine, EngineStats())

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
    from ..clock import now
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
    run = _Run(project, protected_chain(engines), online_allowed(project, engines, env), env, force, progress)
    try:
        return [run.catalog(story, lang) for story in (stories or project.stories)
                for lang in project.story_targets(story, languages)]
    finally:
        run.close()


def protected_chain(engines: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``--engine`` chooses the machine engines; the translation memory and the glossary always come
    first (name them to put them elsewhere). Masking and verification are not engines: always on."""
    if not engines:
        return None
    named = tuple(dict.fromkeys(engines))
    return tuple(e for e in ("tm", "glossary") if e not in named) + named


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
        self.stories: dict = {}
        self._cache = None
        self.doc: _Document | None = None          # the catalog being drafted, as a story
        self.result: DraftResult | None = None

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
        self.result = result
        # glossary/<lang>.csv pairs the project's source language with <lang>: a story written in another
        # language (lang: de) is drafted without it, only with its own keep-as-is names
        own = self.source == project.source_language
        glossary = self.glossary(lang) if own else Glossary(lang)
        self.doc = _Document.of(catalog, self.story(story), lang, glossary)
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
        terms = self.doc.glossary.pairs() if self.doc else self.glossary(lang).pairs()
        fallback: dict[str, Draft] = {}              # fuzzy TM matches that did not verify
        for name in names:
            if not pending:
                break
            if name == "tm":
                self._tm(lang, pending, drafts, fallback)
            elif name == "glossary":
                self._glossary(lang, terms, pending, drafts)
            else:
                self._machine(name, lang, terms, pending, drafts, transient)
        for text in [t for t in pending if t in fallback]:
            drafts[text] = fallback[text]              # no engine did better: the match, with what differs
            del pending[text]
        return drafts, pending, transient & set(pending)

    def _tm(self, lang: str, pending: dict, drafts: dict, fallback: dict) -> None:
        """Exact matches are a person's translation of this very text. A fuzzy match is verified like
        any draft; one that differs (a number, a name) goes to the engines after it, and is used,
        with a note saying what differs, only if none of them drafts the segment."""
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
                problems = self.doc.verify(text, match.target) if self.doc else []
                if problems:
                    records.append(Record("note", text=_one_line(f"differs from the English: {problems[0]}")))
                    fallback[text] = Draft(match.target, "tm", records)
                    pending[text].append(f"tm: {match.score}% match differs: {problems[0]}")
                    continue
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
        engine = self.engine(name)
        source = self.source
        reason = ONLINE_OFF if engine.online and not self.online else engine.unavailable(source, lang)
        if reason:
            for text in pending:
                pending[text].append(f"{name}: {reason}")
            if getattr(engine, "down", False):
                transient.update(pending)
            return
        stats = self.result.stat(name) if self.result else EngineStats()
        started = time.monotonic()
        if getattr(engine, "document", False):
            masks, answers, extra = self._document(engine, lang, pending, stats)
        else:
            (masks, answers), extra = self._segments(engine, lang, terms, pending, stats), {}
        stats.seconds += time.monotonic() - started
        inflecting = self.glossary(lang).inflecting
        for text, masked in masks.items():
            answer = answers.get(text, EngineFailure("no answer for this segment"))
            if isinstance(answer, EngineFailure):
                pending[text].append(f"{name}: {answer.reason}")
                if answer.retryable or answer.fatal:
                    transient.add(text)
                continue
            raw, notes = engine.postprocess(answer)
            try:
                restored = unmask(masked, raw)
            except MaskError as e:
                self._reject(name, pending, text, f"{e}")
                continue
            if not restored:
                self._reject(name, pending, text, "empty translation")
                continue
            problems = self.doc.verify(text, restored) if self.doc else []
            if problems:
                self._reject(name, pending, text, problems[0])
                continue
            records = [Record("draft", {"engine": name, **engine.fields(source, lang), **extra.get(text, {}),
                                        "date": self.today})]
            notes += self.doc.unverified(text, restored) if self.doc else []
            records += [Record("note", text=_one_line(note)) for note in notes]
            if inflecting and masked.terms and not getattr(engine, "document", False):
                records.append(Record("note", text="glossary terms put in as written, check their case endings: "
                                                   + ", ".join(dict.fromkeys(masked.terms))))
            drafts[text] = Draft(restored, name, records)
            del pending[text]

    def _reject(self, name: str, pending: dict, text: str, reason: str) -> None:
        """A draft that failed verification: not kept; the next engine of the chain gets the segment."""
        pending[text].append(f"{name}: {reason}; draft not used")
        if self.result is not None:
            self.result.rejected[f"{name}: {reason}"] += 1

    def _segments(self, engine, lang: str, terms: list, pending: dict, stats: EngineStats) -> tuple[dict, dict]:
        """A segment per request (deep-translator's providers) or per line (Apertium), masked:
        the masks and the answers, by text."""
        source = self.source
        masks = {text: mask(text, terms, lang) for text in pending}
        unique = list(dict.fromkeys(m.text for m in masks.values()))
        answers: dict = {}
        identity = engine.identity(source, lang)
        if engine.cacheable:
            answers.update(self.cache().get_many(*identity, unique))
            stats.cache_hits += len(answers)
        to_send = [text for text in unique if text not in answers]

        def remember(i: int, answer) -> None:
            if engine.cacheable and isinstance(answer, str):
                self.cache().put(*identity, to_send[i], answer)

        sent_before = getattr(engine, "requests", 0)
        answers.update(zip(to_send, engine.translate(to_send, source, lang, remember)))
        stats.requests += getattr(engine, "requests", 0) - sent_before if engine.online else 0
        return masks, {text: answers[m.text] for text, m in masks.items()}

    def _document(self, engine, lang: str, pending: dict, stats: EngineStats):
        """The story's pending segments in as few requests as fit the model's context (see
        :mod:`storyloc.draft.llm`); answers cached by prompt, so a rerun sends nothing."""
        from .llm import Reply, parse_answer, plan
        doc = self.doc
        source = self.source
        keep = [(t.source, t.target) for t in doc.glossary.terms if t.keep]
        masks = {text: mask(text, keep, lang, numbers=False, markup=False) for text in pending}
        items = [doc.item(text, masks[text].text) for text in pending]
        story = [doc.item(text, mask(text, keep, lang, numbers=False, markup=False).text, context=True)
                 for text in doc.texts]
        brief = doc.brief(source, lang, [i.text for i in items], self.memory(lang), self.project)
        prompts = plan(items, story, brief, engine.model, self.project.draft.llm_context)
        identity = engine.identity(source, lang)
        cached = self.cache().get_many(*identity, [p.digest for p in prompts])
        replies: dict[int, Reply | EngineFailure] = {}
        for n, prompt in enumerate(prompts):
            if prompt.digest in cached:
                replies[n] = Reply(cached[prompt.digest])
                stats.cache_hits += 1
        to_send = [n for n in range(len(prompts)) if n not in replies]
        for n, reply in zip(to_send, engine.complete([prompts[n] for n in to_send])):
            replies[n] = reply
            if isinstance(reply, Reply):
                stats.requests += reply.requests
                stats.tokens_in += reply.tokens_in
                stats.tokens_out += reply.tokens_out
        by_id = {item.id: text for item, text in zip(items, pending)}
        answers: dict = {}
        extra: dict = {}
        for n, prompt in enumerate(prompts):
            reply = replies[n]
            if isinstance(reply, Reply):
                try:
                    found = parse_answer(reply.raw, prompt.ids)
                except EngineFailure as failure:
                    reply = EngineFailure(failure.reason, retryable=True)   # not cached: the next run asks again
                else:
                    if n in to_send:                 # a valid answer is worth keeping; a broken one is not
                        self.cache().put(*identity, prompt.digest, reply.raw)
                    for id_ in prompt.ids:
                        if id_ in found:
                            answers[by_id[id_]] = found[id_]
                            extra[by_id[id_]] = {"prompt": prompt.digest[:12]}
                        else:
                            answers[by_id[id_]] = EngineFailure(f"the answer has no segment {id_}")
                    continue
            for id_ in prompt.ids:
                answers[by_id[id_]] = reply
        return masks, answers, extra


# Checks a draft must pass before it is kept (storyloc.check's, the ones that mean "wrong", not "style").
VERIFY = ("markup", "links", "footnotes", "numbers", "placeholders", "names", "glossary", "length")


@dataclass
class _Document:
    """One catalog seen as a story: each text's id, kind and neighbours, its names, its glossary."""

    lang: str
    glossary: Glossary                      # the language's, with the story's keep-as-is names added
    texts: list[str]                        # source texts in story order, each once
    kinds: dict[str, str]
    segments: dict
    names: tuple[str, ...]
    title: str = ""
    dek: str = ""
    reviewed: dict = field(default_factory=dict)    # text -> a person's translation, context for neighbours
    _ids: dict = field(default_factory=dict)        # text -> its id: its place in the story, from 1

    @classmethod
    def of(cls, catalog: Catalog, story, lang: str, glossary: Glossary) -> "_Document":
        from ..check import kind_of
        segments = {}
        names: tuple[str, ...] = ()
        if story is not None:
            for seg in story.segments():
                segments.setdefault(seg.key, seg)
            names = tuple(story_names(story))
        texts: list[str] = []
        kinds: dict[str, str] = {}
        reviewed: dict[str, str] = {}
        title = dek = ""
        for m in catalog.entries():
            if m.msgid_plural is not None or m.msgid in kinds:
                continue
            if m.status == "reviewed":
                reviewed[m.msgid] = m.msgstr[0]
            texts.append(m.msgid)
            kinds[m.msgid] = kind_of(m, segments.get(m.key))
            title = title or (m.msgid if m.msgctxt == "title" else "")
            dek = dek or (m.msgid if m.msgctxt == "dek" else "")
        by_text = {seg.text: seg for seg in segments.values()}
        return cls(lang, glossary.with_terms(story_terms(story, lang)), texts, kinds, by_text, names, title, dek,
                   reviewed)

    def item(self, text: str, masked: str, context: bool = False):
        """The segment as the model sees it; as context, with its reviewed translation if it has one."""
        from .llm import Item
        if len(self._ids) != len(self.texts):
            self._ids = {t: str(n) for n, t in enumerate(self.texts, 1)}
        return Item(self._ids.get(text, str(len(self.texts) + 1)), self.kinds.get(text, "paragraph"), masked,
                    self.reviewed.get(text, "") if context else "")

    def brief(self, source: str, lang: str, texts: list[str], memory: Memory, project: Project):
        """What a language model is told besides the segments: the story, the terms that occur in
        them with their notes, reviewed translations of similar text, the style guide."""
        from .llm import Brief
        from ..languages import language_name
        from .placeholders import localize_number
        joined = "\n".join(self.texts)
        terms = [{"source": t.source, "target": t.target, **({"note": t.note} if t.note else {}),
                  **({"keep": True} if t.keep else {})}
                 for t in self.glossary.terms if re.search(rf"(?<!\w){re.escape(t.source)}(?!\w)", joined)]
        examples: dict[str, str] = {}
        for text in texts:
            match = memory.lookup(text, 40)
            if match is not None and match.source not in examples and len(examples) < 8:
                examples[match.source] = match.target
        import datetime

        from babel.dates import format_date
        numbers = (f"Write numbers as {language_name(lang, 'en')} does: 70,000 is {localize_number('70,000', lang)}, "
                   f"3.5 is {localize_number('3.5', lang)}, 40% is {localize_number('40%', lang)}; "
                   "years stay as they are (2023); 1 February 2023 is "
                   f"{format_date(datetime.date(2023, 2, 1), 'long', locale=lang)} (in the case the sentence needs).")
        return Brief(source, lang, language_name(source, "en"), language_name(lang, "en"), self.title, self.dek,
                     terms, [{"source": k, "target": v} for k, v in examples.items()], load_style(project, lang),
                     self.glossary.inflecting, numbers)

    def unverified(self, text: str, draft: str) -> list[str]:
        """What verification could not judge in this draft, for the reviewer to look at."""
        from ..check import latin_or_cyrillic
        from ..glossary import names_in
        if self.kinds.get(text) in ("credit", "byline") and not latin_or_cyrillic(draft) \
                and names_in(text, self.names):
            return ["names not verified (storyloc reads names back from Latin and Cyrillic letters only): "
                    + ", ".join(names_in(text, self.names))]
        return []

    def verify(self, text: str, draft: str) -> list[str]:
        """Why ``draft`` cannot be kept as a draft of ``text``, if anything: storyloc's own checks
        (markup, link references, footnotes, placeholders, numbers by value, names, glossary, length)."""
        from ..check import Entry, run_checks, terms_in
        segment = self.segments.get(text)
        entry = Entry(Message(text, [draft]), self.lang, self.kinds.get(text, "paragraph"), segment, self.names,
                      terms_in(text, self.glossary.terms))
        return [f"{check.id}: {message}" for check, message in run_checks(entry, VERIFY)]


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
