"""Front matter of Hugo, Jekyll and Eleventy posts (YAML ``---`` or TOML ``+++``) and of HTML
exports (``<meta>``, ``<time>``, ``<html lang>``): the fields a story has, each one dropped named with
its line; and the story's own front matter written out."""
from __future__ import annotations

import datetime as _dt
import re

import yaml

from ..errors import SourceError, yaml_problem
from .html_export import meta_content, page_title, time_datetime
from .state import CREDIT, State, bare_credit, clean_text

# Front matter fields of Hugo, Jekyll and Eleventy that have a place in a story, by the story's name.
TITLE = ("title",)
DEK = ("dek", "subtitle", "description", "summary", "excerpt")
BYLINE = ("byline", "author", "authors")
DATE = ("date", "publishDate", "published", "pubdate")
CANONICAL = ("canonical_url", "canonicalURL", "canonical")
LEAD_IMAGE = ("image", "featured_image", "featureimage", "cover_image", "lead_image", "thumbnail")
LEAD_CAPTION = ("image_figcaption", "image_caption", "caption")
LEAD_ALT = ("image_alt", "alt")
LEAD_CREDIT = ("image_credit", "credit", "photographer")
KEPT = ("publisher", "photographer", "keep")
MAPPED = set(TITLE + DEK + BYLINE + DATE + CANONICAL + LEAD_IMAGE + LEAD_CAPTION + LEAD_ALT
              + LEAD_CREDIT + KEPT + ("lang", "language", "locale"))


def split_front_matter(text: str, name: str):
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
        try:
            node = yaml.compose(raw, Loader=yaml.SafeLoader)
            meta = yaml.safe_load(raw)
        except yaml.YAMLError as error:
            problem, line = yaml_problem(error, 2)
            raise SourceError(f"front matter is not valid YAML: {problem}", name, line or 1) from None
        field_lines = {}
        if isinstance(node, yaml.MappingNode):
            field_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value if hasattr(k, "value")}
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError("front matter is not a mapping of fields", name, 2)
    return meta, "".join(lines[end + 1:]), end + 2, field_lines


def story_fields(meta: dict, lines: dict, soup, state: State, date_hint: str | None) -> dict:
    """The story's fields from the CMS's, each dropped one named with its line."""
    out: dict = {}
    key, title = first_field(meta, TITLE)
    if isinstance(title, (int, float)) and not isinstance(title, bool):
        title = str(title)  # `title: 1984` is a title, not a number
    if title is None:
        title = page_title(soup, state)
    if not isinstance(title, str) or not title.strip():
        raise SourceError("no title (front matter `title`, an <h1> or a <title>): not an article",
                          state.name, lines.get("title", 1))
    out["title"] = clean_text(title)
    used = {key} if key else set()
    for keys, story_key in ((DEK, "dek"), (CANONICAL, "canonical_url")):
        key, value = first_field(meta, keys)
        if isinstance(value, str) and value.strip():
            out[story_key] = clean_text(value)
            used.add(key)
    if "dek" not in out:
        dek = meta_content(soup, "description") or meta_content(soup, "og:description")
        if dek:
            out["dek"] = clean_text(dek)
    key, authors = first_field(meta, BYLINE)
    if isinstance(authors, str):
        authors = [authors]
    if isinstance(authors, list) and all(isinstance(a, str) for a in authors):
        out["byline"] = ", ".join(clean_text(a) for a in authors)
        used.add(key)
    elif meta_content(soup, "author"):
        out["byline"] = clean_text(meta_content(soup, "author"))
    key, date = first_field(meta, DATE)
    iso = iso_date(date) if date is not None else None
    if date is not None and iso is None:
        state.warn(lines.get(key, 1), f"{state.fields_from} {key} {date!r} is not a date; left out")
    elif iso:
        used.add(key)
    iso = iso or iso_date(meta_content(soup, "article:published_time") or time_datetime(soup)) or date_hint
    if iso:
        out["date"] = iso
    for key in KEPT:
        if key in meta and meta[key] not in (None, ""):
            out[key] = meta[key]
            used.add(key)
    lang = story_language(meta, soup, state, used)
    if lang:
        out["lang"] = lang
    lead = lead_image(meta, lines, state, used)
    if lead:
        out["lead"] = lead
    for key in meta:
        if key in used:
            continue
        why = "not carried" if key in MAPPED else "has no place in a story"
        state.warn(lines.get(key, 1), f"{state.fields_from} field {key!r} {why}; left out")
    return out


def first_field(meta: dict, keys) -> tuple:
    """The first of ``keys`` that ``meta`` gives a value, and that value (or ``None, None``)."""
    for key in keys:
        value = meta.get(key)
        if value not in (None, "", []):
            return key, value
    return None, None


def story_language(meta: dict, soup, state: State, used: set) -> str | None:
    """The article's language (front matter, ``<html lang>`` or the file's name), as a story's ``lang``."""
    key, lang = first_field(meta, ("lang", "language", "locale"))
    if not isinstance(lang, str):
        html_tag = soup.find("html")
        lang = (html_tag.get("lang") if html_tag is not None else None) or state.lang_hint
    else:
        used.add(key)
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2,3}([_-]|$)", lang.strip()):
        return re.split(r"[_-]", lang.strip())[0].lower()  # the story's own language (issue: German-origin)
    return None


def lead_image(meta: dict, lines: dict, state: State, used: set) -> dict | None:
    """The post's featured image, with its alt, caption and credit, as the story's ``lead``."""
    key, image = first_field(meta, LEAD_IMAGE)
    if not (isinstance(image, str) and image.strip()):
        return None
    lead = {"image": state.url(image.strip(), lines.get(key, 1), "lead image")}
    used.add(key)
    for keys, lead_key in ((LEAD_ALT, "alt"), (LEAD_CAPTION, "caption"), (LEAD_CREDIT, "credit")):
        k, v = first_field(meta, keys)
        if isinstance(v, str) and v.strip():
            lead[lead_key] = clean_text(v)
            used.add(k)
    if "caption" in lead and "credit" not in lead:
        m = CREDIT.search(lead["caption"])
        if m:
            lead["credit"], lead["caption"] = bare_credit(m.group(1)), lead["caption"][:m.start()].strip()
            if not lead["caption"]:
                del lead["caption"]
    state.lead_line = lines.get(key, 1)
    return lead


def write_front_matter(fields: dict) -> str:
    order = ["title", "dek", "byline", "date", "lang", "publisher", "photographer", "canonical_url", "keep", "lead"]
    ordered = {k: fields[k] for k in order if k in fields}
    ordered.update((k, v) for k, v in fields.items() if k not in ordered)
    dumped = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return "---\n" + dumped + "---\n"


def iso_date(value) -> str | None:
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


def date_from_name(filename: str) -> str | None:
    m = re.match(r"(\d{4}-\d{2}-\d{2})-", filename)  # Jekyll's _posts/2014-09-04-slug.html
    return iso_date(m[1]) if m else None


def lang_from_path(path) -> str | None:
    """The language a multilingual site's file says it is in: Hugo's ``index.de.md``, or a language
    folder under ``content/`` (Hugo's ``content/ur/devops.md``; a folder that is no language code,
    ``content/posts/``, says nothing)."""
    m = re.search(r"\.([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\.(?:md|markdown|html?)$", path.name)
    if m:
        return m.group(1)
    parts = path.parts
    for folder, below in zip(parts, parts[1:-1]):
        if folder == "content" and re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?", below):
            from babel import Locale, UnknownLocaleError
            try:
                Locale.parse(below.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                return None
            return below
    return None
