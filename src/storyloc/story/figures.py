"""Figures: the ``::: figure <id>`` block's ``image:``/``alt:``/``caption:``/``credit:`` lines, image
addresses (a file in the story folder or an http(s) URL), and the :class:`Figure` with its segments."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from .model import BUNDLE_FILES, Block, Figure, Segment, is_url

if TYPE_CHECKING:
    from .walker import Node

FIGURE_FIELDS = ("image", "alt", "caption", "credit")
FIGURE_OPEN = re.compile(r"^\s*:::\s*figure\b")
FIGURE_ID = re.compile(r"^\s*:::\s*figure\s+(\S+)", re.M)     # each figure's id in a story's text
CLOSE = re.compile(r"^\s*:{3,}\s*$")
FIELD_LINE = re.compile(r"^([a-z_]+):\s?(.*)$")


class Figures:
    """The part of the story reader that reads figures (a mixin of
    :class:`~storyloc.story.reader.Reader`: it uses its ``fail``, ``warn``, ``lines``, ``images``,
    ``seen_figures`` and ``segment_of_text``)."""

    def image_address(self, image: str, fig_id: str, line: int | None) -> str:
        image = image.strip()
        if is_url(image):
            parsed = urllib.parse.urlsplit(image)
            if not parsed.netloc or re.search(r"[\s\"'<>\\]", image):
                raise self.fail(f"figure {fig_id!r}: not an image address: {image!r}", line)
            return image
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", image) or image.startswith("//"):
            raise self.fail(f"figure {fig_id!r}: an image is a file in the story folder or an http(s) "
                            f"address, got {image!r}", line)
        if not image or Path(image).is_absolute() or ".." in Path(image).parts:
            raise self.fail(f"figure {fig_id!r}: image must be a path inside the story folder", line)
        if len(Path(image).parts) == 1 and (image in BUNDLE_FILES or image.endswith(".mo")):
            raise self.fail(f"figure {fig_id!r}: an image may not be named {image!r}, like one of the "
                            f"bundle's own files; keep images in a folder (e.g. images/)", line)
        return image

    def figure_block(self, node: Node, line: int) -> Block:
        params = node.info.strip().split()
        if len(params) != 2:
            raise self.fail("a figure block opens with '::: figure <id>' (one id, no spaces)", line)
        fig_id = params[1]
        if fig_id in self.seen_figures or fig_id == "lead":
            raise self.fail(f"figure {fig_id!r} appears twice", line)
        self.seen_figures[fig_id] = line
        end = node.map[1]
        fields: dict[str, tuple[str, int]] = {}
        images: list[str] = []
        current = None
        for index in range(node.map[0] + 1, min(end, len(self.lines))):
            text = self.lines[index]
            number = index + 1
            if FIGURE_OPEN.match(text):
                raise self.fail(f"figure {fig_id!r} opened on line {line} is not closed with ':::'", number)
            match = FIELD_LINE.match(text)
            if match and not text[0].isspace():
                current = match.group(1)
                if current not in FIGURE_FIELDS:
                    raise self.fail(f"unknown figure field {current!r} (known: {', '.join(FIGURE_FIELDS)})",
                                    number)
                if current == "image":
                    images.append(self.image_address(match.group(2), fig_id, number))
                    continue
                if current in fields:
                    raise self.fail(f"figure {fig_id!r} has two {current} lines", number)
                fields[current] = (match.group(2), number)
            elif text.strip():
                if current is None or current == "image" or not text[0].isspace():
                    raise self.fail(f"figure {fig_id!r}: expected 'image:', 'alt:', 'caption:' or 'credit:', "
                                    f"got {text.strip()!r}", number)
                value, at = fields[current]
                fields[current] = (value + "\n" + text, at)
        if end >= len(self.lines) or not CLOSE.match(self.lines[end]):
            raise self.fail(f"figure {fig_id!r} is not closed with ':::'", line)
        if fig_id in self.images:
            if images and images != [self.images[fig_id][0]]:
                raise self.fail(f"figure {fig_id!r} has its image both here and in front matter 'figures'",
                                line)
            images = [self.images[fig_id][0]]
        if not images:
            raise self.fail(f"figure {fig_id!r} has no image: add 'image: images/<file>' (or an https:// "
                            f"address) to the block", line)
        return Block("figure", line, figure=self.make_figure(fig_id, tuple(images), fields, line, "photo"))

    def make_figure(self, fig_id: str, images: tuple[str, ...], fields: dict, line: int | None, what: str) -> Figure:
        def seg(kind: str, note: str) -> Segment | None:
            if kind not in fields or not fields[kind][0].strip():
                return None                               # a blank caption is no caption
            value, at = fields[kind]
            return self.segment_of_text(kind, value.strip(), at or 1, figure=fig_id, note=note)

        shown = f"{what} “{fig_id}” ({images[0]}{' and more' if len(images) > 1 else ''})"
        alt = seg("alt", f"Alt text of {shown}: says what the image shows, for people who cannot see it.")
        caption = seg("caption", f"Caption of {shown}.")
        credit = seg("credit", "Photo credit line, shared by every photo that has it.")
        if alt is None:
            self.warn(f"figure {fig_id!r} has no alt text ('alt:'); the page uses its caption or nothing",
                      line)
        return Figure(fig_id, images, caption, credit, line or 1, alt)
