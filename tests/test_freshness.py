"""One freshness rule: build records its inputs, publish and `storyloc locales` compare them."""
import os
import shutil

from storyloc import freshness
from storyloc.build import build
from storyloc.project import Project

from conftest import STORY, run


def test_a_build_is_fresh_until_an_input_changes_and_the_input_is_named(project_dir):
    project = Project.load(project_dir)
    assert freshness.changed_since_build(project, STORY) == f"build/{STORY}/.storyloc-inputs.json"
    build(project)
    assert freshness.changed_since_build(project, STORY) is None
    photo = project.article(STORY).parent / "images" / "new.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8")
    assert freshness.changed_since_build(project, STORY) == f"source/{STORY}/images/new.jpg"
    build(project)
    assert freshness.changed_since_build(project, STORY) is None


def test_a_copied_or_touched_project_is_still_fresh(project_dir, tmp_path):
    """Contents count, not mtimes or where the project lives: a checkout of a built project is fresh."""
    build(Project.load(project_dir))
    for path in project_dir.rglob("*"):
        if path.is_file():
            os.utime(path, (0, 0))
    moved = tmp_path / "elsewhere"
    shutil.copytree(project_dir, moved)
    assert freshness.changed_since_build(Project.load(moved), STORY) is None
    assert run(moved, "publish").exit_code == 0


def test_settings_count_but_the_list_of_stories_does_not(project_dir):
    project = Project.load(project_dir)
    before = freshness.inputs(project, STORY)
    pyproject = project_dir / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    shutil.copytree(project.article(STORY).parent, project_dir / "source" / "second-story")
    pyproject.write_text(text.replace(f'stories = ["{STORY}"]', f'stories = ["{STORY}", "second-story"]'))
    assert freshness.inputs(Project.load(project_dir), STORY) == before
    pyproject.write_text(text + '\n[tool.storyloc.publish]\nrequire = "approved"\n', encoding="utf-8")
    assert freshness.inputs(Project.load(project_dir), STORY)[freshness.SHARED] != before[freshness.SHARED]


def test_a_glossary_is_an_input_of_every_story_and_is_named(project_dir):
    project = Project.load(project_dir)
    build(project)
    glossary = project.glossary("uk")
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text("en,uk,note\nBakhmut,Бахмут,\n", encoding="utf-8")
    assert freshness.changed_since_build(project, STORY) == "glossary/uk.csv"
    result = run(project_dir, "publish")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: glossary/uk.csv: changed since build/{STORY} was built; "
                             f"run `storyloc build` first\n")
