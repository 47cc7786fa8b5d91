"""Shield what an engine must not translate, and put it back afterwards.

Before a segment goes to a machine engine, glossary terms, numbers, URLs,
e-mail addresses, handles and inline markup (Markdown ``*em*``, ``**strong**``,
`` `code` ``, HTML tags and the link references ``[text][1]``) are replaced by
numbered placeholders ``{1}``, ``{2}``…; Apertium and the online engines pass
those through untouched. Afterwards each placeholder is replaced by its target
form (a glossary term's translation, anything else as it was). A placeholder
that comes back missing, doubled, invented or with its pair out of order is a
:class:`MaskError`: the draft is not accepted.

Markup that wraps words (``*…*``, ``[…][1]``) is masked as an opening and a
closing placeholder, so the words inside are still translated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PLACEHOLDER = re.compile(r"\{\s*(\d+)\s*\}")

# Atoms: shielded whole. Order matters: the first pattern to claim a span wins.
ATOMS = [
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\]\[()]+[^\s<>\]\[().,;:!?'\"’”»]")),
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("code", re.compile(r"`[^`\n]+`")),
    ("footnote", re.compile(r"\[\^[^\]\s]+\]")),      # a footnote marker [^1] stays where it is
    ("escape", re.compile(r"\\[!-/:-@\[-`{-~]")),       # a backslash-escaped \* or \[ is text, kept whole
    ("tag", re.compile(r"</?[A-Za-z][^<>\n]*>")),
    ("handle", re.compile(r"(?<![\w@#])[@#][A-Za-z_]\w*")),
    ("placeholder", PLACEHOLDER),          # a literal {1} in the source is shielded too
    ("number", re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*(?![\w])")),
]
# Pairs: the delimiters are shielded, the words between them are translated.
LINK_REF = re.compile(r"\[(?=[^\]\n]+\]\[\d+\])([^\]\n]+)(\]\[\d+\])")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)[\"“«¿¡(]*\s*$")
EMPHASIS = re.compile(r"(?<![\w*\\])(\*\*|\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])")


@dataclass
class Masked:
    """A segment as an engine sees it, and what each placeholder stands for."""

    source: str
    text: str
    originals: dict[int, str] = field(default_factory=dict)     # n -> source form
    targets: dict[int, str] = field(default_factory=dict)       # n -> target form
    kinds: dict[int, str] = field(default_factory=dict)         # n -> term, number, url, open, close…
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (open, close)

    @property
    def terms(self) -> list[str]:
        """Glossary target forms put into this segment."""
        return [self.targets[n] for n in sorted(self.kinds) if self.kinds[n] == "term"]

    def only_placeholders(self) -> bool:
        """Nothing left for an engine to translate: the glossary alone can draft this."""
        rest = PLACEHOLDER.sub("", self.text)
        return bool(self.kinds) and not re.search(r"\w", rest)

    def describe(self, n: int) -> str:
        return f"{{{n}}} ({self.kinds.get(n, '?')} “{self.originals.get(n, '?')}”)"


class MaskError(ValueError):
    """An engine broke a placeholder; its output cannot be trusted as a draft."""


def mask(text: str, terms: list[tuple[str, str]] | None = None) -> Masked:
    """Replace protected spans of ``text`` by placeholders.

    ``terms`` are glossary (source, target) pairs; longer terms win over the
    shorter ones they contain, and a term matches only as whole words.
    """
    spans: list[tuple[int, int, str, str, str]] = []   # start, end, kind, original, target
    taken = [False] * len(text)

    def claim(start: int, end: int) -> bool:
        if start >= end or any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        return True

    pair_spans: list[tuple[tuple[int, int, str], tuple[int, int, str]]] = []

    def claim_pairs(pattern: re.Pattern) -> None:
        for m in pattern.finditer(text):
            if pattern is LINK_REF:
                open_span, close_span = (m.start(), m.start() + 1), (m.start(2), m.end(2))
            else:
                width = len(m.group(1))
                open_span, close_span = (m.start(), m.start() + width), (m.end() - width, m.end())
            if any(taken[open_span[0]:open_span[1]]) or any(taken[close_span[0]:close_span[1]]):
                continue
            claim(*open_span)
            claim(*close_span)
            pair_spans.append(((*open_span, text[slice(*open_span)]), (*close_span, text[slice(*close_span)])))

    def claim_atoms(atoms) -> None:
        for kind, pattern in atoms:
            for m in pattern.finditer(text):
                if claim(m.start(), m.end()):
                    spans.append((m.start(), m.end(), kind, m.group(0), m.group(0)))

    claim_atoms(ATOMS[:4])                      # urls, e-mails, code, tags
    claim_pairs(LINK_REF)                       # before numbers: the 1 in ][1] is markup
    for source, target in sorted(terms or [], key=lambda t: -len(t[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(source)}(?!\w)", text):
            if claim(m.start(), m.end()):
                spans.append((m.start(), m.end(), "term", source, target))
    claim_atoms(ATOMS[4:])                      # handles, literal placeholders, numbers
    claim_pairs(EMPHASIS)
    for (o_start, o_end, o_text), (c_start, c_end, c_text) in pair_spans:
        spans.append((o_start, o_end, "open", o_text, o_text))
        spans.append((c_start, c_end, "close", c_text, c_text))

    spans.sort()
    result = Masked(source=text, text="")
    out: list[str] = []
    position = 0
    number_of: dict[int, int] = {}
    for n, (start, end, kind, original, target) in enumerate(spans, 1):
        out.append(text[position:start])
        out.append(f"{{{n}}}")
        position = end
        result.originals[n] = original
        result.targets[n] = target
        result.kinds[n] = kind
        number_of[start] = n
    out.append(text[position:])
    result.text = "".join(out)
    for (o_start, *_), (c_start, *_) in pair_spans:
        result.pairs.append((number_of[o_start], number_of[c_start]))
    return result


def unmask(masked: Masked, translated: str) -> str:
    """The engine's output with every placeholder replaced by its target form.

    Raises :class:`MaskError` naming the first placeholder that came back
    broken: missing, more than once, unknown, or a pair in the wrong order.
    """
    found = [(m.start(), m.end(), int(m.group(1))) for m in PLACEHOLDER.finditer(translated)]
    seen: dict[int, int] = {}
    for start, _, n in found:
        if n not in masked.targets:
            raise MaskError(f"the engine invented placeholder {{{n}}}")
        if n in seen:
            raise MaskError(f"placeholder {masked.describe(n)} came back twice")
        seen[n] = start
    for n in masked.targets:
        if n not in seen:
            raise MaskError(f"placeholder {masked.describe(n)} is missing from the engine's output")
    for opening, closing in masked.pairs:
        if seen[opening] > seen[closing]:
            raise MaskError(f"markup {masked.describe(opening)}…{masked.describe(closing)} came back "
                            f"out of order")
    # Words inside markup hug their delimiters: "{1} el informe {2}" -> "[el informe][1]".
    for opening, closing in masked.pairs:
        translated = re.sub(rf"(\{{\s*{opening}\s*\}})\s+", r"\1", translated)
        translated = re.sub(rf"\s+(\{{\s*{closing}\s*\}})", r"\1", translated)
    def target(m: re.Match) -> str:
        value = masked.targets[int(m.group(1))]
        # "provincia de Donetsk" opening a sentence is "Provincia de Donetsk"
        if masked.kinds[int(m.group(1))] == "term" and SENTENCE_START.search(translated[:m.start()]):
            value = value[:1].upper() + value[1:]
        return value

    return tidy(PLACEHOLDER.sub(target, translated))


def tidy(text: str) -> str:
    """Collapse the runs of spaces engines leave behind; keep the text otherwise as given."""
    return re.sub(r"[ \t]{2,}", " ", text).strip()
