"""Every check's findings over real catalogs, one line per entry: run it under two trees and compare the
outputs, to show a change to the checks finds exactly what it found before.

    PYTHONPATH=old/src python tests/check/findings_dump.py old.txt PROJECT… -- CATALOG.po…
    PYTHONPATH=new/src python tests/check/findings_dump.py new.txt PROJECT… -- CATALOG.po…
    cmp old.txt new.txt

Projects are checked as ``storyloc check`` checks them (findings with lines, severities, silences).
Each catalog's entries are checked in several languages and kinds, with the tests' glossary, names
and links: each English with its translation, with another entry's translation, reversed, and
copied; then made-up pairs of fragments that trip every check and the shortcuts before them.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

from storyloc.check import Entry, check, kind_of, run_checks, terms_in
from storyloc.glossary import load_glossary
from storyloc.po import Message, read_po
from storyloc.project import Project
from storyloc.story import Segment

TESTS = Path(__file__).resolve().parent.parent
KINDS = ("paragraph", "credit", "byline", "cell", "title", "caption")
NAMES = ("Oleksandr Babenko", "Gwara Media", "Serhiy Shevchenko")
LINKS = ("https://a.example/report", "https://b.example", "https://www.gwaramedia.com/en/")
LANGS = ("uk", "de", "ar", "fr", "pl", "el", "be", "pt_BR", "sr@latin", "zz")
FRAGMENTS = ["[^1]", "[^note]", "[^", "[a][1]", "[b][2]", "[c][9]", "[b](https://x.org/p)", "<https://y.org>",
             "www.z.org", "a@b.org", "https://a.example/report", "&#49;", "&amp;", "&#x33;", "&period;", "3.5", "3,5",
             "1,000", "70 000", "70\u00a0000", "2022 125", "10:30", "10.30", "25.12.", "February", "лютого", "Feb",
             "*em*", "**b**", "`c`", "`", "*", "_x_", "TK", "TODO", "__X__", "{0}", "{name}", "{n:>9}", "%s", "%(n)s",
             "<b>", "</b>", "<!--", "-->", "<x/>", "\n", "  ", "\t", "# ", "> ", "- ", "1. ", "|", "---", "    code",
             "ʼ", "'", "’", "Бахмут", "Слов'янськ", "Словʼянськ", "Oleksandr Babenko", "Олександр Бабенко",
             "Gwara Media", "Donetsk Oblast", "#tag", "@handle", "*unknown", "![i](p.png)", "![", "[[x]]", "⟦1⟧",
             "\u202e", "\u2066", "\x07", "\r", "\0", "\\*", "[", "]", "(", ")", "!", "Hello", "world.", "the city",
             "said", "people", "٣", "٫", "१२", "million", "тисяч", "12 млн", "5 million", "...", "?", "!", ";", ":",
             "»", "”", "\u00a0", "ok", "Kyiv", "Bakhmut", "x" * 30]


def failures(entry: Entry):
    try:
        return [(c.id, message) for c, message in run_checks(entry)]
    except Exception as exc:                      # an unknown locale: the same exception either way
        return type(exc).__name__


def main(out_path: str, projects: list[str], catalogs: list[str]) -> None:
    out = open(out_path, "w", encoding="utf-8")

    def emit(tag, items):
        out.write(f"{tag}\t{items!r}\n")

    for root in projects:
        report = check(Project.load(root))
        for f in report.findings:
            emit(root, f.as_json())
        emit(root, sorted(report.checked.items()))

    glossaries = Project.load(TESTS / "data" / "project")
    terms = {lang: list(load_glossary(glossaries, lang).terms) for lang in ("uk", "de", "ar", "fr", "pl")}
    for lang in LANGS:
        for path in catalogs:
            msgs = [m for m in read_po(Path(path)).entries() if m.translated and m.msgid_plural is None]
            if lang != "uk" and len(msgs) > 300:
                msgs = msgs[::len(msgs) // 300 + 1]
            for i, m in enumerate(msgs):
                kind = KINDS[i % len(KINDS)] if i % 3 else kind_of(m, None)
                segment = Segment(kind, m.msgid, 1, None, None, LINKS if i % 2 else ())
                other = msgs[(i + 7) % len(msgs)]
                for source, target in ((m.msgid, m.msgstr[0]), (m.msgid, other.msgstr[0]), (m.msgstr[0], m.msgid),
                                       (m.msgid, m.msgid)):
                    message = Message(source, [target], m.msgctxt, flags=list(m.flags),
                                      translator_comments=list(m.translator_comments))
                    entry = Entry(message, lang, kind, segment, NAMES if i % 4 else (),
                                  terms_in(source, terms.get(lang, terms["uk"])), "'" if i % 5 == 0 else "\u02bc")
                    emit(f"{path}:{lang}:{i}", failures(entry))

    rng = random.Random(11)
    for n in range(12000):
        source = "".join(rng.choice(FRAGMENTS) + rng.choice(["", " ", " ", ", "]) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.5:
            parts = source.split(" ")
            rng.shuffle(parts)
            target = " ".join(parts[:rng.randint(0, len(parts))]) + rng.choice(["", rng.choice(FRAGMENTS)])
        else:
            target = "".join(rng.choice(FRAGMENTS) + rng.choice(["", " "]) for _ in range(rng.randint(0, 8)))
        lang = rng.choice(["uk", "de", "ar", "fr", "pl", "el", "be", "ru", "ja"])
        kind = rng.choice(KINDS)
        flags = rng.choice([[], ["python-format"], ["python-brace-format"], ["c-format"]])
        segment = Segment(kind, source, 1, None, None, LINKS if n % 2 else ())
        entry = Entry(Message(source, [target], flags=flags), lang, kind, segment, NAMES if n % 3 else (),
                      terms_in(source, terms.get(lang, terms["uk"])), rng.choice(["'", "\u02bc"]))
        emit(f"made:{n}", failures(entry))
    out.close()


if __name__ == "__main__":
    args = sys.argv[2:]
    cut = args.index("--") if "--" in args else len(args)
    main(sys.argv[1], args[:cut], args[cut + 1:])
