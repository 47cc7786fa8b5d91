"""The one fuzzy index: merge suggestions (``update``) and translation-memory lookups (``tm``).

Texts are indexed by their tokens made unique by occurrence ("the", "the#1",
…), so a posting list counts shared words as multisets. A search walks the
query's keys rarest first. After ``j`` of its ``k`` indexed keys, a text not
met yet shares at most ``k - j`` keys with the query, which bounds its score
from above (prefix filtering); before each long posting list — the common
words, "the", "of", found in half the texts — the best candidates met so far
are scored exactly, which raises the bar and usually ends the walk long
before the common words. Candidates are then scored best bound first until
no bound reaches the bar. Nothing that can reach the bar is skipped: the
result is what comparing every pair would give, at a cost that depends on
the rare words' postings, not on the size of the index.

Two measures share it:

- :data:`RATIO` (merge, like msgmerge's): difflib's ratio over words,
  ``2·matches / (n + m)``, at most ``2·shared / (n + m)``; an old text of three
  words or more that the new one merely extends scores at least 0.75
  (found by :meth:`Index.prefixed`, since its shared words are few).
- :data:`EDIT` (TM, the "fuzzy match %" CAT tools show): ``1 - distance /
  longer length`` over word and punctuation tokens, at most
  ``shared / max(n, m)``.
"""
from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from itertools import compress
from dataclasses import dataclass
from typing import Callable, Iterable

TOKEN = re.compile(r"\w+|[^\w\s]")
WORD = re.compile(r"\w+")
FORMAT_DIRECTIVE = re.compile(
    r"%(?:\d++\$)?[-+ #0']*+(?:\*|\d++)?(?:\.(?:\*|\d++))?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnm%]"
    r"|%\([^()]*+\)[sdfr]|\{[\w.]*+\}")   # possessive, and "(" ends a name: linear on any text
EXTENDED_SCORE = 0.75
LONG = 64          # a posting list longer than this is worth scoring the best candidates before walking it


def words(text: str) -> list[str]:
    """The words that carry meaning, lower case: format directives and punctuation say little
    about a match (the merge's tokens); punctuation only when there is nothing else."""
    found = WORD.findall(FORMAT_DIRECTIVE.sub(" ", text).lower())
    return found or TOKEN.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens, as CAT tools count them (the memory's tokens)."""
    return TOKEN.findall(text)


# -- the measures ------------------------------------------------------------------------


def ratio(new: list[str], old: list[str], floor: float = 0.0) -> float:
    """difflib's ratio over words; an old text of three words or more that the new one merely
    extends (a clause appended) scores at least :data:`EXTENDED_SCORE`. 0.0 below ``floor``."""
    if len(old) >= 3 and new[: len(old)] == old:
        return max(EXTENDED_SCORE, 2 * len(old) / (len(new) + len(old)))
    matcher = difflib.SequenceMatcher(None, new, old, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def similarity(a: list[str], b: list[str], floor: float = 0.0) -> float:
    """1 - (word-level Levenshtein distance / longer length); 0.0 when the lengths alone rule out ``floor``."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    if abs(len(a) - len(b)) > (1.0 - floor) * longest + 1e-9:
        return 0.0
    return 1.0 - distance(a, b) / longest


def distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance over tokens, bit-parallel (Myers 1999, Hyyrö 2001): one pass over ``b``
    with a few integer operations per token, instead of a table of len(a) × len(b) cells."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    positions: dict[str, int] = {}
    for i, token in enumerate(a):
        positions[token] = positions.get(token, 0) | (1 << i)
    ones = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    pv, mv, score = ones, 0, len(a)
    for token in b:
        eq = positions.get(token, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & ones)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & ones
        mh = (mh << 1) & ones
        pv = mh | (~(xv | ph) & ones)
        mv = ph & xv
    return score


@dataclass(frozen=True)
class Measure:
    """A similarity in [0, 1] and an upper bound of it from the count of shared tokens.

    ``bound(shared, n, m)`` must never be below ``score`` of texts of ``n`` and ``m`` tokens
    sharing ``shared`` (as multisets), and must not grow with ``m`` beyond ``m = shared``.
    """
    score: Callable[[list[str], list[str], float], float]
    bound: Callable[[int, int, int], float]


RATIO = Measure(ratio, lambda shared, n, m: 2 * shared / (n + m))
EDIT = Measure(similarity, lambda shared, n, m: shared / max(n, m))


def keys(tokens: Iterable[str]) -> tuple[str, ...]:
    """Tokens made unique by occurrence ("the", "the#1", "the#2"): multisets as sets.

    A token never contains "#" followed by a digit (``#`` is a token of its own), so keys cannot collide.
    """
    seen: dict[str, int] = {}
    out = []
    for w in tokens:
        k = seen.get(w, 0)
        seen[w] = k + 1
        out.append(sys.intern(w) if k == 0 else sys.intern(f"{w}#{k}"))
    return tuple(out)


# -- the index ---------------------------------------------------------------------------


class Index:
    """Token lists by id, with postings for :meth:`search` and whole lists for :meth:`prefixed`."""

    def __init__(self, measure: Measure):
        self.measure = measure
        self.tokens: list[list[str]] = []
        self.keys: list[tuple[str, ...]] = []
        self.postings: dict[str, list[int]] = {}
        self._whole: dict[tuple[str, ...], list[int]] | None = None

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, tokens: list[str]) -> int:
        """Index one text's tokens; returns its id (0, 1, 2, … in the order added)."""
        doc = len(self.tokens)
        doc_keys = keys(tokens)
        self.tokens.append(tokens)
        self.keys.append(doc_keys)
        postings = self.postings
        for k in doc_keys:
            found = postings.get(k)
            if found is None:
                postings[k] = [doc]
            else:
                found.append(doc)
        self._whole = None
        return doc

    def prefixed(self, tokens: list[str], shortest: int = 3) -> list[int]:
        """Ids of indexed texts of at least ``shortest`` tokens that ``tokens`` begins with."""
        if self._whole is None:
            self._whole = {}
            for doc, toks in enumerate(self.tokens):
                if len(toks) >= shortest:
                    self._whole.setdefault(tuple(toks), []).append(doc)
        found = []
        for end in range(shortest, len(tokens) + 1):
            found += self._whole.get(tuple(tokens[:end]), ())
        return found

    def search(self, query: list[str], floor: float, within: float = 0.0,
               extra: Iterable[int] = ()) -> list[tuple[float, int]]:
        """(score, id) of every text scoring at least ``floor`` and at least the best score minus
        ``within``, best first (ties: lower id first). ``extra`` ids are scored whatever they share.

        ``within=0`` asks for the best match only (and its ties); a merge that assigns each old
        text once asks for a few runners-up too.

        (Over 60 lines on purpose: the walk of the postings and the ranking after it share the
        running bar that every verified score raises; split apart, that state would have to be
        passed back and forth through the hottest loop of a merge.)
        """
        n = len(query)
        if n == 0:
            return []
        bound, score = self.measure.bound, self.measure.score
        postings, texts = self.postings, self.tokens
        scored: dict[int, float] = {}
        best, bar = 0.0, floor

        def verify(doc: int) -> None:
            nonlocal best, bar
            s = scored[doc] = score(query, texts[doc], bar)
            if s > best:
                best = s
                bar = max(floor, best - within)

        for doc in extra:
            if doc not in scored:
                verify(doc)
        query_keys = set(keys(query))
        walk = sorted(filter(postings.__contains__, query_keys), key=lambda k: len(postings[k]))
        left = len(walk)                  # keys not walked yet
        counts: Counter = Counter()       # text -> keys it has among those walked
        walked = longest = 0
        probe_at, worth = 2, None
        for key in walk:
            found = postings[key]
            if walked >= probe_at and len(found) > LONG and bound(left, n, left) >= bar:
                # Before a long list, score the text sharing the most keys so far: a good match
                # raises the bar, which may end the walk here.
                probe_at = walked + max(2, walked // 2)
                top = max(counts, key=counts.__getitem__)
                if counts[top] >= max(2, walked // 2) and top not in scored:
                    verify(top)
            if bound(left, n, left) < bar:
                # No text not met yet can reach the bar: it shares at most `left` keys. Walking on
                # only tightens the bounds of those met; worth it (counting is at C speed, ranking
                # is not) while a list is short next to those walked or to the texts met by then.
                if worth is None:
                    worth = max(2 * longest, len(counts) // 2)
                if len(found) > worth:
                    break
            counts.update(found)
            longest = max(longest, len(found))
            walked += 1
            left -= 1
        # Every text that can reach the bar has been met. Keep those with enough keys (filtered at
        # C speed: a common word's list brings thousands), then score them best bound first.
        least = _fewest(bound, bar, n, left, walked)
        ranked = sorted((-bound(counts[doc] + left, n, len(texts[doc])), doc)
                        for doc in compress(counts, map(least.__le__, counts.values())) if doc not in scored)
        for negative, doc in ranked:
            if -negative < bar:
                break
            if left and bound(len(query_keys.intersection(self.keys[doc])), n, len(texts[doc])) < bar:
                continue                  # the keys not walked: the exact shared count rules it out
            verify(doc)
        return sorted(((s, doc) for doc, s in scored.items() if s >= bar), key=lambda x: (-x[0], x[1]))


def _fewest(bound: Callable[[int, int, int], float], bar: float, n: int, left: int, walked: int) -> int:
    """Keys a text must have among the ``walked`` ones to reach ``bar`` with ``left`` keys unwalked."""
    c = 0
    while c <= walked and bound(c + left, n, c + left) < bar:
        c += 1
    return c
