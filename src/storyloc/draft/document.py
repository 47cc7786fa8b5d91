"""One catalog seen as a story: what verification and a language model need to know about a segment.

A segment is not drafted alone: its kind (title, caption, credit…) decides
which checks apply, the story's names must survive in it, and a language model
is shown the story around it. :class:`Document` gathers that once per catalog;
:meth:`Document.verify` is the gate every draft passes before it is kept.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..glossary import Glossary, load_style, names_in, story_names, story_terms
from ..po import Catalog, Message
from ..project import Project
from .tm import Memory

# The checks (storyloc.check's, the ones that mean "wrong", not "style") a draft must pass to be kept,
# whatever made it: a length the other checks can read (the
# checks stop at a text far longer than its English), what it may not carry (raw HTML, a
# block of its own, control characters, markup, links or notes the English lacks), then what it
# must keep (numbers, placeholders, names, glossary terms) and a length in proportion.
VERIFY = ("too-long", "html", "blocks", "control-chars", "markup", "links", "footnotes", "numbers", "placeholders",
          "names", "glossary", "length")


@dataclass
class Document:
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
    def of(cls, catalog: Catalog, story, lang: str, glossary: Glossary) -> Document:
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
        from ..languages import language_name
        from .llm import Brief
        joined = "\n".join(self.texts)
        terms = [{"source": t.source, "target": t.target, **({"note": t.note} if t.note else {}),
                  **({"keep": True} if t.keep else {})}
                 for t in self.glossary.terms if re.search(rf"(?<!\w){re.escape(t.source)}(?!\w)", joined)]
        examples: dict[str, str] = {}
        for text in texts:
            match = memory.lookup(text, 40)
            if match is not None and match.source not in examples and len(examples) < 8:
                examples[match.source] = match.target
        return Brief(source, lang, language_name(source, "en"), language_name(lang, "en"), self.title, self.dek,
                     terms, [{"source": k, "target": v} for k, v in examples.items()], load_style(project, lang),
                     self.glossary.inflecting, _number_rules(lang))

    def unverified(self, text: str, draft: str) -> list[str]:
        """What verification could not judge in this draft, for the reviewer to look at."""
        from ..check import latin_or_cyrillic
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


def _number_rules(lang: str) -> str:
    """How ``lang`` writes numbers and dates, in CLDR's forms, for a language model's instructions."""
    from babel.dates import format_date

    from ..languages import language_name
    from .placeholders import localize_number
    return (f"Write numbers as {language_name(lang, 'en')} does: 70,000 is {localize_number('70,000', lang)}, "
            f"3.5 is {localize_number('3.5', lang)}, 40% is {localize_number('40%', lang)}; "
            "years stay as they are (2023); 1 February 2023 is "
            f"{format_date(datetime.date(2023, 2, 1), 'long', locale=lang)} (in the case the sentence needs).")
