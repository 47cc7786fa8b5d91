"""The glossary: names and terms a draft must carry in the newsroom's form.

One CSV file per language, ``glossary/<lang>.csv``, because a translator can
open and edit CSV in any spreadsheet or text editor and review it in a diff,
where TBX needs a terminology tool. The first row names the columns: the
source language, the target language, and an optional note::

    en,uk,note
    Bakhmut,Бахмут,city in Donetsk Oblast
    Gwara Media,Gwara Media,publisher: kept as is

Terms match whole words, case-sensitively, longest first. Before a machine
engine sees a segment the terms are masked (:mod:`storyloc.mask`) and come
back in the target form given here: the dictionary form. Languages that
inflect names (Ukrainian, Polish…) then need the case ending adjusted; such
drafts carry a note listing the terms put in.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .config import Project
from .errors import StorylocError

# Languages whose nouns take case endings: a term put in as written may need adjusting.
INFLECTING = {"uk", "pl", "ru", "be", "cs", "sk", "sl", "hr", "sr", "bs", "bg", "mk", "lt", "lv",
              "et", "fi", "hu", "ro", "el", "is", "ka", "hy"}


class GlossaryError(StorylocError):
    """A glossary file cannot be read; names the file and line."""


@dataclass
class Term:
    source: str
    target: str
    note: str = ""
    line: int = 0


@dataclass
class Glossary:
    lang: str
    path: Path | None = None
    terms: list[Term] = field(default_factory=list)

    def pairs(self) -> list[tuple[str, str]]:
        return [(t.source, t.target) for t in self.terms]

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
