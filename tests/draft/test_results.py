"""What a draft run reports: counts per engine, what was left and why, and --strict's one line."""
from __future__ import annotations

from pathlib import Path

from storyloc.draft import DraftResult, StoryDraft, Undrafted, strict_error


def result(*undrafted: Undrafted) -> DraftResult:
    r = DraftResult("story", "de", Path("de.po"), "locales/de/LC_MESSAGES/story.po", ("tm", "google"), 3)
    r.by_engine["tm"] += 1
    r.undrafted += undrafted
    return r


def test_a_clean_run_has_no_strict_error_and_is_complete():
    done = result()
    assert done.drafted == 1 and done.complete and strict_error([done]) is None
    assert StoryDraft("story", [done]).complete


def test_strict_names_the_first_segment_left_and_how_many():
    offline = Undrafted("A very long segment that goes on well past forty characters", 12,
                        ["tm: no match of 75% or more", "google: online engines are off"])
    failed = Undrafted("Short", 20, ["google: unreachable"], transient=True)
    r = result(offline, failed)
    error = strict_error([r])
    assert error.path == "locales/de/LC_MESSAGES/story.po" and error.line == 12
    assert error.message == ("2 segment(s) left undrafted; first: tm: no match of 75% or more; google: online "
                             "engines are off (segment “A very long segment that goes on well p…”)")
    # an engine failed on one: a later run may do better, so the pipeline tries again
    assert not r.complete and not StoryDraft("story", [r]).complete
    assert r.reasons()["google: unreachable"] == 1
    assert Undrafted("x", 1, []).reason == "no engine in the chain"


def test_a_story_draft_counts_the_catalogs_it_rewrote():
    written, untouched = result(), result()
    written.written = True
    assert StoryDraft("story", [written, untouched]).files_written == 1
    assert StoryDraft("story", [untouched]).files_written == 0
