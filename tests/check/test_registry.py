"""The registry: ids, severities and titles, the order checks run and are listed in, silences, the runner."""
import re

from storyloc.check import CHECKS, ERROR, ORDER, WARNING, Entry, describe, run_checks
from storyloc.check.registry import silenced
from storyloc.po import Message, provenance

from conftest import run


def test_registry_checks_have_an_id_a_severity_and_a_title():
    assert len(CHECKS) >= 13
    for check_id, c in CHECKS.items():
        assert re.fullmatch(r"[a-z][a-z-]*", check_id) and c.id == check_id
        assert c.severity in (ERROR, WARNING)
        assert c.title and c.title == c.run.__doc__.strip().splitlines()[0]


def test_checks_run_and_are_listed_in_one_order():
    assert tuple(CHECKS) == ORDER
    assert [row["id"] for row in describe()] == list(ORDER)


def test_list_of_checks(project_dir):
    result = run(project_dir, "check", "--list")
    assert result.exit_code == 0
    assert re.search(r"^numbers\s+error\s+Numbers are the same", result.stdout, re.M)
    assert re.search(r"^apostrophe\s+warning\s+.*\[uk, be\]$", result.stdout, re.M)
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(ORDER)


def test_provenance_records_are_not_taken_for_silences():
    m = Message("x", ["y"], translator_comments=["storyloc: draft engine=apertium"])
    assert silenced(m) == set()
    m.translator_comments.append(provenance.Record("ignore", {}).format() + " numbers, links because")
    assert silenced(m) == {"numbers", "links"}


def test_run_checks_runs_only_the_checks_asked_for():
    """A draft's verification runs a few checks (draft.VERIFY); the rest are not run."""
    entry = Entry(Message("70,000 people.", ["7 000 людей"]), "uk", "paragraph")
    assert sorted(c.id for c, _ in run_checks(entry)) == ["end-punctuation", "numbers"]
    assert [c.id for c, _ in run_checks(entry, ("numbers", "links"))] == ["numbers"]
    assert run_checks(entry, ("links",)) == []
    long = Entry(Message("A word.", ["Слово. " * 1000]), "uk", "paragraph")
    assert [c.id for c, _ in run_checks(long, ("numbers", "too-long"))] == ["too-long"]
    assert run_checks(long, ("numbers",)) == []             # refused unread, and not asked about


def test_a_check_applies_to_its_languages_only():
    entry = Entry(Message("Sloviansk is near.", ["Слов'янськ поруч."]), "ru", "paragraph")
    assert "apostrophe" not in [c.id for c, _ in run_checks(entry)]
    entry.lang = "uk"
    assert "apostrophe" in [c.id for c, _ in run_checks(entry)]
