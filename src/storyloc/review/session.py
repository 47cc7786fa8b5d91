"""The review of one language: a story's page read from its catalog, each action written back.

Each action is written to the ``.po`` at once, atomically, merged with whatever else changed in
the file meanwhile; an entry changed since the page loaded it is never overwritten.

:class:`Review` is what the HTTP server is a thin shell over, so the rules (versions, approval,
provenance) are tested without a browser.
"""
from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import clock
from ..errors import CatalogError, Conflict, Forbidden, ReviewError
from ..files import write_atomic
from ..po import Catalog, encode_po, read_po
from ..project import Project
from ..story import Story, parse_story
from .actions import ACTIONS, apply_action, clean_text, entry_version
from .page import image_file, page_data
from .reviewers import Reviewer, clean_user, default_user

ATTEMPTS = 5        # merges tried when another program keeps writing the catalog between our read and write


@dataclass
class Review:
    """The review of one language by ``reviewer`` (a :class:`Reviewer`, or a name: a translator)."""

    project: Project
    lang: str
    reviewer: Reviewer | str = field(default_factory=lambda: Reviewer(default_user()))
    today: Callable[[], str] = lambda: clock.now().date().isoformat()
    now: Callable[[], str] = lambda: clock.now().strftime("%Y-%m-%d %H:%M+0000")
    _locks: dict = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        if isinstance(self.reviewer, str):
            self.reviewer = Reviewer(clean_user(self.reviewer) or default_user())

    # -- reading ---------------------------------------------------------------------
    def story(self, slug: str) -> Story:
        if slug not in self.project.stories:
            raise ReviewError(f"no story {slug!r} in this project")
        source = self.project.article(slug)
        return parse_story(source, slug, self.project.rel(source))

    def read(self, slug: str) -> tuple[bytes, Catalog]:
        """The story's catalog in this language: its bytes, and them read (an error if unreadable)."""
        path = self.project.catalog(slug, self.lang)
        if not path.exists():
            raise CatalogError("catalog not found; run `storyloc update` first", self.project.rel(path))
        catalog = read_po(path, self.project.rel(path))
        return catalog.bytes_as_read, catalog

    def image(self, slug: str, figure_id: str) -> Path | None:
        """The photo file of a figure, if it is there (only files named in the story are served)."""
        figure = next((f for f in self.story(slug).figures if f.id == figure_id), None)
        return image_file(self.project, slug, figure.image) if figure is not None else None

    def page(self, slug: str, reviewer: Reviewer | None = None) -> dict:
        """Everything the page shows for one story; each entry with the version a save of it is based on."""
        story = self.story(slug)
        data, catalog = self.read(slug)
        return page_data(self.project, self.lang, slug, story, data, catalog, reviewer or self.reviewer)

    # -- writing ---------------------------------------------------------------------
    def _lock(self, slug: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(slug, threading.Lock())

    def change(self, slug: str, ctxt: str | None, msgid: str, version: str, action: str,
               msgstr: str | None = None, who: Reviewer | None = None, check: str | None = None) -> dict:
        """Apply one reviewer action to one entry and write the catalog; returns the fresh page data.

        ``action``: ``save`` (keep the state; an empty entry that gets text becomes a draft),
        ``review`` (a translator clears it: not fuzzy, ``reviewed by= role= date=`` recorded),
        ``approve`` (an editor signs this text off: reviewed too, ``approved by= role= date= text=``),
        ``unapprove`` (back to draft, "needs work") or ``ignore`` (silence ``check`` on this entry);
        see :func:`~storyloc.review.actions.apply_action`.
        ``who`` is the reviewer the request's token names, never a name the request carries.
        ``version`` is the entry's :func:`entry_version` when the page loaded it: a save to an entry
        nobody else changed is merged into the file as it is now (other entries may have changed);
        a save to an entry changed since raises :class:`Conflict` with both texts.
        """
        if action not in ACTIONS:
            raise ReviewError(f"unknown action {action!r}")
        who = who or self.reviewer
        if not who.can(action):
            raise Forbidden(f"only an editor can approve; {who.name.replace('_', ' ')} reviews as a {who.role}")
        path = self.project.catalog(slug, self.lang)
        shown = self.project.rel(path)
        self.story(slug)
        with self._lock(slug):
            for _attempt in range(ATTEMPTS):
                data, catalog = self.read(slug)
                message = self._entry(catalog, ctxt, msgid, version, msgstr, shown)
                text = clean_text(msgstr, message.msgid, shown, message.lineno, self.lang) if msgstr is not None else None
                if action in ("review", "approve") and not (text if text is not None else message.msgstr[0]).strip():
                    raise ReviewError(f"nothing to {action}: the translation is empty", shown, message.lineno)
                apply_action(message, action, text, who, check, self.today())
                if not message.changed:
                    return self.page(slug, who)
                catalog.set_header_field("PO-Revision-Date", self.now())
                catalog.set_header_field("Last-Translator", who.name.replace("_", " "))
                out = encode_po(catalog, shown)
                if path.read_bytes() != data:                  # someone saved while we worked: merge again
                    continue
                write_atomic(path, out)
                return self.page(slug, who)
        raise Conflict(f"{shown} keeps changing on disk; nothing was written. Try again.", shown)

    @staticmethod
    def _entry(catalog: Catalog, ctxt: str | None, msgid: str, version: str, yours: str | None, shown: str):
        """The entry a save names, if it is still the version the save is based on; Conflict otherwise."""
        message = next((m for m in catalog.entries() if m.key == (ctxt, msgid)), None)
        if message is None:
            raise Conflict("this segment is no longer in the catalog (the English changed?); reload",
                           shown, yours=yours)
        if not hmac.compare_digest(entry_version(message), str(version)):
            raise Conflict("someone changed this entry since this page loaded it; nothing was written. "
                           "Compare the two texts, then reload and save again.", shown, message.lineno,
                           yours=yours, theirs=message.msgstr[0] if message.msgstr else "",
                           version=entry_version(message))
        if message.msgid_plural is not None:
            raise ReviewError("plural entries are edited in a PO editor", shown, message.lineno)
        return message
