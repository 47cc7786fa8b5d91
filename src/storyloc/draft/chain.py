"""One catalog's segments down one language's chain of engines, each draft verified before it is kept.

The chain is ordered: the translation memory (a person's earlier work) first,
then the glossary (a segment that is only names), then the machine engines.
Every machine engine but the language model gets the segment masked
(:mod:`storyloc.draft.placeholders`); the language model gets the story
(:mod:`storyloc.draft.llm`). Whatever comes back is unmasked and verified
(:meth:`storyloc.draft.document.Document.verify`); a draft that fails goes no
further and the segment goes on down the chain, with the reason recorded.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..errors import EngineFailure, MaskError
from ..po.provenance import Record
from .document import Document
from .placeholders import mask, unmask
from .results import Draft, DraftResult, EngineStats

if TYPE_CHECKING:
    from .run import Run

ONLINE_OFF = "online engines are off (set STORYLOC_ONLINE=1, or online = true in [tool.storyloc.draft])"


def one_line(text: str) -> str:
    return " ".join(text.split())


# What a match may differ in and still be shown to a translator, with a note: its content.
CONTENT_CHECKS = frozenset({"numbers", "names", "glossary", "length", "placeholders"})


class Chain:
    """One catalog's engines at work: the run's shared resources, the catalog's story and result."""

    def __init__(self, run: Run, lang: str, doc: Document, result: DraftResult):
        self.run = run
        self.lang = lang
        self.doc = doc
        self.result = result

    def __call__(self, names: tuple[str, ...], texts: list[str]):
        """Run ``texts`` down the chain: drafts by text, reasons by text for the rest, and which
        of the rest an engine failed on (rather than none being available)."""
        pending: dict[str, list[str]] = {t: [] for t in texts}
        drafts: dict[str, Draft] = {}
        transient: set[str] = set()                  # texts an engine failed on
        fallback: dict[str, Draft] = {}              # fuzzy TM matches that did not verify
        for name in names:
            if not pending:
                break
            if name == "tm":
                self._tm(pending, drafts, fallback)
            elif name == "glossary":
                self._glossary(pending, drafts)
            else:
                self._machine(name, pending, drafts, transient)
        for text in [t for t in pending if t in fallback]:
            drafts[text] = fallback[text]              # no engine did better: the match, with what differs
            del pending[text]
        return drafts, pending, transient & set(pending)

    def _tm(self, pending: dict, drafts: dict, fallback: dict) -> None:
        """Every match is verified like any draft, an exact one too: a person's translation of this
        very text, reviewed in another story, may still carry what no draft may (raw HTML, a link
        of its own), and is then not used. One that differs only in content (a number, a name, a
        term) gets a note saying so: an exact match is still the person's choice and is used; a
        fuzzy one goes to the engines after it, and is used only if none of them drafts the segment."""
        memory = self.run.memory(self.lang)
        floor = self.run.project.draft.tm_min_score
        for text in list(pending):
            match = memory.lookup(text, floor)
            if match is None:
                pending[text].append(f"tm: no match of {floor}% or more")
                continue
            records = [Record("draft", {"engine": "tm", "score": str(match.score), "date": self.run.today})]
            if match.score < 100:
                records.append(Record("note", text=f"TM {match.score}% match, from {match.origin}; its English: "
                                                   f"“{one_line(match.source)}”"))
            problems = self.doc.verify(text, match.target)
            unsafe = [p for p in problems if p.split(":")[0] not in CONTENT_CHECKS]
            if unsafe:
                pending[text].append(one_line(f"tm: {match.score}% match from {match.origin} not used: {unsafe[0]}"))
                continue
            if problems:
                records.append(Record("note", text=one_line(f"differs from the English: {problems[0]}")))
                if match.score < 100:
                    fallback[text] = Draft(match.target, "tm", records)
                    pending[text].append(f"tm: {match.score}% match differs: {problems[0]}")
                    continue
            drafts[text] = Draft(match.target, "tm", records)
            del pending[text]

    def _glossary(self, pending: dict, drafts: dict) -> None:
        """Segments that are nothing but glossary terms (a name, a credit) need no engine."""
        terms = self.doc.glossary.pairs()
        for text in list(pending):
            masked = mask(text, terms)
            if any(kind == "term" for kind in masked.kinds.values()) and masked.only_placeholders():
                drafts[text] = Draft(unmask(masked, masked.text), "glossary",
                                     [Record("draft", {"engine": "glossary", "date": self.run.today})])
                del pending[text]

    def _machine(self, name: str, pending: dict, drafts: dict, transient: set) -> None:
        """An engine's answers for the pending segments, unmasked and verified; what fails stays pending."""
        engine = self.run.engine(name)
        source, lang = self.run.source, self.lang
        reason = ONLINE_OFF if engine.online and not self.run.online else engine.unavailable(source, lang)
        if reason:
            for text in pending:
                pending[text].append(f"{name}: {reason}")
            if getattr(engine, "down", False):
                transient.update(pending)
            return
        stats = self.result.stat(name)
        started = time.monotonic()
        if getattr(engine, "document", False):
            masks, answers, extra = self._document(engine, pending, stats)
        else:
            (masks, answers), extra = self._segments(engine, pending, stats), {}
        stats.seconds += time.monotonic() - started
        for text, masked in masks.items():
            answer = answers.get(text, EngineFailure("no answer for this segment"))
            if isinstance(answer, EngineFailure):
                pending[text].append(f"{name}: {answer.reason}")
                if answer.retryable or answer.fatal:
                    transient.add(text)
                continue
            kept = self._keep(name, engine, text, masked, answer, extra.get(text, {}))
            if isinstance(kept, str):
                self._reject(name, pending, text, kept)
            else:
                drafts[text] = kept
                del pending[text]

    def _keep(self, name: str, engine, text: str, masked, answer: str, extra: dict) -> Draft | str:
        """The engine's answer as a draft with its provenance and notes, or why it cannot be kept."""
        source, lang = self.run.source, self.lang
        raw, notes = engine.postprocess(answer)
        try:
            restored = unmask(masked, raw)
        except MaskError as e:
            return f"{e}"
        if not restored:
            return "empty translation"
        problems = self.doc.verify(text, restored)
        if problems:
            return problems[0]
        records = [Record("draft", {"engine": name, **engine.fields(source, lang), **extra,
                                    "date": self.run.today})]
        notes += self.doc.unverified(text, restored)
        records += [Record("note", text=one_line(note)) for note in notes]
        if self.run.glossary(lang).inflecting and masked.terms and not getattr(engine, "document", False):
            records.append(Record("note", text="glossary terms put in as written, check their case endings: "
                                               + ", ".join(dict.fromkeys(masked.terms))))
        return Draft(restored, name, records)

    def _reject(self, name: str, pending: dict, text: str, reason: str) -> None:
        """A draft that failed verification: not kept; the next engine of the chain gets the segment."""
        pending[text].append(f"{name}: {reason}; draft not used")
        self.result.rejected[f"{name}: {reason}"] += 1

    def _segments(self, engine, pending: dict, stats: EngineStats) -> tuple[dict, dict]:
        """A segment per request (deep-translator's providers) or per line (Apertium), masked:
        the masks and the answers, by text."""
        source, lang = self.run.source, self.lang
        terms = self.doc.glossary.pairs()
        masks = {text: mask(text, terms, lang) for text in pending}
        unique = list(dict.fromkeys(m.text for m in masks.values()))
        answers: dict = {}
        identity = engine.identity(source, lang)
        if engine.cacheable:
            answers.update(self.run.cache().get_many(*identity, unique))
            stats.cache_hits += len(answers)
        to_send = [text for text in unique if text not in answers]

        def remember(i: int, answer) -> None:
            if engine.cacheable and isinstance(answer, str):
                self.run.cache().put(*identity, to_send[i], answer)

        sent_before = getattr(engine, "requests", 0)
        answers.update(zip(to_send, engine.translate(to_send, source, lang, remember)))
        stats.requests += getattr(engine, "requests", 0) - sent_before if engine.online else 0
        return masks, {text: answers[m.text] for text, m in masks.items()}

    def _document(self, engine, pending: dict, stats: EngineStats):
        """The story's pending segments in as few requests as fit the model's context (see
        :mod:`storyloc.draft.llm`); answers cached by prompt, so a rerun sends nothing."""
        from .llm import Reply, plan
        doc, source, lang = self.doc, self.run.source, self.lang
        keep = [(t.source, t.target) for t in doc.glossary.terms if t.keep]
        masks = {text: mask(text, keep, lang, numbers=False, markup=False) for text in pending}
        items = [doc.item(text, masks[text].text) for text in pending]
        story = [doc.item(text, mask(text, keep, lang, numbers=False, markup=False).text, context=True)
                 for text in doc.texts]
        brief = doc.brief(source, lang, [i.text for i in items], self.run.memory(lang), self.run.project)
        prompts = plan(items, story, brief, engine.model, self.run.project.draft.llm_context)
        identity = engine.identity(source, lang)
        cached = self.run.cache().get_many(*identity, [p.digest for p in prompts])
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
        answers, extra = self._read_replies(prompts, replies, set(to_send), by_id, identity)
        return masks, answers, extra

    def _read_replies(self, prompts: list, replies: dict, sent: set[int], by_id: dict,
                      identity) -> tuple[dict, dict]:
        """Each prompt's reply read by segment id; a valid answer just received goes into the cache,
        a broken one does not (the next run asks again)."""
        from .llm import Reply, parse_answer
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
                    if n in sent:
                        self.run.cache().put(*identity, prompt.digest, reply.raw)
                    for id_ in prompt.ids:
                        if id_ in found:
                            answers[by_id[id_]] = found[id_]
                            extra[by_id[id_]] = {"prompt": prompt.digest[:12]}
                        else:
                            answers[by_id[id_]] = EngineFailure(f"the answer has no segment {id_}")
                    continue
            for id_ in prompt.ids:
                answers[by_id[id_]] = reply
        return answers, extra
