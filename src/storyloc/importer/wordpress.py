"""A WordPress export (WXR: WordPress eXtended RSS, what Tools → Export writes): one post or page of it.

An export holds a whole site: posts, pages, attachments, menu items, comments. A story is one
article, so one item is imported: the post or page whose slug (``wp:post_name``) is the story's
name, or the only one when the export holds just one. Its ``content:encoded`` is the post as its
editor saved it: block markup (``<!-- wp:paragraph -->``…), or classic HTML whose paragraphs are
blank lines, given their ``<p>`` as WordPress's ``wpautop`` gives them when it shows the post. The
title, slug, date, author's display name, excerpt, featured image (``_thumbnail_id`` → the
attachment's address, alt text and caption), categories and tags and the site's language become
front matter fields, each with the line of its element, for :mod:`.fields` to map or name.

The XML is read with the standard library's expat parser (which resolves no external entity and,
from expat 2.4, refuses entity expansion attacks), for the line of every element.
"""
from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

from ..errors import SourceError
from .state import State

WP = "wordpress.org/export/"          # the namespace's stem: its version (1.0, 1.1, 1.2) varies
ARTICLE_TYPES = ("post", "page")
# The block elements of WordPress's wpautop, an HTML comment, a <pre> (kept whole), a [caption] or [embed].
BLOCKS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|form|map|area|blockquote|"
          "address|math|style|script|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|"
          "figure|figcaption|details|menu|summary|iframe|video|audio|object|main")
BLOCK_TAG = re.compile(r"<!--.*?-->|<pre\b.*?</pre>|\[(caption|embed)\b.*?\[/\1\]"
                       rf"|<(?P<close>/)?(?P<name>{BLOCKS})\b[^>]*>", re.I | re.S)
FLOW = {"div", "blockquote", "section", "article", "aside", "header", "footer", "nav", "form", "details", "main",
        "figure", "address", "fieldset"}
VOID = {"hr", "col", "area"}
MEDIA_SHORTCODE = re.compile(r"\[(gallery|audio|video|playlist)\b[^\]]*\](?:.*?\[/\1\])?", re.S)
EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]")


@dataclass
class Item:
    """One ``<item>``: each field's text and line, its post meta, its categories and tags."""

    line: int
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    terms: dict[str, list[tuple[str, int]]] = field(default_factory=dict)   # domain → (name, line)
    comments: int = 0

    def text(self, name: str) -> str:
        return self.fields.get(name, ("", 0))[0].strip()

    def line_of(self, name: str) -> int:
        return self.fields.get(name, ("", self.line))[1]


@dataclass
class Export:
    """The channel (site title, language, authors' display names) and its items, in order."""

    language: str = ""
    authors: dict[str, str] = field(default_factory=dict)            # login → display name
    items: list[Item] = field(default_factory=list)


@dataclass
class Post:
    """The chosen item as the importer takes an article: front matter fields, their lines, the body."""

    meta: dict
    meta_lines: dict[str, int]
    body: str
    body_line: int
    lang: str | None
    status: tuple[str, int] | None = None      # when it is not "publish": the status and its line
    comments: int = 0


def is_wordpress_export(data: bytes | str) -> bool:
    """Whether the file is a WXR: an RSS document that declares WordPress's export namespace."""
    head = data[:4096].decode("utf-8", "replace") if isinstance(data, bytes) else data[:4096]
    return bool(re.search(r"<rss\b", head)) and WP in head


class _Reader:
    """expat's events gathered into an :class:`Export` (a field's text is every piece of text in it)."""

    def __init__(self):
        self.export = Export()
        self.item: Item | None = None
        self.path: list[str] = []
        self.text: list[str] = []
        self.start_line = 0
        self.key = ""
        self.term = ("category", 0)
        self.author = ("", "")
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text.append

    def start(self, name: str, attrs: dict) -> None:
        local = _local(name)
        self.path.append(local)
        self.text.clear()
        self.start_line = self.parser.CurrentLineNumber
        if local == "item" and len(self.path) == 3:
            self.item = Item(self.start_line)
        elif local == "category" and self.item is not None:
            self.term = (attrs.get("domain", "category"), self.start_line)
        elif local == "comment" and self.item is not None:
            self.item.comments += 1

    def end(self, name: str) -> None:
        local, text = _key(name), "".join(self.text)
        self.path.pop()
        self.text.clear()
        item = self.item
        if local == "item" and item is not None:
            self.export.items.append(item)
            self.item = None
        elif item is not None and len(self.path) == 3:            # rss > channel > item > here
            if local == "category":
                item.terms.setdefault(self.term[0], []).append((text.strip(), self.term[1]))
            elif local != "postmeta":
                item.fields[local] = (text, self.start_line)
        elif item is not None and self.path[-1:] == ["postmeta"]:
            if local == "meta_key":
                self.key = text.strip()
            elif local == "meta_value":
                item.meta[self.key] = text
        elif item is None and local == "language" and len(self.path) == 2:
            self.export.language = text.strip()
        elif item is None and self.path[-1:] == ["author"]:
            if local == "author_login":
                self.author = (text.strip(), self.author[1])
            elif local == "author_display_name":
                self.author = (self.author[0], text.strip())
                self.export.authors[self.author[0]] = self.author[1]


def _local(name: str) -> str:
    """An element's name without its namespace (``wp:post_name`` → ``post_name``)."""
    return name.rsplit(" ", 1)[-1]


def _key(name: str) -> str:
    """A field's name: its local name, but ``content`` and ``excerpt`` for the two ``…:encoded``."""
    uri, _, local = name.rpartition(" ")
    if local == "encoded":
        return "excerpt" if uri.rstrip("/").endswith("excerpt") else "content"
    return local


def read_export(data: bytes | str, name: str) -> Export:
    """Every item of a WXR file; a file that is not well-formed XML is an error naming its line."""
    reader = _Reader()
    try:
        reader.parser.Parse(data.encode("utf-8") if isinstance(data, str) else data, True)
    except xml.parsers.expat.ExpatError as error:
        raise SourceError(f"not a well-formed WordPress export: {xml.parsers.expat.ErrorString(error.code)}",
                          name, error.lineno) from None
    return reader.export


def choose_post(export: Export, slug: str | None, name: str) -> Item:
    """The post or page named ``slug`` (its ``wp:post_name``), or the only one of the export."""
    articles = [i for i in export.items if i.text("post_type") in ARTICLE_TYPES]
    if not articles:
        raise SourceError("a WordPress export with no post or page: not an article", name, 1)
    found = [i for i in articles if i.text("post_name") == slug]
    if found:
        return found[0]
    if len(articles) == 1:
        return articles[0]
    slugs = [i.text("post_name") for i in articles if i.text("post_name")]
    shown = ", ".join(slugs[:12]) + (f" and {len(slugs) - 12} more" if len(slugs) > 12 else "")
    raise SourceError(f"this WordPress export holds {len(articles)} posts and pages, none named {slug!r}; "
                      f"name one with --story (its slug): {shown}", name, 1)


def wordpress_post(data: bytes | str, name: str, slug: str | None) -> Post:
    """The post of the export that the story ``slug`` names, as front matter fields and an HTML body."""
    export = read_export(data, name)
    item = choose_post(export, slug, name)
    meta: dict = {}
    lines: dict[str, int] = {}

    def put(key: str, value, line: int) -> None:
        if value not in (None, "", []):
            meta[key], lines[key] = value, line

    put("title", item.text("title"), item.line_of("title"))
    put("excerpt", item.text("excerpt"), item.line_of("excerpt"))
    creator = item.text("creator")
    put("author", export.authors.get(creator) or creator, item.line_of("creator"))
    put("date", item.text("post_date") or item.text("pubDate"), item.line_of("post_date"))
    _featured_image(export, item, put)
    for domain, terms in item.terms.items():
        key = {"category": "categories", "post_tag": "tags"}.get(domain, domain)
        put(key, [t for t, _ in terms], terms[0][1])
    status = item.text("status")
    return Post(meta, lines, item.fields.get("content", ("", item.line))[0], item.line_of("content"),
                export.language or None, (status, item.line_of("status")) if status != "publish" else None,
                item.comments)


def _featured_image(export: Export, item: Item, put) -> None:
    """The post's featured image: its ``_thumbnail_id`` is an attachment item of the export."""
    thumbnail = item.meta.get("_thumbnail_id", "").strip()
    if not thumbnail:
        return
    attachment = next((i for i in export.items if i.text("post_type") == "attachment"
                       and i.text("post_id") == thumbnail), None)
    if attachment is None or not attachment.text("attachment_url"):
        return
    put("featured_image", attachment.text("attachment_url"), attachment.line_of("attachment_url"))
    put("image_alt", attachment.meta.get("_wp_attachment_image_alt", "").strip(), attachment.line)
    put("image_caption", attachment.text("excerpt"), attachment.line_of("excerpt"))


def wordpress_content(text: str, state: State, first: int) -> str:
    """A post's saved content as the HTML WordPress shows: media shortcodes the export cannot carry
    named and left out, ``[embed]`` as an embed, and paragraphs made the way ``wpautop`` makes them.
    Every replacement keeps the line count, so the lines of warnings stay the file's."""
    def line_at(pos: int) -> int:
        return first + text.count("\n", 0, pos) + 1

    def media(m):
        state.warn(line_at(m.start()), f"WordPress shortcode [{m.group(1)}] (media the export does not hold) "
                                       f"left out")
        return "\n" * m.group(0).count("\n")

    text = MEDIA_SHORTCODE.sub(media, text)
    if "<!-- wp:" not in text:
        text = autop(text)                                # WordPress runs wpautop on classic content only
    return EMBED_SHORTCODE.sub(lambda m: f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
                                         f'{m.group(1)}</div></figure>', text)


def autop(text: str) -> str:
    """Paragraphs as WordPress's ``wpautop`` makes them when it shows classic content: text between
    blank lines, outside any block element (or directly in a ``<div>``, ``<blockquote>``, ``<section>``…),
    is a ``<p>``, and a line break inside such text or a list item or cell a ``<br>``; ``<pre>`` is left
    as it is. Written to keep every newline where it was, so lines stay the file's. (Block-editor
    content, ``<!-- wp:paragraph --><p>…``, has its paragraphs already: WordPress does not run it.)"""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in BLOCK_TAG.finditer(text):
        out.append(_paragraphs(text[pos:m.start()], not stack or stack[-1] in FLOW))
        tag = m.group(0)
        name = (m.group("name") or "").lower()
        if m.group("close") and name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
        elif name and not m.group("close") and name not in VOID and not tag.endswith("/>"):
            stack.append(name)
        out.append(tag)
        pos = m.end()
    out.append(_paragraphs(text[pos:], not stack or stack[-1] in FLOW))
    return "".join(out)


def _paragraphs(run: str, flow: bool) -> str:
    """A run of text between block tags: in flow content, each stretch between blank lines a ``<p>``;
    elsewhere (a list item, a cell) just its line breaks as ``<br>``."""
    if not run.strip():
        return run
    pieces = re.split(r"(\n[ \t]*\n\s*)", run)
    out = []
    for piece in pieces:
        if not piece.strip() or piece.startswith("\n") and not piece.strip():
            out.append(piece)
            continue
        lead = piece[:len(piece) - len(piece.lstrip())]
        trail = piece[len(piece.rstrip()):]
        body = re.sub(r"[ \t]*\n", "<br>\n", piece.strip())
        out.append(lead + (f"<p>{body}</p>" if flow else body) + trail)
    return "".join(out)
