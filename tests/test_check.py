"""Quality checks: each check on what should and should not fail, and `storyloc check` as a user runs it."""
import json
import re
import shutil
import subprocess

import pytest

from storyloc.po import provenance
from storyloc.build import publish_state
from storyloc.po import Message, read_po, save_po
from storyloc.check import CHECKS, ERROR, WARNING, Entry, Term, check, romanize, run_checks, terms_in
from storyloc.story import Segment

from conftest import STORY, msgfmt_check, run

UK_PO = f"locales/uk/LC_MESSAGES/{STORY}.po"


def failures(source, target, lang="uk", kind="paragraph", terms=(), names=(), links=()):
    segment = Segment(kind, source, 1, None, None, tuple(links))
    entry = Entry(Message(source, [target]), lang, kind, segment, tuple(names), terms_in(source, terms))
    return [(c.id, message) for c, message in run_checks(entry)]


def ids(*args, **kwargs):
    return sorted({check_id for check_id, _ in failures(*args, **kwargs)})


def test_registry_checks_have_an_id_a_severity_and_a_title():
    assert len(CHECKS) >= 13
    for check_id, c in CHECKS.items():
        assert re.fullmatch(r"[a-z][a-z-]*", check_id) and c.id == check_id
        assert c.severity in (ERROR, WARNING)
        assert c.title and c.title == c.run.__doc__.strip().splitlines()[0]


TERMS = [Term("Bakhmut", "Бахмут"), Term("Donetsk Oblast", "Донецька область"),
         Term("Gwara Media", "Gwara Media", keep=True)]

# (source, translation, language, kind, the checks that must fail)
CASES = [
    # numbers, locale-aware
    ("more than 70,000 people.", "понад 70 000 людей.", "uk", "paragraph", []),
    ("more than 70,000 people.", "понад 70\u00a0000 людей.", "uk", "paragraph", []),
    ("more than 70,000 people.", "понад 70 тисяч людей.", "uk", "paragraph", []),
    ("more than 70,000 people.", "понад 70,000 людей.", "uk", "paragraph", ["numbers"]),
    ("more than 70,000 people.", "понад 7 000 людей.", "uk", "paragraph", ["numbers"]),
    ("It grew 1.5 times.", "Зросло в 1,5 раза.", "uk", "paragraph", []),
    ("It grew 1.5 times.", "Зросло в 1.5 раза.", "uk", "paragraph", ["number-format"]),
    ("70,000 people", "70.000 personas", "es", "paragraph", []),
    ("It grew 1.5 times.", "Es wuchs um das 1,5-Fache.", "de", "paragraph", []),
    ("90% of people", "90 % des gens", "fr", "paragraph", []),
    ("On February 1, 2023, at 10:30", "1 лютого 2023 року о 10.30", "uk", "paragraph", []),
    ("On 12/25/2023", "25 грудня 2023 року", "uk", "paragraph", []),
    ("On December 25", "Am 25.12.", "de", "paragraph", []),
    ("It costs 1.5 million", "Коштує 1,5 млн", "uk", "paragraph", []),
    ("for two months", "два місяці", "uk", "paragraph", []),
    ("in 2022", "у 2023 році", "uk", "paragraph", ["numbers"]),
    # markup and links
    ("A *big* and **bold** `x` word.", "Велике *і* **жирне** `x` слово.", "uk", "paragraph", []),
    ("A *big* and **bold** word.", "Велике і **жирне** слово.", "uk", "paragraph", ["markup"]),
    ("Run `make` now.", "Запустіть `зробити` зараз.", "uk", "paragraph", ["markup"]),
    ("A big word.", "Велике <script>alert(1)</script> слово.", "uk", "paragraph", ["html"]),
    ("Read [the report][1].", "Прочитайте [звіт][1].", "uk", "paragraph", []),
    ("Read [the report][1] and [this][2].", "Прочитайте [звіт][1].", "uk", "paragraph", ["links"]),
    ("Read [the report][1].", "Прочитайте [звіт][2].", "uk", "paragraph", ["links"]),
    ("Read [the report][1].", "Прочитайте [звіт](https://evil.example/).", "uk", "paragraph", ["links"]),
    ("See https://gwaramedia.com/en for more.", "Див. https://gwaramedia.com/en.", "uk", "paragraph", []),
    ("See https://gwaramedia.com/en for more.", "Див. https://gwaramedia.com/uk.", "uk", "paragraph", ["links"]),
    # engine leftovers, placeholders
    ("Soledar is near.", "*Soledar está cerca.", "es", "paragraph", ["engine-marks"]),
    ("Soledar is near.", "Soledar está {1} cerca.", "es", "paragraph", ["placeholders"]),
    ("Soledar is near.", "Soledar está TK cerca.", "es", "paragraph", ["placeholders"]),
    ("Follow #Soledar now.", "Seguid #Soledar ahora.", "es", "paragraph", []),
    # form
    ("Soledar is near.", " Soledar  está cerca.", "es", "paragraph", ["whitespace"]),
    ("Soledar is near.", "Soledar está\ncerca.", "es", "paragraph", ["line-break"]),
    ("Is it near?", "¿Está cerca?", "es", "paragraph", []),
    ("Is it near?", "Está cerca.", "es", "paragraph", ["end-punctuation"]),
    ("A caption without a stop", "Un pie de foto sin punto", "es", "caption", []),
    ("The city has become a total wreck after months.", "Місто.", "uk", "paragraph", ["length"]),
    ("Sloviansk is near.", "Словʼянськ поруч.", "uk", "paragraph", []),
    ("Sloviansk is near.", "Слов'янськ поруч.", "uk", "paragraph", ["apostrophe"]),
    ("Sloviansk is near.", "Слов’янськ поруч.", "uk", "paragraph", ["apostrophe"]),
    ("The elderly do not want to leave.", "The elderly do not want to leave.", "uk", "paragraph", ["untranslated"]),
    # names and glossary
    ("Oleksandr Babenko for Gwara Media", "Олександр Бабенко для Gwara Media", "uk", "credit", []),
    ("Oleksandr Babenko for Gwara Media", "Олексій Петренко для Gwara Media", "uk", "credit", ["names"]),
    ("Photographs by Oleksandr Babenko", "Фото Олександра Бабенка", "uk", "byline", []),
    ("Photographs by Oleksandr Babenko", "Fotos von Olexandr Babenko", "de", "byline", []),
    ("in Bakhmut in Donetsk Oblast", "у Бахмуті в Донецькій області", "uk", "paragraph", []),
    ("in Bakhmut in Donetsk Oblast", "в Артемівську в Донецькій обл", "uk", "paragraph", ["glossary"]),
    ("Gwara Media do not stop", "Гвара Медіа не припиняє", "uk", "paragraph", ["glossary"]),
]


@pytest.mark.parametrize("source, target, lang, kind, expected", CASES)
def test_check_cases(source, target, lang, kind, expected):
    names = ("Oleksandr Babenko", "Gwara Media") if kind in ("credit", "byline") else ()
    assert ids(source, target, lang, kind, TERMS, names, ("https://a.example/report", "https://b.example")) \
        == sorted(expected), failures(source, target, lang, kind, TERMS, names)


def test_messages_say_what_to_do():
    [(_, message)] = failures("more than 70,000 people.", "понад 70,000 людей.")
    assert message == ("70,000 is written 70,000, which reads as 70 in Ukrainian "
                       "(its decimal separator is ','); write 70 000")
    [(_, message)] = failures("Read [the report][1] and [this][2].", "Прочитайте [звіт][1].",
                              links=("https://a.example/report", "https://b.example"))
    assert "[...][2] → https://b.example is missing" in message


def test_romanize_reads_ukrainian_names_back():
    assert [romanize(w) for w in ("Олександр", "Бабенко", "Кириленко", "Юрій")] == \
        ["Oleksandr", "Babenko", "Kyrylenko", "Yurii"]


def test_committed_ukrainian_catalog_has_no_errors(project):
    report = check(project, ["uk"])
    assert report.checked == {(STORY, "uk"): 20}
    assert report.errors == 0, [f.format() for f in report.findings]


def _break(project_dir, old, new):
    path = project_dir / UK_PO
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_cli_reports_like_a_compiler_and_fails_on_errors(project_dir):
    path = _break(project_dir, "понад 70 тисяч людей", "понад 7 тисяч людей")
    lineno = next(m.lineno for m in read_po(path).entries() if "70,000" in m.msgid)
    result = run(project_dir, "check", "--lang", "uk")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{UK_PO}:{lineno}: [error] numbers: number 70,000 became 7 тисяч (here: 70 000)" in lines
    assert f"{UK_PO}: 1 error," in result.stderr
    data = json.loads(run(project_dir, "check", "--lang", "uk", "--format", "json").stdout)
    [finding] = [f for f in data["findings"] if f["severity"] == "error"]
    assert finding["file"] == UK_PO and finding["line"] == lineno and finding["check"] == "numbers"
    assert data["summary"]["errors"] == 1


def test_a_draft_failure_is_a_warning_until_approved(project_dir):
    path = _break(project_dir, "понад 70 тисяч людей", "понад 7 тисяч людей")
    catalog = read_po(path)
    message = next(m for m in catalog.entries() if "70,000" in m.msgid)
    message.fuzzy = True
    save_po(catalog, path)
    result = run(project_dir, "check", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert "[warning] numbers: number 70,000 became 7 тисяч" in result.stdout
    assert "(draft: an error once approved)" in result.stdout


@pytest.mark.parametrize("silence", ["comment", "flag"])
def test_a_translator_silences_one_check_on_one_entry(project_dir, silence):
    path = _break(project_dir, "понад 70 тисяч людей", "понад 7 тисяч людей")
    catalog = read_po(path)
    message = next(m for m in catalog.entries() if "70,000" in m.msgid)
    if silence == "comment":
        message.translator_comments.append("storyloc: ignore numbers the desk rounds this figure")
    else:
        message.flags.append("storyloc-ignore-numbers")
    save_po(catalog, path)
    assert msgfmt_check(path).returncode == 0
    result = run(project_dir, "check", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert re.search(r"\.po:\d+: \[ignored\] numbers: number 70,000 became 7 тисяч", result.stdout)
    assert "1 ignored" in result.stderr
    # the silence survives a merge with the template
    assert run(project_dir, "update", "--lang", "uk").exit_code == 0
    assert run(project_dir, "check", "--lang", "uk").exit_code == 0


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext not installed")
def test_the_comment_form_survives_gnu_msgmerge(project_dir, tmp_path):
    path = _break(project_dir, "понад 70 тисяч людей", "понад 7 тисяч людей")
    catalog = read_po(path)
    message = next(m for m in catalog.entries() if "70,000" in m.msgid)
    message.translator_comments.append("storyloc: ignore numbers")
    save_po(catalog, path)
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "-o", str(merged), str(path), str(project_dir / f"locales/{STORY}.pot")],
                   check=True)
    assert "# storyloc: ignore numbers" in merged.read_text(encoding="utf-8")


def test_publish_gate_needs_no_errors(project):
    progress = {"percent_reviewed": 100.0}
    assert publish_state(project, progress) == "published"
    assert publish_state(project, progress, errors=1) == "draft"
    assert publish_state(project, {"percent_reviewed": 99.0}) == "draft"


def test_list_of_checks(project_dir):
    result = run(project_dir, "check", "--list")
    assert result.exit_code == 0
    assert re.search(r"^numbers\s+error\s+Numbers are the same", result.stdout, re.M)
    assert re.search(r"^apostrophe\s+warning\s+.*\[uk, be\]$", result.stdout, re.M)


def test_provenance_records_are_not_taken_for_silences():
    m = Message("x", ["y"], translator_comments=["storyloc: draft engine=apertium"])
    from storyloc.check import silenced
    assert silenced(m) == set()
    m.translator_comments.append(provenance.Record("ignore", {}).format() + " numbers, links because")
    assert silenced(m) == {"numbers", "links"}


def test_words_the_engine_ran_together_are_flagged_until_fixed():
    note = "storyloc: note words Apertium ran together, put the spaces back: lainvasiónde"
    glued = Message("As the invasion nears", ["Como lainvasiónde se acerca"], translator_comments=[note])
    entry = Entry(glued, "es", "paragraph")
    assert [(c.id, m) for c, m in run_checks(entry, ["engine-marks"])] == [
        ("engine-marks", "lainvasiónde: words the engine ran together; put the spaces back")]
    glued.msgstr = ["Como la invasión de se acerca"]
    assert run_checks(entry, ["engine-marks"]) == []


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


def _run_hostile(script: str, *args: str) -> subprocess.CompletedProcess:
    import sys
    return subprocess.run([sys.executable, "-c", _HOSTILE + script, *args],
                          capture_output=True, text=True, timeout=CEILING)


_PATTERNS_SCRIPT = r'''
import re
from storyloc import check, update
from storyloc.draft import placeholders as mask
from storyloc.po import fuzzy
from storyloc.story import inline
patterns = [p for module in (check, fuzzy, mask, update, inline) for p in vars(module).values() if isinstance(p, re.Pattern)]
patterns += [p for _, p in mask.ATOMS]
# mask.EMPHASIS reads only the newsroom's English (a segment about to be drafted), never a translation
patterns = [p for p in patterns if p is not mask.EMPHASIS]
text = hostile()
for p in patterns:
    for _ in p.finditer(text):
        pass
print(len(patterns), "patterns")
'''


def test_every_pattern_reads_a_hostile_megabyte_in_linear_time():
    result = _run_hostile(_PATTERNS_SCRIPT)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) > 20


_CHECKS_SCRIPT = r'''
from storyloc.po import Message
from storyloc.check import CHECKS, Entry, run_checks, TOO_LONG_RATIO, TOO_LONG_SLACK
from storyloc.story import Segment
english = ("Residents of Bakhmut, in Donetsk Oblast, said on February 1 that 70,000 people "
           "had left; see [the report][1] and https://gwaramedia.com/en. ") * 8       # a long paragraph
for kind, lang in (("paragraph", "uk"), ("byline", "de"), ("credit", "ar")):
    # a megabyte through the registry, as every caller runs the checks
    entry = Entry(Message(english, [hostile()]), lang, kind, Segment(kind, english, 1, None, None, ()))
    assert [c.id for c, _ in run_checks(entry)] == ["too-long"]
# every check itself, on every shape at the largest size the registry lets through
largest = TOO_LONG_RATIO * len(english) + TOO_LONG_SLACK
for shape in SHAPES:
    entry = Entry(Message(english, [shape * (largest // len(shape))]), "uk", "byline",
                  Segment("byline", english, 1, None, None, ("https://gwaramedia.com",)), ("Oleksandr Babenko",))
    for c in CHECKS.values():
        list(c.run(entry))
print("ok")
'''


def test_every_check_completes_on_hostile_text():
    result = _run_hostile(_CHECKS_SCRIPT)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


_PIPELINE_SCRIPT = r'''
import sys
from pathlib import Path
from storyloc.po import read_po, save_po
from storyloc.check import check
from storyloc.project import Project
from storyloc.review import Review
root, story = Path(sys.argv[1]), sys.argv[2]
project = Project.load(root)
path = project.catalog(story, "uk")
catalog = read_po(path)
entry = next(m for m in catalog.entries() if m.msgid_plural is None)
entry.msgstr = [hostile()]
entry.fuzzy = False
save_po(catalog, path)
assert check(project, ("uk",)).errors >= 1
from storyloc.build import build
build(project)
page = Review(project, "uk").page(story)
assert page["errors"] >= 1 and [c["id"] for c in page["segments"][0]["checks"]] == ["too-long"]
print("ok")
'''


def test_check_build_and_the_review_page_complete_on_a_hostile_catalog(project_dir):
    result = _run_hostile(_PIPELINE_SCRIPT, str(project_dir), STORY)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# -- hostile text: control and bidi characters, raw HTML, format specs, added blocks ----------

@pytest.mark.parametrize("source, target, lang, expected", [
    ("A word.", "Слово\x00.", "uk", ["control-chars"]),
    ("A word.", "Слово\x1b[31m.", "uk", ["control-chars", "markup", "numbers"]),
    ("A word.", "Слово\x85.", "uk", ["control-chars"]),
    ("A word.", "Сло\tво.", "uk", ["whitespace"]),                    # a tab is the whitespace check's
    ("A word.", "Слово \u202eовлс.", "uk", ["control-chars"]),
    ("A word.", "Слово \u2066x\u2069.", "uk", ["control-chars"]),
    ("A word.", "كلمة \u2067x\u2069.", "ar", []),                       # isolates belong in right-to-left text
    ("A word.", "كلمة \u202ex.", "ar", ["control-chars"]),             # an override never does
    ("A word.", "Слово <!-- x --> тут.", "uk", ["html"]),
    ("A word.", "Слово <img src=x onerror=alert(1)> тут.", "uk", ["html"]),
    ("A word.", "Слово &lt;script&gt; тут.", "uk", ["html"]),
    ("A <b>word</b>.", "<b>Слово</b>.", "uk", []),
    ("{count} photos", "{count:>99999999} фото", "uk", ["format", "numbers", "placeholders"]),
    ("{count} photos", "{count!r} фото", "uk", ["format", "placeholders"]),
    ("A word.", "# Слово.", "uk", ["blocks"]),
    ("A word.", "> Слово.", "uk", ["blocks"]),
    ("A word.", "- Слово.", "uk", ["blocks"]),
    ("A word.", "1. Слово.", "uk", ["blocks"]),
    ("A word.", "| Слово |", "uk", ["blocks", "end-punctuation"]),
    ("A word.", "[x]: https://evil.example/", "uk", ["blocks", "end-punctuation", "links"]),
    ("A word.", "---", "uk", ["blocks", "end-punctuation"]),
    ("1. A word.", "1. Слово.", "uk", []),
    ("Read [the report](https://ex.org/r) now.", "Прочитайте [звіт](https://ex.org/r) зараз.", "uk", []),
    ("Read <https://ex.org/r> now.", "Прочитайте <https://ex.org/r> зараз.", "uk", []),
    ("Read [the report](https://ex.org/r) now.", "Прочитайте [звіт](https://evil.example/r) зараз.", "uk",
     ["links"]),
])
def test_hostile_text_checks(source, target, lang, expected):
    assert ids(source, target, lang) == sorted(expected), failures(source, target, lang)


def test_a_translation_far_longer_than_its_english_is_refused_unread():
    assert failures("A word.", "Слово. " * 1000) == [
        ("too-long", "7,000 characters for 7 of English (at most 228); the other checks did not read it")]


def test_hostile_checks_cannot_be_silenced():
    m = Message("A word.", ["Слово\x00."], translator_comments=["storyloc: ignore control-chars"])
    entry = Entry(m, "uk", "paragraph")
    from storyloc.check import findings_for
    [finding] = findings_for(entry, "x.po", "s")
    assert finding.check == "control-chars" and not finding.ignored


# -- storyloc check PATH…: any catalog, as msgfmt --check reads it ------------------------------

PO_HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: x 1\\n"\n"PO-Revision-Date: 2026-11-29 12:00+0000\\n"\n'
             '"Last-Translator: T <t@example.org>\\n"\n"Language-Team: Ukrainian\\n"\n"Language: uk\\n"\n'
             '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
             '"Content-Transfer-Encoding: 8bit\\n"\n'
             '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
             '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n')


def test_check_paths_reads_any_catalog_like_msgfmt(tmp_path):
    good = tmp_path / "good.po"
    good.write_text(PO_HEADER + '#, python-format\nmsgid "%(n)d photo"\nmsgid_plural "%(n)d photos"\n'
                    'msgstr[0] "%(n)d фото"\nmsgstr[1] "%(n)d фото"\nmsgstr[2] "%(n)d фотографій"\n',
                    encoding="utf-8")
    bad = tmp_path / "bad.po"
    bad.write_text(PO_HEADER + '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr "Фото: %(credit)999999999s"\n\n'
                   'msgid "A word"\nmsgstr "Слово \u202e"\n', encoding="utf-8")
    result = run(tmp_path, "check", str(good))
    assert result.exit_code == 0 and result.output == "1 file checked: 0 error(s), 0 warning(s)\n"
    assert msgfmt_check(good).returncode == 0
    result = run(tmp_path, "check", str(good), str(bad), str(tmp_path / "missing.po"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:15: error: msgstr: format %(credit)999999999s is not in the msgid; a width, precision or "
        f"conversion the msgid lacks can fill memory",
        f"{bad}:15: error: msgstr: format %(credit)s of the msgid is missing",
        f"{bad}:18: error: msgstr: bidi control U+202E (Right-To-Left Override) in a left-to-right language: "
        f"it can reorder what readers see; remove it",
        f"{tmp_path / 'missing.po'}: error: No such file or directory",
        "3 files checked: 4 error(s), 0 warning(s)"]
    assert msgfmt_check(bad).returncode == 0            # msgfmt lets a 1 GB width through; storyloc does not


def test_check_paths_names_syntax_errors_and_plural_headers(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text(PO_HEADER + 'msgid "a"\nmsgstr "b\n', encoding="utf-8")
    result = run(tmp_path, "check", str(broken))
    assert result.exit_code == 1 and result.output.startswith(f"{broken}:14: error: ")
    wrong = tmp_path / "wrong.po"
    wrong.write_text(PO_HEADER.replace("nplurals=3", "nplurals=2") + 'msgid "a"\nmsgid_plural "as"\n'
                     'msgstr[0] "b"\nmsgstr[1] "c"\n', encoding="utf-8")
    result = run(tmp_path, "check", str(wrong))
    assert result.exit_code == 1
    # the reader refuses it first, in msgfmt's words; _plural_problems says it for a reader that would not
    assert result.output.startswith(f"{wrong}:2: error: ") and "nplurals" in result.output.splitlines()[0]


def test_the_shipped_ui_catalogs_pass_check_paths():
    from pathlib import Path
    import storyloc
    catalogs = sorted((Path(storyloc.__file__).parent / "locale").glob("*/LC_MESSAGES/storyloc.po"))
    assert len(catalogs) >= 5
    from storyloc.check import ERROR, check_file
    assert [f.format() for c in catalogs for f in check_file(c) if f.severity == ERROR] == []


def test_check_paths_as_json(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text(PO_HEADER + 'msgid "A word"\nmsgstr "Слово\\x07"\n', encoding="utf-8")
    result = run(tmp_path, "check", "--format", "json", str(bad))
    assert result.exit_code == 1
    assert json.loads(result.output) == [{"path": str(bad), "line": 14, "severity": "error",
                                          "message": "msgstr: control character U+0007 at offset 5"}]


def test_check_paths_refuses_an_empty_catalog_like_msgfmt(tmp_path):
    empty = tmp_path / "empty.po"
    empty.write_text("", encoding="utf-8")
    result = run(tmp_path, "check", str(empty))
    assert result.exit_code == 1 and f"{empty}: error: PO file header missing" in result.output


def test_names_do_not_run_across_a_sentence_boundary():
    """A correct reviewed byline of two sentences is not flagged (issue 10's false positive)."""
    source = "Text by Olena Kovalenko. Photographs by Oleksandr Babenko"
    names = ("Oleksandr Babenko", "Gwara Media")
    assert failures(source, "Текст Олени Коваленко. Фото Олександра Бабенка", "uk", "byline", TERMS, names) == []
    assert failures(source, "Texto de Olena Kovalenko. Fotografías de Oleksandr Babenko", "es", "byline", TERMS,
                    names) == []
    # a name that is really missing is still found, in inflected and uninflected languages alike
    assert [c for c, _ in failures(source, "Текст Олени Коваленко. Фото Олексія Петренка", "uk", "byline", TERMS,
                                   names)] == ["names"]
    assert ("names", "name 'Reuters' is not in the translation") in failures(
        "Photo: Jane Doe / Reuters", "Foto: Jane Doe", "es", "credit", TERMS, names)


def test_footnote_markers_and_table_cells_are_checked():
    from storyloc.po import Message
    note = Entry(Message(msgid="The vote[^1] was close.[^2]", msgstr=["Голосування[^1] було близьким."]), "uk",
                 "paragraph")
    assert [m for c, m in run_checks(note, ["footnotes"])] == ["footnote marker [^2] ×1 in the English, ×0 here"]
    cell = Entry(Message(msgid="Buses", msgstr=["Автобуси | 10"]), "uk", "cell")
    assert [c.id for c, _ in run_checks(cell, ["table-cell"])] == ["table-cell"]
