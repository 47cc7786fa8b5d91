"""Apertium, offline and rule-based, from Debian's packages: many segments through one process.

Its marks (``*unknown``, ``@untranslated``, ``#uninflected``) never reach the
text: they become review notes. Words it ran together unmarked are found by the
target language's own analyser and noted too.
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

from ..errors import EngineFailure
from ..po.provenance import GLUED_NOTE
from ..project import DraftSettings
from .engines import Engine

ISO3 = {"en": "eng", "es": "spa", "ca": "cat", "gl": "glg", "pt": "por", "fr": "fra", "it": "ita",
        "oc": "oci", "eu": "eus", "ro": "ron", "de": "deu", "nl": "nld", "eo": "epo", "sv": "swe",
        "da": "dan", "nb": "nob", "nn": "nno", "is": "isl", "cy": "cym", "br": "bre", "an": "arg",
        "ast": "ast", "uk": "ukr", "ru": "rus", "pl": "pol", "be": "bel", "kk": "kaz", "tt": "tat",
        "mt": "mlt", "ar": "ara", "he": "heb", "hi": "hin", "ur": "urd", "id": "ind", "ms": "msa"}
# Apertium's marks: *unknown word, @no translation in the bilingual dictionary, #could not inflect.
# A mark may follow digits: "18F" comes back as "18*F" (the number is known, the rest is not).
MARK = re.compile(r"(?<![^\W\d_])([*@#])([^\W\d_][\w’'ʼ-]*)")
MARK_NOTES = {"*": "unknown words, left as in the English",
              "@": "words Apertium could not translate",
              "#": "words Apertium could not inflect"}
WHOLE_WORD = re.compile(r"(?<![\w·'’-])[^\W\d_][\w·]*(?![\w·'’-])")


@functools.lru_cache(maxsize=None)
def apertium_modes() -> tuple[str, ...]:
    """The installed translation directions (``apertium -l``)."""
    if shutil.which("apertium") is None:
        return ()
    try:
        out = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in out.splitlines() if line.strip())


class Apertium(Engine):
    """Rule-based and offline. Many segments go through one process, separated by blank lines,
    which Apertium keeps as formatting: starting it costs more than translating a story."""

    name = "apertium"

    def __init__(self, settings: DraftSettings):
        self.timeout = max(60.0, settings.timeout)
        self.glued: set[str] = set()            # words found run together in this run's output

    def mode(self, source: str, target: str) -> str | None:
        installed = apertium_modes()
        src, tgt = source.split("_")[0], target.split("_")[0]
        for candidate in (f"{ISO3.get(src, src)}-{ISO3.get(tgt, tgt)}", f"{src}-{tgt}"):
            if candidate in installed:
                return candidate
        return None

    def unavailable(self, source: str, target: str) -> str | None:
        if shutil.which("apertium") is None:
            return "not installed (apt-get install apertium)"
        if self.mode(source, target) is None:
            src, tgt = ISO3.get(source.split("_")[0], source), ISO3.get(target.split("_")[0], target)
            return f"no {src}-{tgt} pair installed"
        return None

    def fields(self, source: str, target: str) -> dict[str, str]:
        return {"pair": self.mode(source, target) or f"{source}-{target}"}

    def translate(self, texts, source, target, on_result=None):
        mode = self.mode(source, target)
        flat = [" ".join(t.split()) for t in texts]          # a blank line inside would split a segment
        results: list[str | EngineFailure]
        try:
            pieces = self._run(mode, flat)
            if len(pieces) != len(flat):                     # a separator got lost: one call per segment
                pieces = [" ".join(self._run(mode, [t])) for t in flat]
            results = list(pieces)
        except EngineFailure as failure:
            results = [failure] * len(flat)
        self.glued |= self._run_together(mode, [r for r in results if isinstance(r, str)])
        for i, result in enumerate(results):
            if on_result:
                on_result(i, result)
        return results

    def _run(self, mode: str, texts: list[str]) -> list[str]:
        if not texts:
            return []
        try:
            done = subprocess.run(["apertium", "-f", "txt", mode], input="\n\n".join(texts) + "\n",
                                  capture_output=True, text=True, timeout=self.timeout + len(texts) * 0.1)
        except subprocess.TimeoutExpired:
            raise EngineFailure(f"gave no answer within {self.timeout:g} s") from None
        except OSError as e:
            raise EngineFailure(f"could not run ({e.strerror})") from None
        if done.returncode != 0:
            problem = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise EngineFailure(f"exited with status {done.returncode}: {problem}")
        return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", done.stdout.strip("\n"))]

    def postprocess(self, raw: str) -> tuple[str, list[str]]:
        found: dict[str, list[str]] = {}
        for mark, word in MARK.findall(raw):
            if word not in found.setdefault(mark, []):
                found[mark].append(word)
        text = MARK.sub(r"\2", raw)
        notes = [f"{MARK_NOTES[mark]}: {', '.join(words)}" for mark, words in found.items()]
        glued = [w for w in dict.fromkeys(re.findall(r"\w+", text)) if w in self.glued]
        if glued:
            notes.append(f"{GLUED_NOTE}: {', '.join(glued)}")
        return text, notes

    def _run_together(self, mode: str, outputs: list[str]) -> set[str]:
        """Words of ``outputs`` that Apertium wrote unmarked but the analyser of the target language
        (the first stage of the reverse mode) does not know. Only whole lowercase words of six letters
        or more count (no names, no clitics after a hyphen, no elisions). Best effort: without
        the reverse mode nothing is found."""
        analyser = _analyser("-".join(reversed(mode.split("-", 1))))
        if analyser is None or not outputs:
            return set()
        marked = {part for _, word in MARK.findall(" ".join(outputs)) for part in re.findall(r"\w+", word)}
        candidates = {w for out in outputs for w in WHOLE_WORD.findall(out)
                      if len(w) >= 6 and w.islower() and not any(c.isdigit() for c in w)}
        if not candidates - marked:
            return set()
        # Only words and plain punctuation reach lt-proc: its stream format reserves ^$/<>{}[]@*#\.
        text = "\n\n".join(re.sub(r"[^\w\s.,;:!?¿¡'’\"()·-]", " ", out) for out in outputs) + "\n"
        try:
            done = subprocess.run(["lt-proc", analyser], input=text, capture_output=True, text=True,
                                  timeout=self.timeout)
        except (OSError, subprocess.SubprocessError):
            return set()
        if done.returncode != 0:
            return set()
        return (candidates - marked) & set(re.findall(r"\^([^/$]+)/\*", done.stdout))


@functools.lru_cache(maxsize=None)
def _analyser(mode: str) -> str | None:
    """The morphological analyser an installed mode starts with (its first ``.automorf.bin``)."""
    apertium = shutil.which("apertium")
    if apertium is None or shutil.which("lt-proc") is None:
        return None
    path = Path(apertium).resolve().parent.parent / "share" / "apertium" / "modes" / f"{mode}.mode"
    try:
        found = re.search(r"'([^']+\.automorf\.bin)'", path.read_text(encoding="utf-8"))
    except OSError:
        return None
    return found.group(1) if found else None
