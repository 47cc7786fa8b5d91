"""storyloc.po.write: unchanged entries as read, changed ones as msgcat writes them."""
import subprocess
from pathlib import Path

from storyloc.po import Message, encode_po, format_po, parse_po, save_po

from conftest import msgfmt_check

AWKWARD = (Path(__file__).resolve().parent.parent / "data" / "po" / "awkward.po").read_text(encoding="utf-8")
"""Everything awkward a valid catalog may hold, in layouts Babel and polib rewrite."""
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_changing_one_entry_rewrites_only_that_entry_in_gnu_layout():
    catalog = parse_po(AWKWARD)
    catalog.find("short").msgstr = ["змінено"]
    out = format_po(catalog)
    before, after = AWKWARD.splitlines(), out.splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [('msgstr "коротко"', 'msgstr "змінено"')]
    # the hand-wrapped entry elsewhere is still exactly as it was
    assert '"by hand, not the GNU way"' in out


def test_real_msgfmt_accepts_what_we_write(tmp_path):
    path = tmp_path / "x.po"
    text = AWKWARD.replace('msgid "duplicate"\nmsgstr "другий"\n\n', "")  # msgfmt rejects duplicates
    catalog = parse_po(text)
    catalog.find("short").msgstr = ["інакше"]
    save_po(catalog, path)
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def test_new_message_is_written_like_msgcat_writes_it(tmp_path):
    catalog = parse_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    catalog.messages.append(Message(
        "As Russia’s full-scale invasion of Ukraine approaches its one-year anniversary, civilians continue "
        "to fight for their lives", ["Наближається перша річниця"], translator_comments=["a note"],
        references=["source/story/article.md:25"], flags=["fuzzy"], previous_msgid="As Russia’s invasion"))
    path = tmp_path / "new.po"
    save_po(catalog, path)
    gnu = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
    assert gnu == path.read_text(encoding="utf-8")


def test_stages_write_a_catalog_in_its_own_charset(tmp_path):
    """encode_po is how every stage turns a catalog into bytes: the header's charset, not always UTF-8."""
    catalog = parse_po(HEADER.replace("UTF-8", "ISO-8859-1") + 'msgid "cafe"\nmsgstr "café"\n')
    assert encode_po(catalog).endswith('msgstr "café"\n'.encode("latin-1"))
    assert encode_po(parse_po(HEADER + 'msgid "cafe"\nmsgstr "café"\n')).endswith('"café"\n'.encode("utf-8"))


def test_a_comment_with_a_line_break_is_written_as_gnu_writes_it_and_reads_back(tmp_path):
    """Every comment marker goes through the one comment writer: a translator or extracted comment
    holding a line break becomes one comment line per line of it, which storyloc's own reader and
    msgfmt --check take, which read back as the same lines, and which msgcat writes the same."""
    catalog = parse_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    catalog.messages.append(Message("a", ["б"], translator_comments=["first line\nsecond line", "\nafter a blank"],
                                    extracted_comments=["note\ncontinued"], references=["a.md:1"]))
    path = tmp_path / "x.po"
    save_po(catalog, path)
    written = path.read_text(encoding="utf-8")
    assert "# first line\n# second line\n#\n# after a blank\n#. note\n#. continued\n#: a.md:1\n" in written
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    again = parse_po(path.read_bytes(), "x.po").find("a")
    assert again.translator_comments == ["first line", "second line", "", "after a blank"]
    assert again.extracted_comments == ["note", "continued"] and again.msgstr == ["б"]
    assert "\n".join(again.translator_comments) == "\n".join(catalog.find("a").translator_comments)
    assert format_po(parse_po(written)) == written
    gnu = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
    assert gnu == written                       # and msgcat writes the same lines
