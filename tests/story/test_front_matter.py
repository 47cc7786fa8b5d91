"""Front matter: strict YAML, dates, corrections, keep."""

import pytest

from storyloc.errors import SourceError
from storyloc.story import parse_story

from storytext import write_story, parse


@pytest.mark.parametrize("date, message", [
    ("2023-02-30", "does not exist"),
    ("2023-02-29", "does not exist"),
    ("2023-2-5", "date must be YYYY-MM-DD or YYYY-MM"),
    ("2023-02-01 10:00:00", "date must be YYYY-MM-DD or YYYY-MM"),
    ("2023-13", "does not exist"),
])
def test_impossible_dates_are_errors_not_tracebacks(tmp_path, date, message):
    path = write_story(tmp_path, f"---\ntitle: x\ndate: {date}\n---\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 3 and message in caught.value.message


def test_a_field_given_twice_is_an_error(tmp_path):
    path = write_story(tmp_path, "---\ntitle: x\ndek: y\ntitle: z\n---\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 4 and "'title' is given twice" in caught.value.message


def test_quoted_front_matter_keys_are_fields_like_any_other(tmp_path):
    story = parse_story(write_story(tmp_path, "---\n\"title\": A story\n'dek': Its dek\n---\n\nText.\n"))
    assert (story.title.text, story.title.line, story.dek.line) == ("A story", 2, 3)


def test_corrections_and_keep_in_front_matter(tmp_path):
    story = parse(tmp_path, "Gwara Media reported.\n",
                   front="title: T\nkeep: [Gwara Media]\ncorrections:\n"
                         "  - {date: 2023-03-01, note: An earlier version misspelt Soledar.}\n")
    assert story.keep == ("Gwara Media",)
    [correction] = story.corrections
    assert (correction.date, correction.note.context, correction.note.text) == (
        "2023-03-01", "correction:2023-03-01", "An earlier version misspelt Soledar.")
    assert "Keep “Gwara Media” as is." in story.blocks[0].segment.note
    assert list(story.segments())[-1] is correction.note


@pytest.mark.parametrize("front, message", [
    ("title: T\nsubtitle: x\n", "unknown front matter field 'subtitle'"),
    ("title: T\nkeep: Gwara\n", "keep must be a list"),
    ("title: T\ncorrections: [{date: 2023-13-01, note: x}]\n", "does not exist"),
    ("title: T\ncorrections: [{note: x}]\n", "correction date must be YYYY-MM-DD"),
    ("title: T\nlead: {caption: x}\n", "lead must be {image"),
    ("title: T\nlead: {image: a.jpg, size: big}\n", "unknown lead field 'size'"),
])
def test_bad_front_matter_gives_file_and_line(tmp_path, front, message):
    with pytest.raises(SourceError) as caught:
        parse(tmp_path, "Text.\n", front=front)
    assert caught.value.line == 3 and message in caught.value.message
