"""The git merge driver: real `git merge` of real branches in a temporary repository."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from storyloc.po import provenance
from storyloc.po import parse_po, read_po, save_po

from conftest import PROJECT, STORY, msgfmt_check, run

PO = f"locales/es/LC_MESSAGES/{STORY}.po"


def git(root, *args, check=True):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org",
           "GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=check)


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "newsroom"
    root.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", root)
    for name in ("source", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    git(root, "init", "-q", "-b", "main")
    result = run(root, "init-git")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ".gitattributes: *.po merge=storyloc"
    assert run(root, "init-git").output == "already set up: *.po files merge with storyloc merge-driver\n"
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def translate(root, fragment, text, who, when, review=True):
    """A translator's work on one branch: one entry, and the header a PO editor sets."""
    path = root / PO
    catalog = read_po(path)
    m = next(m for m in catalog.entries() if fragment in m.msgid)
    m.msgstr = [text]
    m.fuzzy = not review
    if review:
        provenance.replace(m, [provenance.Record("reviewed", {"by": who, "role": "translator",
                                                              "date": when[:10]})], ("reviewed",))
    catalog.set_header_field("PO-Revision-Date", when)
    catalog.set_header_field("Last-Translator", who)
    save_po(catalog, path)


def entry(root, fragment):
    return next(m for m in read_po(root / PO).entries() if fragment in m.msgid)


def test_two_branches_reviewing_different_entries_merge_cleanly(repo):
    git(repo, "checkout", "-q", "-b", "ana")
    translate(repo, "Life under fire", "La vida bajo el fuego en Bajmut", "Ana", "2026-11-26 09:00+0000")
    git(repo, "commit", "-q", "-am", "Ana reviews the title")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "luis")
    translate(repo, "Photographs by", "Fotos de Oleksandr Babenko", "Luis", "2026-11-27 10:30+0000")
    git(repo, "commit", "-q", "-am", "Luis reviews the byline")
    # git's own line merge of the same three files conflicts in the header
    for rev, name in (("main", "base"), ("luis", "ours"), ("ana", "theirs")):
        (repo.parent / f"{name}.po").write_text(git(repo, "show", f"{rev}:{PO}").stdout, encoding="utf-8")
    plain = git(repo, "merge-file", "-p", *(str(repo.parent / f"{n}.po") for n in ("ours", "base", "theirs")),
                check=False)
    assert plain.returncode > 0 and "<<<<<<<" in plain.stdout

    merged = git(repo, "merge", "--no-edit", "ana", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / PO).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    assert entry(repo, "Life under fire").msgstr == ["La vida bajo el fuego en Bajmut"]
    assert entry(repo, "Life under fire").status == "reviewed"
    assert entry(repo, "Photographs by").msgstr == ["Fotos de Oleksandr Babenko"]
    fields = parse_po(text).header_fields()
    assert fields["PO-Revision-Date"] == "2026-11-27 10:30+0000" and fields["Last-Translator"] == "Luis"
    assert msgfmt_check(repo / PO).returncode == 0, msgfmt_check(repo / PO).stderr
    assert git(repo, "status", "--porcelain").stdout == ""
    # the other way round, the newest date still wins
    git(repo, "checkout", "-q", "ana")
    assert git(repo, "merge", "--no-edit", "luis", check=False).returncode == 0
    assert parse_po((repo / PO).read_text(encoding="utf-8")).header_fields()["Last-Translator"] == "Luis"


def test_one_entry_changed_differently_on_both_branches_becomes_fuzzy_with_the_other_text(repo):
    git(repo, "checkout", "-q", "-b", "ana")
    translate(repo, "Life under fire", "La vida bajo el fuego", "Ana", "2026-11-26 09:00+0000")
    git(repo, "commit", "-q", "-am", "Ana")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "luis")
    translate(repo, "Life under fire", "Vivir bajo las bombas", "Luis", "2026-11-25 08:00+0000")
    translate(repo, "Photographs by", "Fotos de O. Babenko", "Luis", "2026-11-25 08:00+0000")
    git(repo, "commit", "-q", "-am", "Luis")
    merged = git(repo, "merge", "--no-edit", "ana", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "1 entries changed on both branches are fuzzy now" in merged.stderr + merged.stdout
    title = entry(repo, "Life under fire")
    assert title.msgstr == ["Vivir bajo las bombas"] and title.fuzzy
    assert "storyloc: note merge: the other branch has (reviewed): La vida bajo el fuego" in title.translator_comments
    assert provenance.latest(title, "reviewed") is None          # nobody has reviewed what is there now
    assert entry(repo, "Photographs by").msgstr == ["Fotos de O. Babenko"]
    assert "<<<<<<<" not in (repo / PO).read_text(encoding="utf-8")
    fields = read_po(repo / PO).header_fields()
    assert fields["PO-Revision-Date"] == "2026-11-26 09:00+0000" and fields["Last-Translator"] == "Ana"
    assert msgfmt_check(repo / PO).returncode == 0, msgfmt_check(repo / PO).stderr


def test_entries_added_and_removed_on_one_side_follow_that_side(tmp_path):
    from storyloc.po.mergedriver import merge_files
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"PO-Revision-Date: {}\\n"\n\n'
    base = head.format("2026-01-01 00:00+0000") + 'msgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n'
    ours = head.format("2026-01-02 00:00+0000") + 'msgid "a"\nmsgstr "A2"\n\nmsgid "b"\nmsgstr "B"\n'
    theirs = (head.format("2026-01-03 00:00+0000") + 'msgid "a"\nmsgstr "A"\n\nmsgid "c"\nmsgstr "C"\n\n'
              '#~ msgid "b"\n#~ msgstr "B"\n')
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / f"{name}.po").write_text(text, encoding="utf-8")
        paths.append(tmp_path / f"{name}.po")
    result = merge_files(*paths)
    merged = parse_po((tmp_path / "ours.po").read_text(encoding="utf-8"))
    assert [(m.msgid, m.msgstr, m.obsolete) for m in merged.messages[1:]] == [
        ("a", ["A2"], False), ("c", ["C"], False), ("b", ["B"], True)]
    assert result.conflicts == [] and merged.header_fields()["PO-Revision-Date"] == "2026-01-03 00:00+0000"
    assert msgfmt_check(tmp_path / "ours.po").returncode == 0


def test_an_unreadable_side_is_one_line_and_leaves_ours(tmp_path):
    for name in ("base", "ours"):
        (tmp_path / f"{name}.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (tmp_path / "theirs.po").write_text("<<<<<<< HEAD\n", encoding="utf-8")
    result = run(tmp_path, "merge-driver", str(tmp_path / "base.po"), str(tmp_path / "ours.po"),
                 str(tmp_path / "theirs.po"), "x.po")
    assert result.exit_code == 1 and result.stderr.startswith("Error: x.po (other branch):1: ")
    assert len(result.stderr.splitlines()) == 1
    assert (tmp_path / "ours.po").read_text(encoding="utf-8") == 'msgid ""\nmsgstr ""\n'


def test_the_one_comment_writer_keeps_every_comment_on_one_line(tmp_path):
    from storyloc.po import Message, write_translator_comments
    m = Message("a", ["b"], translator_comments=["kept", "storyloc: reviewed by=X date=2026-11-26"])
    write_translator_comments(m, ["merge: other\ntext\x85with\u2028breaks", "kept"],
                              keep=lambda c: not c.startswith("storyloc: reviewed"))
    assert m.translator_comments == ["kept", "merge: other text with breaks"]
    path = tmp_path / "x.po"
    from storyloc.po import Catalog, save_po
    save_po(Catalog([Message("", ["Content-Type: text/plain; charset=UTF-8\n"]), m]), path)
    assert msgfmt_check(path).returncode == 0 and "# merge: other text with breaks\n" in path.read_text()
