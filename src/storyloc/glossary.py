"""The glossary: names and terms a draft must carry in the newsroom's form.

One CSV file per language, ``glossary/<lang>.csv``, because a translator can
open and edit CSV in any spreadsheet or text editor and review it in a diff,
where TBX needs a terminology tool. The first row names the columns: the
source language, the target language, and an optional note::

    en,uk,note
    Bakhmut,Бахмут,city in Donetsk Oblast
    Gwara Media,Gwara Media,publisher: kept as is

Terms match whole words, case-sensitively, longest first. Before a machine
engine sees a segment the terms are masked (:mod:`storyloc.draft.placeholders`) and come
back in the target form given here: the dictionary form. Languages that
inflect names (Ukrainian, Polish…) then need the case ending adjusted; such
drafts carry a note listing the terms put in. A language model is given the
terms as instructions instead, with their notes, and inflects them itself.

The story protects its own names too, glossary file or not
(:func:`story_terms`): the ``publisher``, the ``keep:`` list, and, in
languages written in Latin letters, the photographer and the names in credits
stay as written. ``glossary/<lang>.style.md`` is the newsroom's style guide
for the language (quotes, apostrophe, dates, ranks), given to a language model
as it is.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .project import Project
from .errors import GlossaryError

# Languages whose nouns take case endings: a term put in as written may need adjusting.
INFLECTING = {"uk", "pl", "ru", "be", "cs", "sk", "sl", "hr", "sr", "bs", "bg", "mk", "lt", "lv",
              "et", "fi", "hu", "ro", "el", "is", "ka", "hy"}


@dataclass(frozen=True)
class Term:
    """A glossary entry: ``source`` is written ``target`` in the language; ``line``: where the
    glossary file says so (0: the story's own name, or a term made in code)."""

    source: str
    target: str
    note: str = ""
    line: int = 0

    @property
    def keep(self) -> bool:
        """Kept as is in this language (the glossary repeats the source)."""
        return self.source == self.target


@dataclass
class Glossary:
    lang: str
    path: Path | None = None
    terms: list[Term] = field(default_factory=list)

    def pairs(self) -> list[tuple[str, str]]:
        return [(t.source, t.target) for t in self.terms]

    def with_terms(self, extra: list[Term]) -> "Glossary":
        """This glossary and ``extra`` terms it does not list (the glossary's own entry wins)."""
        have = {t.source for t in self.terms}
        return Glossary(self.lang, self.path, self.terms + [t for t in extra if t.source not in have])

    @property
    def inflecting(self) -> bool:
        return self.lang.split("_")[0] in INFLECTING


def load_glossary(project: Project, lang: str) -> Glossary:
    """The language's glossary; an absent file is an empty glossary."""
    path = project.glossary(lang)
    if not path.exists():
        return Glossary(lang, None)
    shown = project.rel(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryError("not UTF-8 text; save the glossary as UTF-8 CSV", shown) from None
    except OSError as e:
        raise GlossaryError(f"cannot read: {e.strerror or e}", shown) from None
    return parse_glossary(text, lang, project.source_language, shown, path)


def parse_glossary(text: str, lang: str, source_language: str = "en", shown: str = "<glossary>",
                   path: Path | None = None) -> Glossary:
    glossary = Glossary(lang, path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    seen: dict[str, Term] = {}
    header_done = False
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row]
            if not header_done:
                expected = [(source_language, lang), ("source", "target")]
                if len(cells) < 2 or tuple(c.lower() for c in cells[:2]) not in expected:
                    raise GlossaryError(f"first row must name the columns: {source_language},{lang},note",
                                        shown, line)
                header_done = True
                continue
            if len(cells) > 3:
                raise GlossaryError(f"expected 2 or 3 columns (term, translation, note), got {len(cells)}; "
                                    "quote a value that contains a comma", shown, line)
            if len(cells) < 2 or not cells[0] or not cells[1]:
                raise GlossaryError("a term needs both its source and its target form "
                                    "(repeat the source to keep it as is)", shown, line)
            term = Term(cells[0], cells[1], cells[2] if len(cells) > 2 else "", line)
            earlier = seen.get(term.source)
            if earlier is not None:
                if earlier.target != term.target:
                    raise GlossaryError(f"“{term.source}” is already on line {earlier.line} "
                                        f"as “{earlier.target}”", shown, line)
                continue
            seen[term.source] = term
            glossary.terms.append(term)
    except csv.Error as e:
        raise GlossaryError(f"not valid CSV: {e}", shown, reader.line_num) from None
    if not header_done:
        raise GlossaryError(f"empty glossary; the first row names the columns: {source_language},{lang},note",
                            shown, 1)
    return glossary


# -- what the story itself protects -----------------------------------------------------

def latin_script(lang: str) -> bool:
    """The language is written in Latin letters (CLDR's likely script)."""
    from babel.core import get_global
    likely = get_global("likely_subtags").get(lang.split("_")[0], "")
    return "_Latn" in likely or not likely


CREDIT_WORDS = {"by", "photo", "photos", "photograph", "photographs", "text", "words", "video", "illustration",
                "illustrations", "graphics", "reporting", "editing", "edited", "translated", "via", "courtesy"}


def names_in(text: str, known: tuple[str, ...]) -> list[str]:
    """Proper names in an English credit or byline: the story's known names, then runs of Capitalized words.

    A run ends at a sentence's end ("Jane Doe. Photographs by…" holds Jane Doe, not "Jane Doe.
    Photographs"), and one capitalized word opening a sentence is no name. An initial ("J.") or a
    title ("Jr.") does not end the run. The one reader of names in a credit line: the story's names
    here, and the checks (:mod:`storyloc.check.names`) and drafts that verify them.
    """
    found = [name for name in known if name in text]
    rest = text
    for name in found:
        rest = rest.replace(name, " ")
    tokens = re.findall(r"[A-Za-z][\w'’.-]*|\S", rest)
    run: list[str] = []
    sentence_start = True            # the next token opens a sentence
    run_opened_sentence = False

    def flush() -> None:
        if run and run_opened_sentence and run[0].casefold() in CREDIT_WORDS:
            del run[0]               # "By Ann Lee", "Photos Max Li": the credit's word, not the name
        elif run and run_opened_sentence and len(run) == 1:
            run.clear()
        if run:
            found.append(" ".join(run))
        run.clear()

    for token in tokens + ["."]:
        if token[:1].isupper() and token[:1].isalpha():
            word = token
            ends = token.endswith(".") and not re.fullmatch(r"[A-Z]\.|(?:Jr|Sr|St|Dr|Mr|Mrs|Ms)\.", token)
            if ends:
                word = token.rstrip(".")
            if not run:
                run_opened_sentence = sentence_start
            run.append(word)
            sentence_start = False
            if ends:
                flush()
                sentence_start = True
            continue
        flush()
        sentence_start = token in (".", "!", "?", ":", ";") or token.endswith((".", "!", "?"))
    return found


def story_names(story) -> dict[str, str]:
    """Names the story marks, with where they come from: publisher and ``keep:`` (brands, kept in
    every language), photographer and names in credits (people)."""
    meta = story.meta
    found: dict[str, str] = {}
    if isinstance(meta.get("publisher"), str) and meta["publisher"].strip():
        found[meta["publisher"].strip()] = "publisher"
    keep = getattr(story, "keep", None) or meta.get("keep") or []
    for name in keep if isinstance(keep, list) else [keep]:
        if isinstance(name, str) and name.strip():
            found.setdefault(name.strip(), "keep")
    if isinstance(meta.get("photographer"), str) and meta["photographer"].strip():
        found.setdefault(meta["photographer"].strip(), "photographer")
    known = tuple(found)
    for segment in story.segments():
        if segment.kind == "credit":
            for name in names_in(segment.text, known):
                if len(name) > 2 and name[0].isupper():
                    found.setdefault(name.strip(" .,:;"), "credit")
    return found


def story_terms(story, lang: str) -> list[Term]:
    """The story's names as keep-as-is terms for ``lang``: brands always, people's names where the
    language is written in Latin letters (elsewhere the glossary says how to write them)."""
    if story is None:
        return []
    latin = latin_script(lang)
    return [Term(name, name, f"{origin}: keep as is") for name, origin in story_names(story).items()
            if origin in ("publisher", "keep") or latin]


def load_style(project: Project, lang: str) -> str:
    """The newsroom's style guide for the language (``glossary/<lang>.style.md``), or ""."""
    path = project.style_guide(lang)
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as e:
        raise GlossaryError(f"cannot read the style guide: {getattr(e, 'strerror', None) or e}",
                            project.rel(path)) from None


def suggest(project: Project, stories=None, langs=None) -> dict[str, list[Term]]:
    """For each language (the configured ones, or ``langs``), the names of the stories (every
    configured one, or ``stories``, by name) its glossary lacks, as terms for a translator to fill:
    brands pre-filled as kept, people and places left with an empty translation. A story or
    language that is not configured is a :class:`~storyloc.errors.ConfigError`."""
    from .story import parse_story
    chosen = project.select_languages(langs)
    names: dict[str, str] = {}
    for slug in project.select_stories(stories):
        story = parse_story(project.article(slug), slug, project.rel(project.article(slug)))
        names.update({n: o for n, o in story_names(story).items() if n not in names})
        for segment in story.segments():
            if segment.kind == "byline":
                for name in names_in(segment.text, tuple(names)):
                    names.setdefault(name, "byline")
            for match in re.finditer(r"(?<![\w.])(?:[A-Z][\w’'-]+)(?: (?:[A-Z][\w’'-]+))+", segment.text):
                # capitalised multi-word terms, not at a sentence start unless three words or more
                start = match.start()
                before = segment.text[:start].rstrip()
                words = match.group(0).split()
                if (not before or before[-1] in ".!?:") and len(words) < 3:
                    words = words[1:]
                    if len(words) < 2:
                        continue
                names.setdefault(" ".join(words), "story")
    out: dict[str, list[Term]] = {}
    for lang in chosen:
        have = {t.source for t in load_glossary(project, lang).terms}
        keep_people = latin_script(lang)
        out[lang] = [Term(name, name if origin in ("publisher", "keep") or (keep_people and origin != "story")
                          else "", f"from the story ({origin})")
                     for name, origin in names.items() if name not in have]
    return out
