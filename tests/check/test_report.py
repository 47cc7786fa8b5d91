"""Findings and reports: `storyloc check` as a user runs it, a draft's failures, silences, the one counter."""
import json
import re
import subprocess

import pytest

from storyloc.build import publish_state
from storyloc.errors import ConfigError
from storyloc.check import (ERROR, WARNING, Entry, Finding, check, check_catalog, failing, findings_for, summarize,
                            tally)
from storyloc.po import Message, read_po, save_po

from check_cases import UK_PO
from conftest import STORY, msgfmt_check, run


def test_committed_ukrainian_catalog_has_no_errors(project):
    report = check(project, ["uk"])
    assert report.checked == {(STORY, "uk"): 20}
    assert report.errors == 0, [f.format() for f in report.findings]


def test_check_catalog_is_what_check_reports_for_one_catalog(project):
    findings, checked = check_catalog(project, STORY, "uk")
    report = check(project, ["uk"], [STORY])
    assert checked == report.checked[(STORY, "uk")] and findings == report.findings
    assert check_catalog(project, "no-such-story", "uk") == ([], 0)


def test_check_takes_only_configured_stories_and_languages(project):
    # the library validates its inputs: a name from the command line never becomes a path
    with pytest.raises(ConfigError, match="story '../etc' is not configured"):
        check(project, None, ["../etc"])
    with pytest.raises(ConfigError, match="unknown language: 'xx'"):
        check(project, ["xx"])


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


def test_findings_for_counts_a_draft_s_failure_as_a_warning():
    reviewed = Entry(Message("70,000 people", ["7 000 людей"]), "uk", "paragraph")
    [finding] = findings_for(reviewed, "x.po", "s")
    assert (finding.check, finding.severity, finding.status) == ("numbers", ERROR, "reviewed")
    draft = Entry(Message("70,000 people", ["7 000 людей"], flags=["fuzzy"]), "uk", "paragraph")
    [finding] = findings_for(draft, "x.po", "s")
    assert (finding.severity, finding.status) == (WARNING, "draft")
    assert finding.format().endswith("(draft: an error once approved)")


def test_one_counter_of_findings():
    def finding(check_id, severity, ignored=False):
        return Finding("x.po", 1, "s", "uk", check_id, severity, "m", "reviewed", ignored=ignored)
    findings = [finding("numbers", ERROR), finding("numbers", ERROR, ignored=True), finding("length", WARNING),
                finding("links", ERROR)]
    assert tally(findings) == {"errors": 2, "warnings": 1, "ignored": 1}
    assert failing(findings) == [findings[0], findings[3]] and failing(findings, WARNING) == [findings[2]]
    assert summarize(findings) == {"errors": 2, "warnings": 1, "ignored": 1, "checks": {"length": 1, "links": 1,
                                                                                         "numbers": 1}}
    assert tally([]) == {"errors": 0, "warnings": 0, "ignored": 0}
