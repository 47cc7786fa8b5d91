"""Tests for storyloc.po.wrap, with GNU msgcat as the oracle.

The differential test writes a large pseudo-random catalog with our writer,
lets the real ``msgcat`` re-read and re-write it, and requires the result to
be byte-identical: any wrapping difference would show up as a diff for
translators who resave our files with msgcat or Poedit.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storyloc.po.escape import unescape
from storyloc.po.wrap import comment_lines, field_lines

MSGCAT = shutil.which("msgcat")
needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU msgcat not installed")

# ---------------------------------------------------------------------------
# A minimal catalog model and writer built on the module under test.


@dataclass
class Entry:
    msgid: str
    msgstr: list[str]  # one item, or several for plural entries
    msgctxt: str | None = None
    msgid_plural: str | None = None
    comments: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    prev_msgctxt: str | None = None
    prev_msgid: str | None = None
    prev_msgid_plural: str | None = None
    obsolete: bool = False


def entry_lines(e: Entry) -> list[str]:
    """The lines write-po.c prints for one message, in its order."""
    lines = comment_lines("#", e.comments) + comment_lines("#.", e.extracted)
    lines += comment_lines("#:", e.refs)
    # Obsolete entries keep only the fuzzy flag.
    lines += comment_lines("#,", [f for f in e.flags if f == "fuzzy" or not e.obsolete])
    prev, prefix = ("#~| ", "#~ ") if e.obsolete else ("#| ", "")
    for keyword, value in (("msgctxt", e.prev_msgctxt), ("msgid", e.prev_msgid),
                           ("msgid_plural", e.prev_msgid_plural)):
        if value is not None:
            lines += field_lines(keyword, value, prev, flags=e.flags)
    fields = [("msgctxt", e.msgctxt), ("msgid", e.msgid), ("msgid_plural", e.msgid_plural)]
    if e.msgid_plural is None:
        fields.append(("msgstr", e.msgstr[0]))
    else:
        fields += [(f"msgstr[{i}]", s) for i, s in enumerate(e.msgstr)]
    for keyword, value in fields:
        if value is not None:
            lines += field_lines(keyword, value, prefix, flags=e.flags)
    return lines


HEADER = Entry(msgid="", msgstr=[
    "Project-Id-Version: storyloc\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
    "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"])


def write_catalog(entries: list[Entry]) -> str:
    return "\n".join("\n".join(entry_lines(e)) + "\n" for e in [HEADER, *entries])


# ---------------------------------------------------------------------------
# Deterministic pseudo-random content.

WORDS = (
    # English, hyphenated words
    "the of and to in photographs civilians try survive Ukrainian troops hold "
    "line under constant shelling Bakhmut Donetsk Oblast city invasion approaches "
    "its one-year anniversary battle has gone on for six months now full-scale "
    "months-long well-known twenty-first self-propelled e.g. i.e. U.S. and/or a/b "
    "x86_64 @user #hashtag & + = < > ~ ^ | 5km Mr. St. "
    # Ukrainian (with the modifier-letter apostrophe)
    "Бахмут місто обстріли зʼєднання пʼять вʼїзд українські війська тримають "
    "оборону цивільні намагаються вижити Донеччина мирні жителі Ілля "
    # numbers, units, currency
    "70,000 90% 1.5 2022 24/7 10:30 −5°C €100 №5 $3.2 50 % 1,000,000 ½ 3×4 ±2 "
    "100‰ 12th "
    # URLs and Markdown
    "https://example.com/a/b?x=1 http://gwara.media/bakhmut-photo_essay#top "
    "www.example.org/path/to/page.html [text][1] *emphasis* **bold** `code` "
    "[link](https://example.com/x) ![alt](img/photo.jpg) _under_ # > - 1. "
    # quotes, dashes, brackets, ellipsis
    "\"quoted\" «лапки» “curly” ‘single’ it’s don't „German“ ‹a› — – -- … wait… "
    "(photo) [1] {x} (see p. 5) ¿qué? ¡ya! (a) [b] "
    # escapes and odd characters
    "C:\\path\\to a\\b \\n \"\" \\\" back\\\\slash "
    "\u00a0nbsp thin\u2009space zero\u200bwidth soft\u00adhyphen e\u0301 "
    # CJK, emoji
    "東京 漢字テスト 中文，标点。 한국어 （括弧） 「引用」 ラーメン ぁぃ 👍 🇺🇦 "
    # python-format directives (only special in python-format entries)
    "%(count)d %s %d %(name)s %% %5.2f %(a b)s %-3d % d "
).split(" ")
LONG_WORDS = [
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2,
    "https://example.com/" + "very-long-path/" * 8 + "?q=1&r=2",
    "a" * 90,
    "Ж" * 75,
    "漢字" * 40,
    "x" * 73,
    "—" * 80,
]
SEPARATORS = [" "] * 70 + [""] * 5 + ["\n"] * 5 + [", ", ". ", "  ", " — ", ": "] * 2 \
    + ["\t", "\\", "\r", "\a", " (", ") ", "/", "\u00a0"]


def random_text(rnd: random.Random, length: int) -> str:
    parts: list[str] = []
    size = 0
    while size < length:
        token = rnd.choice(LONG_WORDS) if rnd.random() < 0.02 else rnd.choice(WORDS)
        sep = rnd.choice(SEPARATORS)
        parts += [token, sep]
        size += len(token) + len(sep)
    text = "".join(parts)[:length]
    if rnd.random() < 0.15:
        text = text.rstrip("\n") + "\n"
    return text


def random_length(rnd: random.Random) -> int:
    r = rnd.random()
    if r < 0.25:
        return rnd.randint(1, 60)
    if r < 0.55:
        return rnd.randint(60, 90)  # around the single-line limit
    if r < 0.85:
        return rnd.randint(90, 200)
    return rnd.randint(200, 400)


def random_refs(rnd: random.Random) -> list[str]:
    dirs = ["src/storyloc", "./templates", "source/bakhmut-under-fire", "docs",
            "a/very/long/directory/name/that/goes/on/and/on", "шаблони"]
    refs = {f"{rnd.choice(dirs)}/{rnd.choice(['article.md', 'page.html', 'x.py'])}"
            + (f":{rnd.randint(1, 5000)}" if rnd.random() < 0.9 else "")
            for _ in range(rnd.choice([1, 1, 2, 3, 8, 25]))}
    return sorted(refs)


def random_comment(rnd: random.Random, length: int) -> str:
    # A comment ending in a backslash would continue on the next line when
    # GNU reads it back (po-lex joins backslash-newline), so avoid it.
    return random_text(rnd, length).replace("\n", " ").strip().rstrip("\\")


def make_entries(seed: int, count: int) -> list[Entry]:
    """Unique entries of every kind msgcat keeps: contexts, plurals, flags,
    comments, references, previous msgids, obsolete entries (translated)."""
    rnd = random.Random(seed)
    seen: set[tuple[str | None, str]] = set()
    active: list[Entry] = []
    obsolete: list[Entry] = []
    while len(active) + len(obsolete) < count:
        msgctxt = random_text(rnd, rnd.randint(1, 100)) if rnd.random() < 0.15 else None
        msgid = random_text(rnd, random_length(rnd))
        if (msgctxt, msgid) in seen:
            continue
        seen.add((msgctxt, msgid))
        e = Entry(msgid=msgid, msgstr=[], msgctxt=msgctxt)
        if rnd.random() < 0.2:
            e.msgid_plural = random_text(rnd, random_length(rnd))
            e.msgstr = [random_text(rnd, random_length(rnd)) for _ in range(3)]
        else:
            e.msgstr = [random_text(rnd, random_length(rnd)) if rnd.random() < 0.8 else ""]
        if rnd.random() < 0.3:
            e.comments = [random_comment(rnd, rnd.randint(0, 120))]
        if rnd.random() < 0.3:
            e.extracted = [random_comment(rnd, rnd.randint(1, 150))]
        obsolete_entry = rnd.random() < 0.12
        if not obsolete_entry and rnd.random() < 0.7:
            e.refs = random_refs(rnd)
        translated = e.msgstr[0] != ""
        if translated and rnd.random() < 0.3:
            e.flags.append("fuzzy")
        if not obsolete_entry and rnd.random() < 0.15:
            e.flags.append("python-format")
        if not obsolete_entry and rnd.random() < 0.03:
            e.flags.append("no-wrap")
        if rnd.random() < 0.15:
            e.prev_msgid = random_text(rnd, random_length(rnd))
            if rnd.random() < 0.3:
                e.prev_msgctxt = random_text(rnd, rnd.randint(1, 80))
            if e.msgid_plural is not None and rnd.random() < 0.5:
                e.prev_msgid_plural = random_text(rnd, random_length(rnd))
        if obsolete_entry and translated:
            e.obsolete = True
            obsolete.append(e)
        else:
            active.append(e)
    return active + obsolete  # GNU writes obsolete entries last


def run_msgcat(tmp_path, text: str) -> str:
    src, out = tmp_path / "in.po", tmp_path / "out.po"
    src.write_bytes(text.encode("utf-8"))
    proc = subprocess.run([MSGCAT, str(src), "-o", str(out)], capture_output=True,
                          text=True, env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes().decode("utf-8")


def first_difference(ours: str, gnu: str) -> str:
    """Describe the first entry that differs, for a readable failure."""
    a, b = ours.split("\n\n"), gnu.split("\n\n")
    bad = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if bad:
        i = bad[0]
        return (f"{len(bad)} of {len(a)} entries differ; first is #{i}\n"
                f"--- ours ---\n{a[i]}\n--- msgcat ---\n{b[i]}")
    return f"entry counts differ: ours {len(a)}, msgcat {len(b)}"


# ---------------------------------------------------------------------------
# Differential tests


@needs_msgcat
@pytest.mark.parametrize("seed", [1, 2])
def test_random_catalog_matches_msgcat(tmp_path, seed):
    entries = make_entries(seed, 2500)
    ours = write_catalog(entries)
    gnu = run_msgcat(tmp_path, ours)
    assert ours == gnu, first_difference(ours, gnu)


@needs_msgcat
@pytest.mark.parametrize("prefix", ["", "#~ "])
def test_every_length_around_the_limit(tmp_path, prefix):
    """Every length 60..100 around the line limit, with the space at many places."""
    entries = []
    for n in range(60, 101):
        for cut in range(1, n, 7):
            text = "x" * cut + " " + "y" * (n - cut - 1)
            entries.append(Entry(msgid=f"{n}/{cut}/{prefix}", msgstr=[text],
                                 obsolete=bool(prefix)))
            entries.append(Entry(msgid=f"{text}\n{n}/{cut}", msgstr=["z"],
                                 obsolete=bool(prefix)))
    ours = write_catalog(entries)
    gnu = run_msgcat(tmp_path, ours)
    assert ours == gnu, first_difference(ours, gnu)


def plain_prose(rnd: random.Random, words: int) -> str:
    """Words of letters, digits and apostrophes, some ending in sentence punctuation, between spaces."""
    def word() -> str:
        body = "".join(rnd.choice("aeiouZxy09'\u2019«»“”їЖ٣ß") for _ in range(rnd.randint(1, 9)))
        return body + "".join(rnd.choice(",.;:!?") for _ in range(rnd.choice([0, 0, 0, 1, 2])))
    return " " * rnd.choice([0, 0, 1]) + (" " * rnd.choice([1, 1, 1, 2])).join(word() for _ in range(words))


def test_the_plain_prose_shortcut_breaks_where_the_full_algorithm_does():
    from storyloc.po.wrap import _breaks_and_widths, _plain_starts
    rnd, alphabet = random.Random(3), "ab Z09 ,.;:!?'\u2019  -(«»ї٣\u0301\u05d0\u4e00\u060c"
    checked = 0
    for n in range(20_000):
        text = plain_prose(rnd, rnd.randint(0, 12)) if n % 2 else \
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        shortcut = _plain_starts(text)
        if shortcut is not None:
            checked += 1
            breaks, widths = _breaks_and_widths(text)
            assert shortcut == [i for i, kind in enumerate(breaks) if kind], repr(text)
            assert set(breaks) <= {0, 1} and set(widths) <= {1}, repr(text)   # no must-break, one column each
    assert checked > 10_000                      # the shortcut is taken, not only refused
    assert _plain_starts("a-b c") is None and _plain_starts("a .b") is None
    assert _plain_starts("«Київ» каже, що 12 ’x.") == [7, 13, 16, 19]
    assert _plain_starts("a \u4e00") is None and _plain_starts("a \u0301b") is None   # wide; a combining mark


def test_a_word_at_a_time_breaks_where_the_full_algorithm_does():
    """The words between spaces, each worked out once from the state the text before leaves, give
    the break opportunities of the whole text: brackets, dashes, quotes, marks, joiners, flags,
    Hebrew hyphens, wide characters and line separators."""
    from storyloc.po.wrap import _MUST, _breaks_and_widths, _starts_by_word
    rnd = random.Random(8)
    alphabet = ("ab Z09  ,.;:!?'\u2019\"-–—()[]{}«»“”/%$#\u00a0\u200b\u200d\u2060\u0301\u05d0\u05be"
                "\u4e00\u3002\u30fc\U0001f1fa\U0001f1e6\u2028\u0e01\u060c\u00ad\U0001f466\U0001f3fb\u1100\uac00"
                "\u2024\u0f0b\u2014\u00b4")
    for n in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        breaks, _ = _breaks_and_widths(text)
        starts, must = _starts_by_word(text)
        assert starts == [i for i, kind in enumerate(breaks) if kind], repr(text)
        assert set(must) == {i for i, kind in enumerate(breaks) if kind == _MUST}, repr(text)
    assert _starts_by_word("[uk] a-b (c) d—e") == ([5, 7, 9, 13, 14, 15], ())   # B2: either side


@needs_msgcat
def test_plain_prose_is_wrapped_as_msgcat_wraps_it(tmp_path):
    rnd = random.Random(4)
    entries = [Entry(msgid=plain_prose(rnd, rnd.randint(1, 60)), msgstr=[plain_prose(rnd, rnd.randint(1, 60))])
               for _ in range(1500)]
    ours = write_catalog(entries)
    gnu = run_msgcat(tmp_path, ours)
    assert ours == gnu, first_difference(ours, gnu)


PO_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def rewrite_po_entry(block: str) -> str:
    """Parse one entry of a GNU-written PO file minimally and write it again."""
    out, fields, flags = [], [], []
    for line in block.split("\n"):
        m = PO_FIELD.match(line)
        if m:
            fields.append([m.group(1), unescape(m.group(2)[1:-1])])
        elif line.startswith('"'):
            fields[-1][1] += unescape(line[1:-1])
        else:
            out.append(line)  # comments are kept verbatim
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",")]
    for keyword, value in fields:
        out += field_lines(keyword, value, flags=flags)
    return "\n".join(out)


@needs_msgcat
@pytest.mark.parametrize("lang", ["uk", "ru", "de", "fr", "pl", "zh_CN", "zh_TW", "ko", "vi"])
def test_real_translations_from_gettext_package(lang):
    """gettext's own message catalogs, as msgunfmt (write-po.c) prints them."""
    mo = Path(f"/usr/share/locale/{lang}/LC_MESSAGES/gettext-tools.mo")
    if not mo.exists():
        pytest.skip(f"{mo} not installed")
    proc = subprocess.run([shutil.which("msgunfmt") or "msgunfmt", str(mo)],
                          capture_output=True, check=True)
    if b"charset=utf-8" not in proc.stdout[:2000].lower():
        pytest.skip("catalog is not UTF-8")
    blocks = proc.stdout.decode("utf-8").rstrip("\n").split("\n\n")
    differing = [b for b in blocks if rewrite_po_entry(b) != b]
    assert not differing, f"{len(differing)} of {len(blocks)} entries differ, e.g.\n" \
        f"{differing[0]}\n--- ours ---\n{rewrite_po_entry(differing[0])}"


# ---------------------------------------------------------------------------
# Unit tests


def test_single_line_fast_path():
    assert field_lines("msgid", "Draft translation") == ['msgid "Draft translation"']
    assert field_lines("msgid", "") == ['msgid ""']
    assert field_lines("msgstr", "a\n") == ['msgstr "a\\n"']


def test_embedded_newline_starts_with_empty_string():
    assert field_lines("msgid", "a\nb") == ['msgid ""', '"a\\n"', '"b"']
    assert field_lines("msgid", "\n\n") == ['msgid ""', '"\\n"', '"\\n"']


def test_wrapping_with_prefixes():
    text = ("%(count)d of %(total)d passages has not been reviewed yet and is "
            "shown in English.")
    assert field_lines("msgid", text, flags=["python-format"]) == [
        'msgid ""',
        '"%(count)d of %(total)d passages has not been reviewed yet and is shown in "',
        '"English."',
    ]
    lines = field_lines("msgid", text, "#| ")
    assert lines[0] == '#| msgid ""' and all(line.startswith('#| "') for line in lines[1:])
    assert all(len(line) <= 79 for line in lines)


def test_comment_lines():
    refs = [f"./src/storyloc/page.py:{i}" for i in range(1, 12)]
    lines = comment_lines("#:", refs)
    assert lines[0].startswith("#: src/storyloc/page.py:1 ")
    assert all(len(line) <= 79 for line in lines)
    assert " ".join(line[3:] for line in lines).split() == [r[2:] for r in refs]
    assert comment_lines("#,", ["fuzzy", "python-format"]) == ["#, fuzzy, python-format"]
    assert comment_lines("#.", ["Heading", ""]) == ["#. Heading", "#."]
    assert comment_lines("#", ["a\nb"]) == ["# a", "# b"]
    assert comment_lines("#:", []) == []


def test_no_break_inside_a_run_of_letters():
    """The full algorithm steps over runs of letters, digits and quotes: the pair table must allow
    no direct break between any two of them (an indirect one needs a space, which ends a run)."""
    from storyloc.po.wrap import _LETTERS, _PAIR, _breaks_and_widths
    assert all(_PAIR[a][b] != "D" for a in _LETTERS for b in _LETTERS)
    breaks, _ = _breaks_and_widths("«Київ» 12ab’c [x]y")
    assert [i for i, b in enumerate(breaks) if b] == [7, 14]
