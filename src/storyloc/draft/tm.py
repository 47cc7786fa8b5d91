"""Translation memory: every reviewed translation, reused exact and fuzzy before any engine.

The memory of a language is every reviewed (non-fuzzy, non-empty) entry of
every catalog of that language under ``locales/``, plus the TMX files a user
imported into ``tm/`` (``storyloc tm import``). ``storyloc tm export`` writes
all of it as one TMX 1.4 file another tool can read.

Fuzzy matches are scored by word-level edit distance, the measure CAT tools
(OmegaT, Trados) report as a "fuzzy match %": ``1 - distance / longer length``
over word and punctuation tokens, ignoring case (only the very same text
scores 100). Translators read it as "the share of words
that need no change"; unlike character n-gram measures it does not rate a
segment that differs in one short but decisive word (a number, "not") as
nearly identical. Lookups go through the index the merge uses too
(:mod:`storyloc.po.fuzzy`): rarest words first, never every segment.
"""
from __future__ import annotations

import re
import xml.parsers.expat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from ..po import read_po
from ..project import Project
from ..errors import TmError
from ..files import write_atomic
from ..po.fuzzy import EDIT, Index, tokens

INLINE = {"bpt", "ept", "ph", "it", "hi", "sub", "ut"}


@dataclass
class Match:
    target: str
    score: int            # 100 for the same text, else the rounded-down fuzzy score
    source: str           # the English the memory holds
    origin: str           # the catalog or TMX file it came from


@dataclass
class _Unit:
    source: str
    target: str
    origin: str
    context: str | None


def _normal(text: str) -> str:
    return " ".join(text.split())


class Memory:
    """The translations of one language, by English source, with an index for fuzzy lookups."""

    def __init__(self) -> None:
        self._exact: dict[str, list[_Unit]] = {}
        self._sources: list[str] = []          # distinct sources, by id in the index
        self._index = Index(EDIT)

    def __len__(self) -> int:
        return len(self._sources)

    def add(self, source: str, target: str, origin: str, context: str | None = None) -> None:
        if not source.strip() or not target.strip():
            return
        key = _normal(source)
        units = self._exact.get(key)
        if units is None:
            units = self._exact[key] = []
            self._sources.append(key)
            self._index.add(tokens(key.lower()))
        units.append(_Unit(source, target, origin, context))

    def lookup(self, text: str, min_score: int, context: str | None = None) -> Match | None:
        """The same text if the memory has it, else the best match scoring at least ``min_score`` %."""
        key = _normal(text)
        units = self._exact.get(key)
        if units:
            unit = next((u for u in units if u.context == context), units[0])
            return Match(unit.target, 100, unit.source, unit.origin)
        found = self._index.search(tokens(key.lower()), min_score / 100.0 - 1e-9)
        if not found:
            return None
        best, doc = found[0]
        score = min(99, int(best * 100 + 1e-9))    # only the same text is a 100% match
        if score < min_score:
            return None
        unit = self._exact[self._sources[doc]][0]
        return Match(unit.target, score, unit.source, unit.origin)


# -- what the memory is made of ------------------------------------------------------

def load_memory(project: Project, lang: str, source_language: str | None = None) -> Memory:
    """Reviewed entries of every catalog of ``lang`` under locales/ whose story is written in
    ``source_language`` (default: the project's), then imported TMX units of that pair."""
    source_language = source_language or project.source_language
    memory = Memory()
    for path in project.catalogs(lang):
        if project.story_language(path.stem) != source_language:
            continue
        shown = project.rel(path)
        for m in read_po(path, shown).entries():
            if m.status == "reviewed" and m.msgid_plural is None:
                memory.add(m.msgid, m.msgstr[0], shown, m.msgctxt)
    for path in project.tm_files():
        shown = project.rel(path)
        for unit in read_tmx(path, shown).units:
            target = _pick(unit.texts, lang)
            source = _pick(unit.texts, source_language)
            if source is not None and target is not None:
                memory.add(source, target, shown, unit.context)
    return memory


def _lang_matches(tmx_lang: str, code: str) -> bool:
    """``uk-UA`` serves ``uk``; ``pt-BR`` serves ``pt_BR`` but ``pt-PT`` does not."""
    have = tmx_lang.lower().replace("_", "-")
    want = code.split("@")[0].lower().replace("_", "-")
    return have == want or ("-" not in want and have.split("-")[0] == want)


def _pick(texts: dict[str, str], code: str) -> str | None:
    for tmx_lang, text in texts.items():
        if _lang_matches(tmx_lang, code):
            return text
    return None


# -- TMX -------------------------------------------------------------------------------

@dataclass
class TmxUnit:
    texts: dict[str, str] = field(default_factory=dict)   # xml:lang -> segment text
    context: str | None = None
    line: int = 0


@dataclass
class Tmx:
    srclang: str | None = None
    units: list[TmxUnit] = field(default_factory=list)


def read_tmx(path: Path, shown: str | None = None) -> Tmx:
    """Parse TMX (1.1–1.4); inline codes keep their native text. Errors name the line."""
    shown = shown or str(path)
    return parse_tmx(_read_bytes(path, shown), shown)


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TmError("file not found", shown) from None
    except OSError as e:
        raise TmError(f"cannot read: {e.strerror or e}", shown) from None


class _TmxReader:
    """expat's callbacks over one TMX file, and where in it they are: the unit, variant and segment
    being read. Anything but TMX's own structure (a <tu> in a <tu>, markup in a <seg> other than
    TMX's inline elements, an entity declaration) is refused with its line."""

    def __init__(self, shown: str):
        self.shown = shown
        self.parser = xml.parsers.expat.ParserCreate()
        self.tmx = Tmx()
        self.stack: list[str] = []
        self.unit: TmxUnit | None = None
        self.tuv_lang: str | None = None
        self.seg: list[str] | None = None
        self.prop: list[str] | None = None
        self.prop_type = ""
        self.saw_root = self.saw_body = False
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.EntityDeclHandler = self.no_entities

    def fail(self, message: str):
        raise TmError(message, self.shown, self.parser.CurrentLineNumber)

    def start(self, name: str, attrs: dict) -> None:
        if not self.stack:
            if name != "tmx":
                self.fail(f"not a TMX file: the root element is <{name}>, not <tmx>")
            self.saw_root = True
        self.stack.append(name)
        if self.seg is not None:
            if name not in INLINE:
                self.fail(f"<{name}> is not allowed inside <seg>")
            return
        if name == "header":
            self.tmx.srclang = attrs.get("srclang")
        elif name == "body":
            self.saw_body = True
        elif name == "tu":
            if self.unit is not None:
                self.fail("<tu> inside a <tu>")
            self.unit = TmxUnit(line=self.parser.CurrentLineNumber)
        elif name == "tuv":
            if self.unit is None:
                self.fail("<tuv> outside a <tu>")
            if self.tuv_lang is not None:
                self.fail("<tuv> inside a <tuv>")
            self.tuv_lang = attrs.get("xml:lang") or attrs.get("lang")
            if not self.tuv_lang:
                self.fail("<tuv> without xml:lang")
        elif name == "seg":
            if self.tuv_lang is None:
                self.fail("<seg> outside a <tuv>")
            self.seg = []
        elif name == "prop" and self.unit is not None:
            self.prop, self.prop_type = [], attrs.get("type", "")

    def end(self, name: str) -> None:
        self.stack.pop()
        if self.seg is not None and name != "seg":
            return
        if name == "seg":
            self.unit.texts.setdefault(self.tuv_lang, "".join(self.seg))
            self.seg = None
        elif name == "tuv":
            if self.tuv_lang not in self.unit.texts:
                self.fail(f"<tuv xml:lang=\"{self.tuv_lang}\"> has no <seg>")
            self.tuv_lang = None
        elif name == "prop" and self.prop is not None:
            if self.prop_type == "x-context":
                self.unit.context = "".join(self.prop)
            self.prop = None
        elif name == "tu":
            self.tmx.units.append(self.unit)
            self.unit = None

    def text(self, data: str) -> None:
        if self.seg is not None:
            self.seg.append(data)
        elif self.prop is not None:
            self.prop.append(data)

    def no_entities(self, *_args) -> None:
        self.fail("entity declarations are not allowed in TMX")


def parse_tmx(data: bytes, shown: str = "<tmx>") -> Tmx:
    reader = _TmxReader(shown)
    try:
        reader.parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise TmError(f"not well-formed XML: {xml.parsers.expat.ErrorString(e.code)}", shown, e.lineno) from None
    except LookupError as e:                      # <?xml encoding="…"?> names a codec Python lacks
        if type(e) is not LookupError:            # a KeyError here is a bug: keep its traceback
            raise
        raise TmError(f"{e}; save the file as UTF-8", shown, 1) from None
    if not reader.saw_root or not reader.saw_body:
        raise TmError("not a TMX file: no <tmx> with a <body>", shown, 1)
    return reader.tmx


def write_tmx(units: list[tuple[str | None, dict[str, str]]], srclang: str) -> bytes:
    """TMX 1.4: one <tu> per (context, texts by language); the source language first."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<tmx version="1.4">',
           f'  <header creationtool="storyloc" creationtoolversion={quoteattr(__version__)} '
           f'segtype="paragraph" o-tmf="PO" adminlang={quoteattr(srclang)} '
           f'srclang={quoteattr(srclang)} datatype="plaintext"/>',
           "  <body>"]
    for context, texts in units:
        out.append("    <tu>")
        if context is not None:
            out.append(f'      <prop type="x-context">{escape(context)}</prop>')
        for lang in sorted(texts, key=lambda code: (code != srclang, code)):
            out.append(f"      <tuv xml:lang={quoteattr(lang.replace('_', '-'))}>"
                       f"<seg>{escape(texts[lang])}</seg></tuv>")
        out.append("    </tu>")
    out += ["  </body>", "</tmx>", ""]
    return "\n".join(out).encode("utf-8")


# -- storyloc tm import / export -------------------------------------------------------

@dataclass
class ImportResult:
    path: Path
    units: int
    languages: dict[str, int]


@dataclass
class ExportResult:
    path: Path
    units: int
    languages: dict[str, int]


def tm_import(project: Project, source: Path, name: str | None = None) -> ImportResult:
    """Check a TMX file and keep a copy as ``tm/<name>.tmx``, where every draft run finds it."""
    source = Path(source)
    data = _read_bytes(source, str(source))
    tmx = parse_tmx(data, str(source))
    counts: Counter = Counter()
    usable = 0
    for unit in tmx.units:
        if _pick(unit.texts, project.source_language) is None:
            continue
        others = [lang for lang in unit.texts if not _lang_matches(lang, project.source_language)]
        if others:
            usable += 1
            counts.update(lang for lang in project.languages if _pick(unit.texts, lang) is not None)
    if not usable:
        raise TmError(f"no translation unit pairs {project.source_language} with another language",
                      str(source), 1)
    stem = re.sub(r"[^a-z0-9-]+", "-", (name or source.stem).lower()).strip("-") or "imported"
    target = project.tm_file(stem)
    write_atomic(target, data)
    return ImportResult(target, usable, dict(counts))


def tm_export(project: Project, target: Path, langs: tuple[str, ...] | None = None) -> ExportResult:
    """Every reviewed translation (catalogs and imported TMX) of the languages, as one TMX 1.4 file."""
    chosen = project.select_languages(langs)
    grouped: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    for lang in chosen:
        for path in project.catalogs(lang):
            for m in read_po(path, project.rel(path)).entries():
                if m.status == "reviewed" and m.msgid_plural is None:
                    _collect(grouped, m.msgctxt, m.msgid, lang, m.msgstr[0])
        for path in project.tm_files():
            for unit in read_tmx(path, project.rel(path)).units:
                source, text = _pick(unit.texts, project.source_language), _pick(unit.texts, lang)
                if source is not None and text is not None:
                    _collect(grouped, unit.context, source, lang, text)
    units: list[tuple[str | None, dict[str, str]]] = []
    counts: Counter = Counter()
    for (context, source), by_lang in grouped.items():
        depth = max(len(v) for v in by_lang.values())
        for i in range(depth):      # a second translation of the same English gets its own unit
            texts = {project.source_language: source}
            texts.update({lang: values[i] for lang, values in by_lang.items() if i < len(values)})
            counts.update(lang for lang in texts if lang != project.source_language)
            units.append((context, texts))
    try:
        write_atomic(Path(target), write_tmx(units, project.source_language))
    except OSError as e:
        raise TmError(f"cannot write: {e.strerror or e}", str(target)) from None
    return ExportResult(Path(target), len(units), dict(counts))


def _collect(grouped: dict, context: str | None, source: str, lang: str, text: str) -> None:
    values = grouped.setdefault((context, source), {}).setdefault(lang, [])
    if text not in values:
        values.append(text)
