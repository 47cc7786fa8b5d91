"""Stage 3, draft: every empty entry gets a machine draft, marked fuzzy, with its provenance.

Each language has a chain of engines (``[tool.storyloc.draft] engines``):
translation memory first, then the glossary, then machine engines (Apertium
offline; deep-translator's providers online; a language model). A segment goes
down the chain until one engine drafts it; what no engine could draft stays
empty, with the reasons, and the run goes on.

What a person wrote is never touched: only empty entries are drafted, and
``force`` re-drafts only entries that are still machine drafts
(:func:`storyloc.po.provenance.is_machine_draft`). Every draft is verified by
storyloc's own checks before it is kept, is fuzzy, and says where it came from
in a translator comment (engine, date, TM score, review notes), which survives
``update`` and shows in Poedit. A catalog someone saved during the run
(Poedit, the review page) is read again before the next save.

The catalog is saved (atomically) after each batch, and every machine answer
is in the draft cache as soon as it arrives: a run killed half-way leaves a
valid catalog with the drafts made so far, and the next run carries on
without sending anything twice.

Online engines run only when a person allows it: unpublished copy is not
sent to a third party by default, and offline machines and CI make no
network attempts at all. ``STORYLOC_ONLINE=1``, ``online = true``, or naming
an online engine with ``--engine`` allows it; ``STORYLOC_ONLINE=0`` forbids it.

The modules, in the order a segment meets them:

- :mod:`.run` — the run (:func:`draft`, :class:`DraftSession`): catalogs read, drafted batch by batch, saved;
- :mod:`.chain` — one catalog's segments down the chain of engines, each draft verified;
- :mod:`.document` — the catalog seen as a story: kinds, names, the checks a draft must pass;
- :mod:`.tm`, :mod:`.placeholders` — translation memory; masking what an engine must not touch;
- :mod:`.engines` (the interface), :mod:`.apertium`, :mod:`.online`, :mod:`.llm` — the machines;
- :mod:`.cache` — every machine answer kept, so nothing is sent twice;
- :mod:`.results` — what a run reports.
"""
from .chain import ONLINE_OFF
from .document import VERIFY
from .results import Draft, DraftEvent, DraftResult, EngineStats, Progress, StoryDraft, Undrafted, strict_error
from .run import DraftSession, draft, online_allowed, protected_chain, wants_draft

__all__ = ["ONLINE_OFF", "VERIFY", "Draft", "DraftEvent", "DraftResult", "DraftSession", "EngineStats",
           "Progress", "StoryDraft", "Undrafted", "draft", "online_allowed", "protected_chain", "strict_error",
           "wants_draft"]
