"""Quality checks on translations: a registry of small named checks, run like a compiler.

A *check* is a function over one :class:`Entry` (a translated message with its kind, its
segment of the story, the story's names, its glossary terms) that yields a message per problem;
its docstring's first line is its title (as in translate-toolkit's ``filters/checks``).
Registering it gives it an id and a severity::

    @register("numbers", ERROR)
    def numbers(e: Entry):
        \"\"\"Numbers are the same as in the English (written the language's way).\"\"\"

To add one, write it in the module of its family and register it there; add its id to
:data:`ORDER` (else it runs, and is listed, after the others) and a line to the README's table.
The families:

* :mod:`~storyloc.check.markup`: inline Markdown, links, footnotes, table cells, blocks;
* :mod:`~storyloc.check.numbers`: numbers and their written form;
* :mod:`~storyloc.check.names`: names in credits and bylines, glossary terms;
* :mod:`~storyloc.check.leftovers`: engine marks, placeholders;
* :mod:`~storyloc.check.form`: whitespace, line breaks, end punctuation, length, apostrophe, copies;
* :mod:`~storyloc.check.hostile`: what attacks a page (too long, control characters, HTML, format
  specs), which a translator cannot silence.

Why a registry: every caller runs the same checks the same way (:func:`run_checks`: ``storyloc
check``, the build's publish gate, the review page, a draft's verification), the CLI lists them
(``storyloc check --list``), and a translator silences one by its id. The rest of the package:
:mod:`~storyloc.check.registry` (the registry and its runner), :mod:`~storyloc.check.entry`
(what a check sees), :mod:`~storyloc.check.report` (findings, reports, the one counter of
findings), :mod:`~storyloc.check.text` (readers of text the checks share) and
:mod:`~storyloc.check.catalog_file` (any catalog, without a project: ``storyloc check PATH``).

Rules of the report:

* Reviewed and draft entries are checked; empty ones have nothing to check.
* A failure in a draft (fuzzy) entry is reported as a *warning* whatever its
  check's severity: a draft is never published (the build shows the English
  instead), and the failures are what its reviewer should look at. Once the
  entry is approved, the same failure is an error again.
* A translator silences one check on one entry with a translator comment,
  ``# storyloc: ignore numbers`` (several ids may follow, then a reason).
  Translator comments survive ``storyloc update``, GNU msgmerge and msgcat,
  Poedit and Weblate; unknown ``#,`` flags do not survive msgmerge, but
  ``#, storyloc-ignore-numbers`` is honoured too. Silenced failures are still
  listed, as ``ignored``, so a silence is never invisible.
"""
from __future__ import annotations

from . import form, hostile, leftovers, markup, names, numbers  # noqa: F401  (each registers its checks)
from .catalog_file import FileFinding, check_file
from .entry import Entry, entries_for, glossary_terms, kind_of, terms_in
from .names import latin_or_cyrillic
from .registry import CHECKS, ERROR, IGNORE_KIND, WARNING, Check, describe, order, register, run_checks
from .report import Finding, Report, check, check_catalog, failing, findings_for, summarize, tally

# The order the checks run in, are reported in and listed in (`storyloc check --list`, the review page).
ORDER = ("markup", "links", "numbers", "number-format", "names", "glossary", "engine-marks", "placeholders",
         "whitespace", "line-break", "end-punctuation", "length", "apostrophe", "untranslated", "footnotes",
         "table-cell", "too-long", "control-chars", "html", "format", "blocks")
order(ORDER)

__all__ = [
    "CHECKS", "ERROR", "IGNORE_KIND", "ORDER", "WARNING", "Check", "Entry", "FileFinding", "Finding", "Report",
    "check", "check_catalog", "check_file", "describe", "entries_for", "failing", "findings_for",
    "glossary_terms", "kind_of", "latin_or_cyrillic", "register", "run_checks", "summarize", "tally", "terms_in",
]
