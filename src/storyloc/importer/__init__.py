"""``storyloc import``: turn what a newsroom has into ``source/<story>/article.md``.

Two kinds of input, one converter:

* a CMS's HTML export (WordPress, Tumblr, a saved page): parsed by html5lib,
  the WHATWG parsing algorithm browsers use, through BeautifulSoup, which
  keeps each element's source line for the warnings (:mod:`.html_export`);
* Hugo, Jekyll or Eleventy Markdown: the figure shortcodes become ``<figure>``
  markup, markdown-it renders the rest with the plugins storyloc's own model
  uses, each block tagged with its source line, and the same HTML path reads
  it back (:mod:`.posts`, :mod:`.fields`).

markdownify writes the Markdown (:mod:`.writer`), with converters of our own
for what the story format has and plain HTML has not: ``::: figure`` and
``::: pullquote`` containers (:mod:`.figure_md`) and footnotes. Everything the
story format cannot carry is named as ``<file>:<line>: …`` in
:attr:`Imported.warnings`; a file that is not an article is a
:class:`~storyloc.errors.SourceError`. :mod:`.article` ties them together for
one file; :mod:`.state` is what one conversion shares.
"""
from .article import Converted, Imported, convert, import_article

__all__ = ["Converted", "Imported", "convert", "import_article"]
