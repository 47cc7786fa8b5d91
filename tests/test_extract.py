import shutil
import subprocess
import sys

from storyloc.po import read_po
from storyloc.extract import extract

from conftest import PROJECT, STORY, msgfmt_check


def test_template_has_one_message_per_block_and_shared_credits(project):
    [result] = extract(project)
    template = read_po(result.path)
    entries = template.entries()
    assert len(entries) == 20  # title, dek, byline, 9 paragraphs, 7 captions, 1 shared credit
    credit = template.find("Oleksandr Babenko for Gwara Media", "credit")
    assert len(credit.references) == 7
    assert all(ref.startswith(f"source/{STORY}/article.md:") for ref in credit.references)
    caption = template.find("The Ukrainian military continue defending Bakhmut in Donetsk Oblast",
                            "figure:military-defending")
    assert caption.extracted_comments[0].startswith("Caption of photo “military-defending”")
    assert any("Keep “Gwara Media” as is." in c for m in entries for c in m.extracted_comments)
    assert [m.msgctxt for m in entries[:3]] == ["title", "dek", "byline"]


def test_template_passes_msgfmt_check(project):
    [result] = extract(project)
    check = msgfmt_check(result.path)
    assert check.returncode == 0
    # the only remarks allowed are the template's conventional placeholders in the header
    assert all("initial default value" in line for line in check.stderr.splitlines()), check.stderr


def test_template_is_not_rewritten_when_only_its_date_would_change(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [first] = extract(project)
    before = first.path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    [second] = extract(project)
    assert not second.written
    assert first.path.read_bytes() == before
    article = project.article(STORY)
    article.write_text(article.read_text().replace("Lonely residents", "Lone residents"))
    [third] = extract(project)
    assert third.written
    assert "POT-Creation-Date: 2027-01-15" in third.path.read_text()


def test_links_and_emphasis_survive_and_targets_are_not_translatable(project):
    article = project.article(STORY)
    article.write_text(article.read_text().replace(
        "the village of Dvorichna", "the village of [*Dvorichna*](https://gwaramedia.com/en/dvorichna/)"))
    [result] = extract(project)
    message = next(m for m in read_po(result.path).entries() if "Dvorichna" in m.msgid)
    assert "[*Dvorichna*][1]" in message.msgid
    assert "gwaramedia.com" not in message.msgid
    assert any("https://gwaramedia.com/en/dvorichna/" in c for c in message.extracted_comments)


def test_pybabel_extract_uses_the_registered_method(project_dir, tmp_path):
    shutil.copy(PROJECT / "babel.cfg", project_dir / "babel.cfg")
    out = tmp_path / "babel.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-o", str(out), "source"], cwd=project_dir, check=True, capture_output=True)
    template = read_po(out)
    assert template.find("Life under fire in Bakhmut", "title") is not None
    assert len(template.find("Oleksandr Babenko for Gwara Media", "credit").references) == 7
    assert len(template.entries()) == 20


def test_every_reviewed_ukrainian_text_is_still_reviewed_after_locales(project_dir):
    """The shipped, reviewed Ukrainian catalog carries over to the document model with nothing lost."""
    from conftest import run
    po = project_dir / "locales" / "uk" / "LC_MESSAGES" / f"{STORY}.po"
    before = {(m.msgctxt, m.msgid): m.msgstr[0] for m in read_po(po).entries() if m.status == "reviewed"}
    assert len(before) == 20
    result = run(project_dir, "locales")
    assert result.exit_code == 0, result.output
    after = {(m.msgctxt, m.msgid): m for m in read_po(po).entries()}
    for key, text in before.items():
        assert after[key].status == "reviewed" and after[key].msgstr[0] == text, key
    assert msgfmt_check(po).returncode == 0


def test_new_kinds_get_notes_saying_what_and_where(project_dir):
    from storyloc.project import Project
    article = project_dir / "source" / STORY / "article.md"
    text = article.read_text()
    article.write_text(text.replace(
        "Gwara Media do not stop", "## Aftermath\n\n- A list item with a [link](https://x.example/)[^a]\n\n"
        "| Town | People |\n|---|---|\n| Soledar | 10 |\n\n[^a]: A footnote.\n\nGwara Media do not stop"))
    [result] = extract(Project.load(project_dir))
    notes = {m.msgid: m.extracted_comments for m in read_po(result.path).entries()}
    assert notes["Aftermath"] == ["Heading, level 2."]
    assert notes["A list item with a [link][1][^a]"] == [
        "List item (list 1, item 1).",
        "Link [1] goes to https://x.example/: keep the [text][1] marker; the address is not translated.",
        "Keep the footnote marker [^a] where the note belongs."]
    assert notes["Soledar"] == ["Table 1, row 1, column 1."]
    assert notes["A footnote."] == ["Footnote [^a]."]
    assert msgfmt_check(result.path).returncode == 0
