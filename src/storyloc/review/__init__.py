"""``storyloc review``: a local web page to review one language, segment by segment.

The page shows each segment of a story in order: the English, the current
translation, its state, its provenance, its check results, glossary hints
and, beside captions and credits, the photo. Edits and approvals are written
back to the ``.po`` at once, atomically, through :mod:`storyloc.po`.

Three states, two roles, stored in the ``.po`` so any PO editor keeps them:
a *draft* is fuzzy; *reviewed* means a translator cleared it (not fuzzy,
``# storyloc: reviewed by= role= date=``); *approved* means an editor signed
this very text off (``# storyloc: approved by= role= date= text=<digest>``: an
edit anywhere, Poedit too, withdraws it). Who acts comes from the token the
request carries (the session's own, or a named reviewer's from
``.storyloc/reviewers.json``, stored hashed with a role), never from the request.

Nothing is ever overwritten silently: every save names the version of the
*entry* it was based on. A save to an entry nobody else changed is merged
into the file as it is now (another reviewer or Poedit may have saved other
entries); a save to an entry changed since gets HTTP 409 with both texts, and
the page keeps what the reviewer typed. Newlines are kept only where the
English has them; NUL and other control characters are refused with a
message; a save is at most :data:`MAX_BODY` bytes (HTTP 413).

The server is the standard library's ``ThreadingHTTPServer``: a JSON API and
one page (``templates/review.html``, rendered by Jinja2 with autoescape;
``review.js``, ``review.css``).
Every request needs a token (the session's, printed in the URL at start, or a
named reviewer's), so even on a shared machine only those given one can edit; text from
catalogs is only ever put into the page with ``textContent``, and a strict
Content-Security-Policy forbids inline scripts besides.

The work lives in modules named for what they do:

- :mod:`.reviewers`: who is reviewing (named reviewers, roles, tokens stored hashed);
- :mod:`.actions`: what save, review, approve, needs work and ignore do to one entry;
- :mod:`.page`: what the page shows for one story (the JSON its script renders);
- :mod:`.session`: :class:`Review`, reading a story's page and writing each action back;
- :mod:`.server`: the HTTP server (:func:`make_server`).
"""
from __future__ import annotations

from .actions import ACTIONS, apply_action, clean_text, entry_version
from .page import page_data
from .reviewers import (ROLES, Reviewer, add_reviewer, clean_user, default_user, identify, read_reviewers,
                        remove_reviewer)
from .server import MAX_BODY, ReviewServer, make_server
from .session import Review

__all__ = ["ACTIONS", "MAX_BODY", "ROLES", "Review", "ReviewServer", "Reviewer", "add_reviewer", "apply_action",
           "clean_text", "clean_user", "default_user", "entry_version", "identify", "make_server", "page_data",
           "read_reviewers", "remove_reviewer"]
