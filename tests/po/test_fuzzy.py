"""The one fuzzy index: it finds exactly what scoring every pair finds, for both measures."""
from __future__ import annotations

import random

import pytest

from storyloc.po import fuzzy


def _corpus(rng: random.Random, size: int) -> list[list[str]]:
    """Texts where a few words are everywhere (as "the" is) and most are rare."""
    common = ["the", "of", "and", "in", "troops", "city"]
    rare = [f"w{i}" for i in range(400)]
    return [[rng.choice(common) if rng.random() < 0.5 else rng.choice(rare) for _ in range(rng.randint(3, 30))]
            for _ in range(size)]


def _edited(rng: random.Random, text: list[str]) -> list[str]:
    text = list(text)
    for _ in range(rng.randint(0, 3)):
        text[rng.randrange(len(text))] = f"w{rng.randrange(400)}"
    if rng.random() < 0.3:
        text += ["and", "nothing", "else"]
    return text


@pytest.mark.parametrize("measure, floor, within", [(fuzzy.RATIO, 0.6, 0.1), (fuzzy.RATIO, 0.6, 1.0),
                                                     (fuzzy.EDIT, 0.7, 0.0), (fuzzy.EDIT, 0.5, 0.2)])
def test_search_finds_what_scoring_every_pair_finds(measure, floor, within):
    rng = random.Random(7)
    corpus = _corpus(rng, 800)
    index = fuzzy.Index(measure)
    for text in corpus:
        index.add(text)
    for _ in range(120):
        query = _edited(rng, rng.choice(corpus)) if rng.random() < 0.8 else _corpus(rng, 1)[0]
        everything = [(measure.score(query, text, 0.0), doc) for doc, text in enumerate(corpus)]
        best = max(s for s, _ in everything)
        bar = max(floor, best - within)
        expected = sorted(((s, d) for s, d in everything if s >= bar), key=lambda x: (-x[0], x[1]))
        # the merge's measure reaches an old text its new one merely extends through its prefix
        extra = index.prefixed(query) if measure is fuzzy.RATIO else ()
        assert index.search(query, floor, within, extra) == expected, query


def test_an_old_text_the_new_one_extends_is_found_by_its_prefix():
    index = fuzzy.Index(fuzzy.RATIO)
    short = fuzzy.words("Cannot open the file")
    index.add(fuzzy.words("Something else entirely, with many more words than the query has"))
    index.add(short)
    query = fuzzy.words("Cannot open the file, or the operation was cancelled by the user before it finished")
    assert index.prefixed(query) == [1]
    assert index.search(query, 0.6) == []                    # shares too few words for the ratio
    found = index.search(query, 0.6, extra=index.prefixed(query))
    assert found == [(fuzzy.EXTENDED_SCORE, 1)]


def test_prefixed_finds_every_text_the_query_begins_with():
    rng = random.Random(5)
    corpus = [[rng.choice("abc") for _ in range(rng.randint(1, 8))] for _ in range(300)]
    index = fuzzy.Index(fuzzy.RATIO)
    for text in corpus:
        index.add(text)
    for _ in range(300):
        query = [rng.choice("abc") for _ in range(rng.randint(0, 10))]
        expected = [doc for doc, text in enumerate(corpus) if len(text) >= 3 and query[:len(text)] == text]
        assert index.prefixed(query) == expected
        assert index.prefixed(query, 5) == [doc for doc in expected if len(corpus[doc]) >= 5]


def test_words_ignore_format_directives_and_case():
    assert fuzzy.words("Cannot open %s: %(reason)s {path}") == ["cannot", "open"]
    assert fuzzy.words("%s: %d") == ["%", "s", ":", "%", "d"]    # nothing else: the text as it is
    assert fuzzy.tokens("Bakhmut, Donetsk Oblast.") == ["Bakhmut", ",", "Donetsk", "Oblast", "."]


def test_an_empty_query_or_index_finds_nothing():
    index = fuzzy.Index(fuzzy.EDIT)
    assert index.search(["a"], 0.5) == []
    index.add(["a", "b"])
    assert index.search([], 0.5) == []


def test_long_texts_and_texts_added_after_a_search():
    """Counts past one byte (a query of 300 keys) and a common key's postings grown after a search
    are counted as comparing every pair counts them."""
    rng = random.Random(11)
    long_text = [rng.choice(["the", "of", "and"]) if rng.random() < 0.5 else f"w{rng.randrange(50)}"
                 for _ in range(300)]
    corpus = [_edited(rng, long_text) + ["x"] for _ in range(40)]
    index = fuzzy.Index(fuzzy.EDIT)
    for text in corpus:
        index.add(text)
    for _ in range(2):
        everything = [(fuzzy.similarity(long_text, text), doc) for doc, text in enumerate(corpus)]
        best = max(s for s, _ in everything)
        assert index.search(long_text, 0.9) == sorted(((s, d) for s, d in everything if s >= best),
                                                      key=lambda x: (-x[0], x[1]))
        corpus.append(long_text)                       # "the"'s postings grow after their first use
        index.add(long_text)
    assert index.search(long_text, 0.9) == [(1.0, 40), (1.0, 41)]
    shared = index.shared(long_text)
    assert shared[40] == 300 and max(shared) == 300


def test_texts_tied_at_their_bound_are_all_found():
    """Six of seven tokens shared, one substituted: every such text scores exactly its bound, so
    none is dropped for a rounding step above the bar the first one set."""
    index = fuzzy.Index(fuzzy.EDIT)
    for i in range(200):
        index.add([f"filler{i}", "q", "r", "s", "t", "u", "v"])
    first = index.add("a b c d e f Z".split())
    second = index.add("Y b c d e f g".split())
    assert index.search("a b c d e f g".split(), 0.7) == [(6 / 7, first), (6 / 7, second)]


def test_a_long_query_of_common_words_only_is_found():
    """Every key in every text: the count is one byte per text, and twice 200 does not fit one."""
    text = [f"w{i}" for i in range(200)]
    index = fuzzy.Index(fuzzy.RATIO)
    for _ in range(100):
        index.add(list(text))
    assert index.search(text, 0.6) == [(1.0, doc) for doc in range(100)]


@pytest.mark.parametrize("measure", [fuzzy.RATIO, fuzzy.EDIT])
def test_texts_added_after_a_search_without_its_common_words(measure):
    """A common word's vector of one byte per text, made by a search, is made again when texts
    that lack the word are added after it."""
    index = fuzzy.Index(measure)
    corpus = [["the", "cat", f"x{i}"] for i in range(100)]
    for text in corpus:
        index.add(text)
    query = ["the", "cat", "sat"]
    for added in (["no", "article"], ["the", "cat", "sat"]):
        index.search(query, 0.3)
        corpus.append(added)
        index.add(added)
        scores = [(measure.score(query, text, 0.0), doc) for doc, text in enumerate(corpus)]
        best = max(s for s, _ in scores)
        expected = sorted(((s, d) for s, d in scores if s >= best), key=lambda x: (-x[0], x[1]))
        assert index.search(query, 0.3) == expected
