"""A story's source, ``source/<story>/article.md``: YAML front matter and a CommonMark body.

The body is parsed by markdown-it-py's block parser with mdit-py-plugins (front matter,
footnotes, ``:::`` containers, definition lists, TeX math) and GFM tables, into a tree of :class:`Block`. Every leaf
block's text is a :class:`Segment`: one message for a translator. One walker,
:meth:`Story.segments`, gives the segments in reading order; extraction records them, and the
renderers (:func:`render_markdown` here, the page in ``build``) walk the same tree, asking a
callback for each segment's text.

Figures and pull quotes are containers::

    ::: figure city-center
    image: images/city-center.jpg
    alt: A street of broken buildings
    caption: The center of Bakhmut, Donetsk Oblast
    credit: Oleksandr Babenko for Gwara Media
    :::

Links ``[text](url)``, ``[text][ref]`` and ``<url>`` become ``[text][1]`` in the text a
translator sees; the targets stay in the story, so a translation cannot change them.
The package's modules, in the order a story is read:

* :mod:`.model`: the tree (:class:`Story`, :class:`Block`, :class:`Segment`, :class:`Figure`, …);
* :mod:`.reader`: markdown-it's parse and the :class:`~.reader.Reader` that turns it into a story,
  with :mod:`.front_matter`, :mod:`.walker` (the block walker), :mod:`.figures` and :mod:`.html`
  (raw HTML: embeds, and the inline tags a story can carry);
* :mod:`.inline`: inline text both ways (tokens → ``[text][n]``, a translation → safe tokens);
* :mod:`.markdown`: the tree written back as ``article.md``.
"""
from .front_matter import front_matter_language
from .inline import LINK_REF, count_words
from .markdown import render_markdown
from .model import (Block, Correction, Figure, Footnote, Segment, Story, context_for, figure_json,
                    is_url, iter_blocks)
from .reader import load_story, parse_story, parse_story_text, source_parser

__all__ = ["Block", "Figure", "Footnote", "Correction", "Segment", "Story", "parse_story",
           "parse_story_text", "load_story", "render_markdown", "count_words", "LINK_REF", "context_for",
           "figure_json", "front_matter_language", "is_url", "iter_blocks", "source_parser"]
