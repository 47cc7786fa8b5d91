"""`storyloc locales`: every stage in one process, skipping stories whose inputs did not change."""
import shutil

import pytest

from storyloc.build import build
from storyloc.project import Project
from storyloc.errors import ConfigError
from storyloc.extract import extract
from storyloc.pipeline import locales, stages, standard_stages
from storyloc.update import update

from conftest import STORY, run, snapshot

STAGES = stages()           # every stage but draft (which needs a drafting session): offline and quick


def test_the_stages_run_in_the_order_of_the_flow():
    assert [name for name, _ in STAGES] == ["extract", "update", "build"]


def _two_stories(project_dir):
    shutil.copytree(project_dir / "source" / STORY, project_dir / "source" / "second-story")
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'stories = ["{STORY}"]', f'stories = ["{STORY}", "second-story"]'))
    return Project.load(project_dir)


def test_second_run_skips_every_story_and_writes_nothing(project_dir):
    project = _two_stories(project_dir)
    first = locales(project, STAGES)
    assert [r.skipped for r in first] == [False, False]
    before = snapshot(project_dir)
    second = locales(project, STAGES)
    assert [r.skipped for r in second] == [True, True]
    assert snapshot(project_dir) == before


def test_an_edited_story_is_the_only_one_redone(project_dir):
    project = _two_stories(project_dir)
    locales(project, STAGES)
    before = snapshot(project_dir)
    article = project.article("second-story")
    article.write_text(article.read_text().replace("Lonely residents", "Lone residents"))
    runs = locales(project, STAGES)
    assert [r.skipped for r in runs] == [True, False]
    changed = {k for k, v in snapshot(project_dir).items() if before.get(k) != v}
    assert changed and all("second-story" in k or k.endswith("stamps.json") for k in changed), changed


def test_a_translators_edit_reaches_the_bundle(project_dir):
    project = Project.load(project_dir)
    locales(project, STAGES)
    po = project.catalog(STORY, "uk")
    po.write_text(po.read_text().replace("Життя під обстрілами", "Життя під вогнем"))
    [again] = locales(project, STAGES)
    assert not again.skipped
    assert "Життя під вогнем" in (project.bundle(STORY, "uk") / "index.html").read_text()


def test_incomplete_run_is_not_stamped(project):
    """A stage that could not finish (an engine offline) leaves the story to be tried again."""
    class Partial:
        complete = False

    stages = STAGES + [("draft", lambda p, s: Partial())]
    assert not locales(project, stages)[0].skipped
    assert not locales(project, stages)[0].skipped
    assert locales(project, STAGES)[0].skipped is False  # now complete: stamped
    assert locales(project, STAGES)[0].skipped is True


def test_cli_locales_reports_what_it_did(project_dir):
    first = run(project_dir, "locales")
    assert first.exit_code == 0 and "1 of 1 stories brought up to date" in first.output
    second = run(project_dir, "locales")
    assert "0 of 1 stories brought up to date, 1 unchanged" in second.output
    assert (project_dir / "build" / "index.html").exists()


def test_every_stage_refuses_a_story_that_is_not_configured(project):
    for stage in (extract, update, build):
        with pytest.raises(ConfigError, match=r"story '../x' is not configured"):
            stage(project, stories=("../x",))
    for name, stage in STAGES:          # as `storyloc locales` runs them: one story at a time
        with pytest.raises(ConfigError, match=r"story '../x' is not configured"):
            stage(project, "../x")


def test_a_glossary_or_a_photo_outside_images_redoes_the_story(project_dir):
    """Glossaries feed the checks in the manifest; a figure's image may sit anywhere in the story folder."""
    project = Project.load(project_dir)
    locales(project, STAGES)
    glossary = project.glossary("uk")
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text("en,uk,note\nBakhmut,Бахмут,\n", encoding="utf-8")
    assert not locales(project, STAGES)[0].skipped
    assert locales(project, STAGES)[0].skipped
    (project.article(STORY).parent / "cover.jpg").write_bytes(b"\xff\xd8")
    assert not locales(project, STAGES)[0].skipped


def _three_stories(project_dir):
    project = _two_stories(project_dir)
    shutil.copytree(project_dir / "source" / STORY, project_dir / "source" / "third-story")
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"second-story"]', '"second-story", "third-story"]'))
    return Project.load(project_dir)


def test_stories_in_parallel_processes_give_the_same_files(tmp_path, project_dir):
    """-j 2 runs the stories in two processes; every file is what one process writes."""
    serial_dir = tmp_path / "serial"
    shutil.copytree(project_dir, serial_dir)
    seen = []
    runs = locales(_three_stories(project_dir), standard_stages, jobs=2, on_story=lambda r: seen.append(r.story))
    assert [r.story for r in runs] == [STORY, "second-story", "third-story"] and not any(r.skipped for r in runs)
    assert sorted(seen) == sorted(r.story for r in runs)            # progress heard of each, as it ended
    assert all(r.stages["draft"].results and r.stages["build"] for r in runs)
    locales(_three_stories(serial_dir), standard_stages, jobs=1)
    def files(root):              # the stamps hold digests of absolute paths: different folders
        return {k: v for k, v in snapshot(root).items() if not k.endswith("stamps.json")}
    assert files(project_dir) == files(serial_dir)
    assert all(r.skipped for r in locales(Project.load(project_dir), standard_stages, jobs=2))


def test_a_failing_story_in_a_worker_is_one_line_and_the_others_are_kept(project_dir):
    project = _three_stories(project_dir)
    article = project.article("second-story")
    article.write_text("---\ntitle: [unclosed\n---\n\nText.\n")
    result = run(project_dir, "locales", "-j", "2")
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1].startswith("Error: source/second-story/article.md:")
    assert "Traceback" not in result.output


def test_each_catalog_is_read_once_and_the_bundles_are_what_reading_gives(project_dir, monkeypatch):
    """update reads a catalog and saves it; draft and build take what the stage before saved
    (po.handover) instead of reading the file again, and build the same bundles as reading would."""
    import storyloc.po.read as read_module
    from storyloc.po import handover
    project = Project.load(project_dir)
    (project_dir / "locales" / "es" / "LC_MESSAGES" / f"{STORY}.po").unlink()   # Apertium drafts it
    reads = []
    real_read_po = read_module.read_po

    def counted(path, *args):
        reads.append(path.name)
        return real_read_po(path, *args)

    monkeypatch.setattr(read_module, "read_po", counted)
    with standard_stages(project) as every_stage:
        assert [name for name, _ in every_stage] == ["extract", "update", "draft", "build"]
        locales(project, every_stage)
    assert reads.count(f"{STORY}.po") == len(project.languages) - 1      # update's reads; es was made anew
    handed_over = snapshot(project_dir / "build")
    monkeypatch.setattr(handover, "take", lambda path: None)
    reads.clear()
    with standard_stages(project) as every_stage:
        locales(project, every_stage, force=True)
    assert reads.count(f"{STORY}.po") == 3 * len(project.languages)     # update, draft and build each read
    assert snapshot(project_dir / "build") == handed_over


def test_cli_locales_force_says_when_a_redone_story_changed_no_file(project_dir):
    """``--force`` redoes every story; one whose files already held what it wrote is not "updated"."""
    assert run(project_dir, "locales").exit_code == 0
    forced = run(project_dir, "locales", "--force")
    assert forced.exit_code == 0
    assert forced.output.splitlines()[-1] == (
        "0 of 1 stories brought up to date, 1 unchanged (1 of them redone, no file changed)")
    assert f"[1/1] {STORY}: redone, no file changed" in forced.stderr
    article = project_dir / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    again = run(project_dir, "locales", "--force")
    assert again.output.splitlines()[-1] == "1 of 1 stories brought up to date, 0 unchanged"
    assert f"[1/1] {STORY}: updated" in again.stderr


def test_cli_locales_counts_a_story_whose_build_alone_changed_files(project_dir):
    """A photo added changes no template nor catalog, only the bundles: the story was brought up to date."""
    assert run(project_dir, "locales").exit_code == 0
    images = project_dir / "source" / STORY / "images"
    images.mkdir(exist_ok=True)
    (images / "city-center.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    again = run(project_dir, "locales")
    assert again.output.splitlines()[-1] == "1 of 1 stories brought up to date, 0 unchanged"
    assert f"[1/1] {STORY}: updated" in again.stderr


def test_cli_locales_on_a_terminal_shows_a_bar_with_the_story_just_ended(project_dir):
    """On a terminal (here a pseudo-terminal) progress is a bar, and it names the story that
    ended last and what became of it."""
    import os
    import pty
    import subprocess
    import sys
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "storyloc", "--project", str(project_dir), "locales"],
                          stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, text=True,
                          env={**os.environ, "COLUMNS": "200"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:                 # the terminal's other end is closed: all read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0, shown
    assert b"stories" in shown and f"{STORY}: updated".encode() in shown
    assert f"[1/1] {STORY}".encode() not in shown           # the plain lines are for logs
