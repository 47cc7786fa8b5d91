"""The one clock: now (UTC), or the moment ``SOURCE_DATE_EPOCH`` names, for reproducible runs.

Every date storyloc writes (a template's creation date, a draft's day, a review's
time, a published version's ``created``) comes from here, so one variable fixes them all.
"""
from __future__ import annotations

import datetime as dt
import os

from .errors import StorylocError


def epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, or None when it is unset or empty."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise StorylocError(f"SOURCE_DATE_EPOCH must be a number of seconds, got {value!r}")
    return int(value)


def now() -> dt.datetime:
    """The current moment in UTC, or ``SOURCE_DATE_EPOCH``'s."""
    seconds = epoch()
    return (dt.datetime.fromtimestamp(seconds, dt.timezone.utc) if seconds is not None
            else dt.datetime.now(dt.timezone.utc))


PO_DATE = "%Y-%m-%d %H:%M+0000"        # gettext's header dates (POT-Creation-Date, PO-Revision-Date)


def po_date() -> str:
    """Now in gettext's header format, UTC: ``2026-11-25 03:10+0000``."""
    return now().strftime(PO_DATE)


def iso() -> str:
    """Now as ISO 8601 to the second, UTC: ``2026-11-25T03:10:00Z`` (a published version's ``created``)."""
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")
