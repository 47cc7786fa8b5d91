"""Stage 4, build: catalogs become localized bundles, ``build/<story>/<lang>/``.

Each bundle holds ``index.html``, ``article.md``, ``article.json``, the
compiled ``.mo`` and the story's images; ``build/<story>/manifest.json``
lists every language's progress, publish state and file checksums; and
``build/index.html`` is the overview page linking them all.

Only reviewed translations are shown. A draft or a missing translation falls
back to the story's own language, marked with its ``lang``, and the page
carries a banner saying how much is untranslated. Builds are reproducible: the
same inputs give the same bytes (nothing here reads the clock).

- :mod:`.gates`: what a page shows and whether a language is published (and why not);
- :mod:`.page`: the page itself, rendered through ``templates/page.html``;
- :mod:`.manifest`: the story's manifest, which ``publish`` and ``status`` read;
- :mod:`.bundle`: writing each language's files, then the manifest and the overview.

The names below are imported from those modules when first used, so a caller
that needs only the manifest's schema (``publish``) or the reckoning
(``status``, ``review``) does not pay for the page renderer.
"""
from __future__ import annotations

import importlib

_PUBLIC = {                         # what callers use, and the module it lives in
    "build": "bundle", "build_story": "bundle",
    "assess": "gates", "publish_state": "gates", "Reason": "gates",
    "BuildResult": "manifest", "LanguageResult": "manifest", "MANIFEST_SCHEMA": "manifest",
    "page_translations": "page",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
