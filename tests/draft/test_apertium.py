"""Apertium for real: batching, unknown-word marks turned into notes, pairs that are not installed."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from storyloc.project import DraftSettings
from storyloc.draft.apertium import Apertium
from storyloc.errors import EngineFailure

pytestmark = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/eng-spa.mode").exists(),
    reason="needs apertium and apertium-eng-spa")


def test_many_segments_go_through_one_apertium_process(monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting_run(args, **kwargs):
        calls.append(args)
        return real_run(args, **kwargs)

    engine = Apertium(DraftSettings())
    assert engine.mode("en", "es") == "eng-spa"
    monkeypatch.setattr(subprocess, "run", counting_run)
    texts = ["The city is destroyed.", "Locals use bikes to get around.", "The war in {1} goes on."] * 10
    results = engine.translate(texts, "en", "es")
    assert [c[:3] for c in calls if c[0] == "apertium"] == [["apertium", "-f", "txt"]]
    assert len(calls) <= 2                              # and at most one lt-proc for run-together words
    assert len(results) == 30 and all(isinstance(r, str) and r for r in results)
    assert "{1}" in results[2] and results[2].startswith("La guerra")


def test_unknown_word_marks_become_notes_not_text():
    engine = Apertium(DraftSettings())
    [raw] = engine.translate(["The trolleybus rumbling near Soledar."], "en", "es")
    assert "*trolleybus" in raw
    text, notes = engine.postprocess(raw)
    assert "*" not in text and "trolleybus" in text
    assert notes == ["unknown words, left as in the English: trolleybus, rumbling, Soledar"]
    assert engine.postprocess("@foo y #bar")[1] == ["words Apertium could not translate: foo",
                                                    "words Apertium could not inflect: bar"]


def test_a_mark_after_digits_is_a_note_too():
    """Apertium knows "18" but not the "F" of "18F" and writes "18*F": the mark must not reach the draft."""
    engine = Apertium(DraftSettings())
    [raw] = engine.translate(["The 18F team met."], "en", "es")
    assert "18*F" in raw
    text, notes = engine.postprocess(raw)
    assert "*" not in text and "18F" in text
    assert notes == ["unknown words, left as in the English: F"]
    assert engine.postprocess("2*3 es seis")[0] == "2*3 es seis"          # a product is not a mark


def test_words_apertium_runs_together_become_a_note():
    """eng-spa loses a blank when it reorders: its own Spanish analyser does not know the result."""
    engine = Apertium(DraftSettings())
    raw = engine.translate(["As Russia's full-scale invasion of {1} approaches its one-year anniversary, "
                            "civilians fight.", "Through the window, which is broken, the men came back."], "en", "es")
    text, notes = engine.postprocess(raw[0])
    assert "lainvasiónde" in text
    assert notes == ["words Apertium ran together, put the spaces back: lainvasiónde, aniversariodeun"]
    assert engine.postprocess(raw[1])[1] == []          # "a través de", "el cual": known in context


def test_pairs_that_are_not_installed_are_said_so():
    engine = Apertium(DraftSettings())
    assert engine.unavailable("en", "es") is None
    assert engine.unavailable("en", "de") == "no eng-deu pair installed"
    assert engine.fields("en", "es") == {"pair": "eng-spa"}


def test_a_failing_apertium_is_an_engine_failure(monkeypatch):
    engine = Apertium(DraftSettings())
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", "boom\n"))
    [result] = engine.translate(["Hello."], "en", "es")
    assert isinstance(result, EngineFailure) and result.reason == "exited with status 1: boom"
