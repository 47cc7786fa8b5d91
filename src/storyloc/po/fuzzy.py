"""The one fuzzy index: merge suggestions (``update``) and translation-memory lookups (``tm``).

Texts are indexed by their tokens made unique by occurrence ("the", "the#1",
…), so a posting list counts shared words as multisets. The count of keys a
text shares with the query bounds its score from above. A search walks the
query's rarest keys first: an edited text meets its old self there, whose
score raises the bar past every text not met. A new text raises no bar, and
proving that nothing reaches it means counting every text's shared keys:
that is done at once, in C, with numpy (``bincount`` over the rare keys'
postings, a vector of one byte per text added for each common key). Then the
texts whose bound reaches the bar are scored, best bound first. Nothing that
can reach the bar is skipped: the result is what comparing every pair would
give.

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
from array import array
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
WIDE = 512         # a key (past LONG texts) in more than one text in this many: count every text at once
DENSE = 8          # a key in more than one text in this many is counted as one byte per text


def words(text: str) -> list[str]:
    """The words that carry meaning, lower case: format directives and punctuation say little
    about a match (the merge's tokens); punctuation only when there is nothing else. Interned:
    an index holds each word once, not once per text (a fifth of a 100,000-message merge's peak)."""
    found = WORD.findall(FORMAT_DIRECTIVE.sub(" ", text).lower()) or TOKEN.findall(text.lower())
    return list(map(sys.intern, found))


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens, as CAT tools count them (the memory's tokens), interned."""
    return list(map(sys.intern, TOKEN.findall(text)))


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
    bounds: Callable   # ``bound`` over numpy int64 arrays of shared counts and lengths, every text at once


def _ratio_bound(shared, n, m):
    return 2 * shared / (n + m)


RATIO = Measure(ratio, _ratio_bound, _ratio_bound)
EDIT = Measure(similarity, lambda shared, n, m: shared / max(n, m),
               lambda shared, n, m: shared / _numpy().maximum(n, m))


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
        self.postings: dict[str, array] = {}   # key -> ids, as C ints that numpy reads without a copy
        self._lengths = array("i")             # token count by id, likewise
        self._dense: dict = {}                 # a common key's postings as a numpy vector of 0/1 by id
                                               # (made again once texts were added: its length differs)
        self._keys: dict[int, frozenset[str]] = {}   # a text's keys, kept once a search needed them
        self._whole: tuple[int, dict[tuple[str, ...], list[int]]] | None = None   # texts by first tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, tokens: list[str]) -> int:
        """Index one text's tokens; returns its id (0, 1, 2, … in the order added)."""
        doc = len(self.tokens)
        self.tokens.append(tokens)
        self._lengths.append(len(tokens))
        postings = self.postings
        for k in keys(tokens):
            found = postings.get(k)
            if found is None:
                postings[k] = array("i", (doc,))
            else:
                found.append(doc)
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

    def shared(self, query: list[str]):
        """How many of ``query``'s keys each indexed text has, as a numpy array of unsigned
        integers by id (as narrow as the query's length allows: widen before arithmetic).

        A rare key's postings are counted with the others' in one ``numpy.bincount``; a common key
        (in more than one text in :data:`DENSE`) is added as a vector of one byte per text, made
        on first use and again once texts were added (profiled: scattering "the", "of", … text by
        text was most of the count).
        """
        numpy = _numpy()
        size, postings, dense = len(self.tokens), self.postings, self._dense
        sums = numpy.zeros(size, dtype=numpy.min_scalar_type(len(query)))   # a text shares at most that many
        rare = []
        for k in set(keys(query)):
            found = postings.get(k)
            if found is None:
                continue
            if len(found) * DENSE <= size:
                rare.append(numpy.frombuffer(found, dtype=numpy.int32))
                continue
            vector = dense.get(k)
            if vector is None or len(vector) != size:
                vector = dense[k] = numpy.zeros(size, dtype=numpy.uint8)
                vector[numpy.frombuffer(found, dtype=numpy.int32)] = 1
            numpy.add(sums, vector, out=sums)
        if rare:
            return numpy.bincount(numpy.concatenate(rare), minlength=size) + sums
        return sums

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
        its old self among the rare words). When the walk reaches a list longer than
        :data:`LONG` and than one text in :data:`WIDE` with the bar still low (new text: no good
        match), every text is counted at once instead (:meth:`shared`, numpy). Nothing that can
        reach the bar is skipped: the result is what comparing every pair would give.

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
        wide = max(LONG, len(texts) / WIDE)   # a list this short costs less to walk than counting all
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
                return self._rank_all(query, scored, verify, lambda: bar, result)
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

    def _rank_all(self, query: list[str], scored: dict, verify: Callable[[int], None],
                  bar: Callable[[], float], result: Callable[[], list]) -> list[tuple[float, int]]:
        """:meth:`search` when common keys must be counted: every text's shared keys at once; the
        texts sharing enough, then those whose bound (from that count and their length) reaches
        the bar, picked in C (numpy); these scored best bound first until the next could not
        reach the raised bar."""
        numpy = _numpy()
        n, shared = len(query), self.shared(query)
        enough = numpy.flatnonzero(shared >= _fewest(self.measure.bound, bar(), n, 0, n))
        bounds = self.measure.bounds(shared[enough].astype(numpy.int64), n,   # 2 × a byte overflows a byte
                                     numpy.frombuffer(self._lengths, dtype=numpy.int32)[enough])
        reach = bounds >= bar()
        enough, bounds = enough[reach], bounds[reach]
        order = numpy.argsort(-bounds, kind="stable")
        for doc, most in zip(enough[order].tolist(), bounds[order].tolist()):
            if most < bar():
                break
            if doc not in scored:
                verify(doc)
        return result()


def _fewest(bound: Callable[[int, int, int], float], bar: float, n: int, left: int, walked: int) -> int:
    """Keys a text must have among the ``walked`` ones to reach ``bar`` with ``left`` keys unwalked
    (more than ``walked`` when none can)."""
    c = 0
    while c <= walked and bound(c + left, n, c + left) < bar:
        c += 1
    return c


def _numpy():
    """numpy, imported when a search first counts every text (a command that never does, such as
    ``storyloc --help``, does not pay its 0.1 s)."""
    import numpy
    return numpy
