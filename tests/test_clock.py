"""storyloc's one clock: SOURCE_DATE_EPOCH fixes every date it writes; a bad value is one line."""
import datetime as dt

import pytest

from storyloc import clock
from storyloc.errors import StorylocError

from conftest import EPOCH, STORY, run


def test_source_date_epoch_is_now(monkeypatch):
    assert clock.now() == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    assert clock.epoch() == EPOCH
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert clock.now().isoformat() == "1970-01-01T00:00:00+00:00"


def test_an_empty_source_date_epoch_means_unset(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert clock.epoch() is None and clock.now().tzinfo == dt.timezone.utc


@pytest.mark.parametrize("command", ["extract", "publish"])
def test_a_bad_source_date_epoch_is_one_line(project_dir, monkeypatch, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(StorylocError, match="SOURCE_DATE_EPOCH must be a number of seconds, got 'soon'"):
        clock.now()
    if command == "extract":        # a new template is dated (an unchanged one is not rewritten)
        (project_dir / "locales" / f"{STORY}.pot").unlink()
    if command == "publish":
        assert run(project_dir, "build").exit_code == 0
    result = run(project_dir, command)
    assert result.exit_code == 1
    assert result.stderr == "Error: SOURCE_DATE_EPOCH must be a number of seconds, got 'soon'\n"
