"""The one fuzzy index: merge suggestions (``update``) and translation-memory lookups (``tm``).

Texts are indexed by their tokens made unique by occurrence ("the", "the#1",
…), so a posting list counts shared words as multisets. A search counts, for
every text, the keys it shares with the query: a rare key's texts one by one,
a common key's ("the", "of", found in half the texts) all at once, as an
integer holding one byte per text, so that counting costs a few big-int
additions, not a dictionary update per text (profiled: counting the common
words' postings was most of a long story's merge). The shared count bounds a
text's score from above; the text sharing the most is scored first, which
raises the bar, then the texts whose bound reaches the bar, best bound first.
Nothing that can reach the bar is skipped: the result is what comparing
every pair would give.

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
import functools
import re
import sys
from collections import Counter
from itertools import compress
from operator import itemgetter
from dataclasses import dataclass
from typing import Callable, Iterable

TOKEN = re.compile(r"\w+|[^\w\s]")
WORD = re.compile(r"\w+")
FORMAT_DIRECTIVE = re.compile(
    r"%(?:\d++\$)?[-+ #0']*+(?:\*|\d++)?(?:\.(?:\*|\d++))?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnm%]"
    r"|%\([^()]*+\)[sdfr]|\{[\w.]*+\}")   # possessive, and "(" ends a name: linear on any text
EXTENDED_SCORE = 0.75
LONG = 64          # a posting list longer than this is worth scoring the best candidates before walking it
WIDE = 32          # a key in more than one text in this many has its postings added as one integer


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
    # (longest - d) / longest, not 1 - d / longest: the same number as the bound shared / longest
    # when every shared token lines up, so texts tied at the bound are all found.
    return (longest - distance(a, b)) / longest


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
    """Token lists by id, with postings for :meth:`search` and first tokens for :meth:`prefixed`."""

    def __init__(self, measure: Measure):
        self.measure = measure
        self.tokens: list[list[str]] = []
        self.postings: dict[str, list[int]] = {}
        self._lanes: dict[str, int] = {}       # a common key's postings as one byte per text
        self._keys: dict[int, frozenset[str]] = {}   # a text's keys, kept once a search needed them
        self._whole: tuple[int, dict[tuple[str, ...], list[int]]] | None = None   # texts by first tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, tokens: list[str]) -> int:
        """Index one text's tokens; returns its id (0, 1, 2, … in the order added)."""
        doc = len(self.tokens)
        self.tokens.append(tokens)
        postings = self.postings
        for k in keys(tokens):
            found = postings.get(k)
            if found is None:
                postings[k] = [doc]
            else:
                found.append(doc)
                self._lanes.pop(k, None)
        self._whole = None
        return doc

    def prefixed(self, tokens: list[str], shortest: int = 3) -> list[int]:
        """Ids of indexed texts of at least ``shortest`` tokens that ``tokens`` begins with."""
        if self._whole is None or self._whole[0] != shortest:
            starts: dict[tuple[str, ...], list[int]] = {}
            for doc, toks in enumerate(self.tokens):
                if len(toks) >= shortest:
                    starts.setdefault(tuple(toks[:shortest]), []).append(doc)
            self._whole = (shortest, starts)
        texts = self.tokens
        return [doc for doc in self._whole[1].get(tuple(tokens[:shortest]), ())
                if len(texts[doc]) <= len(tokens) and tokens[:len(texts[doc])] == texts[doc]]

    def shared(self, query_keys: Iterable[str]) -> bytes | list[int]:
        """How many of ``query_keys`` each indexed text has, by id.

        A rare key's texts are counted one by one; a common key's (in more than one text in
        :data:`WIDE`) all at once, by adding its integer of one byte per text (built on first use).
        Bytes while a count fits in one (up to 255 keys), else a list of the sums of such bytes.
        """
        size, postings, lanes = len(self.tokens), self.postings, self._lanes
        chunks = []
        query_keys = [k for k in query_keys if k in postings]
        for at in range(0, len(query_keys) or 1, 255):
            narrow, wide = bytearray(size), 0
            for k in query_keys[at:at + 255]:
                found = postings[k]
                if len(found) * WIDE <= size:
                    for doc in found:
                        narrow[doc] += 1
                    continue
                lane = lanes.get(k)
                if lane is None:
                    ones = bytearray(size)
                    for doc in found:
                        ones[doc] = 1
                    lane = lanes[k] = int.from_bytes(ones, "little")
                wide += lane
            chunks.append((int.from_bytes(narrow, "little") + wide).to_bytes(size, "little"))
        return chunks[0] if len(chunks) == 1 else [sum(c) for c in zip(*chunks)]

    def search(self, query: list[str], floor: float, within: float = 0.0,
               extra: Iterable[int] = ()) -> list[tuple[float, int]]:
        """(score, id) of every text scoring at least ``floor`` and at least the best score minus
        ``within``, best first (ties: lower id first). ``extra`` ids are scored whatever they share.

        ``within=0`` asks for the best match only (and its ties); a merge that assigns each old
        text once asks for a few runners-up too.

        The query's keys are walked rarest first, counting the texts that have them; before a
        long posting list the text sharing the most so far is scored, which raises the bar. After
        ``j`` of ``k`` keys a text not met shares at most ``k - j``, which bounds its score: once
        that bound is under the bar, the common keys' lists are never read (an edited text finds
        its old self among the rare words). Only when the walk reaches a common key with the bar
        still low (new text: no good match) is every text counted at once (:meth:`shared`), at
        C speed. Nothing that can reach the bar is skipped: the result is what comparing every
        pair would give.

        (Over 60 lines on purpose: the walk and the ranking after it share the running bar that
        every verified score raises; split apart, that state would pass back and forth through
        the hottest loop of a merge.)
        """
        n = len(query)
        if n == 0 or not self.tokens:
            return []
        bound, score, texts, postings = self.measure.bound, self.measure.score, self.tokens, self.postings
        scored: dict[int, float] = {}
        best, bar = 0.0, floor

        def verify(doc: int) -> None:
            nonlocal best, bar
            s = scored[doc] = score(query, texts[doc], bar)
            if s > best:
                best = s
                bar = max(floor, best - within)

        def result() -> list[tuple[float, int]]:
            return sorted(((s, doc) for doc, s in scored.items() if s >= bar), key=lambda x: (-x[0], x[1]))

        for doc in extra:
            if doc not in scored:
                verify(doc)
        query_keys = set(keys(query))
        walk = sorted(filter(postings.__contains__, query_keys), key=lambda k: len(postings[k]))
        wide = len(texts) / WIDE
        left = len(walk)                  # keys not walked yet
        counts: Counter = Counter()       # text -> keys it has among those walked
        walked = 0
        probe_at = 2
        for key in walk:
            found = postings[key]
            if walked >= probe_at and len(found) > LONG and bound(left, n, left) >= bar:
                # Before a long list, score the text sharing the most keys so far.
                probe_at = walked + max(2, walked // 2)
                top = max(counts, key=counts.__getitem__)
                if counts[top] >= max(2, walked // 2) and top not in scored:
                    verify(top)
            if len(found) > wide:
                if bound(left, n, left) < bar:
                    break                 # no text not met yet can reach the bar
                return self._rank_all(query_keys, n, scored, verify, lambda: bar, result)
            counts.update(found)
            walked += 1
            left -= 1
        # Every text that can reach the bar has been met: those with enough keys, most keys first
        # (picked and sorted in C), until a text with that many and every key not walked could not
        # reach the bar.
        least = _fewest(bound, bar, n, left, walked)
        enough = list(compress(counts.items(), map(least.__le__, counts.values())))
        enough.sort(key=itemgetter(1), reverse=True)
        for doc, count in enough:
            if bound(count + left, n, count + left) < bar:
                break
            if doc in scored or bound(count + left, n, len(texts[doc])) < bar:
                continue
            if left and bound(len(query_keys.intersection(self._keys_of(doc))), n, len(texts[doc])) < bar:
                continue                  # the keys not walked: the exact shared count rules it out
            verify(doc)
        return result()

    def _keys_of(self, doc: int) -> frozenset[str]:
        """Text ``doc``'s keys, made the first time a search ranks it (profiled: making them again
        for every candidate was a tenth of a long story's edited run)."""
        found = self._keys.get(doc)
        if found is None:
            found = self._keys[doc] = frozenset(keys(self.tokens[doc]))
        return found

    def _rank_all(self, query_keys: set[str], n: int, scored: dict, verify: Callable[[int], None],
                  bar: Callable[[], float], result: Callable[[], list]) -> list[tuple[float, int]]:
        """:meth:`search` when common keys must be counted: every text's shared keys at once; the
        text sharing the most is scored first, then the others a count at a time, most first, each
        count's texts best bound first, until no text sharing that few can reach the bar
        (profiled: bounding and sorting every text over the least count was a third of this)."""
        bound, texts = self.measure.bound, self.tokens
        shared = self.shared(query_keys)
        most = _most(shared, n)
        if most == 0:
            return result()
        top = shared.index(most)
        if top not in scored and bound(most, n, len(texts[top])) >= bar():
            verify(top)
        if not isinstance(shared, bytes):
            least = max(1, _fewest(bound, bar(), n, 0, most))
            buckets: dict[int, list[int]] = {}
            for doc in compress(range(len(shared)), map(least.__le__, shared)):
                buckets.setdefault(shared[doc], []).append(doc)
        for count in range(most, 0, -1):
            if bound(count, n, count) < bar():
                break                     # a text of ``count`` shared keys has at least that many
            if isinstance(shared, bytes):
                docs = [m.start() for m in _byte(count).finditer(shared)]
            else:
                docs = buckets.get(count, [])
            ranked = sorted((-bound(count, n, len(texts[doc])), doc) for doc in docs if doc not in scored)
            for negative, doc in ranked:
                if -negative < bar():
                    break
                verify(doc)
        return result()


def _fewest(bound: Callable[[int, int, int], float], bar: float, n: int, left: int, walked: int) -> int:
    """Keys a text must have among the ``walked`` ones to reach ``bar`` with ``left`` keys unwalked
    (more than ``walked`` when none can)."""
    c = 0
    while c <= walked and bound(c + left, n, c + left) < bar:
        c += 1
    return c


def _most(shared: bytes | list[int], n: int) -> int:
    """The highest count in ``shared`` (a query of ``n`` keys): for bytes, looked for from ``n``
    down, each a C-speed scan (the best match usually shares nearly every key)."""
    if not isinstance(shared, bytes):
        return max(shared)
    for count in range(min(n, 255), 0, -1):
        if count in shared:
            return count
    return 0


@functools.cache
def _byte(count: int) -> re.Pattern:
    """One byte value: finds the texts sharing exactly ``count`` keys at C speed."""
    return re.compile(re.escape(bytes([count])), re.DOTALL)
