"""Stage 3: catalogs become localized bundles, ``build/<story>/<lang>/``.

Each bundle holds ``index.html``, ``article.md``, ``article.json``, the
compiled ``.mo`` and the story's images; ``build/<story>/manifest.json``
lists every language's progress, publish state and file checksums.

Only reviewed translations are shown. A draft or a missing translation falls
back to the English, marked ``lang="en"``, and the page carries a banner
saying how much is still English. Builds are reproducible: the same inputs
give the same bytes (nothing here reads the clock).
"""
from __future__ import annotations

import gettext
import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import BytecodeCache, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__, freshness
from ..po import Catalog, compile_mo, parse_po, read_catalog
from ..check import check_catalog, summarize
from ..project import Project
from ..files import write_if_changed
from .gates import reasons
from ..languages import direction, format_story_date, html_lang, language_name, native_name
from ..story import Block, Figure, Segment, Story, figure_json, load_story, render_markdown
from ..story.inline import clean, parse_translation, plain, translation_parser

MANIFEST_SCHEMA = "storyloc.manifest/1"
ARTICLE_SCHEMA = "storyloc.article/2"


@dataclass
class Shown:
    """A segment as a page shows it: the text chosen, and whether it fell back to English."""

    segment: Segment
    text: str
    status: str           # reviewed | draft | missing (the source language is always reviewed)
    fallback: bool

    def attrs(self, source_language: str) -> Markup:
        return Markup(f' lang="{html_lang(source_language)}" dir="ltr"') if self.fallback else Markup("")

    def as_json(self, markdown: str) -> dict:
        return {"id": self.segment.id, "kind": self.segment.kind, "context": self.segment.context,
                "line": self.segment.line, "source": self.segment.text, "text": markdown,
                "status": self.status, "fallback": self.fallback}


class Inline:
    """Each segment's chosen text as safe HTML, Markdown and plain text: parsed with raw HTML off,
    links and images pointing only at the story's own targets, footnote references numbered by the story."""

    def __init__(self, story: Story, shown: dict[tuple, Shown]):
        self.story = story
        self.shown = shown
        self.labels = frozenset(n.label for n in story.footnotes)
        self.referenced: set[str] = set()      # footnotes whose first reference has its anchor
        self._tokens: dict[tuple, list] = {}

    def tokens(self, seg: Segment):
        """The segment's chosen text, parsed once per page (rendering only fills in its targets)."""
        tokens = self._tokens.get(seg.key)
        if tokens is None:
            tokens = parse_translation(self.shown[seg.key].text, seg.links, seg.images, self.labels)
            self._tokens[seg.key] = tokens
        return tokens

    def title(self, seg: Segment, n: int) -> str | None:
        title = seg.titles[n - 1] if n <= len(seg.titles) else None
        return plain(self.tokens(title)) if title is not None else None

    def html(self, seg: Segment) -> Markup:
        from markdown_it.token import Token
        tokens = []
        for t in self.tokens(seg):
            self._target(seg, t)
            if t.type == "footnote_ref":
                label = t.meta["label"]
                number = self.story.footnote_number(label)
                anchor = "" if label in self.referenced else f' id="fnref-{number}"'
                self.referenced.add(label)
                t = Token("html_inline", "", 0)
                t.content = (f'<sup class="footnote-ref"><a href="#fn-{number}"{anchor} role="doc-noteref">'
                             f"{number}</a></sup>")
            tokens.append(t)
        md = translation_parser()
        return Markup(md.renderer.render(tokens, md.options, {}))

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
        return tokens_markdown(seg, self.tokens(seg), lambda title: plain(self.tokens(title)))

    def plain(self, seg: Segment) -> str:
        return plain(self.tokens(seg))


@dataclass
class LanguageResult:
    lang: str
    state: str
    counts: dict
    files: dict[str, str]
    written: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    story: str
    manifest: Path
    languages: list[LanguageResult]
    warnings: list[str]


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
    """``index.html`` from the page data of :func:`_page`, the page's own words in ``lang``."""
    return _environment(lang).get_template("page.html").render(page=page)


def choose(story: Story, catalog: Catalog | None) -> dict[tuple, Shown]:
    """For every segment, the text to show: a reviewed translation, else the English."""
    index = catalog.index() if catalog is not None else {}
    shown = {}
    for seg in story.segments():
        if catalog is None:
            shown[seg.key] = Shown(seg, seg.text, "reviewed", False)
            continue
        message = index.get(seg.key)
        status = message.status if message is not None else "missing"
        if status == "reviewed":
            shown[seg.key] = Shown(seg, message.msgstr[0], status, False)
        else:
            shown[seg.key] = Shown(seg, seg.text, status, True)
    return shown


def counts(shown: dict[tuple, Shown]) -> dict:
    """Progress over distinct messages (a credit used on seven photos counts once)."""
    result = {"segments": len(shown), "reviewed": 0, "draft": 0, "missing": 0,
              "words": 0, "words_reviewed": 0, "words_draft": 0, "words_missing": 0}
    for item in shown.values():
        result[item.status] += 1
        result["words"] += item.segment.words
        result[f"words_{item.status}"] += item.segment.words
    result["percent_reviewed"] = round(100.0 * result["reviewed"] / result["segments"], 1) if shown else 100.0
    return result


def publish_state(project: Project, progress: dict, errors: int = 0) -> str:
    """``published`` when no gate of ``[tool.storyloc.publish]`` fails (``progress["reasons"]``, from
    :func:`assess`), and no error-level check fails (``errors``, else ``progress["errors"]``); a
    ``draft`` before that."""
    if errors or progress.get("errors", 0) or progress.get("reasons"):
        return "draft"
    if "reasons" not in progress and progress["percent_reviewed"] < project.publish_threshold:
        return "draft"
    return "published"


def assess(project: Project, story: Story, lang: str, catalog: Catalog | None) -> tuple[dict, dict, str]:
    """What a page in ``lang`` shows (:func:`choose`), its progress with the checks' summary, and its
    publish state: the one reckoning behind the bundles, the manifest and ``storyloc status``.
    ``catalog`` is None for the source language."""
    shown = choose(story, catalog)
    progress = counts(shown)
    findings = check_catalog(project, story.slug, lang, catalog, story)[0] if catalog is not None else []
    progress.update(summarize(findings))
    # why it is not published: each failing gate with its entries (file:line), kept in the manifest
    progress["reasons"] = ([r.as_json() for r in reasons(project, story, lang, catalog, findings)]
                           if catalog is not None else [])
    return shown, progress, publish_state(project, progress)


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


def _page(project: Project, story: Story, lang: str, shown: dict, published: list[str], images: dict,
          state: str, inline: Inline | None = None) -> dict:
    """The page's data. ``hreflang`` alternates and "Read in" links name only published languages
    (a draft preview is English under a banner, not a translation), and a draft is ``noindex``."""
    source = project.story_language(story)
    inline = inline or Inline(story, shown)

    def view(seg: Segment | None):
        if seg is None:
            return None
        item = shown[seg.key]
        html = inline.html(seg)
        wrapped = html
        if item.fallback:  # isolated, so English inside a right-to-left sentence keeps its order
            wrapped = Markup('<bdi lang="{}" dir="ltr">{}</bdi>').format(html_lang(source), html)
        return {"html": html, "inline": wrapped, "text": inline.plain(seg), "attrs": item.attrs(source),
                "fallback": item.fallback}

    def alt_text(figure: Figure) -> str:
        seg = figure.alt or figure.caption
        return inline.plain(seg) if seg is not None else ""

    title, dek = view(story.title), view(story.dek)
    byline = view(story.byline)
    lead = _figure_view(story.lead, images, view, alt_text) if story.lead is not None else None
    blocks = _page_blocks(story.blocks, images, view, alt_text)
    footnotes = [{"number": n.number, "blocks": _page_blocks(n.children, images, view, alt_text)}
                 for n in story.footnotes]
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
        "jsonld": Markup(json_text({k: v for k, v in article.items() if v not in (None, [])}).strip()
                         .replace("<\\/", "\\u003c/").replace("<", "\\u003c").replace(">", "\\u003e")
                         .replace("&", "\\u0026")),
    }


def feed_published(project: Project, slug: str) -> list[str]:
    """Languages of ``slug`` with a published version in ``dist/index.json`` (none before the first
    publish): a language whose new build is a draft keeps its alternates while that version is served."""
    from ..errors import StorylocError
    from ..feed import check_feed, published_languages
    path = project.feed()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError) as e:
        raise StorylocError(f"not valid JSON ({e}); restore it from a backup", project.rel(path)) from None
    return published_languages(check_feed(data, project.rel(path)), slug)


def json_text(data) -> str:
    """JSON that is safe anywhere, also inside an HTML ``<script>``: ``</`` and U+2028/U+2029 escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def _article_json(project: Project, story: Story, lang: str, shown: dict, state: str, images: dict,
                  inline: Inline | None = None) -> str:
    inline = inline or Inline(story, shown)

    def seg(s: Segment | None):
        return shown[s.key].as_json(inline.markdown(s)) if s is not None else None

    data = {
        "schema": ARTICLE_SCHEMA, "story": story.slug, "lang": lang, "dir": direction(lang),
        "source_language": project.story_language(story), "state": state,
        "meta": {**{k: clean(v) if isinstance(v, str) else v for k, v in story.meta.items() if k != "lang"},
                 "date_display": format_story_date(story.meta.get("date"), lang)},
        "title": seg(story.title), "dek": seg(story.dek), "byline": seg(story.byline),
        "lead": figure_json(story.lead, seg) if story.lead is not None else None,
        "blocks": [b.as_json(seg) for b in story.blocks],
        "footnotes": [{"label": n.label, "number": n.number, "line": n.line,
                       "children": [b.as_json(seg) for b in n.children]} for n in story.footnotes],
        "corrections": [{"date": c.date, "note": seg(c.note)} for c in story.corrections],
        "images": {image: present for image, present in sorted(images.items())},
    }
    return json_text(data)


def _write_bundle(directory: Path, files: dict[str, bytes]) -> list[str]:
    """Make ``directory`` hold exactly ``files``: changed ones rewritten atomically, stale ones removed."""
    written = [name for name, data in sorted(files.items()) if write_if_changed(directory / name, data)]
    if directory.exists():
        for path in sorted(directory.rglob("*"), reverse=True):
            name = path.relative_to(directory).as_posix()
            if path.is_file() and name not in files:
                path.unlink()
                written.append(name)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def build_story(project: Project, slug: str, common: str | None = None) -> BuildResult:
    found = freshness.inputs(project, slug, common)        # before reading them: a later edit is seen
    source_path = project.article(slug)
    story = load_story(project, slug)
    story_dir = source_path.parent
    warnings = list(story.warnings)
    images: dict[str, bool] = {}
    image_data: dict[str, bytes] = {}      # read once, copied into every language's bundle
    for image, figure in story.local_images():
        path = story_dir / image
        images[image] = path.is_file()
        if images[image]:
            image_data[image] = path.read_bytes()
        else:
            warnings.append(f"{project.rel(source_path)}:{figure.line}: image {image} not found; "
                            f"the page shows a placeholder")
    # Every language's state first: a page links only to the languages a reader can read.
    story_lang = project.story_language(story)
    states = {}
    for lang in [story_lang, *project.story_targets(story)]:
        catalog = None
        if lang != story_lang:
            path = project.catalog(slug, lang)
            catalog = read_catalog(path, project.rel(path))
        states[lang] = (catalog, *assess(project, story, lang, catalog))
    in_feed = set(feed_published(project, story.slug))
    published = [lang for lang, (*_, state) in states.items() if state == "published" or lang in in_feed]
    results = []
    for lang, (catalog, shown, progress, state) in states.items():
        inline = Inline(story, shown)          # each segment parsed once for all three files
        page = _page(project, story, lang, shown, published, images, state, inline)
        files: dict[str, bytes] = {
            "index.html": render_page(page, lang).encode("utf-8"),
            "article.md": render_markdown(story, lambda seg: shown[seg.key].text, lang,
                                          inline.markdown).encode("utf-8"),
            "article.json": _article_json(project, story, lang, shown, state, images, inline).encode("utf-8"),
        }
        if catalog is not None:
            files[project.mo_name(slug)] = compile_mo(catalog)
        files.update(image_data)
        written = _write_bundle(project.bundle(slug, lang), files)
        checksums = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
        results.append(LanguageResult(lang, state, progress, checksums, written,
                                      [i for i, ok in images.items() if not ok]))
    manifest = {
        "schema": MANIFEST_SCHEMA, "story": slug, "source_language": story_lang,
        "publish_threshold": project.publish_threshold,
        "languages": {r.lang: {"state": r.state, **r.counts, "dir": direction(r.lang),
                               "missing_images": r.missing_images, "files": r.files} for r in results},
    }
    manifest_path = project.manifest(slug)
    write_if_changed(manifest_path, (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                                     + "\n").encode("utf-8"))
    freshness.record(project, slug, found)
    return BuildResult(slug, manifest_path, results, warnings)


def build(project: Project, stories: tuple[str, ...] | None = None) -> list[BuildResult]:
    """Build every configured language of each story (the source language included)."""
    slugs = project.select_stories(stories)
    common = freshness.shared(project)
    return [build_story(project, slug, common) for slug in slugs]
