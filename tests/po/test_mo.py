"""storyloc.po.mo: the .mo files msgfmt writes, byte for byte."""
import subprocess
from pathlib import Path

import pytest

from storyloc.po import compile_mo, parse_po, read_po

AWKWARD = (Path(__file__).resolve().parent.parent / "data" / "po" / "awkward.po").read_text(encoding="utf-8")
"""Everything awkward a valid catalog may hold, in layouts Babel and polib rewrite."""
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
PLURAL_HEADER = HEADER.replace('\n\n', '\n"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\n')


def test_mo_matches_msgfmt_content(tmp_path):
    """Compare with msgunfmt: the same messages as GNU msgfmt compiles (fuzzy ones left out)."""
    text = AWKWARD.replace('msgid "duplicate"\nmsgstr "другий"\n\n', "")
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    ours = tmp_path / "ours.mo"
    ours.write_bytes(compile_mo(parse_po(text)))
    gnu = tmp_path / "gnu.mo"
    subprocess.run(["msgfmt", "-o", str(gnu), str(po)], check=True)
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout
             for mo in (ours, gnu)]
    assert unfmt[0] == unfmt[1]
    assert "new english" not in unfmt[0]


def test_mo_has_msgfmts_header_and_plural_rules(tmp_path):
    """msgfmt drops POT-Creation-Date from the header (reproducible builds), keeps a fuzzy header, and
    compiles a plural entry whose first form is translated even if another is empty."""
    text = ('#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"POT-Creation-Date: 2024-01-01 00:00+0000\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\n'
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] ""\n\n'
            'msgid "b"\nmsgid_plural "bs"\nmsgstr[0] ""\nmsgstr[1] "y"\n')
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    ours, gnu = tmp_path / "ours.mo", tmp_path / "gnu.mo"
    ours.write_bytes(compile_mo(read_po(po)))
    subprocess.run(["msgfmt", "-o", str(gnu), str(po)], check=True)
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout
             for mo in (ours, gnu)]
    assert unfmt[0] == unfmt[1] and "POT-Creation-Date" not in unfmt[0] and 'msgid "a"' in unfmt[0]


def test_mo_is_byte_identical_to_msgfmts_system_dependent_strings_included(tmp_path):
    """c-format strings with <inttypes.h> macros (and the I flag in a translation) in the
    system-dependent tables of a revision-1 file with msgfmt's hash table, as glibc needs them;
    other files as msgfmt --no-hash writes them."""
    text = (PLURAL_HEADER + '#, c-format\nmsgid "%s: offset = %<PRIu64>, size = %zu bytes."\n'
            'msgstr "%s: зсув = %<PRIu64>, розмір = %zu байтів."\n\n'
            '#, c-format\nmsgctxt "menu"\nmsgid "%d file at %<PRIx64>"\nmsgid_plural "%d files at %<PRIx64>"\n'
            'msgstr[0] "%Id файл"\nmsgstr[1] "%Id файли на %<PRIx64>"\n\n'
            'msgid "plain"\nmsgstr "просто"\n\n#, c-format\nmsgid "100%% of %d"\nmsgstr "100%% з %d"\n')
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    gnu = tmp_path / "gnu.mo"
    subprocess.run(["msgfmt", "-o", str(gnu), str(po)], check=True)
    assert compile_mo(read_po(po)) == gnu.read_bytes()
    for body in ("", 'msgid "a"\nmsgstr "b"\n'):                    # revision 0: no hash table needed
        po.write_text(HEADER + body, encoding="utf-8")
        subprocess.run(["msgfmt", "--no-hash", "-o", str(gnu), str(po)], check=True)
        assert compile_mo(read_po(po)) == gnu.read_bytes()


def test_hashes_of_many_keys_at_once_are_gnus_hash_string():
    import random

    from storyloc.po.mo import _hash, _hashes
    rng = random.Random(2)
    keys = [bytes(rng.choices(range(1, 256), k=rng.choice([0, 1, 3, 7, 8, 9, 40, 41, 300, rng.randint(0, 900)])))
            for _ in range(3000)]
    assert _hashes(keys) == [_hash(k) for k in keys]
    assert _hash(b"") == 0 and _hash(b"a") == 0x61 and _hash(b"ab") == 0x672   # (0x61 << 4) + 0x62


def test_a_catalog_with_a_message_twice_is_not_compiled_unvalidated():
    """msgfmt refuses it and glibc would find either translation: the compiler says so, not picks one."""
    catalog = parse_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "a"\nmsgstr "one"\n\nmsgid "a"\nmsgstr "two"\n'.encode(), "x.po")
    with pytest.raises(ValueError, match="two messages translate 'a': the catalog was not validated"):
        compile_mo(catalog)
