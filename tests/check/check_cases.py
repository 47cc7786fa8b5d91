"""What the tests of storyloc.check share: an entry's failures through the registry, the glossary
terms the cases use, and hostile text run in a subprocess under a ceiling."""
import subprocess
import sys

from storyloc.check import Entry, run_checks, terms_in
from storyloc.glossary import Term
from storyloc.po import Message
from storyloc.story import Segment

UK_PO = "locales/uk/LC_MESSAGES/bakhmut-under-fire.po"
TERMS = [Term("Bakhmut", "Бахмут"), Term("Donetsk Oblast", "Донецька область"), Term("Gwara Media", "Gwara Media")]
NAMES = ("Oleksandr Babenko", "Gwara Media")
LINKS = ("https://a.example/report", "https://b.example")


def failures(source, target, lang="uk", kind="paragraph", terms=(), names=(), links=()):
    """(check id, message) of every failure of a translation, as every caller runs the checks."""
    segment = Segment(kind, source, 1, None, None, tuple(links))
    entry = Entry(Message(source, [target]), lang, kind, segment, tuple(names), terms_in(source, terms))
    return [(c.id, message) for c, message in run_checks(entry)]


def ids(*args, **kwargs):
    return sorted({check_id for check_id, _ in failures(*args, **kwargs)})


def case_ids(source, target, lang, kind):
    """The failing checks of a case of the tables: the story's names in credits, its links, the glossary."""
    names = NAMES if kind in ("credit", "byline") else ()
    return ids(source, target, lang, kind, TERMS, names, LINKS)


# -- linear time on hostile input ------------------------------------------------------------
# Each case runs in a subprocess with a generous ceiling: a catastrophic backtrack (quadratic or
# worse) on runs this long takes hours, so the ceiling catches it without timing anyone's speed.

HOSTILE_SHAPES = ["a", "a b ", "@", "a@", ".", "a.", "[", "[a][", "![", "](", "[a](", "*", "*a", "_", "_a",
                  " ", "1", "1.", "1 ", "<a ", "<http:", "{", "{{", "%(", "%0", "www.", "a-", "`", "⟦", "<x ", "[^"]
CEILING = 240           # seconds for a whole run; each takes a few on an idle machine

_HOSTILE = f"SHAPES = {HOSTILE_SHAPES!r}\n" + r'''
def hostile(size=1_000_000):
    """A megabyte of long runs, one per shape: words, @, ., [, *, _, spaces, digits, <, {…"""
    run = size // len(SHAPES)
    return "".join(shape * (run // len(shape)) for shape in SHAPES)
'''


def run_hostile(script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` in a fresh interpreter, with ``hostile()`` and ``SHAPES`` defined, under the ceiling."""
    return subprocess.run([sys.executable, "-c", _HOSTILE + script, *args],
                          capture_output=True, text=True, timeout=CEILING)
