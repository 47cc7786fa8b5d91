"""The CLI as a user meets it: one-line errors, nothing half-written, a second run that does nothing."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import STORY, run, snapshot


def _locales(root):
    for command in ("extract", "update", "build"):
        result = run(root, command)
        assert result.exit_code == 0, result.output
    return result


def test_whole_flow_then_a_second_run_changes_nothing(project_dir):
    _locales(project_dir)
    first = snapshot(project_dir)
    mtimes = {p: p.stat().st_mtime_ns for p in project_dir.rglob("*") if p.is_file()}
    out = [run(project_dir, c).output for c in ("extract", "update", "build")]
    assert snapshot(project_dir) == first
    assert {p: p.stat().st_mtime_ns for p in project_dir.rglob("*") if p.is_file()} == mtimes
    assert "unchanged" in out[0] and "written" not in out[1] and "files written" not in out[2]


def test_status_table_and_json(project_dir):
    _locales(project_dir)
    text = run(project_dir, "status").output
    assert re.search(r"bakhmut-under-fire\s+uk\s+20\s+0\s+0\s+438/0/0\s+100.0%\s+0\s+\d+\s+published", text)
    rows = json.loads(run(project_dir, "status", "--format", "json").output)
    assert {r["lang"]: r["state"] for r in rows}["es"] == "draft"


def _error(result, pattern):
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(pattern, lines[0]), lines[0]
    assert "Traceback" not in result.output


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ARTICLE = f"source/{STORY}/article.md"
UK_PO = f"locales/uk/LC_MESSAGES/{STORY}.po"


BAD_INPUTS = [
    # (file to break, text, replacement, command, expected one-line error)
    (ARTICLE, "---\n# Photo essay", "# Photo essay", "extract",
     rf"Error: {ARTICLE}:1: story must start with '---' front matter"),
    (ARTICLE, "military-defending.jpg}\n---\n", "military-defending.jpg}\n", "extract",
     rf"Error: {ARTICLE}:1: front matter opened here is never closed with '---'"),
    (ARTICLE, "  city-center: {image: images/city-center.jpg}\n", "", "extract",
     rf"Error: {ARTICLE}:37: figure 'city-center' has no image: add .*"),
    (UK_PO, 'msgctxt "dek"\n', 'msgctxt "dek\n', "update",
     rf"Error: {UK_PO}:\d+: end-of-line within string: the closing '\"' is missing"),
    (UK_PO, '#. Headline of the story.', 'msgctxt "title"\nmsgid "Life under fire in Bakhmut"\nmsgstr "x"\n\n'
     '#. Headline of the story.', "update", rf"Error: {UK_PO}:\d+: duplicate message definition, first defined at line \d+ .*"),
    (UK_PO, "nplurals=3;", "nplurals=x;", "build", rf"Error: {UK_PO}:\d+: invalid nplurals value in the header"),
    ("pyproject.toml", '"uk", "es"', '"uk", "xx", "es"', "update",
     r"Error: pyproject.toml:\d+: unknown language: 'xx'"),
    ("pyproject.toml", '"uk", "es"', '"uk", "../x", "es"', "update",
     r"Error: pyproject.toml:\d+: not a locale code: '../x' .*"),
    ("pyproject.toml", "publish_threshold = 100", "publish_treshold = 100", "build",
     r"Error: pyproject.toml:\d+: unknown setting 'publish_treshold' in \[tool.storyloc\] .*"),
    ("pyproject.toml", "publish_threshold = 100", "publish_threshold = 150", "build",
     r"Error: pyproject.toml:\d+: publish_threshold must be a percentage from 0 to 100, got 150"),
    ("pyproject.toml", f'stories = ["{STORY}"]', f'stories = ["{STORY}", "{STORY}"]', "build",
     r"Error: pyproject.toml:\d+: a story is listed twice"),
    (ARTICLE, "publisher: Gwara Media", "publisher: [Gwara, Media]", "extract",
     rf"Error: {ARTICLE}:\d+: publisher must be text"),
]


@pytest.mark.parametrize("path, old, new, command, pattern", BAD_INPUTS,
                         ids=["no-front-matter", "unclosed-front-matter", "figure-without-image",
                              "po-syntax", "po-duplicate", "po-plural-forms", "unknown-language", "path-escape",
                              "config-typo", "bad-threshold", "story-twice", "publisher-not-text"])
def test_bad_input_is_one_line_and_writes_nothing(project_dir, monkeypatch, path, old, new, command, pattern):
    monkeypatch.chdir(project_dir)
    _locales(project_dir)
    _edit(project_dir / path, old, new)
    before = snapshot(project_dir)
    result = run(project_dir, command)
    _error(result, pattern)
    assert snapshot(project_dir) == before


def test_unknown_language_on_the_command_line(project_dir, monkeypatch):
    monkeypatch.chdir(project_dir)
    _locales(project_dir)
    _error(run(project_dir, "update", "--lang", "it"),
           r"Error: pyproject.toml: language 'it' is not configured in \[tool.storyloc\] languages")
    _error(run(project_dir, "update", "--lang", "../../etc"), r"Error: not a locale code: '../../etc' .*")


@pytest.mark.parametrize("args", [["extract", "../../evil"], ["check", "--story", "../../evil"]])
def test_a_story_named_on_the_command_line_must_be_configured(project_dir, monkeypatch, args):
    """A story name never becomes a path: `extract ../../evil` would write locales/../../evil.pot."""
    monkeypatch.chdir(project_dir)
    _locales(project_dir)
    before = snapshot(project_dir.parent)
    _error(run(project_dir, *args),
           r"Error: pyproject.toml: story '../../evil' is not configured in \[tool.storyloc\] stories")
    assert snapshot(project_dir.parent) == before


def test_real_process_shows_no_traceback(project_dir):
    (project_dir / "source" / STORY / "article.md").write_text("---\ntitle: x\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-m", "storyloc", "extract"], cwd=project_dir,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr == f"Error: {ARTICLE}:1: front matter opened here is never closed with '---'\n"


def test_every_command_has_help_and_is_in_the_readme():
    from storyloc.cli import main
    readme = (__import__("conftest").REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        assert f"storyloc {name}" in readme, f"`storyloc {name}` is not documented in README.md"


def test_dist_dir_is_configurable(project_dir):
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('dist_dir = "dist"', 'dist_dir = "public/feed"'))
    _locales(project_dir)
    result = run(project_dir, "publish")
    assert result.exit_code == 0, result.output
    assert (project_dir / "public" / "feed" / "index.json").exists()
    assert not (project_dir / "dist").exists()


def test_a_configured_story_that_does_not_exist_names_the_config_line(project_dir, monkeypatch):
    monkeypatch.chdir(project_dir)
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'stories = ["{STORY}"]', 'stories = ["nope"]'))
    _error(run(project_dir, "extract"), r"Error: pyproject.toml:\d+: story 'nope' has no source/nope/article.md")


def test_an_os_error_while_writing_is_one_line(project_dir, monkeypatch):
    """A file where a folder should be (root ignores permissions, so this is the portable case)."""
    monkeypatch.chdir(project_dir)
    _locales(project_dir)
    shutil.rmtree(project_dir / "build" / STORY)
    (project_dir / "build" / STORY).write_text("not a folder")
    _error(run(project_dir, "locales", "--force"), r"Error: build/bakhmut-under-fire/\S*: (Not a directory|File exists)")


@pytest.mark.parametrize("old, new, pattern", [
    ('build_dir = "build"', 'build_dir = "source"', r"Error: pyproject.toml:\d+: build_dir and source_dir must be separate folders .*"),
    ('dist_dir = "dist"', 'dist_dir = "build/dist"', r"Error: pyproject.toml:\d+: build_dir and dist_dir must be separate folders .*"),
])
def test_folders_must_not_overlap(project_dir, monkeypatch, old, new, pattern):
    monkeypatch.chdir(project_dir)
    _edit(project_dir / "pyproject.toml", old, new)
    _error(run(project_dir, "build"), pattern)


def test_a_write_the_disk_refuses_names_its_file(project_dir):
    """A file-size limit (as a full disk would) names the file it stopped, in one line, no traceback."""
    import subprocess
    import sys
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))\n"
              "from storyloc.cli import main\n"
              "main(['--project', sys.argv[1], 'extract'])\n")
    (project_dir / "locales" / f"{STORY}.pot").unlink()
    result = subprocess.run([sys.executable, "-c", script, str(project_dir)], capture_output=True, text=True,
                            cwd=project_dir, timeout=120)
    assert result.returncode == 1
    assert result.stderr == f"Error: locales/{STORY}.pot: File too large\n"


BAD_BODIES = [
    ("\n::: pullquote\nWords.\n", r"Error: {a}:102: pull quote opened here is not closed with ':::'"),
    ("\n::: figure x\ncaption: c\n:::\n", r"Error: {a}:102: figure 'x' has no image: add .*"),
    ("\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", r"Error: {a}:104: table row has 3 cells, its header 2: .*"),
    ("\nA note[^x].\n", r"Error: {a}:102: footnote reference \[\^x\] has no definition .*"),
    ("\nA[^1].\n\n[^1]: a\n\n[^1]: b\n", r"Error: {a}:106: footnote \[\^1\] is defined twice \(first on line 104\)"),
]


@pytest.mark.parametrize("body, pattern", BAD_BODIES,
                         ids=["unclosed-container", "figure-without-image", "ragged-table", "footnote-undefined",
                              "footnote-twice"])
@pytest.mark.parametrize("command", ["extract", "build", "locales"])
def test_bad_structure_is_one_line_and_writes_nothing(project_dir, monkeypatch, body, pattern, command):
    monkeypatch.chdir(project_dir)
    _locales(project_dir)
    article = project_dir / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + body, encoding="utf-8")
    assert len(article.read_text(encoding="utf-8").split("\n")) > 101   # the story has 100 lines
    before = snapshot(project_dir)
    _error(run(project_dir, command), pattern.format(a=re.escape(ARTICLE)))
    assert snapshot(project_dir) == before


def test_warnings_name_file_and_line_and_are_not_errors(project_dir, monkeypatch):
    monkeypatch.chdir(project_dir)
    article = project_dir / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n<div>CMS junk</div>\n", encoding="utf-8")
    result = run(project_dir, "extract")
    assert result.exit_code == 0
    assert (f"warning: {ARTICLE}:102: raw HTML '<div>CMS junk</div>' is read as Markdown, its text kept and its tags "
            "left out; write Markdown") in result.stderr
    assert f"warning: {ARTICLE}:29: figure 'troops-protect-bakhmut' has no alt text" in result.stderr


@pytest.mark.parametrize("command", ["extract", "build", "locales"])
def test_a_story_warning_is_printed_once_per_story_not_once_per_language(project_dir, command):
    """Seven figures lack alt text: seven lines, whatever the number of languages (issue 9)."""
    if command == "build":
        run(project_dir, "extract")
    lines = [line for line in run(project_dir, command).stderr.splitlines() if "has no alt text" in line]
    assert len(lines) == len(set(lines)) == 7


@pytest.mark.parametrize("command", ["extract", "locales", "status"])
def test_a_story_folder_left_out_of_stories_is_named_not_silently_skipped(project_dir, command):
    article = project_dir / "source" / "river-flood" / "article.md"
    article.parent.mkdir(parents=True)
    article.write_text("---\ntitle: The river rose\n---\n\nText.\n", encoding="utf-8")
    result = run(project_dir, command)
    assert result.exit_code == 0, result.output
    assert ("warning: source/river-flood/article.md: not in `stories` in [tool.storyloc] of pyproject.toml, so no "
            "stage sees it; add 'river-flood' there to localize it") in result.stderr.splitlines()
    assert "river-flood" not in result.stdout


def test_a_second_reviewer_add_says_it_replaces_the_first_token(project_dir):
    from storyloc.project import Project
    from storyloc.review import identify
    first = run(project_dir, "reviewer", "add", "Taras Shevchuk")
    second = run(project_dir, "reviewer", "add", "Taras Shevchuk")
    assert first.exit_code == second.exit_code == 0
    assert "replaces" not in first.stdout
    assert "(it replaces their earlier token, which no longer works)" in second.stdout
    old, new = (r.stdout.split("token ")[1].split()[0] for r in (first, second))
    project = Project.load(project_dir)
    assert identify(project, old) is None and identify(project, new).name == "Taras_Shevchuk"
