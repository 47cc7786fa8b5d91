"""``storyloc import``: turn what a newsroom has into ``source/<story>/article.md``.

Two kinds of input, one converter:

* a CMS's HTML export (WordPress, Tumblr, a saved page): parsed by html5lib,
  the WHATWG parsing algorithm browsers use, through BeautifulSoup, which
  keeps each element's source line for the warnings;
* Hugo, Jekyll or Eleventy Markdown: the figure shortcodes become ``<figure>``
  markup, markdown-it renders the rest with the plugins storyloc's own model
  uses, each block tagged with its source line, and the same HTML path reads
  it back.

markdownify writes the Markdown, with converters of our own for what the
story format has and plain HTML has not: ``::: figure`` and ``::: pullquote``
containers and footnotes. Everything the story format cannot carry is named
as ``<file>:<line>: …`` in :attr:`Imported.warnings`; a file that is not an
article is a :class:`~storyloc.errors.SourceError`.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..errors import SourceError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MD_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdx"}
LINE_ATTR = "data-storyloc-line"
BLOCK_ATTR = "data-storyloc-html"

# Front matter fields of Hugo, Jekyll and Eleventy that have a place in a story, by the story's name.
_TITLE = ("title",)
_DEK = ("dek", "subtitle", "description", "summary", "excerpt")
_BYLINE = ("byline", "author", "authors")
_DATE = ("date", "publishDate", "published", "pubdate")
_CANONICAL = ("canonical_url", "canonicalURL", "canonical")
_LEAD_IMAGE = ("image", "featured_image", "featureimage", "cover_image", "lead_image", "thumbnail")
_LEAD_CAPTION = ("image_figcaption", "image_caption", "caption")
_LEAD_ALT = ("image_alt", "alt")
_LEAD_CREDIT = ("image_credit", "credit", "photographer")
_KEPT = ("publisher", "photographer", "keep")
_MAPPED = set(_TITLE + _DEK + _BYLINE + _DATE + _CANONICAL + _LEAD_IMAGE + _LEAD_CAPTION + _LEAD_ALT
              + _LEAD_CREDIT + _KEPT + ("lang", "language", "locale"))

# Hugo ({{< name … >}}, {{% name … %}}) and Liquid/Nunjucks ({% name … %}) tags.
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]+)(.*?)\s*[>%]\}\}|\{%-?\s*(/?)\s*([\w.-]+)(.*?)\s*-?%\}", re.S)
_ARG = re.compile(r"""([\w-]+)\s*[=:]\s*("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s,"'`]+)|("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`)""")
_FIGURE_SHORTCODES = {"figure", "img", "image", "legacy-img", "legacy-img-left", "legacy-img-right", "img-left",
                      "img-right", "picture", "photo", "image_with_class"}
_LINK_SHORTCODES = {"link", "relref", "ref", "url", "post_url", "link_to"}
_CREDIT = re.compile(r"(?:^|(?<=[.!?)]\s))((?:Photo|Photograph|Image|Illustration|Graphic|Video|Map|Chart|Credit)s?"
                     r"(?:\s+courtesy)?(?:\s+of|\s+by|:)\s+\S.*)$")
_DROPPED_QUIETLY = {"head", "title", "meta", "link", "base", "template"}
_DROPPED_WITH_WARNING = {
    "script": "a script", "style": "a <style> block", "noscript": "a <noscript> block", "form": "a form",
    "button": "a button", "input": "a form field", "select": "a form field", "textarea": "a form field",
    "svg": "an inline SVG graphic", "canvas": "a canvas", "video": "a video", "audio": "an audio player",
    "object": "an embedded object", "embed": "an embedded object", "map": "an image map", "math": "a formula",
}


@dataclass
class Converted:
    """An article as story Markdown: what :func:`convert` returns."""

    text: str
    title: str
    warnings: list[str] = field(default_factory=list)
    figures: int = 0
    kind: str = "markdown"


@dataclass
class Imported:
    """What ``storyloc import`` did: the file written and what it could not carry."""

    source: Path
    path: Path
    kind: str
    title: str
    figures: int
    warnings: list[str]


def import_article(path: Path | str, slug: str, project, *, force: bool = False,
                   base_url: str | None = None) -> Imported:
    """Convert ``path`` and write it as ``source/<slug>/article.md``, atomically.

    An existing article is kept unless ``force``: an import must never
    overwrite a story someone has edited.
    """
    from ..project import STORY_SLUG
    from ..files import write_atomic
    path = Path(path)
    if not STORY_SLUG.match(slug):
        raise SourceError(f"not a story name: {slug!r} (lowercase letters, digits and '-')")
    target = project.article(slug)
    if target.exists() and not force:
        raise SourceError("already exists; pass --force to replace it with the import", project.rel(target))
    shown = _shown(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a folder, not an article file", shown) from None
    except FileNotFoundError:
        raise SourceError("no such file", shown) from None
    suffix = path.suffix.lower()
    converted = convert(data, shown, html=True if suffix in HTML_SUFFIXES else False if suffix in MD_SUFFIXES else None,
                        base_url=base_url, date_hint=_date_from_name(path.name),
                        lang_hint=_lang_from_name(path.name), source_language=project.source_language)
    write_atomic(target, converted.text.encode("utf-8"))
    return Imported(path, target, converted.kind, converted.title, converted.figures, converted.warnings)


def convert(data: bytes | str, name: str = "<input>", *, html: bool | None = None,
            base_url: str | None = None, date_hint: str | None = None, lang_hint: str | None = None,
            source_language: str | None = None) -> Converted:
    """Convert one article (HTML or Markdown, with or without front matter) to story Markdown.

    ``html=None`` decides by the content: a file whose body starts with a tag is HTML.
    """
    if isinstance(data, bytes):
        if not data.strip():
            raise SourceError("the file is empty: not an article", name, 1)
        if b"\x00" in data[:4096]:
            raise SourceError("a binary file, not an article", name, 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if html is not False and data.lstrip()[:1] == b"<":
                text = None  # html5lib reads the <meta charset> or sniffs the encoding
            else:
                line = data[:error.start].count(b"\n") + 1
                raise SourceError("not UTF-8 text: not an article this importer can read", name, line) from None
    else:
        text = data
    if text is not None and not text.strip():
        raise SourceError("the file is empty: not an article", name, 1)
    meta, body, body_line, meta_lines = _split_front_matter(text, name) if text is not None else ({}, None, 1, {})
    if html is None:
        html = body is None or bool(re.match(r"\s*<(!doctype|html|head|body|article|main|div|p|h[1-6]|section)\b",
                                             body, re.I))
    state = _State(name, base_url)
    state.lang_hint = lang_hint
    if html:
        soup = _parse_html(body if body is not None else data, state)
        state.line_offset = body_line - 1
        kind = "html"
    else:
        soup = _markdown_to_soup(body, body_line, state)
        kind = "markdown"
    _reject_non_articles(soup, name)
    fields = _front_matter(meta, meta_lines, soup, state, date_hint)
    root = _article_root(soup, state)
    h1 = root.find("h1")
    if h1 is not None and _clean(h1.get_text(" ")) == fields["title"]:
        h1.decompose()  # the page's own title, already the story's
    body_md = _tidy(_Converter(state).convert_soup(root))
    if not state.text_blocks:
        raise SourceError("no article text (no paragraph, list, table or captioned figure): not an article",
                          name, body_line)
    if source_language and fields.get("lang") == source_language:
        del fields["lang"]  # the project's own language goes without saying
    lead = fields.get("lead")
    if lead and lead["image"] in state.figure_images:
        del fields["lead"]
        state.warn(state.lead_line, "the lead image is also a figure of the article; kept once, as that figure")
    elif lead and "alt" not in lead:
        state.warn(state.lead_line, "the lead image has no alt text; add `alt:` under `lead:`")
    text_out = _write_front_matter(fields) + "\n" + body_md
    warnings = sorted(state.warnings, key=lambda w: int(w[len(name) + 1:].split(":", 1)[0]))
    return Converted(text_out, fields["title"], warnings, state.figure_count, kind)


# -- front matter ---------------------------------------------------------------------------


def _split_front_matter(text: str, name: str):
    """YAML (``---``) or TOML (``+++``) front matter; returns (fields, body, body's first line, field lines)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, text, 1, {}
    fence = lines[0].strip()
    for end in range(1, len(lines)):
        if lines[end].strip() == fence:
            break
    else:
        raise SourceError(f"front matter opened with {fence} is never closed", name, 1)
    raw = "".join(lines[1:end])
    if fence == "+++":
        import tomllib
        try:
            meta = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as error:
            raise SourceError(f"front matter is not valid TOML: {error}", name, 1) from None
        field_lines = {key: 1 + i + 1 for i, l in enumerate(lines[1:end])
                       for key in [l.split("=", 1)[0].strip()] if "=" in l}
    else:
        import yaml
        try:
            node = yaml.compose(raw, Loader=yaml.SafeLoader)
            meta = yaml.safe_load(raw)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            raise SourceError(f"front matter is not valid YAML: {getattr(error, 'problem', error)}", name,
                              line) from None
        field_lines = {}
        if isinstance(node, yaml.MappingNode):
            field_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value if hasattr(k, "value")}
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError("front matter is not a mapping of fields", name, 2)
    return meta, "".join(lines[end + 1:]), end + 2, field_lines


def _front_matter(meta: dict, lines: dict, soup, state: "_State", date_hint: str | None) -> dict:
    """The story's fields from the CMS's, each dropped one named with its line."""
    def first(keys):
        for key in keys:
            value = meta.get(key)
            if value not in (None, "", []):
                return key, value
        return None, None

    out: dict = {}
    key, title = first(_TITLE)
    if isinstance(title, (int, float)) and not isinstance(title, bool):
        title = str(title)  # `title: 1984` is a title, not a number
    if title is None:
        title = _page_title(soup, state)
    if not isinstance(title, str) or not title.strip():
        raise SourceError("no title (front matter `title`, an <h1> or a <title>): not an article",
                          state.name, lines.get("title", 1))
    out["title"] = _clean(title)
    used = {key} if key else set()
    for keys, story_key in ((_DEK, "dek"), (_CANONICAL, "canonical_url")):
        key, value = first(keys)
        if isinstance(value, str) and value.strip():
            out[story_key] = _clean(value)
            used.add(key)
    if "dek" not in out:
        dek = _meta_content(soup, "description") or _meta_content(soup, "og:description")
        if dek:
            out["dek"] = _clean(dek)
    key, authors = first(_BYLINE)
    if isinstance(authors, str):
        authors = [authors]
    if isinstance(authors, list) and all(isinstance(a, str) for a in authors):
        out["byline"] = ", ".join(_clean(a) for a in authors)
        used.add(key)
    elif _meta_content(soup, "author"):
        out["byline"] = _clean(_meta_content(soup, "author"))
    key, date = first(_DATE)
    iso = _iso_date(date) if date is not None else None
    if date is not None and iso is None:
        state.warn(lines.get(key, 1), f"front matter {key} {date!r} is not a date; left out")
    elif iso:
        used.add(key)
    iso = iso or _iso_date(_meta_content(soup, "article:published_time") or _time_datetime(soup)) or date_hint
    if iso:
        out["date"] = iso
    for key in _KEPT:
        if key in meta and meta[key] not in (None, ""):
            out[key] = meta[key]
            used.add(key)
    key, lang = first(("lang", "language", "locale"))
    if not isinstance(lang, str):
        html_tag = soup.find("html")
        lang = (html_tag.get("lang") if html_tag is not None else None) or state.lang_hint
    else:
        used.add(key)
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2,3}([_-]|$)", lang.strip()):
        out["lang"] = re.split(r"[_-]", lang.strip())[0].lower()  # the story's own language (issue: German-origin)
    key, image = first(_LEAD_IMAGE)
    if isinstance(image, str) and image.strip():
        lead = {"image": state.url(image.strip(), lines.get(key, 1), "lead image")}
        used.add(key)
        for keys, lead_key in ((_LEAD_ALT, "alt"), (_LEAD_CAPTION, "caption"), (_LEAD_CREDIT, "credit")):
            k, v = first(keys)
            if isinstance(v, str) and v.strip():
                lead[lead_key] = _clean(v)
                used.add(k)
        if "caption" in lead and "credit" not in lead:
            m = _CREDIT.search(lead["caption"])
            if m:
                lead["credit"], lead["caption"] = _credit(m.group(1)), lead["caption"][:m.start()].strip()
                if not lead["caption"]:
                    del lead["caption"]
        out["lead"] = lead
        state.lead_line = lines.get(key, 1)
    for key in meta:
        if key in used:
            continue
        why = "not carried" if key in _MAPPED else "has no place in a story"
        state.warn(lines.get(key, 1), f"front matter field {key!r} {why}; left out")
    return out


def _write_front_matter(fields: dict) -> str:
    import yaml
    order = ["title", "dek", "byline", "date", "lang", "publisher", "photographer", "canonical_url", "keep", "lead"]
    ordered = {k: fields[k] for k in order if k in fields}
    ordered.update((k, v) for k, v in fields.items() if k not in ordered)
    dumped = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return "---\n" + dumped + "---\n"


def _iso_date(value) -> str | None:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?", value)
        if m:
            try:
                _dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
            except ValueError:
                return None
            return f"{m[1]}-{m[2]}" + (f"-{m[3]}" if m[3] else "")
    return None


def _date_from_name(filename: str) -> str | None:
    m = re.match(r"(\d{4}-\d{2}-\d{2})-", filename)  # Jekyll's _posts/2014-09-04-slug.html
    return _iso_date(m[1]) if m else None


def _lang_from_name(filename: str) -> str | None:
    m = re.search(r"\.([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\.(?:md|markdown|html?)$", filename)  # Hugo's index.de.md
    return m.group(1) if m else None


def _clean(text: str) -> str:
    """Collapse line-wrapping whitespace; NBSP and other non-ASCII spaces are text and stay."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(str(text))).strip(" \t\r\n")


# -- parsing --------------------------------------------------------------------------------


class _State:
    """What the conversion of one file shares: its name, line offsets, warnings, figure ids."""

    def __init__(self, name: str, base_url: str | None):
        self.name = name
        self.base_url = base_url
        self.warnings: list[str] = []
        self._seen: set = set()
        self.line_offset = 0
        self.figure_ids: set[str] = set()
        self.figure_count = 0
        self.text_blocks = 0
        self.lead_line = 1
        self.lang_hint: str | None = None
        self.figure_images: set[str] = set()
        self.relative_warned = False

    def warn(self, line: int | None, message: str) -> None:
        key = (line, message)
        if key not in self._seen:
            self._seen.add(key)
            self.warnings.append(f"{self.name}:{line or 1}: {message}")

    def url(self, url: str, line: int | None, what: str) -> str:
        """A link or image URL as the story keeps it: absolute when --base-url says where the site was."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme or url.startswith("#") or url.startswith("//"):
            return ("https:" + url) if url.startswith("//") else url
        if self.base_url:
            return urljoin(self.base_url.rstrip("/") + "/", url)
        if url.startswith("/"):
            if not self.relative_warned:
                self.relative_warned = True
                self.warn(line, f"{what} {url} is a path on the original site; pass --base-url "
                                f"https://… to make such paths absolute")
        return url

    def new_figure_id(self, src: str) -> str:
        stem = Path(urlsplit(src).path).stem if src else ""
        base = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "figure"
        candidate, n = base, 2
        while candidate in self.figure_ids:
            candidate, n = f"{base}-{n}", n + 1
        self.figure_ids.add(candidate)
        self.figure_count += 1
        return candidate


_XML_ROOTS = {"rss": "an RSS feed", "feed": "an Atom feed", "urlset": "a sitemap", "svg": "an SVG image",
              "sitemapindex": "a sitemap"}


def _parse_html(body, state: _State):
    import warnings
    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
    head = body[:2048] if isinstance(body, str) else body[:2048].decode("latin-1")
    root = re.match(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([\w:-]+)", head, re.S | re.I)
    if root is not None and root.group(1).lower() in _XML_ROOTS:
        raise SourceError(f"{_XML_ROOTS[root.group(1).lower()]}, not an article", state.name, 1)
    if isinstance(body, str):
        body = _wordpress_caption_shortcodes(body, state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML is HTML to a browser too
        return BeautifulSoup(body, "html5lib")


def _wordpress_caption_shortcodes(text: str, state: _State) -> str:
    """WordPress's classic ``[caption …]<img …> Caption[/caption]`` as the <figure> it stands for."""
    def figure(m):
        inner = m.group(2)
        img = re.search(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", inner)
        if not img:
            return m.group(0)
        caption = (inner[:img.start()] + inner[img.end():]).strip()
        return f"<figure>{img.group(0)}<figcaption>{caption}</figcaption></figure>"
    return re.sub(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", figure, text, flags=re.S)


def _markdown_to_soup(text: str, body_line: int, state: _State):
    """Render Hugo/Jekyll/Eleventy Markdown to HTML whose blocks carry their source lines."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from bs4 import BeautifulSoup
    first = body_line - 1  # the body's lines are numbered as in the file
    text = _shortcodes(text, state, first)
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    tokens = md.parse(text)
    for token in tokens:
        if token.map and token.nesting == 1:
            token.attrSet(LINE_ATTR, str(first + token.map[0] + 1))
        elif token.type == "html_block" and token.map:
            if re.match(r"\s*<caption\b", token.content, re.I):
                state.warn(first + token.map[0] + 1, "a table caption outside its table carried as a paragraph")
            # Raw HTML keeps its own lines inside a wrapper that says where it starts.
            token.content = f'<div {BLOCK_ATTR}="{first + token.map[0] + 1}">\n{token.content}</div>\n'
    plugin_ref = md.renderer.rules["footnote_ref"]

    def footnote_ref(self, tokens, idx, options, env):
        """The source's own label rides along, so `[^flood]` stays `[^flood]`."""
        html_ref = plugin_ref(tokens, idx, options, env)
        label = str(tokens[idx].meta.get("label") or "")
        if re.fullmatch(r"[A-Za-z0-9_-]+", label):
            html_ref = html_ref.replace("<a ", f'<a data-label="{label}" ', 1)
        return html_ref

    md.add_render_rule("footnote_ref", footnote_ref)
    rendered = md.renderer.render(tokens, md.options, {})
    return BeautifulSoup(rendered, "html5lib")


def _shortcodes(text: str, state: _State, first: int = 0) -> str:
    """Hugo shortcodes and Liquid/Nunjucks tags: figures become <figure> markup, links their target.

    Replacements keep the line count, so every later line keeps its number.
    """
    def line_at(pos: int) -> int:
        return first + text.count("\n", 0, pos) + 1

    def replace(m):
        closing = m.group(2) or m.group(5)
        name = (m.group(3) or m.group(6) or "").lower()
        args_text = m.group(4) if m.group(3) else m.group(7)
        line = line_at(m.start())
        newlines = "\n" * m.group(0).count("\n")
        args, positional = _shortcode_args(args_text or "")
        included = re.match(r"""\s*["']?([^\s"',]+)""", args_text or "")
        if name == "include" and included and re.search(r"(figure|image|img|photo)", included.group(1), re.I):
            name = "figure"  # Jekyll's {% include figure.html image=… %}, Eleventy's {% include "figure.njk", … %}
            if positional and positional[0] == included.group(1):
                positional = positional[1:]
        if name in _FIGURE_SHORTCODES and not closing:
            src = args.get("src") or args.get("image") or args.get("url") or (positional[0] if positional else "")
            src = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", src)  # a URL holds no Markdown escapes (apples\_and.jpg)
            if not src:
                state.warn(line, f"shortcode {name!r} names no image; left out")
                return newlines
            alt = args.get("alt")
            if alt is None and name == "image" and len(positional) > 1:
                alt = positional[1]
            if alt is None and name == "image_with_class" and len(positional) > 2:
                alt = positional[2]
            caption = args.get("caption") or args.get("title") or ""
            credit = args.get("attr") or args.get("credit") or ""
            attrs = f' {LINE_ATTR}="{line}"'
            img = f'<img src="{html.escape(src)}"' + (f' alt="{html.escape(alt)}"' if alt is not None else "") + ">"
            parts = [img]
            if caption or credit:
                cap = caption  # Hugo's captions are Markdown: rendered by the figure converter below
                parts.append(f'<figcaption data-markdown="1">{html.escape(cap)}'
                             + (f'<span class="credit">{html.escape(credit)}</span>' if credit else "")
                             + "</figcaption>")
            inline = m.start() > 0 and text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip() not in ("", "<figure>")
            inside_figure = bool(re.search(r"<figure[^>]*>\s*$", text[:m.start()]))
            # Text on the very next line is the same paragraph: Eleventy's caption set under its image.
            caption_below = re.match(r"[ \t]*\n[ \t]*[^\s<{]", text[m.end():]) is not None
            if caption_below and not inside_figure and not inline:
                # Markdown's own image, so the lines under it stay one paragraph with it (an <img> line would
                # open a raw HTML block).
                alt_md = re.sub(r"([\\\[\]])", r"\\\1", alt or "")
                return f"![{alt_md}](<{src}>)" + newlines
            if inside_figure or inline:
                return img + newlines
            return f"<figure{attrs}>{''.join(parts)}</figure>" + newlines
        if name in _LINK_SHORTCODES and not closing:
            target = args.get("path") or args.get("url") or (positional[0] if positional else "")
            state.warn(line, f"shortcode {name!r} links to {target!r} on the original site; kept as a link to it")
            return state.url(target, line, "the link") if target else ""
        if name in ("raw", "endraw", "comment", "endcomment") and not closing:
            return newlines  # Liquid's own markers: the text between them is the text
        what = "closing tag" if closing else "shortcode"
        state.warn(line, f"{what} {name!r} has no place in a story; left out (its inner text is kept)")
        return newlines
    text = _SHORTCODE.sub(replace, text)

    def output(m):
        expression = m.group(1).strip()
        if expression in ("site.baseurl", "site.url", "site.url }}{{ site.baseurl"):
            return ""  # the site's own address: --base-url gives it
        quoted = re.match(r"""(["'])(.*?)\1\s*\|\s*(relative_url|absolute_url|url|prepend:\s*site\.baseurl)\s*$""",
                          expression)
        if quoted:
            return quoted.group(2)
        state.warn(line_at(m.start()), f"template expression {{{{ {expression} }}}} has no place in a story; left out")
        return "\n" * m.group(0).count("\n")
    return re.sub(r"\{\{(?![<%])\s*(.*?)\s*\}\}", output, text, flags=re.S)


def _shortcode_args(text: str) -> tuple[dict, list]:
    args, positional = {}, []
    for m in _ARG.finditer(text):
        if m.group(1):
            args[m.group(1).lower()] = _unquote(m.group(2))
        else:
            positional.append(_unquote(m.group(3)))
    return args, positional


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        value = value[1:-1]
        if value and value[0] != "`":
            value = re.sub(r'\\(["\\])', r"\1", value)
    return value


def _reject_non_articles(soup, name: str) -> None:
    root = soup.find(["rss", "feed", "urlset", "svg", "frameset"])
    if root is not None and root.name in ("rss", "feed", "urlset"):
        raise SourceError(f"a <{root.name}> feed, not an article", name, root.sourceline or 1)
    if soup.find("frameset") is not None:
        raise SourceError("a frameset page, not an article", name, 1)


def _article_root(soup, state: _State):
    """The element that holds the article: <article>, else <main>, else <body>; its <h1> is the title."""
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for chrome in root.find_all(["nav", "header", "footer", "aside"]):
        if chrome.name == "aside" and "pullquote" in " ".join(chrome.get("class", [])) \
                or chrome.find_parent(["blockquote", "figure"]) is not None:
            continue  # a pull quote, or a quote's attribution: the article's own
        if chrome.name == "header":
            for time in chrome.find_all("time"):
                time.decompose()  # the date: read into the front matter already
            chrome.unwrap()  # the article's own header: its h1 is the title, its paragraphs the dek/byline
            continue
        state.warn(_line(chrome, state), f"<{chrome.name}> (page navigation or furniture) left out")
        chrome.decompose()
    return root


def _page_title(soup, state: _State) -> str | None:
    root = soup.find("article") or soup.find("main") or soup.body or soup
    h1 = root.find("h1") if root else None
    if h1 is not None and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)
        h1.decompose()
        return title
    og = _meta_content(soup, "og:title")
    if og:
        return og
    if soup.title and soup.title.get_text(strip=True):
        return soup.title.get_text(" ", strip=True)
    return None


def _meta_content(soup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
    return tag.get("content") if tag is not None and tag.get("content") else None


def _time_datetime(soup) -> str | None:
    time = soup.find("time", attrs={"datetime": True})
    return time["datetime"] if time is not None else None


def _line(el, state: _State) -> int | None:
    """The source line of an element: its Markdown block's, or its own in the HTML."""
    node, inner = el, None
    while node is not None and getattr(node, "attrs", None) is not None:
        if node.get(LINE_ATTR):
            return int(node[LINE_ATTR])
        if node.get(BLOCK_ATTR):
            start = int(node[BLOCK_ATTR])
            if inner is not None and inner.sourceline and node.sourceline:
                return start + inner.sourceline - node.sourceline - 1
            return start
        inner = node if inner is None else inner
        node = node.parent
    return el.sourceline + state.line_offset if getattr(el, "sourceline", None) else None


def _tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n"


# -- the converter ----------------------------------------------------------------------------


def _Converter(state: _State):
    """The converter class is built on markdownify's the first time it is needed (a lazy import)."""
    global _CONVERTER_CLASS
    if _CONVERTER_CLASS is None:
        _CONVERTER_CLASS = _make_converter_class()
    return _CONVERTER_CLASS(state)


_CONVERTER_CLASS = None


def _make_converter_class():
    from bs4 import NavigableString, Tag
    from markdownify import MarkdownConverter

    cell_sep, row_sep = "\x1f", "\x1e"

    class Converter(MarkdownConverter):
        """markdownify, taught the story format's figures, pull quotes, footnotes and tables."""

        def __init__(self, state: _State):
            super().__init__(heading_style="atx", bullets="-", strong_em_symbol="*", newline_style="backslash",
                             wrap=True, wrap_width=None, escape_misc=False, escape_asterisks=False,
                             escape_underscores=False, autolinks=True, sub_symbol="", sup_symbol="")
            self.state = state
            self.footnotes: dict[str, str] = {}  # element id of a definition → label
            self.footnote_text: dict[str, str] = {}
            self.backrefs: set[str] = set()
            self.pending: list[str] = []  # figures pulled out of running text, waiting for their block

        # The entry point: footnotes are found before anything is converted.
        def convert_soup(self, soup):
            self._collect_footnotes(soup)
            for comment in soup.find_all(string=lambda s: s.__class__.__name__ == "Comment"):
                comment.extract()
            body = self._flush(self.process_tag(soup, parent_tags=set()))
            notes = []
            for note_id, label in self.footnotes.items():
                text = self.footnote_text.get(note_id, "")
                first, *rest = text.split("\n") if text else [""]
                lines = [f"[^{label}]: {first}"] + [("    " + l) if l else "" for l in rest]
                notes.append("\n".join(lines))
            return body + ("\n\n" + "\n\n".join(notes) + "\n" if notes else "")

        def _collect_footnotes(self, soup):
            """A <sup>/<a> whose link points at a list item is a footnote reference; that list is the notes."""
            ids = {el["id"]: el for el in soup.find_all(id=True)}
            refs = []
            for a in soup.find_all("a", href=True):
                href = a["href"]
                if not href.startswith("#") or href[1:] not in ids:
                    continue
                target = ids[href[1:]]
                if target.name == "a" and target.get("href", "").startswith("#") or \
                        target.name == "sup" and target.find("a", href=re.compile("^#")) is not None:
                    continue  # a link back from a note to its reference
                item = target if target.name == "li" else target.find_parent("li")
                if item is None or a in item.descendants:
                    continue
                refs.append((a, item))
            taken = set()
            for a, item in refs:
                note_id = item.get("id") or str(id(item))
                if note_id not in self.footnotes:
                    label = a.get("data-label") or str(len(self.footnotes) + 1)
                    while label in taken:
                        label += "-2"
                    taken.add(label)
                    self.footnotes[note_id] = label
                holder = a.parent if a.parent is not None and a.parent.name == "sup" and \
                    len([c for c in a.parent.contents if str(c).strip()]) == 1 else a
                for el in (holder, a):
                    if el.get("id"):
                        self.backrefs.add(el["id"])
                marker = soup.new_tag("storyloc-fnref")
                marker["label"] = self.footnotes[note_id]
                holder.replace_with(marker)
            lists = []
            for note_id in self.footnotes:
                item = ids.get(note_id)
                if item is None:
                    continue
                for back in item.find_all("a", href=True):
                    if back["href"].startswith("#") and (back["href"][1:] in self.backrefs
                                                         or "backref" in " ".join(back.get("class", []))
                                                         or back.get_text(strip=True) in ("↩", "↩︎", "↑", "^")):
                        back.decompose()
                self.footnote_text[note_id] = self._convert_fragment(item, {"li", "storyloc-footnote"}).strip()
                if item.parent not in lists:
                    lists.append(item.parent)
            for lst in lists:
                container = lst
                while container.parent is not None and container.parent.name in ("section", "div", "aside") \
                        and len([c for c in container.parent.contents if str(c).strip()]) <= 2:
                    container = container.parent
                sep = container.find_previous_sibling("hr")
                if sep is not None and "footnotes-sep" in sep.get("class", []):
                    sep.decompose()
                container.decompose()

        def _convert_fragment(self, el, parent_tags):
            text = "".join(self.process_element(child, parent_tags=set(parent_tags)) for child in el.children)
            return _tidy(text).strip("\n")

        def convert_storyloc_fnref(self, el, text, parent_tags):
            return f"[^{el['label']}]"

        # Text: escape only what would change the Markdown's meaning.
        def escape(self, text, parent_tags):
            if not text:
                return ""
            text = re.sub(r"([\\`*\[\]<|])", r"\\\1", text)
            text = re.sub(r"(?<![\w\\])_|_(?!\w)", r"\\_", text)
            text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
            if "_inline" in parent_tags or any(re.fullmatch(r"h[1-6]", t) for t in parent_tags):
                return text  # a heading's or a cell's text cannot start a block
            text = re.sub(r"^(\s*)([#>+=-])(?=\s|$)", r"\1\\\2", text)
            text = re.sub(r"^(\s*)(>)", r"\1\\\2", text)
            text = re.sub(r"^(\s*\d{1,9})([.)])(?=\s|$)", r"\1\\\2", text)
            return text

        def convert_p(self, el, text, parent_tags):
            if "_inline" in parent_tags:
                return " " + text.strip(" \t\r\n") + " "
            if self._image_paragraph(el):
                return self._figure(el, parent_tags)
            stripped = text.strip(" \t\r\n")
            raw = el.get_text()
            if raw.strip(" \t\r\n") and not raw.strip(" \t\r\n\u00a0\u202f\u2007") and el.find("img") is None:
                self.state.warn(_line(el, self.state), "a paragraph holding only a no-break space (a spacer) "
                                                       "left out")
                return ""
            if re.search(r"\w", stripped):
                self.state.text_blocks += 1
            out = super().convert_p(el, text, parent_tags)
            return out if {"li", "blockquote", "td", "th"} & parent_tags else self._flush(out)

        def convert_div(self, el, text, parent_tags):
            classes = " ".join(el.get("class", []))
            if "wp-caption" in classes or (el.find("img") and el.find(class_=re.compile("caption"))):
                if el.find("img") is not None:
                    return self._figure(el, parent_tags)
            if "wp-block-embed__wrapper" in classes:
                return self._embed(el, parent_tags)
            return super().convert_div(el, text, parent_tags)

        convert_section = convert_div

        def convert_span(self, el, text, parent_tags):
            return text

        # Figures, pull quotes, embeds.
        def convert_figure(self, el, text, parent_tags):
            if el.find_parent("figure") is not None:
                return ""  # a picture of a gallery: the gallery's figure reads it
            classes = " ".join(el.get("class", []))
            if "pullquote" in classes or (el.find("blockquote") is not None and el.find("img") is None):
                quote = el.find("blockquote")
                if "pullquote" in classes:
                    return self._pullquote(quote or el, parent_tags)
                return "\n\n" + self.process_tag(quote, parent_tags) + "\n\n" + self._caption_paragraph(el, parent_tags)
            if el.find("table") is not None:
                table = self.process_tag(el.find("table"), parent_tags)
                return "\n\n" + table + "\n\n" + self._caption_paragraph(el, parent_tags)
            if el.find(["iframe", "embed", "object", "video", "audio"]) is not None or "embed" in classes:
                return self._embed(el, parent_tags)
            if el.find("img") is None:
                self.state.warn(_line(el, self.state), "a <figure> without an image left out")
                return ""
            return self._figure(el, parent_tags)

        def convert_figcaption(self, el, text, parent_tags):
            return ""  # read by its figure

        def convert_blockquote(self, el, text, parent_tags):
            classes = " ".join(el.get("class", []))
            if "pullquote" in classes:
                return self._pullquote(el, parent_tags)
            if "twitter-tweet" in classes or "instagram-media" in classes or "tiktok-embed" in classes:
                self.state.warn(_line(el, self.state), "a social media embed carried as a block quote of its text")
            out = super().convert_blockquote(el, text, parent_tags)
            return out if "blockquote" in parent_tags or "li" in parent_tags else self._flush(out)

        def convert_list(self, el, text, parent_tags):
            out = super().convert_list(el, text, parent_tags)
            return out if "li" in parent_tags or "blockquote" in parent_tags else self._flush(out)

        convert_ul = convert_ol = convert_list

        def convert_aside(self, el, text, parent_tags):
            if "pullquote" in " ".join(el.get("class", [])):
                return self._pullquote(el, parent_tags)
            return super().convert_div(el, text, parent_tags)

        def convert_iframe(self, el, text, parent_tags):
            return self._embed(el, parent_tags)

        def _pullquote(self, el, parent_tags):
            paragraphs = [self._inline(p, parent_tags) for p in el.find_all("p")] or [self._inline(el, parent_tags)]
            cite = el.find("cite")
            if cite is not None and el.find("p") is not None:
                paragraphs.append(self._inline(cite, parent_tags))
            body = "\n\n".join(p for p in paragraphs if p)
            return f"\n\n::: pullquote\n{body}\n:::\n\n" if body else ""

        def _embed(self, el, parent_tags):
            frame = el if el.name == "iframe" else el.find("iframe")
            line = _line(el, self.state)
            if frame is not None and frame.get("src"):
                src = self.state.url(frame["src"], line, "the embed")
                title = frame.get("title") or ""
                attrs = f' title="{html.escape(title)}"' if title else ""
                return f'\n\n<iframe src="{html.escape(src)}"{attrs}></iframe>\n\n'
            url = re.search(r"https?://\S+", el.get_text(" ", strip=True))
            if url:
                self.state.warn(line, "an embed (oEmbed URL) carried as a link to what it embeds")
                return f"\n\n<{url.group(0)}>\n\n"
            self.state.warn(line, "an embed with no address left out")
            return ""

        def _image_paragraph(self, el) -> bool:
            """<p><img>…</p>: a photo with, at most, its caption after it (Tumblr, early WordPress)."""
            children = [c for c in el.children if not (isinstance(c, NavigableString) and not c.strip())]
            if not children:
                return False
            first = children[0]
            if isinstance(first, Tag) and first.name == "a" and first.find("img") is not None \
                    and not first.get_text(strip=True):
                first = first.find("img")
            if not (isinstance(first, Tag) and first.name == "img"):
                return False
            rest = children[1:]
            while rest and isinstance(rest[0], Tag) and rest[0].name == "img":
                rest = rest[1:]
            after = first.next_sibling if first.parent is el else first.parent.next_sibling
            line_break = isinstance(after, NavigableString) and "\n" in after and not after.strip()
            if rest and not line_break and not (isinstance(rest[0], Tag) and rest[0].name == "br"):
                return False  # text running on after the image: a sentence, not a caption
            return all(isinstance(c, Tag) and c.name in ("br", "img", "a", "em", "i", "small", "span", "strong")
                       or isinstance(c, NavigableString) for c in rest)

        def _figure(self, el, parent_tags):
            line = _line(el, self.state)
            images = [img for img in el.find_all("img") if _src(img)]
            if not images:
                self.state.warn(line, "an image without an address (none, or an inline data: URI) left out")
                return ""
            srcs = [self.state.url(_src(img), line, "the image") for img in images]
            alts = [img.get("alt") for img in images]
            caption_el = el.find("figcaption", recursive=False)
            if caption_el is None and el.find("figure") is None:  # a gallery's pictures' captions are not its own
                caption_el = el.find("figcaption") or el.find(class_=re.compile(r"caption"))
            credit = ""
            if caption_el is not None:
                credit_el = caption_el.find(class_=re.compile(r"credit|byline|attribution")) or caption_el.find("cite")
                if credit_el is not None:
                    credit = self._inline(credit_el, parent_tags)
                    credit_el.extract()
                if caption_el.get("data-markdown"):
                    caption = _markdown_inline(caption_el.get_text())
                else:
                    caption = self._inline(caption_el, parent_tags)
            else:
                for img in images:
                    (img.parent if img.parent.name == "a" and img.parent is not el else img).extract()
                for br in el.find_all("br"):
                    br.extract()
                caption = self._inline(el, parent_tags)
            if not caption.strip() and images[0].get("title"):
                caption = self.escape(_clean(images[0]["title"]), {"_inline"})  # Markdown's ![alt](src "title")
            m = re.fullmatch(r"\*([^*]+)\*", caption)
            if m:
                caption = m.group(1).strip()  # a caption set in italics all through: the italics are layout
            if not credit:
                m = _CREDIT.search(caption)
                if m:
                    credit, caption = m.group(1).strip(), caption[:m.start()].strip()
            return self._container(line, srcs, alts, caption, credit)

        def _container(self, line, srcs, alts, caption, credit):
            fig_id = self.state.new_figure_id(srcs[0])
            self.state.figure_images.update(srcs)
            lines = [f"::: figure {fig_id}"] + [f"image: {src}" for src in srcs]
            alt = next((a for a in alts if a is not None), None)
            if alt is not None and alt.strip():
                lines.append(f"alt: {_clean(alt)}")
            else:
                self.state.warn(line, f"figure {fig_id!r} has no alt text; add an `alt:` line")
            if caption.strip():
                lines.append(f"caption: {caption}")
                self.state.text_blocks += 1  # a photo essay's captions are its text
            credit = _credit(credit)
            if credit.strip():
                lines.append(f"credit: {credit}")
            lines.append(":::")
            return "\n\n" + "\n".join(lines) + "\n\n"

        def _caption_paragraph(self, el, parent_tags):
            cap = el.find("figcaption")
            if cap is None:
                return ""
            text = self._inline(cap, parent_tags)
            if text:
                self.state.warn(_line(cap, self.state), "a table or quote caption carried as a paragraph after it")
            return text + "\n\n" if text else ""

        def _inline(self, el, parent_tags):
            text = "".join(self.process_element(c, parent_tags=set(parent_tags) | {"_inline", "p"})
                           for c in el.children)
            return re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n")

        def convert_img(self, el, text, parent_tags):
            holder = el.parent.parent if el.parent is not None and el.parent.name == "a" else el.parent
            if el.find_parent("figure") is not None or (holder is not None and (
                    (holder.name == "p" and self._image_paragraph(holder))
                    or (holder.name == "div" and "caption" in " ".join(holder.get("class", []))))):
                return ""  # its figure reads it
            line = _line(el, self.state)
            classes = " ".join(el.get("class", []))
            small = any(str(el.get(d, "")).isdigit() and int(el[d]) <= 32 for d in ("width", "height"))
            alt = _clean(el.get("alt") or "")
            if "emoji" in classes or "smiley" in classes:
                return self.escape(alt, parent_tags)  # WordPress draws emoji as images: the character is the text
            if not _src(el):
                self.state.warn(line, "an image without an address (none, or an inline data: URI) left out")
                return self.escape(alt, parent_tags)
            if small or {"td", "th", "h1", "h2", "h3", "h4", "h5", "h6"} & parent_tags \
                    or not self._starts_block(el):
                # An icon in a sentence: an inline image, its alt text a translator's to translate.
                src = self.state.url(_src(el), line, "the image").replace("(", "%28").replace(")", "%29")
                return f"![{self.escape(alt, {'_inline'})}]({src.replace(' ', '%20')})"
            # A photo floated beside the text (WordPress's alignleft/alignright): a figure before its paragraph.
            self.state.warn(line, "an image inside running text moved before its paragraph, as a figure")
            src = self.state.url(_src(el), line, "the image")
            caption = self.escape(_clean(el["title"]), {"_inline"}) if el.get("title") else ""
            self.pending.append(self._container(line, [src], [el.get("alt")], caption, ""))
            return ""

        def _starts_block(self, img) -> bool:
            """An image before any text of its paragraph (maybe in a link): a photo set beside the text."""
            node = img.parent if img.parent is not None and img.parent.name == "a" else img
            for sibling in node.previous_siblings:
                if getattr(sibling, "name", None) in ("img", "br") or not str(sibling).strip():
                    continue
                return False
            return node.parent is not None and node.parent.name == "p"

        def _flush(self, text):
            """Figures pulled out of running text go before the block that held them."""
            if not self.pending:
                return text
            figures, self.pending = "".join(self.pending), []
            return figures + text

        def convert_a(self, el, text, parent_tags):
            href = el.get("href")
            if not href or href.startswith("javascript:"):
                return text
            if href.startswith("#"):
                self.state.warn(_line(el, self.state), f"a link to {href} on the same page kept as plain text")
                return text
            href = self.state.url(href, _line(el, self.state), "the link")
            if not text.strip():
                return ""
            title = el.get("title")
            title_part = ' "%s"' % title.replace('"', r"\"") if title else ""
            if self.options["autolinks"] and text.replace(r"\_", "_") == href and not title \
                    and re.match(r"^[a-z][a-z0-9+.-]*:\S+$", href) and "<" not in href and ">" not in href:
                return f"<{href}>"
            href = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
            return f"[{text}]({href}{title_part})"

        def convert_u(self, el, text, parent_tags):
            self.state.warn(_line(el, self.state), "underlining carried as plain text")
            return text

        def convert_del(self, el, text, parent_tags):
            self.state.warn(_line(el, self.state), "struck-through text carried as plain text")
            return text

        convert_s = convert_strike = convert_del

        def convert_sup(self, el, text, parent_tags):
            if text.strip():
                what = "superscript" if el.name == "sup" else "subscript"
                self.state.warn(_line(el, self.state), f"{what} carried as plain text")
            return text

        convert_sub = convert_sup

        def convert_pre(self, el, text, parent_tags):
            """A code block, carried as a fence (never translated); its language from class="language-x"."""
            code = el.get_text()
            if not code.strip():
                return ""
            languages = [c[len("language-"):] for tag in [el, el.find("code")] if tag is not None
                         for c in tag.get("class", []) if c.startswith("language-")]
            fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
            return f"\n\n{fence}{languages[0] if languages else ''}\n{code.rstrip(chr(10))}\n{fence}\n\n"

        def convert_dl(self, el, text, parent_tags):
            self.state.warn(_line(el, self.state), "a definition list carried as paragraphs")
            return "\n\n" + text + "\n\n"

        def convert_dt(self, el, text, parent_tags):
            return "\n\n**" + text.strip() + "**\n\n"

        def convert_dd(self, el, text, parent_tags):
            return "\n\n" + text.strip() + "\n\n"

        def convert_details(self, el, text, parent_tags):
            self.state.warn(_line(el, self.state), "a collapsible <details> block carried open, as paragraphs")
            return "\n\n" + text + "\n\n"

        def convert_summary(self, el, text, parent_tags):
            return "\n\n" + text.strip() + "\n\n"

        def convert_caption(self, el, text, parent_tags):
            return ""

        def convert_hr(self, el, text, parent_tags):
            return "\n\n---\n\n"

        def convert_hN(self, n, el, text, parent_tags):
            if "_inline" in parent_tags:
                return text
            text = re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n")
            if not text:
                return ""
            return self._flush("\n\n" + "#" * n + " " + text + "\n\n")

        def convert_li(self, el, text, parent_tags):
            text = (text or "").strip(" \t\r\n")
            if not text:
                self.state.warn(_line(el, self.state), "an empty list item left out")
                return ""
            self.state.text_blocks += 1
            return super().convert_li(el, text, parent_tags)

        def convert_br(self, el, text, parent_tags):
            if "_inline" in parent_tags and ("td" in parent_tags or "th" in parent_tags) \
                    or any(re.fullmatch(r"h[1-6]", t) for t in parent_tags):
                return " "
            return "\\\n"

        # Tables: GFM, with alignment; what GFM cannot hold is named.
        def convert_td(self, el, text, parent_tags):
            cell = re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n").replace("|", r"\|")
            span = el.get("colspan", "1")
            if el.get("rowspan", "1") not in ("1", ""):
                self.state.warn(_line(el, self.state), "a cell spanning rows (rowspan) carried in its first row only")
            n = int(span) if str(span).isdigit() and int(span) > 1 else 1
            if n > 1:
                self.state.warn(_line(el, self.state), "a cell spanning columns (colspan) carried as one cell "
                                                       "and empty ones")
            align = (el.get("align") or "").lower()
            style = re.search(r"text-align\s*:\s*(left|right|center)", el.get("style", ""))
            if style:
                align = style.group(1)
            kind = "h" if el.name == "th" else "d"
            return cell_sep + kind + align + "\x1d" + cell + (cell_sep + kind + "\x1d") * (n - 1)

        convert_th = convert_td

        def convert_tr(self, el, text, parent_tags):
            return row_sep + text

        def convert_thead(self, el, text, parent_tags):
            return text.replace(row_sep, row_sep + "H")

        def convert_tbody(self, el, text, parent_tags):
            return text

        convert_tfoot = convert_tbody

        def convert_table(self, el, text, parent_tags):
            line = _line(el, self.state)
            if "table" in parent_tags:
                self.state.warn(line, "a table inside a table carried as text")
            rows = []
            for raw in text.split(row_sep)[1:]:
                head = raw.startswith("H")
                cells = []
                for c in (raw[1:] if head else raw).split(cell_sep)[1:]:
                    meta, _, content = c.partition("\x1d")
                    cells.append((meta[:1], meta[1:], content.strip(" \t\r\n")))
                if cells:
                    rows.append((head, cells))
            if not rows:
                return ""
            self.state.text_blocks += 1
            after = ""
            caption = el.find("caption", recursive=False)
            if caption is not None and caption.get_text(strip=True):
                self.state.warn(_line(caption, self.state), "a table or quote caption carried as a paragraph after it")
                after = self._inline(caption, parent_tags) + "\n\n"
            if rows[0][0] or all(kind == "h" for kind, _, _ in rows[0][1]):
                header, body = rows[0][1], rows[1:]
            else:
                self.state.warn(line, "a table without a header row: its first row becomes the header")
                header, body = rows[0][1], rows[1:]
            width = max(len(cells) for _, cells in [(None, header)] + body)
            if any(len(cells) != width for _, cells in body) or len(header) != width:
                self.state.warn(line, "a table with rows of different lengths: short rows padded with empty cells")
            def row(cells):
                texts = [c for _, _, c in cells] + [""] * (width - len(cells))
                return "| " + " | ".join(texts) + " |"
            aligns = [a for _, a, _ in header] + [""] * (width - len(header))
            rule = "| " + " | ".join({"left": ":---", "right": "---:", "center": ":---:"}.get(a, "---")
                                     for a in aligns) + " |"
            return self._flush("\n\n" + "\n".join([row(header), rule] + [row(cells) for _, cells in body]) + "\n\n"
                               + after)

    for tag, what in _DROPPED_WITH_WARNING.items():
        def dropped(self, el, text, parent_tags, _what=what):
            if el.name in ("video", "audio") and el.find_parent("figure") is not None:
                return ""
            self.state.warn(_line(el, self.state), f"{_what} has no place in a story; left out")
            return ""
        setattr(Converter, f"convert_{tag}", dropped)
    for tag in _DROPPED_QUIETLY:
        setattr(Converter, f"convert_{tag}", lambda self, el, text, parent_tags: "")
    return Converter


def _src(img) -> str | None:
    """An image's address; lazy-loading pages keep it in data-src behind a placeholder.

    An image inlined as a data: URI has no address a story can keep (it is left out, with a warning).
    """
    for attr in ("data-src", "data-lazy-src", "data-original"):
        if img.get(attr) and (not img.get("src") or img["src"].startswith("data:")):
            return img[attr]
    src = img.get("src") or None
    return None if src and src.startswith("data:") else src


def _credit(text: str) -> str:
    """A credit without its "Photo:"/"Photo courtesy of" label: the page prints its own, in each language."""
    text = text.strip(" \t\r\n")
    bare = re.sub(r"^(?:Photo(?:graph)?s?|Credit)(?:\s+courtesy)?(?:\s+of|\s+by)?\s*:?\s+", "", text, flags=re.I)
    if not bare or bare == text:
        return text
    return bare[:-1] if bare.endswith(".") and not re.search(r"\b[A-Z][a-z]?\.$", bare) else bare


def _markdown_inline(text: str) -> str:
    """A Hugo caption is Markdown already: keep it, on one line."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text)).strip(" \t\r\n")


def _shown(path: Path) -> str:
    import os
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
