"""Who is reviewing: named reviewers, each with a role and a token stored only as its sha256.

A *translator* reviews; an *editor* reviews and approves. ``storyloc reviewer add`` issues a
token per person (:func:`add_reviewer`); the server asks :func:`identify` whom a request's token
names, so the name recorded in the ``.po`` never comes from the request itself.
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass

from ..errors import ReviewError
from ..files import write_atomic
from ..project import Project

ROLES = ("translator", "editor")          # a translator reviews; an editor reviews and approves
REVIEWERS_SCHEMA = "storyloc.reviewers/1"


@dataclass(frozen=True)
class Reviewer:
    name: str                  # as recorded in the .po (one word: spaces are "_")
    role: str = "translator"

    def can(self, action: str) -> bool:
        return action != "approve" or self.role == "editor"


def check_role(role: str) -> str:
    """``role``, if it is one of :data:`ROLES`; a one-line error otherwise."""
    if role not in ROLES:
        raise ReviewError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    return role


def clean_user(name: str | None) -> str:
    """A name as one provenance word: spaces become ``_``; ``=`` and control characters go."""
    name = "".join(c for c in (name or "") if c.isprintable() and c != "=")
    return "_".join(name.split())[:60]


def default_user() -> str:
    """Who started the session: ``STORYLOC_USER``, else the login name, else ``reviewer``."""
    try:
        fallback = getpass.getuser()
    except Exception:                       # no login name (a container): anonymous, not a crash
        fallback = "reviewer"
    return clean_user(os.environ.get("STORYLOC_USER") or fallback) or "reviewer"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_reviewers(project: Project) -> list[dict]:
    """The named reviewers (name, role, sha256 of the token); none when the file does not exist."""
    path = project.reviewers()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise ReviewError(f"not a reviewers file ({e})", project.rel(path)) from None
    if not isinstance(data, dict) or data.get("schema") != REVIEWERS_SCHEMA or not isinstance(data.get("reviewers"), list):
        raise ReviewError(f"not a {REVIEWERS_SCHEMA} file", project.rel(path))
    return [r for r in data["reviewers"] if isinstance(r, dict)]


def _write_reviewers(project: Project, reviewers: list[dict]) -> None:
    body = {"schema": REVIEWERS_SCHEMA, "reviewers": sorted(reviewers, key=lambda r: r["name"])}
    write_atomic(project.reviewers(), (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def add_reviewer(project: Project, name: str, role: str = "translator") -> tuple[Reviewer, str]:
    """A new token for ``name`` with ``role`` (replacing any earlier one); only its sha256 is stored."""
    who = clean_user(name)
    if not who:
        raise ReviewError(f"not a reviewer name: {name!r}")
    check_role(role)
    token = secrets.token_urlsafe(24)
    reviewers = [r for r in read_reviewers(project) if r.get("name") != who]
    reviewers.append({"name": who, "role": role, "sha256": _token_hash(token)})
    _write_reviewers(project, reviewers)
    return Reviewer(who, role), token


def remove_reviewer(project: Project, name: str) -> None:
    """Forget ``name`` and their token; a :class:`ReviewError` if there is no such reviewer."""
    who = clean_user(name)
    reviewers = read_reviewers(project)
    kept = [r for r in reviewers if r.get("name") != who]
    if len(kept) == len(reviewers):
        raise ReviewError(f"no reviewer named {name!r}", project.rel(project.reviewers()))
    _write_reviewers(project, kept)


def identify(project: Project, token: str | None) -> Reviewer | None:
    """The named reviewer a token belongs to, or None; compared in constant time."""
    if not token:
        return None
    digest = _token_hash(token)
    found = None
    for r in read_reviewers(project):
        if isinstance(r.get("sha256"), str) and hmac.compare_digest(r["sha256"], digest):
            found = Reviewer(str(r.get("name")), r.get("role") if r.get("role") in ROLES else "translator")
    return found
