"""Quality checks on translations: a registry of small named checks, run like a compiler.

Each check is a function over one :class:`Entry` that yields a message per
problem; its docstring's first line is its title (as in translate-toolkit's
``filters/checks``). Registering it gives it an id and a severity::

    @register("numbers", ERROR)
    def numbers(e: Entry):
        \"\"\"Numbers are the same as in the English (written the language's way).\"\"\"

Rules of the report:

* Reviewed and draft entries are checked; empty ones have nothing to check.
* A failure in a draft (fuzzy) entry is reported as a *warning* whatever its
  check's severity: a draft is never published (the build shows the English
  instead), and the failures are what its reviewer should look at. Once the
  entry is approved, the same failure is an error again.
* A translator silences one check on one entry with a translator comment,
  ``# storyloc: ignore numbers`` (several ids may follow, then a reason).
  Translator comments survive ``storyloc update``, GNU msgmerge and msgcat,
  Poedit and Weblate; unknown ``#,`` flags do not survive msgmerge, but
  ``#, storyloc-ignore-numbers`` is honoured too. Silenced failures are still
  listed, as ``ignored``, so a silence is never invisible.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from babel.dates import get_month_names
from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, parse_decimal
from markdown_it import MarkdownIt

from ..po import provenance
from ..po.provenance import GLUED_NOTE
from ..po import Catalog, Message, read_catalog
from ..project import Project
from ..glossary import load_glossary
from ..languages import language_name
from ..story import Segment, Story, parse_story
from ..story.inline import FOOTNOTE_REF

ERROR = "error"
WARNING = "warning"
IGNORE_FLAG = "storyloc-ignore-"
IGNORE_KIND = "ignore"
# Checks a translator cannot silence: what they catch is an attack on the page, not a judgement call.
UNSILENCED = frozenset({"too-long", "control-chars", "html"})

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


# -- the registry ------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    run: Callable[["Entry"], Iterable[str]]
    langs: tuple[str, ...] | None = None    # None: every language


CHECKS: dict[str, Check] = {}


def register(check_id: str, severity: str, langs: tuple[str, ...] | None = None):
    """Add a check to the registry; its docstring's first line is its title."""
    def add(fn: Callable[["Entry"], Iterable[str]]):
        title = (fn.__doc__ or check_id).strip().splitlines()[0]
        CHECKS[check_id] = Check(check_id, severity, title, fn, langs)
        return fn
    return add


# -- what a check sees -------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A glossary entry: ``source`` is written ``target`` in the language (``keep``: left as is)."""

    source: str
    target: str
    note: str = ""
    keep: bool = False


@dataclass
class Entry:
    """One translated message with what its checks need to know."""

    message: Message
    lang: str
    kind: str                       # title, dek, byline, paragraph, caption, credit
    segment: Segment | None = None
    names: tuple[str, ...] = ()     # people and organisations named in the story's front matter
    terms: tuple[Term, ...] = ()    # glossary terms found in the English
    apostrophe: str = "\u02bc"      # the catalog's Ukrainian apostrophe

    @property
    def source(self) -> str:
        return self.message.msgid

    @property
    def target(self) -> str:
        return self.message.msgstr[0] if self.message.msgstr else ""

    @property
    def links(self) -> tuple[str, ...]:
        return self.segment.links if self.segment is not None else ()


@dataclass
class Finding:
    path: str
    line: int
    story: str
    lang: str
    check: str
    severity: str                   # error | warning: what it counts as here
    message: str
    status: str                     # reviewed | draft
    msgctxt: str | None = None
    msgid: str = ""
    ignored: bool = False

    @property
    def title(self) -> str:
        return CHECKS[self.check].title if self.check in CHECKS else self.check

    def format(self) -> str:
        label = "ignored" if self.ignored else self.severity
        note = ""
        if self.status == "draft" and not self.ignored and self.check in CHECKS \
                and CHECKS[self.check].severity == ERROR:
            note = " (draft: an error once approved)"
        return f"{self.path}:{self.line}: [{label}] {self.check}: {self.message}{note}"

    def as_json(self) -> dict:
        return {"file": self.path, "line": self.line, "story": self.story, "lang": self.lang,
                "check": self.check, "severity": self.severity, "title": self.title,
                "message": self.message, "status": self.status, "ignored": self.ignored,
                "msgctxt": self.msgctxt, "msgid": self.msgid}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: dict[tuple[str, str], int] = field(default_factory=dict)   # (story, lang) → entries checked

    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.ignored]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.active() if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.active() if f.severity == WARNING)

    @property
    def ignored(self) -> int:
        return sum(1 for f in self.findings if f.ignored)

    def count(self, story: str, lang: str) -> dict:
        c = summarize([f for f in self.findings if f.story == story and f.lang == lang])
        return {key: c[key] for key in ("errors", "warnings", "ignored")}

    def summary(self, story: str, lang: str) -> str:
        """``3 errors, 1 warning, 0 ignored (20 entries checked)``: the closing line for a catalog."""
        c = self.count(story, lang)
        plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
        return (f"{plural(c['errors'], 'error')}, {plural(c['warnings'], 'warning')}, {c['ignored']} ignored "
                f"({plural(self.checked.get((story, lang), 0), 'entry')} checked)").replace("entrys", "entries")

    def as_json(self) -> dict:
        return {"summary": {"errors": self.errors, "warnings": self.warnings, "ignored": self.ignored,
                            "checked": sum(self.checked.values())},
                "catalogs": [{"story": s, "lang": l, "checked": n, **self.count(s, l)}
                             for (s, l), n in self.checked.items()],
                "findings": [f.as_json() for f in self.findings]}


# -- running -----------------------------------------------------------------------

def silenced(message: Message) -> set[str]:
    """Check ids the translator silenced on this entry (``# storyloc: ignore <id> …`` or a flag)."""
    ids = {f[len(IGNORE_FLAG):] for f in message.flags if f.startswith(IGNORE_FLAG)}
    for comment in message.translator_comments:
        record = provenance.parse(comment)
        if record is None or record.kind != IGNORE_KIND:
            continue
        words = comment[len(provenance.PREFIX):].split()[1:]
        for word in words:
            word = word.strip(",;")
            if word not in CHECKS:
                break                      # the rest is the reason
            ids.add(word)
    return ids


def run_checks(entry: Entry, only: Iterable[str] | None = None) -> list[tuple[Check, str]]:
    """Every failure of every check that applies to this entry, as (check, message).

    A translation far longer than its English fails ``too-long`` and nothing else runs on it: no
    person wrote those megabytes, and the checks' cost is then bounded by the English's length.
    """
    gate = list(too_long(entry))
    if gate:
        return [(CHECKS["too-long"], gate[0])] if only is None or "too-long" in only else []
    found = []
    for check in CHECKS.values():
        if only is not None and check.id not in only:
            continue
        if check.langs is not None and _base(entry.lang) not in check.langs:
            continue
        for message in check.run(entry):
            found.append((check, message))
    return found


def kind_of(message: Message, segment: Segment | None) -> str:
    if segment is not None:
        return segment.kind
    ctxt = message.msgctxt or ""
    if ctxt.startswith("figure:"):
        return "caption"
    if ctxt.startswith("alt:"):
        return "alt"
    if ctxt.startswith("correction:"):
        return "correction"
    return ctxt if ctxt in ("title", "dek", "byline", "credit", "link-title") else "paragraph"


def catalog_apostrophe(catalog: Catalog) -> str:
    """The apostrophe most of this catalog writes inside words (ʼ U+02BC unless another is the majority)."""
    seen = Counter()
    for m in catalog.entries():
        if m.translated:
            seen.update(match.group(1) for match in _APOSTROPHE_IN_WORD.finditer(m.msgstr[0]))
    best = seen.most_common(1)
    if best and best[0][1] > seen.get("\u02bc", 0):
        return best[0][0]
    return "\u02bc"


def entries_for(project: Project, slug: str, lang: str, catalog: Catalog,
                story: Story | None = None, terms: Iterable[Term] | None = None) -> list[Entry]:
    """An :class:`Entry` for every translated (reviewed or draft) message of the catalog."""
    segments: dict[tuple, Segment] = {}
    names: tuple[str, ...] = ()
    if story is not None:
        for seg in story.segments():
            segments.setdefault(seg.key, seg)
        names = tuple(str(story.meta[k]) for k in ("photographer", "publisher") if story.meta.get(k)) \
            + tuple(getattr(story, "keep", ()) or ())
    glossary = tuple(terms) if terms is not None else tuple(glossary_terms(project, lang))
    apostrophe = catalog_apostrophe(catalog)
    out = []
    for m in catalog.entries():
        if not m.translated or m.msgid_plural is not None:
            continue
        seg = segments.get(m.key)
        out.append(Entry(m, lang, kind_of(m, seg), seg, names, terms_in(m.msgid, glossary), apostrophe))
    return out


def findings_for(entry: Entry, path: str, story: str, only: Iterable[str] | None = None) -> list[Finding]:
    m = entry.message
    status = m.status
    quiet = silenced(m)
    out = []
    for check, message in run_checks(entry, only):
        severity = check.severity if status == "reviewed" else WARNING
        out.append(Finding(path, m.lineno, story, entry.lang, check.id, severity, message, status,
                           m.msgctxt, m.msgid, check.id in quiet and check.id not in UNSILENCED))
    return out


def check_catalog(project: Project, slug: str, lang: str, catalog: Catalog | None = None,
                  story: Story | None = None, only: Iterable[str] | None = None) -> tuple[list[Finding], int]:
    """Findings for one story in one language, and how many entries were checked."""
    path = project.catalog(slug, lang)
    shown = project.rel(path)
    if catalog is None:
        if not path.exists():
            return [], 0
        catalog = read_catalog(path, shown)
    if story is None:
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source)) if source.exists() else None
    entries = entries_for(project, slug, lang, catalog, story)
    findings = [f for e in entries for f in findings_for(e, shown, slug, only)]
    return findings, len(entries)


def check(project: Project, langs: Iterable[str] | None = None, stories: Iterable[str] | None = None,
          only: Iterable[str] | None = None) -> Report:
    """Run every check on every catalog of the project (or the languages and stories asked for)."""
    report = Report()
    for slug in stories or project.stories:
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source))
        for lang in project.story_targets(story, tuple(langs) if langs else None):
            findings, checked = check_catalog(project, slug, lang, story=story, only=only)
            report.findings.extend(findings)
            report.checked[(slug, lang)] = checked
    return report


def summarize(findings: list[Finding]) -> dict:
    """Counts for status and the manifest: errors (what the publish gate looks at), warnings,
    silenced failures, and failures per check."""
    active = [f for f in findings if not f.ignored]
    per_check = Counter(f.check for f in active)
    return {"errors": sum(1 for f in active if f.severity == ERROR),
            "warnings": sum(1 for f in active if f.severity == WARNING),
            "ignored": len(findings) - len(active), "checks": dict(sorted(per_check.items()))}


# -- glossary ----------------------------------------------------------------------

def glossary_terms(project: Project, lang: str) -> list[Term]:
    """The language's glossary (``glossary/<lang>.csv``, read by :mod:`storyloc.glossary`) as :class:`Term` s.

    A term whose translation is the English itself (``Gwara Media``) is one to keep as is.
    """
    return [Term(t.source, t.target, t.note, t.source == t.target) for t in load_glossary(project, lang).terms]


def terms_in(text: str, terms: Iterable[Term]) -> tuple[Term, ...]:
    """Glossary terms that occur in ``text`` (whole words, as written; the longer of overlapping ones)."""
    found: list[tuple[int, int, Term]] = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        if not term.source.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(term.source)}(?!\w)")
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            found.append((match.start(), match.end(), term))
            break
    found.sort(key=lambda item: item[0])
    seen, out = set(), []
    for _, _, term in found:
        if term.source.lower() not in seen:
            seen.add(term.source.lower())
            out.append(term)
    return tuple(out)


# -- text helpers ------------------------------------------------------------------

# Every pattern below reads untrusted text (a translation), so each runs in linear time: no two
# quantifiers may share characters, and a failed match may not rescan what a later start scans
# again (an e-mail starts only where a run of its characters starts; a link's target stops at the
# next bracket). tests/test_check.py feeds them megabytes of the shapes that would backtrack.
WORD = re.compile(r"\w++(?:[’'ʼ-]\w++)*+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"“”«»]+[^\s<>()\[\]\"“”«».,;:!?'’]|"
                 r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
INLINE_URL_LINK = re.compile(r"\]\(\s*+<?([^()<>\[\]\s]++)>?[^()\[\]]*+\)|<((?:https?|mailto):[^<>\s]++)>")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?/?>")
# story.LINK_REF's shape, with the text between brackets unable to hold "[": the same links, without
# rescanning a run of "[[[[" from every bracket (quadratic). story.py should take this form too.
LINK_REF = re.compile(r"\[([^\[\]\n]++)\]\[(\d++)\]")


def _base(lang: str) -> str:
    return lang.split("_")[0].split("@")[0]


def inline(text: str) -> list:
    """markdown-it's inline tokens for ``text`` (link references read as their text); read only."""
    return list(_inline(text))


@lru_cache(maxsize=256)
def _inline(text: str) -> tuple:
    # Several checks read the same two texts: parse each once.
    tokens = _markdown.parseInline(LINK_REF.sub(r"\1", text))
    return tuple(tokens[0].children or []) if tokens else ()


def _urls(text: str) -> list[str]:
    """URLs and e-mail addresses written out in ``text`` (an address without the dots before it)."""
    return [m.group(0) if m.group(0)[:1].isalnum() else m.group(0).lstrip(".+-") for m in URL.finditer(text)]


def literal_text(text: str) -> str:
    """The characters Markdown shows as text (markers of balanced emphasis and code removed)."""
    return "".join(t.content for t in inline(text) if t.type in ("text", "text_special"))


def plain(text: str) -> str:
    return "".join(t.content for t in inline(text) if t.type in ("text", "text_special", "code_inline"))


def _quote(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stem_match(wanted: str, candidate: str) -> bool:
    """Same word up to an inflected ending: Бахмут ~ Бахмуті, область ~ області, Babenko ~ Babenka."""
    a, b = wanted.casefold(), candidate.casefold()
    if a == b:
        return True
    if len(a) <= 3:
        return False
    keep = max(3, len(a) - 2) if len(a) > 4 else len(a) - 1
    return b.startswith(a[:keep]) and len(b) <= len(a) + 4


def _phrase_in(phrase: str, text: str) -> bool:
    """Every word of ``phrase`` is in ``text``, each allowed its inflected ending."""
    wanted = WORD.findall(phrase)
    have = WORD.findall(text)
    return bool(wanted) and all(any(_stem_match(w, h) for h in have) for w in wanted)


# -- the checks --------------------------------------------------------------------

def _markers(text: str) -> Counter:
    kinds = Counter()
    for t in inline(text):
        if t.type in ("em_open", "strong_open", "code_inline", "link_open", "image", "hardbreak"):
            kinds[t.type] += 1
    return kinds


MARKER_NAMES = {"em_open": "*emphasis*", "strong_open": "**strong**", "code_inline": "`code`",
                "link_open": "inline link", "image": "image", "hardbreak": "hard line break"}


@register("markup", ERROR)
def markup(e: Entry) -> Iterator[str]:
    """Inline Markdown is balanced and the same as in the English."""
    want, have = _markers(e.source), _markers(e.target)
    for kind in MARKER_NAMES:
        if kind == "link_open":
            continue                          # the links check speaks for links
        if want[kind] != have[kind]:
            yield f"{MARKER_NAMES[kind]} ×{want[kind]} in the English, ×{have[kind]} here"
    codes = Counter(t.content for t in inline(e.source) if t.type == "code_inline")
    for code, n in codes.items():
        got = sum(1 for t in inline(e.target) if t.type == "code_inline" and t.content == code)
        if got < n and want["code_inline"] == have["code_inline"]:
            yield f"code `{code}` must stay as it is"
    src_lit, tgt_lit = literal_text(e.source), literal_text(e.target)
    engine = len(_ENGINE_MARK.findall(tgt_lit))
    stars = tgt_lit.count("*") - src_lit.count("*") - engine
    if stars > 0:
        yield "unbalanced * (an emphasis marker without its pair)"
    for char, what in (("`", "unbalanced ` (a code marker without its pair)"),):
        if tgt_lit.count(char) > src_lit.count(char):
            yield what
    for open_, close in (("[", "]"), ("(", ")")):
        opened = tgt_lit.count(open_) - tgt_lit.count(close)
        if opened != src_lit.count(open_) - src_lit.count(close):
            yield f"unbalanced {open_} {close}"


@register("links", ERROR)
def links(e: Entry) -> Iterator[str]:
    """Link references and URLs are the same as in the English."""
    want = Counter(m.group(2) for m in LINK_REF.finditer(e.source))
    have = Counter(m.group(2) for m in LINK_REF.finditer(e.target))
    for n in sorted(want, key=int):
        if have[n] < want[n]:
            target = e.links[int(n) - 1] if 0 < int(n) <= len(e.links) else None
            label = f" → {target}" if target else ""
            yield f"link [...][{n}]{label} is missing; keep [your words][{n}]"
    for n in sorted(have, key=int):
        if have[n] > want[n]:
            if want[n]:
                yield f"link [...][{n}] appears {have[n]}× here, {want[n]}× in the English"
            else:
                yield f"link [...][{n}] has no target in the English (it has {len(want)} link(s))"
    # Targets of inline links (``[text](url)``, ``<url>``) pair with the English's inline links; URLs
    # written out in the text pair with the English's written-out URLs.
    source_inline = Counter(m.group(1) or m.group(2) for m in INLINE_URL_LINK.finditer(e.source))
    source_urls = Counter(_urls(INLINE_URL_LINK.sub(" ", e.source)))
    allowed = set(e.links) | set(source_inline) | set(source_urls)
    for match in INLINE_URL_LINK.finditer(e.target):
        url = match.group(1) or match.group(2)
        if source_inline[url] > 0:
            source_inline[url] -= 1
        elif url in e.links:
            n = e.links.index(url) + 1
            yield f"link target written out ({_quote(url, 60)}); write [your words][{n}] instead"
        elif url not in allowed:
            yield f"link target changed ({_quote(url, 60)} is not in the English)"
    for url, n in source_inline.items():
        if n > 0:
            yield f"inline link to {_quote(url, 60)} is missing"
    target_urls = Counter(_urls(INLINE_URL_LINK.sub(" ", e.target)))
    for url, n in source_urls.items():
        if target_urls[url] < n:
            yield f"URL changed or missing ({_quote(url, 60)})"
    for url in target_urls:
        if url not in allowed:
            yield f"URL not in the English ({_quote(url, 60)})"


# numbers ---------------------------------------------------------------------------

_SPACES = " \u00a0\u202f\u2009"
_NUMBER = re.compile(rf"\d+(?:[.,'’\u066b\u066c{_SPACES}]\d+)*")
MULTIPLIERS = {
    "en": {"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9, "k": 3, "m": 6, "bn": 9},
    "uk": {"тисяча": 3, "тисячі": 3, "тисяч": 3, "тис": 3, "мільйон": 6, "мільйона": 6, "мільйони": 6,
           "мільйонів": 6, "млн": 6, "мільярд": 9, "мільярда": 9, "мільярди": 9, "мільярдів": 9, "млрд": 9},
    "ru": {"тысяча": 3, "тысячи": 3, "тысяч": 3, "тыс": 3, "миллион": 6, "миллиона": 6, "миллионов": 6,
           "млн": 6, "миллиард": 9, "миллиарда": 9, "миллиардов": 9, "млрд": 9},
    "pl": {"tysiąc": 3, "tysiące": 3, "tysięcy": 3, "tys": 3, "milion": 6, "miliony": 6, "milionów": 6,
           "mln": 6, "miliard": 9, "miliardy": 9, "miliardów": 9, "mld": 9},
    "de": {"tausend": 3, "million": 6, "millionen": 6, "mio": 6, "milliarde": 9, "milliarden": 9, "mrd": 9},
    "es": {"mil": 3, "millón": 6, "millones": 6, "mill": 6},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "md": 9},
    "ar": {"ألف": 3, "آلاف": 3, "ألفًا": 3, "مليون": 6, "ملايين": 6, "مليار": 9},
}
_MULTIPLIER_AFTER = re.compile(r"^[\s\u00a0\u202f]*([^\W\d_]+)\.?", re.UNICODE)
SPELLED_OUT_UP_TO = 10          # newsroom style spells small numbers out: "two months", "шість"


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digits(text: str) -> str:
    """Arabic-Indic and other digits as 0–9 (one pass of the regex engine, not a Python loop per character)."""
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group(0))), text)


def _parse(token: str, lang: str) -> Decimal | None:
    """The token's value as the language reads it, or None when it is no single number (a date)."""
    if re.fullmatch(r"\d+", token):
        return Decimal(token)
    if any(s in token for s in _SPACES):
        parts = re.split(f"[{_SPACES}]", token)
        if not (1 <= len(parts[0]) <= 3 and all(re.match(r"\d{3}(?!\d)", p) for p in parts[1:])):
            return None
        token = "".join(parts)
    token = token.replace("\u066c", ",").replace("\u066b", ".")
    try:
        return parse_decimal(token, locale=lang, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return None


def _numbers(text: str, lang: str) -> list[tuple[str, list[Decimal]]]:
    """Each number in ``text``: the text as written and its value(s) (a date gives its parts)."""
    text = _ascii_digits(plain(text))
    scales = MULTIPLIERS.get(_base(lang), {})
    out = []
    for match in _NUMBER.finditer(text):
        token = match.group(0).rstrip(_SPACES)
        value = _parse(token, lang)
        if value is None:
            values = [Decimal(run) for run in re.findall(r"\d+", token)]
            if " " in token or "\u00a0" in token or "\u202f" in token:
                # "2022 125": two numbers side by side, not one grouped number
                values = [v for part in re.split(f"[{_SPACES}]+", token) if part
                          for v in ([_parse(part, lang)] if _parse(part, lang) is not None
                                    else [Decimal(r) for r in re.findall(r"\d+", part)])]
            out.append((token, values))
            continue
        after = _MULTIPLIER_AFTER.match(text[match.end():])
        if after and after.group(1).casefold() in scales:
            value = value.scaleb(scales[after.group(1).casefold()])
            token = text[match.start(): match.end() + after.end()]
        out.append((token, [value]))
    return out


@lru_cache(maxsize=None)
def _month_words(lang: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            try:
                months = get_month_names(width, context, locale=lang)
            except Exception:                     # an unknown locale has no month names to offer
                continue
            for number, name in months.items():
                names[name.casefold().rstrip(".")] = number
    return names


def _months(text: str, lang: str) -> Counter:
    table = _month_words(lang)
    found = Counter()
    for word in WORD.findall(plain(text)):
        number = table.get(word.casefold())
        if number is not None and (len(word) > 3 or word[:1].isupper()):
            found[Decimal(number)] += 1
    return found


def _norm(value: Decimal) -> Decimal:
    return value.normalize() if value == value.to_integral() else value


@register("numbers", ERROR)
def numbers(e: Entry) -> Iterator[str]:
    """Numbers are the same as in the English (written the language's way; dates may be reworded)."""
    lang = e.lang
    src = _numbers(e.source, "en")
    tgt = _numbers(e.target, lang)
    want = Counter(_norm(v) for _, values in src for v in values)
    have = Counter(_norm(v) for _, values in tgt for v in values)
    # a month written as a word on one side may be a number on the other (1 February ~ 01.02)
    spare_have = _months(e.target, lang)
    spare_want = _months(e.source, "en")
    missing = want - have
    extra = have - want
    for value in list(missing):
        if spare_have[value]:
            take = min(missing[value], spare_have[value])
            missing[value] -= take
    for value in list(extra):
        if spare_want[value]:
            extra[value] -= min(extra[value], spare_want[value])
    missing = +missing
    extra = +extra
    # a token read as one decimal may be a time or a date on the other side (10.30 ~ 10:30)
    for tokens, mine, theirs in ((tgt, extra, missing), (src, missing, extra)):
        for token, values in tokens:
            runs = Counter(Decimal(r) for r in re.findall(r"\d+", token))
            if len(values) == 1 and mine[_norm(values[0])] and sum(runs.values()) > 1 \
                    and not runs - theirs:
                mine[_norm(values[0])] -= 1
                theirs.subtract(runs)
        mine += Counter()
        theirs += Counter()
    missing, extra = +missing, +extra
    for value in list(missing):
        if value == value.to_integral() and 0 <= value <= SPELLED_OUT_UP_TO:
            del missing[value]
    for value in list(extra):
        if value == value.to_integral() and 0 <= value <= SPELLED_OUT_UP_TO:
            del extra[value]
    lost: list[Decimal] = []                  # in the order the English has them
    for _, values in src:
        for v in map(_norm, values):
            if missing[v] > 0:
                missing[v] -= 1
                lost.append(v)
    added: list[tuple[str, Decimal]] = []     # in the order the translation has them
    for t, values in tgt:
        for v in map(_norm, values):
            if extra[v] > 0:
                extra[v] -= 1
                added.append((t, v))
    written = {_norm(v): token for token, values in src for v in values}
    for value in lost:
        token, hint = written.get(value, str(value)), _local_form(value, lang)
        misread = next(((t, v) for t, v in added
                        if _parse(t.replace("\u00a0", ",").replace("\u202f", ","), "en") == value), None)
        if misread:
            added.remove(misread)
            yield (f"{token} is written {misread[0]}, which reads as {_local_form(misread[1], lang)} in "
                   f"{language_name(lang, 'en')} (its decimal separator is {get_decimal_symbol(lang)!r}); "
                   f"write {hint}")
        elif added and len(added) == len(lost) - lost.index(value):
            changed, _ = added.pop(0)
            yield f"number {token} became {changed}" + (f" (here: {hint})" if hint != token else "")
        else:
            yield f"number {token} is missing" + (f" (here: {hint})" if hint != token else "")
    for token, _ in added:
        yield f"number {token} is not in the English"


@register("number-format", WARNING)
def number_format(e: Entry) -> Iterator[str]:
    """Decimal numbers are written the language's way (3,5 in Ukrainian, not 3.5)."""
    decimal = get_decimal_symbol(e.lang)
    if decimal == ".":
        return
    fractions = {v for _, values in _numbers(e.source, "en") for v in values if v != v.to_integral()}
    text = _ascii_digits(plain(e.target))
    for match in re.finditer(r"(?<![\d.,])(\d+)\.(\d{1,2}|\d{4,})(?![\d.,])", text):
        value = Decimal(match.group(0))
        if value not in fractions:
            continue                          # a time (10.30) or a date, not a decimal of the English
        yield f"{match.group(0)} is written the English way; here it is {_local_form(value, e.lang)}"


def _local_form(value: Decimal, lang: str) -> str:
    if value == value.to_integral() and abs(value) < 10000:
        return str(int(value))                # years and small counts are never grouped
    try:
        return format_decimal(value, locale=lang, group_separator=True).replace("\u00a0", " ").replace("\u202f", " ")
    except Exception:                             # a locale Babel cannot format in
        return str(value)


# names, glossary -----------------------------------------------------------------------

UK_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ʼ": "", "'": "", "’": "",
    # Russian, Belarusian, Bulgarian, Serbian letters, so the same table serves them
    "ы": "y", "э": "e", "ё": "e", "ъ": "", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "џ": "dz",
}
UK_LATIN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def romanize(word: str) -> str:
    """A Cyrillic word in Latin letters (Ukraine's official 2010 system): Олександр → Oleksandr."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        table = UK_LATIN_INITIAL if i == 0 and low in UK_LATIN_INITIAL else UK_LATIN
        latin = table.get(low, ch)
        out.append(latin.capitalize() if ch.isupper() else latin)
    return "".join(out)


CREDIT_WORDS = {"by", "photo", "photos", "photograph", "photographs", "text", "words", "video", "illustration",
                "illustrations", "graphics", "reporting", "editing", "edited", "translated", "via", "courtesy"}


def _names_in(text: str, known: tuple[str, ...]) -> list[str]:
    """Proper names in an English credit or byline: the story's known names, then runs of Capitalized words.

    A run ends at a sentence's end ("Jane Doe. Photographs by…" holds Jane Doe, not "Jane Doe.
    Photographs"), and one capitalized word opening a sentence is no name. An initial ("J.") or a
    title ("Jr.") does not end the run.
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


def _name_in(name: str, target: str) -> bool:
    have = [romanize(w) if re.search(r"[\u0400-\u04ff]", w) else w for w in WORD.findall(target)]
    for word in WORD.findall(name):
        if not any(_stem_match(word, h) or difflib.SequenceMatcher(None, word.casefold(), h.casefold()).ratio()
                   >= 0.8 for h in have):
            return False
    return True


def _latin_or_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return all(("LATIN" in unicodedata.name(c, "") or "CYRILLIC" in unicodedata.name(c, "")
                or c == "ʼ") for c in letters)


@register("names", ERROR)
def names(e: Entry) -> Iterator[str]:
    """Names in credits and bylines are kept (or written in the language's letters)."""
    if e.kind not in ("credit", "byline"):
        return
    if not _latin_or_cyrillic(e.target):
        return                                # a script we cannot read back: the glossary decides
    for name in _names_in(e.source, e.names):
        glossed = [t for t in e.terms if t.source.casefold() == name.casefold()]
        if glossed and _phrase_in(glossed[0].target, e.target):
            continue
        if not _name_in(name, e.target):
            yield f"name {name!r} is not in the translation"


@register("glossary", WARNING)
def glossary(e: Entry) -> Iterator[str]:
    """Glossary terms are translated as the glossary says."""
    named = set(_names_in(e.source, e.names)) if e.kind in ("credit", "byline") else set()
    for term in e.terms:
        if term.source in named:
            continue                          # the names check speaks for names in credits
        if term.keep:
            if term.source not in e.target:
                yield f"{term.source!r} should stay as it is"
        elif term.target and not any(_phrase_in(option.strip(), e.target)
                                     for option in re.split(r"[|;/]", term.target) if option.strip()):
            yield f"{term.source!r} should be {term.target!r}" + (f" ({term.note})" if term.note else "")


# engine leftovers and placeholders -----------------------------------------------------

_ENGINE_MARK = re.compile(r"(?<![\w*#@])([*#@])(?=\w)(\w[\w'’ʼ-]*)")


@register("engine-marks", ERROR)
def engine_marks(e: Entry) -> Iterator[str]:
    """No machine-translation leftovers: Apertium's *unknown, #ungenerated, @untranslated; words run together."""
    source = literal_text(e.source)
    for match in _ENGINE_MARK.finditer(literal_text(e.target)):
        if match.group(0) in source:
            continue                          # a hashtag or handle of the English
        what = {"*": "unknown word", "#": "word the engine could not inflect",
                "@": "word the engine could not translate"}[match.group(1)]
        yield f"engine mark {match.group(0)} ({what})"
    # Words the engine ran together ("lainvasiónde"), as its draft note names them, until a person fixes them.
    for record in provenance.records(e.message):
        if record.kind == "note" and record.text.startswith(GLUED_NOTE + ": "):
            for word in record.text[len(GLUED_NOTE) + 2:].split(", "):
                if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", e.target):
                    yield f"{word}: words the engine ran together; put the spaces back"


# Linear like the patterns above: a bracketed token's inside cannot hold its own opening bracket.
PLACEHOLDERS = re.compile(
    r"⟦[^⟦⟧]*+⟧|⟪[^⟪⟫]*+⟫|\{\{[^{}]*+\}\}|\{\s*+\d++\s*+\}|\{[A-Za-z_]\w*+\}|%\(\w++\)[sd]|%\d*+\$?[sdif]|"
    r"__[A-Z][A-Z0-9]*+(?:_[A-Z0-9]++)*+__|@@\w++@@|<x\b[^<>]*+>|</?g\b[^<>]*+>|\[\[[^\[\]]*+\]\]|"
    r"[\ue000-\uf8ff\ufffc\ufffd]|\b(?:TK|TKTK|TODO|FIXME|XXX)\b")


@register("placeholders", ERROR)
def placeholders(e: Entry) -> Iterator[str]:
    """No placeholder or masking tokens left behind, and the English's own are kept."""
    def found(text: str) -> Counter:
        return Counter(re.sub(r"\s+", "", t) if t.startswith("{") else t for t in PLACEHOLDERS.findall(text))

    want, have = found(e.source), found(e.target)
    for token in have - want:
        shown = token if token.isprintable() and len(token.strip()) else f"U+{ord(token[0]):04X}"
        yield f"placeholder {shown} left in the text"
    for token in want - have:
        yield f"placeholder {token} of the English is missing"


# form -----------------------------------------------------------------------------

@register("whitespace", WARNING)
def whitespace(e: Entry) -> Iterator[str]:
    """Leading and trailing spaces as in the English, and no double spaces."""
    s, t = e.source, e.target
    lead = lambda x: x[: len(x) - len(x.lstrip())]
    trail = lambda x: x[len(x.rstrip()):]
    if lead(t) != lead(s):
        yield "leading whitespace differs from the English"
    if trail(t) != trail(s):
        yield "trailing whitespace differs from the English"
    if re.search(r"\S {2,}\S", t) and not re.search(r"\S {2,}\S", s):
        yield "double space"
    if "\t" in t and "\t" not in s:
        yield "tab character"


@register("line-break", ERROR)
def line_break(e: Entry) -> Iterator[str]:
    """No line breaks where the English has none (they break captions in article.md)."""
    if "\n" in e.target.strip("\n") and "\n" not in e.source:
        yield "line break inside the translation; write it on one line"
    elif e.target.endswith("\n") != e.source.endswith("\n"):
        yield "the translation must end with a line break exactly when the English does"


END_MARKS = {".": ".", "。": ".", "।": ".", "!": "!", "！": "!", "¡": "!", "?": "?", "？": "?", "؟": "?",
             ";": ";", "؛": ";", "：": ":", ":": ":", "…": "…"}
_TRAILING_CLOSERS = "\"'”’»›)]*_`\u00a0 "


def _end_mark(text: str, lang: str) -> str:
    text = LINK_REF.sub(r"\1", text).rstrip(_TRAILING_CLOSERS)
    if text.endswith("..."):
        return "…"
    if text.endswith(";") and _base(lang) == "el":
        return "?"
    return END_MARKS.get(text[-1:], "") if text else ""


@register("end-punctuation", WARNING)
def end_punctuation(e: Entry) -> Iterator[str]:
    """The translation ends the way the English does (full stop, question mark, none…)."""
    want, have = _end_mark(e.source, "en"), _end_mark(e.target, e.lang)
    if want == "" and have == "." and re.search(r"\d\.$", e.target.rstrip(_TRAILING_CLOSERS)):
        return                                # an ordinal or date dot: "am 25.12."
    if want != have:
        name = {".": "a full stop", "!": "an exclamation mark", "?": "a question mark", ":": "a colon",
                ";": "a semicolon", "…": "an ellipsis", "": "no end punctuation"}
        yield f"the English ends with {name[want]}, the translation with {name[have]}"


# Characters of a translation per character of English, typical of each language.
LENGTH_NORMS = {"uk": 1.1, "ru": 1.1, "be": 1.1, "pl": 1.1, "cs": 1.05, "de": 1.2, "fr": 1.2, "es": 1.2,
                "it": 1.15, "pt": 1.2, "nl": 1.15, "ar": 0.95, "he": 0.9, "fa": 1.0, "tr": 1.05, "zh": 0.35,
                "ja": 0.45, "ko": 0.5, "ka": 1.2, "fi": 1.1}
LENGTH_MIN_SOURCE = 20          # shorter segments vary too much to judge


@register("length", WARNING)
def length(e: Entry) -> Iterator[str]:
    """The translation's length is near the language's usual ratio to English."""
    source, target = plain(e.source).strip(), plain(e.target).strip()
    if len(source) < LENGTH_MIN_SOURCE or not target:
        return
    norm = LENGTH_NORMS.get(_base(e.lang), 1.1)
    ratio = len(target) / len(source)
    if ratio < norm * 0.5:
        yield f"much shorter than the English ({ratio:.2f}× its length; usual here ≈{norm:.2f}×): something left out?"
    elif ratio > norm * 2.0:
        yield f"much longer than the English ({ratio:.2f}× its length; usual here ≈{norm:.2f}×)"


_APOSTROPHE_IN_WORD = re.compile(r"(?<=[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ])(['’‘`ʼ\u2032])(?=[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ])")


@register("apostrophe", WARNING, langs=("uk", "be"))
def apostrophe(e: Entry) -> Iterator[str]:
    """One apostrophe throughout the catalog (ʼ U+02BC, unless the catalog mostly writes another)."""
    wanted = e.apostrophe
    for match in _APOSTROPHE_IN_WORD.finditer(e.target):
        if match.group(1) != wanted:
            around = e.target[max(0, match.start() - 12): match.end() + 12]
            yield (f"apostrophe {match.group(1)} (U+{ord(match.group(1)):04X}) in “{around.strip()}”; "
                   f"this catalog writes {wanted} (U+{ord(wanted):04X})")


@register("untranslated", WARNING)
def untranslated(e: Entry) -> Iterator[str]:
    """The translation is not a copy of the English."""
    s = " ".join(plain(e.source).split())
    t = " ".join(plain(e.target).split())
    kept = {w.casefold() for term in e.terms if term.keep for w in WORD.findall(term.source)}
    kept |= {w.casefold() for name in e.names for w in WORD.findall(name)}
    meaningful = [w for w in WORD.findall(s) if w.casefold() not in kept and not w.isdigit()]
    if not meaningful:
        return
    if s.casefold() == t.casefold():
        yield "same as the English"
        return
    source_words = {w.casefold() for w in meaningful}
    target_words = WORD.findall(t)
    copied = [w for w in target_words if w.casefold() in source_words and len(w) > 2]
    if len(target_words) >= 4 and len(copied) / len(target_words) > 0.6:
        yield f"mostly English ({len(copied)} of {len(target_words)} words copied)"


@register("footnotes", ERROR)
def footnotes(e: Entry) -> Iterator[str]:
    """Footnote markers [^label] are the same as in the English, each once."""
    want = Counter(FOOTNOTE_REF.findall(e.source))
    have = Counter(FOOTNOTE_REF.findall(e.target))
    for label in want:
        if have[label] != want[label]:
            yield f"footnote marker [^{label}] ×{want[label]} in the English, ×{have[label]} here"
    for label in have:
        if label not in want:
            yield f"footnote marker [^{label}] is not in the English; it shows as text"


@register("table-cell", WARNING)
def table_cell(e: Entry) -> Iterator[str]:
    """A table cell's translation stays in its cell (no '|' column marks)."""
    if e.kind == "cell" and "|" in e.target and "|" not in e.source:
        yield "'|' in a cell shows as text: a translation cannot add or move columns"


# hostile text ----------------------------------------------------------------------

TOO_LONG_RATIO = 4              # × the English's length, plus TOO_LONG_SLACK characters
TOO_LONG_SLACK = 200


@register("too-long", ERROR)
def too_long(e: Entry) -> Iterator[str]:
    """The translation is not many times longer than the English (no other check reads it then)."""
    limit = TOO_LONG_RATIO * len(e.source) + TOO_LONG_SLACK
    if len(e.target) > limit:
        yield (f"{len(e.target):,} characters for {len(e.source):,} of English (at most {limit:,}); "
               f"the other checks did not read it")


# C0 and C1 controls but tab and newline; DEL; and the bidi embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_OVERRIDES = "\u202d\u202e"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


@lru_cache(maxsize=64)
def _direction(lang: str) -> str:
    try:
        from ..languages import direction
        return direction(lang)
    except Exception:                 # a code Babel does not know (a catalog from elsewhere): read it as LTR
        return "ltr"


def control_problems(source: str, target: str, lang: str) -> Iterator[str]:
    """Control and bidi characters in ``target`` that ``source`` does not have (also for `check PATH`)."""
    for match in _CONTROL.finditer(target):
        if match.group(0) in source:
            continue                             # a program's "\a" or "\r", translated as it is
        yield f"control character U+{ord(match.group(0)):04X} at offset {match.start()}"
        break                                    # one is enough to refuse the entry
    if _BIDI.search(target) is None:
        return
    rtl = _direction(lang) == "rtl"
    seen = set()
    for match in _BIDI.finditer(target):
        char = match.group(0)
        if char in seen or char in source or (rtl and char not in BIDI_OVERRIDES):
            continue
        seen.add(char)
        name = unicodedata.name(char, "").title()
        where = "right-to-left" if rtl else "left-to-right"
        yield (f"bidi control U+{ord(char):04X} ({name}) in a {where} language: it can reorder "
               f"what readers see; remove it")


@register("control-chars", ERROR)
def control_chars(e: Entry) -> Iterator[str]:
    """No control characters, and no bidi controls in a left-to-right language (overrides in any)."""
    yield from control_problems(e.source, e.target, e.lang)


_HTML_COMMENT = re.compile(r"<!--|--!?>|<!\[CDATA\[|<![A-Za-z]|<\?")
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


@register("html", ERROR)
def html(e: Entry) -> Iterator[str]:
    """No raw HTML, HTML comments or character references the English does not have."""
    source_tags = Counter(m.group(0).lower() for m in HTML_TAG.finditer(e.source))
    for tag in HTML_TAG.findall(e.target):
        if source_tags[tag.lower()] <= 0:
            yield f"raw HTML {_quote(tag)}: the page shows Markdown only; remove it"
        source_tags[tag.lower()] -= 1
    for match in _HTML_COMMENT.finditer(e.target):
        if match.group(0) not in e.source:
            yield f"HTML markup {match.group(0)!r} (a comment, declaration or instruction); remove it"
            break
    refs = Counter(_CHAR_REF.findall(e.source))
    for ref in _CHAR_REF.findall(e.target):
        if refs[ref] <= 0:
            yield f"character reference {ref}: write the character itself"
            break
        refs[ref] -= 1


# Python's replacement fields, with a conversion or a format spec: {count:>99999999} pads to 100 MB.
_BRACE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]{0,200})\}")
_PERCENT = re.compile(r"%%|%(?:\([^()]{0,100}\))?[-+ #0]*+(?:\*|\d++)?(?:\.(?:\*|\d++))?[hlLqjzt]{0,2}[a-zA-Z%]")


def format_fields(text: str, flags: Iterable[str] = ()) -> Counter:
    """The replacement fields of ``text``: ``{…}`` fields with a conversion or spec (every one when the
    entry is flagged ``python-brace-format``), and ``%`` directives when flagged ``python-format`` or ``c-format``."""
    flags = set(flags)
    percent = bool({"python-format", "c-format"} & flags)
    if "{" not in text and not (percent and "%" in text):
        return Counter()
    every = "python-brace-format" in flags        # else a plain {name} is the placeholders check's
    found = Counter("{" + m.group(1) + "}" for m in _BRACE_FIELD.finditer(text) if m.group(1) is not None
                    and m.group(1).strip() and (every or ":" in m.group(1) or "!" in m.group(1)))
    if percent:
        found.update(m.group(0) for m in _PERCENT.finditer(text) if m.group(0) != "%%")
    return found


def format_problems(source: str, target: str, flags: Iterable[str] = (), sources: Iterable[str] = (),
                    english: str = "the English") -> Iterator[str]:
    """Format fields of ``target`` that no English form has, exactly as written (also for `check PATH`)."""
    allowed = format_fields(source, flags)
    for other in sources:
        allowed |= format_fields(other, flags)
    for field_, n in format_fields(target, flags).items():
        if allowed[field_] < n:
            spec = ":" in field_ or "!" in field_ or any(c.isdigit() for c in field_[1:-1] if field_[0] == "%")
            yield (f"format {_quote(field_, 40)} is not in {english}" +
                   (f"; a width, precision or conversion {english} lacks can fill memory" if spec else ""))


@register("format", ERROR)
def format_(e: Entry) -> Iterator[str]:
    """Format fields ({name}, %(name)s) are exactly the English's: no added spec like {n:>99999999}."""
    yield from format_problems(e.source, e.target, e.message.flags)


_BLOCK_KINDS = (
    ("heading", re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")),
    ("block quote", re.compile(r" {0,3}>")),
    ("list item", re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")),
    ("code fence", re.compile(r" {0,3}(?:```|~~~)")),
    ("container", re.compile(r" {0,3}:::")),
    ("table row", re.compile(r" {0,3}\|")),
    ("link definition", re.compile(r" {0,3}\[[^\[\]\n]{1,999}\]:")),
    ("indented code", re.compile(r"(?: {4}|\t)\S")),
)


def _blocks(text: str) -> Counter:
    """Kinds of block-level Markdown a line of ``text`` would start."""
    kinds = Counter()
    for n, line in enumerate(text.split("\n")):
        bare = line.replace(" ", "").replace("\t", "")
        if len(bare) >= 3 and len(set(bare)) == 1 and bare[0] in "-*_=":
            kinds["thematic break or underline"] += 1
            continue
        for kind, pattern in _BLOCK_KINDS:
            if pattern.match(line) and (kind != "indented code" or n > 0):
                kinds[kind] += 1
                break
    return kinds


@register("blocks", ERROR)
def blocks(e: Entry) -> Iterator[str]:
    """The translation starts no block-level Markdown (heading, list, quote, table…) the English lacks."""
    want = _blocks(e.source)
    for kind, n in _blocks(e.target).items():
        if want[kind] < n:
            yield f"a line starts a {kind} the English does not have; escape the first character or reword"


# -- any catalog: `storyloc check PATH…` --------------------------------------------------

HEADER_FIELDS = {                 # msgfmt --check-header's fields and their template defaults
    "Project-Id-Version": "PACKAGE VERSION", "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>", "Language-Team": "LANGUAGE <LL@li.org>",
    "MIME-Version": None, "Content-Type": "text/plain; charset=CHARSET", "Content-Transfer-Encoding": None,
    "Language": "",
}


@dataclass
class FileFinding:
    path: str
    line: int | None
    severity: str
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


def check_file(path, shown: str | None = None) -> list[FileFinding]:
    """Check one catalog as ``msgfmt --check`` would, without a project: syntax, header and plural
    forms (the reader's :func:`~storyloc.po.validate`), header fields, format strings, control
    and bidi characters. Errors refuse the file; warnings do not."""
    from pathlib import Path
    from ..errors import CatalogError
    from ..po import read_po, validate
    path = Path(path)
    shown = shown or str(path)
    out: list[FileFinding] = []
    if not path.exists():
        return [FileFinding(shown, None, ERROR, "No such file or directory")]
    try:
        catalog = read_po(path, shown)
        validate(catalog, shown)
    except CatalogError as error:
        return [FileFinding(error.path or shown, error.line, ERROR, error.message)]
    header = catalog.header                 # validate refused a file without one, and broken plurals
    fields = catalog.header_fields()
    header_line = header.msgstr_lineno or header.lineno
    for name, default in HEADER_FIELDS.items():
        if name not in fields:
            out.append(FileFinding(shown, header_line, WARNING, f"header field {name!r} missing"))
        elif default is not None and fields[name] == default:
            out.append(FileFinding(shown, header_line, WARNING,
                                   f"header field {name!r} still has the template's value"))
    lang = fields.get("Language") or path.parent.parent.name or "en"
    for m in catalog.messages:
        if m is header:
            continue
        sources = [m.msgid] + ([m.msgid_plural] if m.msgid_plural is not None else [])
        for n, text in enumerate(m.msgstr):
            source = m.msgid if n == 0 or m.msgid_plural is None else m.msgid_plural
            problems = list(control_problems(source, text, lang))
            if text and not m.fuzzy and not m.obsolete:
                problems += format_problems(source, text, m.flags, sources if m.msgid_plural is not None else (),
                                            english="the msgid")
                if m.msgid_plural is None:
                    problems += [f"format {f} of the msgid is missing" for f in
                                 format_fields(m.msgid, m.flags) - format_fields(text, m.flags)]
            label = f"msgstr[{n}]" if m.msgid_plural is not None else "msgstr"
            out.extend(FileFinding(shown, m.msgstr_lineno or m.lineno, ERROR, f"{label}: {p}") for p in problems)
    return out


def describe() -> list[dict]:
    """The registry as a table: id, severity, title, languages."""
    return [{"id": c.id, "severity": c.severity, "title": c.title, "langs": list(c.langs or [])}
            for c in CHECKS.values()]
