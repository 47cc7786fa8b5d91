"""The draft cache: every machine answer kept, so nothing is sent twice; its dates from the one clock."""
from __future__ import annotations

import sqlite3

import pytest

from storyloc.draft.cache import DraftCache
from storyloc.errors import StorylocError


def test_answers_are_kept_by_engine_pair_and_text_and_dated_by_the_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")        # 2023-11-14 22:13:20 UTC
    path = tmp_path / "cache" / "drafts.sqlite"
    with DraftCache(path) as cache:
        cache.put("libre", "en-de", "Hello", "Hallo")
        cache.put("libre@http://x/", "en-de", "Hello", "Servus")
        assert cache.get_many("libre", "en-de", ["Hello", "Hello", "Bye"]) == {"Hello": "Hallo"}
        assert cache.get_many("libre@http://x/", "en-de", ["Hello"]) == {"Hello": "Servus"}
        assert cache.get_many("libre", "en-pl", ["Hello"]) == {}
    with DraftCache(path) as cache:                                # it survives the run
        assert cache.get_many("libre", "en-de", ["Hello"]) == {"Hello": "Hallo"}
    dates = {row[0] for row in sqlite3.connect(path).execute("SELECT created FROM translations")}
    assert dates == {"2023-11-14 22:13:20"}


def test_many_texts_are_looked_up_in_chunks(tmp_path):
    with DraftCache(tmp_path / "drafts.sqlite") as cache:
        for n in range(1200):
            cache.put("google", "en-uk", f"t{n}", f"u{n}")
        found = cache.get_many("google", "en-uk", [f"t{n}" for n in range(1300)])
    assert len(found) == 1200 and found["t1199"] == "u1199"


def test_an_unusable_cache_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "drafts.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StorylocError, match="cannot use the draft cache") as caught:
        DraftCache(path)
    assert caught.value.path == str(path)
