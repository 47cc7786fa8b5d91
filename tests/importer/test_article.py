"""One file imported: golden files, atomic writes, the library call and the CLI."""
from __future__ import annotations

import re

import pytest

from conftest import REPO, run
from importtext import BASE, DATA, readme_example
from storyloc.errors import SourceError
from storyloc.importer import convert, import_article


@pytest.mark.parametrize("source, is_html", [("wordpress-export.html", True), ("hugo-post.md", False)])
def test_golden_files(source, is_html):
    """A WordPress export and a Hugo post with every construct, compared whole with what they must become."""
    result = convert((DATA / source).read_bytes(), source, html=is_html, base_url=BASE, source_language="en")
    expected = (DATA / (source.rsplit(".", 1)[0] + ".article.md")).read_text(encoding="utf-8")
    assert result.text == expected


def test_import_writes_atomically_and_never_overwrites_without_force(tmp_path, project_dir):
    source = DATA / "hugo-post.md"
    result = run(project_dir, "import", str(source), "--story", "rivers", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    target = project_dir / "source" / "rivers" / "article.md"
    assert target.read_text(encoding="utf-8") == (DATA / "hugo-post.article.md").read_text(encoding="utf-8")
    assert result.output.splitlines()[-2] == ("source/rivers/article.md: written from markdown "
                                              "('Rivers of the north', 3 figures, 4 warnings)")
    assert result.output.splitlines()[-1] == ("warning: add 'rivers' to `stories` in [tool.storyloc] "
                                              "to extract and build it")
    assert sorted(p.name for p in target.parent.iterdir()) == ["article.md"]  # no temporary file left

    target.write_text("edited by a person\n", encoding="utf-8")
    again = run(project_dir, "import", str(source), "--story", "rivers")
    assert again.exit_code == 1
    assert again.output == "Error: source/rivers/article.md: already exists; pass --force to replace it " \
                           "with the import\n"
    assert target.read_text(encoding="utf-8") == "edited by a person\n"

    forced = run(project_dir, "import", str(source), "--story", "rivers", "--force", "--base-url", BASE)
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") == (DATA / "hugo-post.article.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", ["Bad_Name", "../escape", "-x"])
def test_a_story_name_must_be_a_story_name(project_dir, slug):
    result = run(project_dir, "import", str(DATA / "hugo-post.md"), "--story", slug)
    assert result.exit_code == 1
    assert result.output == f"Error: not a story name: {slug!r} (lowercase letters, digits and '-')\n"


def test_import_article_library_call(project, tmp_path):
    """The library call the command makes: what it wrote, from what, with what warnings."""
    result = import_article(DATA / "wordpress-export.html", "bridge", project, base_url=BASE)
    assert result.path == project.article("bridge") and result.kind == "html"
    assert result.figures == 2 and result.title == "Council votes to close the bridge"
    assert all(re.match(r"^\S+:\d+: ", w) for w in result.warnings)
    with pytest.raises(SourceError):
        import_article(DATA / "wordpress-export.html", "bridge", project)


def test_the_same_file_imports_to_the_same_bytes():
    data = (DATA / "wordpress-export.html").read_bytes()
    first = convert(data, "wp.html", html=True, base_url=BASE)
    assert convert(data, "wp.html", html=True, base_url=BASE) == first


def test_the_readme_example_is_what_the_command_prints(tmp_path, monkeypatch):
    """The console block in README.md's import section, run for real."""
    (tmp_path / "newsroom").mkdir()
    monkeypatch.chdir(tmp_path / "newsroom")
    printed, shown, code = readme_example(tmp_path, r"import \S+\.html .*",
                                          REPO / "tests" / "data" / "articles" / "18f-foia-tumblr-export.html")
    assert code == 0 and printed == shown

@pytest.mark.parametrize("folder, lang", [("content/uk", "uk"), ("content/posts/2021", None)])
def test_a_hugo_language_folder_names_the_storys_language(project, tmp_path, folder, lang):
    """A multilingual Hugo site keeps each language's posts under content/<lang>/: a Ukrainian post there
    is a Ukrainian-origin story, not English (a CNCF glossary page in Urdu was taken for English)."""
    source = tmp_path / folder / "devops.md"
    source.parent.mkdir(parents=True)
    source.write_text("---\ntitle: Девопс\n---\n\nТекст.\n", encoding="utf-8")
    import_article(source, "devops", project)
    front = project.article("devops").read_text(encoding="utf-8").split("---\n")[1]
    assert (f"lang: {lang}\n" in front) if lang else ("lang:" not in front)
