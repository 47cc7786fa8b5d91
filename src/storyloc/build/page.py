"""A bundle's page: ``index.html`` rendered from the story and the chosen texts (``templates/page.html``).

Every segment's text is parsed with raw HTML off and its links and images
pointing only at the story's own targets (:class:`Inline`), so nothing from a
translation reaches the page as markup; the page's own words come from
storyloc's catalogs (``storyloc/locale``); what search engines and social sites
read (canonical, hreflang, og:, JSON-LD) is made here too.
"""
from __future__ import annotations

import gettext
import io
from collections import Counter
from functools import lru_cache
from typing import Callable
from importlib import resources

from jinja2 import BytecodeCache, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from ..files import pretty_json
from ..languages import direction, format_story_date, html_lang, language_name, native_name
from ..po import compile_mo, parse_po
from ..project import Project
from ..story import Block, Figure, Segment, Story, is_url
from ..story.inline import parse_translation, plain, translation_parser
from .gates import Shown


class Inline:
    """Each segment's chosen text as safe HTML, Markdown and plain text: parsed with raw HTML off,
    links and images pointing only at the story's own targets, footnote references numbered by the story.

    ``shared`` is a cache the story's languages pass along: a text shown in several languages (the
    English of every untranslated passage) is parsed and rendered once, not once per language
    (profiled: parsing was a quarter of a long story's first build)."""

    def __init__(self, story: Story, shown: dict[tuple, Shown], shared: dict | None = None):
        self.story = story
        self.shown = shown
        self.labels = frozenset(n.label for n in story.footnotes)
        self.referenced: Counter[str] = Counter()      # references to each footnote so far, each anchored
        self._done: dict = shared if shared is not None else {}
        self._texts: tuple | None = None

    def _key(self, seg: Segment) -> tuple:
        """What a segment's rendering depends on: its place, its text and its link titles' texts."""
        if not seg.titles:
            return (seg.key, self.shown[seg.key].text)
        return (seg.key, self.shown[seg.key].text, *(self.shown[t.key].text if t is not None else None
                                                    for t in seg.titles))

    def tokens(self, seg: Segment):
        """The segment's chosen text, parsed once (rendering only fills in its targets, the same for
        every language)."""
        key = ("tokens", seg.key, self.shown[seg.key].text)
        tokens = self._done.get(key)
        if tokens is None:
            tokens = parse_translation(self.shown[seg.key].text, seg.links, seg.images, self.labels)
            self._done[key] = tokens
        return tokens

    def title(self, seg: Segment, n: int) -> str | None:
        title = seg.titles[n - 1] if n <= len(seg.titles) else None
        return plain(self.tokens(title)) if title is not None else None

    def html(self, seg: Segment) -> Markup:
        key = ("html", *self._key(seg))
        done = self._done.get(key)
        if done is not None:
            return done
        from markdown_it.token import Token
        tokens = []
        footnotes = False
        for t in self.tokens(seg):
            self._target(seg, t)
            if t.type == "footnote_ref":
                footnotes = True
                label = t.meta["label"]
                number = self.story.footnote_number(label)
                self.referenced[label] += 1
                anchor = backref_id(number, self.referenced[label])
                t = Token("html_inline", "", 0)
                t.content = (f'<sup class="footnote-ref"><a href="#fn-{number}" id="{anchor}" role="doc-noteref">'
                             f"{number}</a></sup>")
            tokens.append(t)
        md = translation_parser()
        html = Markup(md.renderer.render(tokens, md.options, {}))
        if not footnotes:                      # each reference has its own anchor on the page
            self._done[key] = html
        return html

    def _target(self, seg: Segment, t) -> None:
        n = (t.meta or {}).get("n")
        if n is None:
            return
        title = self.title(seg, n)
        if t.type == "image":
            t.attrs = {"src": seg.links[n - 1], "alt": ""}
            for child in t.children or []:
                self._target(seg, child)
        elif t.type == "link_open":
            t.attrs = {"href": seg.links[n - 1]}
        if title:
            t.attrs["title"] = title

    def markdown(self, seg: Segment) -> str:
        from ..story.markdown import tokens_markdown
        return self._once("markdown", seg, lambda: tokens_markdown(seg, self.tokens(seg),
                                                                   lambda title: plain(self.tokens(title))))

    def plain(self, seg: Segment) -> str:
        return self._once("plain", seg, lambda: plain(self.tokens(seg)))

    def view(self, seg: Segment, source: str) -> dict:
        """What the page template reads of a segment (``source``: the story's language)."""
        item = self.shown[seg.key]
        key = ("view", item.fallback, *self._key(seg))
        done = self._done.get(key)
        if done is None:
            html = self.html(seg)
            wrapped = html
            if item.fallback:  # isolated, so the story's language keeps its own direction inside the page's
                wrapped = Markup(f'<bdi lang="{escape(html_lang(source))}" dir="{direction(source)}">{html}</bdi>')
            done = {"html": html, "inline": wrapped, "text": self.plain(seg),
                    "attrs": _fallback_attrs(item, source), "fallback": item.fallback}
            if self._done.get(("html", *self._key(seg))) is html:       # not a page's own footnote anchor
                self._done[key] = done
        return done

    def json(self, seg: Segment) -> dict:
        """The segment as ``article.json`` holds it."""
        item = self.shown[seg.key]
        return self._once(("json", item.status, item.fallback), seg, lambda: item.as_json(self.markdown(seg)))

    def for_texts(self, name: str, make: Callable[[], object]) -> object:
        """``make()`` once for every language whose page shows the same texts in every segment (a
        long story's first run: all six translations are its English), each page's footnote
        anchors restored with it."""
        if self._texts is None:
            self._texts = tuple((s.text, s.status, s.fallback) for s in self.shown.values())
        key = (name, self._texts)
        done = self._done.get(key)
        if done is None:
            done = self._done[key] = (make(), dict(self.referenced))
        self.referenced = Counter(done[1])
        return done[0]

    def _once(self, name, seg: Segment, make):
        """``make()`` once for every language that shows ``seg`` with the same texts."""
        key = (name, *self._key(seg))
        done = self._done.get(key)
        if done is None:
            done = self._done[key] = make()
        return done


@lru_cache(maxsize=None)
def page_translations(lang: str) -> gettext.NullTranslations:
    """storyloc's own page words for ``lang``, compiled from the package's catalog in memory."""
    po = resources.files("storyloc") / "locale" / lang / "LC_MESSAGES" / "storyloc.po"
    if not po.is_file():
        return gettext.NullTranslations()
    catalog = parse_po(po.read_text(encoding="utf-8"), f"storyloc/locale/{lang}/LC_MESSAGES/storyloc.po")
    return gettext.GNUTranslations(io.BytesIO(compile_mo(catalog)))


class _CompiledOnce(BytecodeCache):
    """The page template compiled once per process, shared by every language's environment (the
    compiled code does not depend on the page words, which are looked up when it runs)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key + bucket.checksum)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key + bucket.checksum] = bucket.bytecode_to_string()


_COMPILED = _CompiledOnce()


@lru_cache(maxsize=None)
def _environment(lang: str) -> Environment:
    """One template environment per language, its page words installed: templates compile once."""
    env = Environment(loader=PackageLoader("storyloc", "templates"),
                      autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"],
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, bytecode_cache=_COMPILED)
    env.install_gettext_translations(page_translations(lang), newstyle=True)
    return env


def render_page(page: dict, lang: str) -> str:
    """``index.html`` from the page data of :func:`page_data`, the page's own words in ``lang``."""
    return _environment(lang).get_template("page.html").render(page=page)


def _fallback_attrs(item: Shown, source_language: str) -> Markup:
    """A passage shown in the story's own language says so: its ``lang`` and ``dir`` (an Arabic
    story's untranslated passage on a Ukrainian page is still right-to-left)."""
    if not item.fallback:
        return Markup("")
    return Markup(f' lang="{html_lang(source_language)}" dir="{direction(source_language)}"')


def backref_id(number: int, nth: int) -> str:
    """The anchor of a footnote's ``nth`` reference, which its note links back to: ``fnref-3``,
    then ``fnref-3-2``…"""
    return f"fnref-{number}" if nth == 1 else f"fnref-{number}-{nth}"


def _page_notes(story: Story, images: dict[str, bool], view, alt_text, referenced: Counter) -> list[dict]:
    """The footnotes, each with a link back to every reference to it (counted once all are
    rendered: a note may refer to a later one)."""
    notes = [(n, _page_blocks(n.children, images, view, alt_text)) for n in story.footnotes]
    return [{"number": n.number, "blocks": blocks,
             "backrefs": [backref_id(n.number, k) for k in range(1, referenced[n.label] + 1)]}
            for n, blocks in notes]


def _figure_view(figure: Figure, images: dict[str, bool], view, alt_text) -> dict:
    return {"id": figure.id, "alt": alt_text(figure),
            "images": [{"src": image, "present": images.get(image, True)} for image in figure.images],
            "caption": view(figure.caption), "credit": view(figure.credit)}


def _page_blocks(blocks: list[Block], images: dict[str, bool], view, alt_text) -> list[dict]:
    """The body in order, as the page template walks it (a tree: lists, quotes, tables nest)."""
    out = []
    for block in blocks:
        item = {"kind": block.kind, "level": block.level, "ordered": block.ordered, "start": block.start,
                "tight": block.tight,
                "header": block.header, "align": block.align if block.align in ("left", "right", "center")
                else None, "text": block.text, "info": block.info,
                "segment": view(block.segment) if block.segment is not None else None,
                "children": _page_blocks(block.children, images, view, alt_text)}
        if block.figure is not None:
            item["figure"] = _figure_view(block.figure, images, view, alt_text)
        if block.kind == "table":
            item["head"] = [r for r in item["children"] if r["header"]]
            item["body"] = [r for r in item["children"] if not r["header"]]
        out.append(item)
    return out


def page_data(project: Project, story: Story, lang: str, shown: dict, published: list[str], images: dict,
          state: str, inline: Inline | None = None) -> dict:
    """The page's data. ``hreflang`` alternates and "Read in" links name only published languages
    (a draft preview is English under a banner, not a translation), and a draft is ``noindex``."""
    source = project.story_language(story)
    inline = inline or Inline(story, shown)

    def view(seg: Segment | None):
        return inline.view(seg, source) if seg is not None else None

    def alt_text(figure: Figure) -> str:
        seg = figure.alt or figure.caption
        return inline.plain(seg) if seg is not None else ""

    title, dek = view(story.title), view(story.dek)
    byline = view(story.byline)
    lead = _figure_view(story.lead, images, view, alt_text) if story.lead is not None else None
    blocks, footnotes = inline.for_texts("page body", lambda: (
        _page_blocks(story.blocks, images, view, alt_text),
        _page_notes(story, images, view, alt_text, inline.referenced)))
    corrections = [{"date": c.date, "date_display": format_story_date(c.date, lang), "note": view(c.note)}
                   for c in story.corrections]
    fallback_count = sum(1 for item in shown.values() if item.fallback)
    return {
        "lang_tag": html_lang(lang), "dir": direction(lang), "version": __version__,
        "title": title, "title_text": title["text"], "dek": dek, "dek_text": dek["text"] if dek else "",
        "byline": byline, "date": format_story_date(story.meta.get("date"), lang),
        "date_iso": story.meta.get("date"), "publisher": story.meta.get("publisher"),
        "translated_from": language_name(source, lang) if lang != source else None,
        # the label on a passage shown untranslated names the story's own language
        "source_english": source.split("_")[0] == "en", "source_name": language_name(source, lang),
        "lead": lead, "blocks": blocks, "footnotes": footnotes, "corrections": corrections,
        "fallback_count": fallback_count, "total": len(shown),
        "draft": state != "published",
        **_web(project, story, lang, published, title["text"], dek["text"] if dek else "", lead),
    }


def page_url(project: Project, story: Story, lang: str) -> str | None:
    """A page's absolute address: ``<site_url><story>/<lang>/``, the story's ``canonical_url`` for the
    source language; None when neither is configured (links stay relative)."""
    canonical = story.meta.get("canonical_url")
    if lang == project.story_language(story) and canonical:
        return canonical
    return f"{project.site_url}{story.slug}/{lang}/" if project.site_url else None


def _web(project: Project, story: Story, lang: str, published: list[str], title: str, description: str,
         lead: dict | None) -> dict:
    """What search engines and social sites read: canonical, two-way hreflang alternates (every page
    names the same set, the languages published in the feed or now), og: tags and NewsArticle JSON-LD."""
    source = project.story_language(story)

    def href(other: str) -> str:
        return page_url(project, story, other) or f"../{other}/index.html"

    url = page_url(project, story, lang)
    languages = list(published)
    alternates = ([{"hreflang": html_lang(other), "href": href(other)} for other in languages]
                  + [{"hreflang": "x-default", "href": href(source)}])
    image = None
    if lead is not None and lead.get("images") and url:
        first = lead["images"][0]
        image = first["src"] if is_url(first["src"]) else f"{url}{first['src']}"
    og = [("og:type", "article"), ("og:title", title), ("og:description", description),
          ("og:locale", lang if "_" in lang else html_lang(lang)),
          *[("og:locale:alternate", other) for other in languages if other != lang],
          ("og:url", url), ("og:site_name", story.meta.get("publisher")), ("og:image", image)]
    article = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "description": description or None, "inLanguage": html_lang(lang),
        "datePublished": story.meta.get("date"),
        "dateModified": max((c.date for c in story.corrections), default=None),
        "author": ({"@type": "Person", "name": story.meta["photographer"]}
                   if story.meta.get("photographer") else None),
        "publisher": ({"@type": "Organization", "name": story.meta["publisher"]}
                      if story.meta.get("publisher") else None),
        "url": url, "mainEntityOfPage": url, "image": image,
    }
    if lang != source:
        article["translationOfWork"] = {"@type": "NewsArticle", "inLanguage": html_lang(source),
                                        **({"@id": href(source)} if url else {})}
    else:
        article["workTranslation"] = [{"@type": "NewsArticle", "inLanguage": html_lang(other),
                                       **({"@id": href(other)} if url else {})}
                                      for other in languages if other != source]
    return {
        "canonical": url,
        "alternates": alternates,
        "others": [{"hreflang": html_lang(other), "href": href(other), "name": native_name(other)}
                   for other in languages if other != lang],
        "og": [{"property": k, "content": str(v)} for k, v in og if v],
        # data, never markup: <, > and & escaped too, so no text from a catalog reads as a tag here
        "jsonld": Markup(json_bytes({k: v for k, v in article.items() if v not in (None, [])}).decode().strip()
                         .replace("<\\/", "\\u003c/").replace("<", "\\u003c").replace(">", "\\u003e")
                         .replace("&", "\\u0026")),
    }


def json_bytes(data) -> bytes:
    """JSON that is safe anywhere, also inside an HTML ``<script>``: ``</`` and U+2028/U+2029 escaped
    (in the UTF-8 bytes: a long story's article.json is never decoded and encoded again)."""
    text = pretty_json(data)
    if b"<" in text:              # one byte is a memchr: 30 times faster than replace's two-byte search
        text = text.replace(b"</", b"<\\/")
    return text.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
