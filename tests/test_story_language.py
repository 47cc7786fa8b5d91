"""A story's source language is its own: a German-origin story lives beside the English ones."""
import json
import shutil

from storyloc.build import build
from storyloc.po import read_po, save_po
from storyloc.project import Project
from storyloc.errors import SourceError
from storyloc.extract import extract
from storyloc.update import update

from conftest import REPO, STORY, built_story, msgfmt_check, run

import pytest

GERMAN = "german"


def _with_german(project_dir):
    shutil.copytree(REPO / "tests" / "data" / "german", project_dir / "source" / GERMAN)
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'stories = ["{STORY}"]', f'stories = ["{STORY}", "{GERMAN}"]'))
    return Project.load(project_dir)


def test_project_knows_each_storys_language_and_targets(project_dir):
    project = _with_german(project_dir)
    assert project.story_language(STORY) == "en" and project.story_language(GERMAN) == "de"
    assert project.story_targets(GERMAN) == ("en", "uk", "es", "pl", "fr", "ar")
    assert project.story_targets(STORY) == project.languages
    assert project.story_targets(GERMAN, ("uk", "de")) == ("uk",)


def test_a_german_story_is_extracted_updated_and_built_with_english_a_target(project_dir):
    project = _with_german(project_dir)
    extract(project)
    results = update(project, stories=(GERMAN,))
    assert sorted(r.lang for r in results) == ["ar", "en", "es", "fr", "pl", "uk"]
    assert not project.catalog(GERMAN, "de").exists()
    en = project.catalog(GERMAN, "en")
    assert msgfmt_check(en).returncode == 0
    catalog = read_po(en)
    catalog.find("Leben unter Beschuss", "title").msgstr = ["Life under fire"]
    save_po(catalog, en)
    [result] = build(project, (GERMAN,))
    assert [r.lang for r in result.languages] == ["de", "en", "uk", "es", "pl", "fr", "ar"]
    manifest = json.loads(project.manifest(GERMAN).read_text())
    assert manifest["source_language"] == "de"
    page = (project.bundle(GERMAN, "en") / "index.html").read_text(encoding="utf-8")
    assert "<h1>Life under fire</h1>" in page and "Translated from German" in page
    # what is not translated yet falls back to the German, marked as German
    assert 'class="fallback"><span class="fallback-label">' in page and '<span lang="de" dir="ltr">' in page
    assert '<span class="fallback-label">Original language: German</span>' in page and "In English" not in page
    uk_page = (project.bundle(GERMAN, "uk") / "index.html").read_text(encoding="utf-8")
    assert '<span class="fallback-label">Мова оригіналу: німецька</span>' in uk_page
    source_page = (project.bundle(GERMAN, "de") / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in source_page and "<h2>Was sich geändert hat</h2>" in source_page


def test_the_cli_runs_every_stage_on_both_stories(project_dir):
    _with_german(project_dir)
    result = run(project_dir, "locales")
    assert result.exit_code == 0, result.output
    assert "2 of 2 stories brought up to date" in result.output
    assert (project_dir / "build" / GERMAN / "en" / "article.md").exists()


def test_a_story_in_a_language_the_project_does_not_have_is_an_error(project_dir):
    project = _with_german(project_dir)
    article = project.article(GERMAN)
    article.write_text(article.read_text().replace("lang: de", "lang: it"))
    for stage in (extract, build):          # the build says so too, not that a catalog is missing
        with pytest.raises(SourceError) as caught:
            stage(project, (GERMAN,))
        assert caught.value.line == 5 and "'it', which is not a language of the project" in caught.value.message


def test_the_glossary_of_the_projects_language_pair_does_not_draft_a_german_story(project_dir):
    from storyloc.draft import draft
    project = _with_german(project_dir)
    glossary = project.glossary("es")
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text("en,es,note\nLeben unter Beschuss,Vida bajo fuego,\n", encoding="utf-8")
    extract(project)
    update(project, stories=(GERMAN,))
    [result] = [r for r in draft(project, langs=("es",), engines=("glossary",)) if r.story == GERMAN]
    assert result.drafted == 0
    assert read_po(project.catalog(GERMAN, "es")).find("Leben unter Beschuss", "title").msgstr == [""]


def test_english_can_be_named_on_the_command_line_for_a_german_story(project_dir):
    _with_german(project_dir)
    for command in (["extract"], ["update", "--lang", "en"], ["draft", "--lang", "en"], ["status", "--lang", "en"]):
        result = run(project_dir, *command)
        assert result.exit_code == 0, (command, result.output)
    assert Project.load(project_dir).catalog(GERMAN, "en").exists()
    # the English story has no English catalog: naming en touches only the German story's
    assert not Project.load(project_dir).catalog(STORY, "en").exists()
    result = run(project_dir, "update", "--lang", "it")
    assert result.exit_code != 0 and "not configured" in result.output


def test_an_arabic_storys_untranslated_passages_stay_right_to_left_on_a_left_to_right_page(project_dir):
    """The fallback's ``dir`` is the story language's, not always ``ltr`` (a real Arabic article)."""
    project = built_story(project_dir, "arabic", "---\ntitle: الحفاظ على التوازن\nlang: ar\nfigures:\n"
                                                 "  one: {image: https://example.org/a.jpg}\n---\n\n"
                                                 "إذًا، ما هي البيئة الشخصية؟\n\n::: figure one\ncaption: صورة\n"
                                                 "credit: مصور\n:::\n")
    page = (project.bundle("arabic", "uk") / "index.html").read_text(encoding="utf-8")
    assert '<html lang="uk" dir="ltr">' in page
    assert 'lang="ar" dir="rtl"' in page and 'lang="ar" dir="ltr"' not in page
    assert '<bdi lang="ar" dir="rtl">مصور</bdi>' in page
