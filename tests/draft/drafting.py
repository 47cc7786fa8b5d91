"""What the draft tests share: the fixture project with some catalogs emptied, as before any draft."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storyloc.po import read_po, save_po

from conftest import PROJECT, STORY


needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/eng-spa.mode").exists(),
    reason="needs apertium and apertium-eng-spa (apt-get install apertium apertium-eng-spa)")


def po(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{STORY}.po"


def with_empty_catalogs(project_dir: Path, langs: tuple[str, ...]) -> Path:
    """The project with its glossaries, and the catalogs of ``langs`` empty (no translation, no comment)."""
    shutil.copytree(PROJECT / "glossary", project_dir / "glossary")
    for lang in langs:
        catalog = read_po(po(project_dir, lang))
        for m in catalog.entries():
            m.msgstr, m.translator_comments = [""], []
            m.fuzzy = False
        save_po(catalog, po(project_dir, lang))
    return project_dir
