"""A story's front matter: the YAML between the ``---`` lines, read strictly (a field given twice is an
error, dates stay text to be checked), each field's line kept for messages; the title, dek, byline,
lead image, corrections and ``keep`` names it gives; and its ``lang`` read cheaply on its own."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from ..errors import SourceError, yaml_problem
from .figures import FIGURE_FIELDS
from .model import Correction, Figure

META_FIELDS = ("title", "dek", "byline", "publisher", "photographer", "date", "lang",
               "canonical_url", "keep", "lead", "corrections", "figures")
TRANSLATABLE_META = ("title", "dek", "byline")
TEXT_META = TRANSLATABLE_META + ("publisher", "photographer", "lang", "canonical_url")  # text or empty
ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def front_matter_language(path: Path, shown: str) -> str | None:
    """Just the ``lang`` of a story's front matter (cheap: the body is not parsed, and a file read
    once is not read again while its size and time stay the same)."""
    try:
        stat = path.stat()
    except OSError:
        return None                                  # parsing the story says what is wrong
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LANGS:
        _LANGS[key] = _front_matter_language(path)
    return _LANGS[key]


_LANGS: dict[tuple, str | None] = {}


def _front_matter_language(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for line in lines[1:]:
        if line.strip() == "---":
            return None
        if re.match(r"^[\"']?lang[\"']?\s*:", line):          # only that line is YAML-read: a newsroom
            try:                                              # has hundreds of stories
                value = yaml.safe_load(line)
            except yaml.YAMLError:
                return None
            lang = next(iter(value.values())) if isinstance(value, dict) and value else None
            return lang if isinstance(lang, str) and lang.strip() else None
    return None



META_NOTES = {"title": "Headline of the story.",
               "dek": "Standfirst under the headline.",
               "byline": "Byline: write names as media in your language write them."}



def parse_date(value, shown: str, line: int | None) -> str | None:
    """Keep the date as ISO text: a full day (2023-02-01) or just a month (2023-02)."""
    if value in (None, ""):
        return None
    text = str(value)
    if ISO_DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
            return text
        except ValueError as e:
            raise SourceError(f"date {text!r} does not exist ({e})", shown, line) from None
    raise SourceError(f"date must be YYYY-MM-DD or YYYY-MM, got {text!r}", shown, line)


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, minus what surprises in front matter: dates stay text for us to check,
    and a field given twice is an error rather than the last one silently winning."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"field {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}



class FrontMatter:
    """The part of the story reader that turns front matter into the story's fields (a mixin of
    :class:`~storyloc.story.reader.Reader`: it uses its ``fail``, ``lines``, ``positions`` and
    ``segment_of_text``)."""

    def read_front_matter(self, block: str, end: int) -> tuple[dict, dict[str, int]]:
        try:
            meta = yaml.load(block, Loader=FrontMatterLoader) or {}
        except yaml.YAMLError as e:
            problem, line = yaml_problem(e, 2)
            raise self.fail(f"front matter is not valid YAML: {problem}", line or 1) from None
        if not isinstance(meta, dict):
            raise self.fail("front matter must be a mapping of fields", 2)
        positions: dict[str, int] = {}
        for number in range(1, end):
            match = re.match(r"^[\"']?([A-Za-z_][\w-]*)[\"']?\s*:", self.lines[number])
            if match:
                positions.setdefault(match.group(1), number + 1)
            match = re.match(r"^\s+[\"']?([A-Za-z0-9_][\w-]*)[\"']?\s*:", self.lines[number])
            if match:
                positions.setdefault("figures." + match.group(1), number + 1)
        return meta, positions

    def keep_names(self, keep) -> tuple[str, ...]:
        if keep in (None, []):
            return ()
        if not isinstance(keep, list) or not all(isinstance(k, str) and k.strip() for k in keep):
            raise self.fail("keep must be a list of names kept as they are, e.g. [Gwara Media]",
                            self.positions.get("keep"))
        return tuple(k.strip() for k in keep)

    def figure_images(self, figures) -> dict[str, tuple[str, int | None]]:
        if figures in (None, {}):
            return {}
        if not isinstance(figures, dict):
            raise self.fail("figures must map each figure id to {image: path}", self.positions.get("figures"))
        images = {}
        for fig_id, spec in figures.items():
            line = self.positions.get(f"figures.{fig_id}", self.positions.get("figures"))
            if not isinstance(spec, dict) or not isinstance(spec.get("image"), str):
                raise self.fail(f"figure {fig_id!r} needs an image path: {{image: images/...}}", line)
            images[str(fig_id)] = (self.image_address(spec["image"], str(fig_id), line), line)
        return images

    def lead_figure(self, lead) -> Figure | None:
        if lead is None:
            return None
        line = self.positions.get("lead")
        if not isinstance(lead, dict) or not isinstance(lead.get("image"), str):
            raise self.fail("lead must be {image: path or URL, alt: ..., caption: ..., credit: ...}", line)
        for key, value in lead.items():
            if key not in FIGURE_FIELDS:
                raise self.fail(f"unknown lead field {key!r} (known: {', '.join(FIGURE_FIELDS)})", line)
            if value is not None and not isinstance(value, str):
                raise self.fail(f"lead {key} must be text", line)
        fields = {k: (v, line) for k, v in lead.items() if k != "image" and v}
        return self.make_figure("lead", (self.image_address(lead["image"], "lead", line),), fields, line, "lead image")

    def corrections(self, corrections) -> list[Correction]:
        if corrections in (None, []):
            return []
        line = self.positions.get("corrections")
        if not isinstance(corrections, list):
            raise self.fail("corrections must be a list of {date: YYYY-MM-DD, note: text}", line)
        out = []
        for item in corrections:
            if (not isinstance(item, dict) or set(item) - {"date", "note"} or not isinstance(item.get("note"), str)
                    or not item["note"].strip()):
                raise self.fail("each correction is {date: YYYY-MM-DD, note: what was corrected}", line)
            date = str(item.get("date") or "")
            if not DAY.fullmatch(date):
                raise self.fail(f"correction date must be YYYY-MM-DD, got {date!r}", line)
            parse_date(date, self.shown, line)
            note = self.segment_of_text("correction", item["note"], line, context=f"correction:{date}",
                                        note=f"Correction of {date}, shown under the story.")
            out.append(Correction(date, note, line or 1))
        return out
