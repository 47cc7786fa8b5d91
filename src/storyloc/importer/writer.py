"""The Markdown writer: markdownify's converter, taught what the story format has and plain HTML has
not (``::: figure`` and ``::: pullquote`` containers, footnotes, GFM tables with alignment), escaping
only what would change the Markdown's meaning, and naming everything it cannot carry."""
from __future__ import annotations

import re
from collections import Counter

from bs4 import NavigableString, Tag
from markdownify import MarkdownConverter

from .figure_md import FigureMarkdown
from ..languages import direction
from .state import INLINE_TAGS, State, clean_text, excerpt, is_pullquote, line_of, tidy

DROPPED_QUIETLY = {"head", "title", "meta", "link", "base", "template"}
DROPPED_WITH_WARNING = {
    "script": "a script", "style": "a <style> block", "noscript": "a <noscript> block", "form": "a form",
    "button": "a button", "input": "a form field", "select": "a form field", "textarea": "a form field",
    "svg": "an inline SVG graphic", "canvas": "a canvas", "video": "a video", "audio": "an audio player",
    "object": "an embedded object", "embed": "an embedded object", "map": "an image map", "math": "a formula",
}




def at_block_edge(el) -> bool:
    """Whether nothing but space and other breaks stands between ``el`` and one end of its block (or a
    block beside it, as a quote's ``<cite>`` after its ``<p>``)."""
    def nothing(direction: str) -> bool:
        node = el
        while node is not None and node.parent is not None:
            sibling = getattr(node, direction)
            while sibling is not None:
                if isinstance(sibling, Tag) and sibling.name not in INLINE_TAGS | {"br", "img"}:
                    return True                     # a block beside it: its text starts or ends here
                if not (isinstance(sibling, NavigableString) and not sibling.strip()
                        or isinstance(sibling, Tag) and sibling.name == "br"):
                    return False
                sibling = getattr(sibling, direction)
            node = node.parent
            if node.name not in INLINE_TAGS:
                return True
        return True
    return nothing("next_sibling") or nothing("previous_sibling")


cell_sep, row_sep = "\x1f", "\x1e"


def heading_id(ident: str | None) -> str:
    """A heading's id as the story writes it after the heading (`` {#id}``), when it reads back as that
    id (by mdit-py-plugins' attribute parser, as the story reader reads it); nothing otherwise."""
    from mdit_py_plugins.attrs.parse import ParseError, parse
    if not ident:
        return ""
    try:
        end, attrs = parse("{#" + ident + "}")
    except ParseError:
        return ""
    return f" {{#{ident}}}" if attrs == {"id": ident} and end == len(ident) + 2 else ""


class Converter(FigureMarkdown, MarkdownConverter):
    """markdownify, taught the story format's figures, pull quotes, footnotes and tables."""

    def __init__(self, state: State):
        super().__init__(heading_style="atx", bullets="-", strong_em_symbol="*", newline_style="backslash",
                         wrap=True, wrap_width=None, escape_misc=False, escape_asterisks=False,
                         escape_underscores=False, autolinks=True, sub_symbol="", sup_symbol="")
        self.state = state
        self.footnotes: dict[str, str] = {}  # element id of a definition → label
        self.footnote_text: dict[str, str] = {}
        self.backrefs: set[str] = set()
        self.pending: list[str] = []  # figures pulled out of running text, waiting for their block
        self.turns: dict = {}         # elements whose text runs in another direction than around them, by id

    # The entry point: footnotes are found before anything is converted.
    def convert_soup(self, soup):
        self.collect_footnotes(soup)
        for comment in soup.find_all(string=lambda s: s.__class__.__name__ == "Comment"):
            comment.extract()
        soup.smooth()       # the text around each comment one string again: runs of blanks between list
        #                     items were read as a deeper item's indent
        body = self.flush(self.process_tag(soup, parent_tags=set()))
        if self.turns:
            first, n = next(iter(self.turns.values())), len(self.turns)
            self.state.warn(line_of(first, self.state),
                            f"{n} passage{'s' if n > 1 else ''} marked to run in another text direction "
                            f"(<{first.name} dir=\"{first.get('dir', 'auto')}\">{' and more' if n > 1 else ''}) carried "
                            f"without the mark: a story has none; check {'their' if n > 1 else 'its'} punctuation "
                            f"on the page")
        notes = []
        for note_id, label in self.footnotes.items():
            text = self.footnote_text.get(note_id, "")
            first, *rest = text.split("\n") if text else [""]
            lines = [f"[^{label}]: {first}"] + [("    " + l) if l else "" for l in rest]
            notes.append("\n".join(lines))
        return body + ("\n\n" + "\n\n".join(notes) + "\n" if notes else "")

    def collect_footnotes(self, soup):
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
        for note in soup.find_all("d-footnote"):      # Distill's note, written where it is referenced
            note_id, label = f"d-footnote {len(self.footnotes)}", str(len(self.footnotes) + 1)
            while label in taken:
                label += "-2"
            taken.add(label)
            self.footnotes[note_id] = label
            self.footnote_text[note_id] = self.fragment_markdown(note, {"storyloc-footnote"}).strip()
            marker = soup.new_tag("storyloc-fnref")
            marker["label"] = label
            note.replace_with(marker)
        cites = soup.find_all("d-cite")
        if cites:
            self.state.warn(line_of(cites[0], self.state),
                            f"{len(cites)} citation{'s' * (len(cites) != 1)} (<d-cite key=…>) left out: their "
                            f"bibliography is a script, which a story cannot hold; write them as footnotes")
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
            self.footnote_text[note_id] = self.fragment_markdown(item, {"li", "storyloc-footnote"}).strip()
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

    def process_tag(self, node, parent_tags=None):
        """Every element: one whose text runs in another direction than its surroundings (``<span
        dir="ltr">`` in Arabic, ``<bdi>``) is noted, since a story carries no direction marks."""
        if isinstance(node, Tag) and (node.name in ("bdi", "bdo") or node.get("dir")) \
                and node.get("dir", "auto").lower() != self.direction_around(node):
            self.turns[id(node)] = node
        return super().process_tag(node, parent_tags)

    def direction_around(self, el) -> str:
        """The text direction ``el`` sits in: its nearest ancestor's ``dir``, else its article language's."""
        for parent in el.parents:
            if getattr(parent, "get", None) and parent.get("dir") in ("ltr", "rtl"):
                return parent["dir"]
        try:
            return direction(self.state.lang) if self.state.lang else "ltr"
        except (ValueError, LookupError):   # a language tag CLDR does not know
            return "ltr"

    def fragment_markdown(self, el, parent_tags):
        text = "".join(self.process_element(child, parent_tags=set(parent_tags)) for child in el.children)
        return tidy(text).strip("\n")

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
        if self.image_paragraph(el):
            return self.figure_markdown(el, parent_tags)
        stripped = text.strip(" \t\r\n")
        raw = el.get_text()
        if raw.strip(" \t\r\n") and not raw.strip(" \t\r\n\u00a0\u202f\u2007") and el.find("img") is None:
            self.state.warn(line_of(el, self.state), "a paragraph holding only a no-break space (a spacer) "
                                                   "left out")
            return ""
        if re.search(r"\w", stripped):
            self.state.text_blocks += 1
        out = super().convert_p(el, text, parent_tags)
        return out if {"li", "blockquote", "td", "th"} & parent_tags else self.flush(out)

    def convert_div(self, el, text, parent_tags):
        classes = " ".join(el.get("class", []))
        if "wp-caption" in classes or (el.find("img") and el.find(class_=re.compile("caption"))):
            if el.find("img") is not None:
                return self.figure_markdown(el, parent_tags)
        if "wp-block-embed__wrapper" in classes:
            return self.embed(el, parent_tags)
        return super().convert_div(el, text, parent_tags)

    convert_section = convert_div

    def convert_span(self, el, text, parent_tags):
        return text

    def convert_abbr(self, el, text, parent_tags):
        """An abbreviation's expansion is words a reader may need; the story format has no place for them."""
        if el.get("title", "").strip():
            self.state.warn(line_of(el, self.state), f"the expansion of {clean_text(el.get_text())!r} "
                            f"(<abbr title={excerpt(el['title'])!r}>) left out; the abbreviation is kept")
        return text

    # Figures, pull quotes, embeds.
    def convert_blockquote(self, el, text, parent_tags):
        classes = " ".join(el.get("class", []))
        if is_pullquote(el):
            return self.pullquote(el, parent_tags)
        if "twitter-tweet" in classes or "instagram-media" in classes or "tiktok-embed" in classes:
            self.state.warn(line_of(el, self.state), "a social media embed carried as a block quote of its text")
        out = super().convert_blockquote(el, text, parent_tags)
        return out if "blockquote" in parent_tags or "li" in parent_tags else self.flush(out)

    def convert_list(self, el, text, parent_tags):
        out = super().convert_list(el, text, parent_tags)
        return out if "li" in parent_tags or "blockquote" in parent_tags else self.flush(out)

    convert_ul = convert_ol = convert_list

    def convert_a(self, el, text, parent_tags):
        href = el.get("href")
        if not href or href.startswith("javascript:"):
            return text
        if href.startswith("#"):
            self.state.warn(line_of(el, self.state), f"a link to {href} on the same page kept as plain text")
            return text
        href = self.state.url(href, line_of(el, self.state), "the link")
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
        self.state.warn(line_of(el, self.state), "underlining carried as plain text")
        return text

    def convert_del(self, el, text, parent_tags):
        self.state.warn(line_of(el, self.state), "struck-through text carried as plain text")
        return text

    convert_s = convert_strike = convert_del

    def convert_sup(self, el, text, parent_tags):
        if text.strip():
            what = "superscript" if el.name == "sup" else "subscript"
            self.state.warn(line_of(el, self.state), f"{what} carried as plain text")
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

    def _as_paragraphs(self, el, text: str, warning: str) -> str:
        """A block the story format has no form for, carried as its paragraphs, and named."""
        self.state.warn(line_of(el, self.state), warning)
        return "\n\n" + text + "\n\n"

    def convert_dl(self, el, text, parent_tags):
        return self._as_paragraphs(el, text, "a definition list carried as paragraphs")

    def convert_details(self, el, text, parent_tags):
        return self._as_paragraphs(el, text, "a collapsible <details> block carried open, as paragraphs")

    def convert_dt(self, el, text, parent_tags):
        return "\n\n**" + text.strip() + "**\n\n"

    def convert_dd(self, el, text, parent_tags):       # and a <details>' <summary>: a paragraph of its own
        return "\n\n" + text.strip() + "\n\n"

    convert_summary = convert_dd

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
        return self.flush("\n\n" + "#" * n + " " + text + heading_id(el.get("id")) + "\n\n")

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip(" \t\r\n")
        if not text:
            self.state.warn(line_of(el, self.state), "an empty list item left out")
            return ""
        self.state.text_blocks += 1
        return super().convert_li(el, text, parent_tags)

    def convert_br(self, el, text, parent_tags):
        if "_inline" in parent_tags and ("td" in parent_tags or "th" in parent_tags) \
                or any(re.fullmatch(r"h[1-6]", t) for t in parent_tags):
            return " "
        if at_block_edge(el):
            return ""   # a break before a block's first words or after its last breaks nothing
        return "\\\n"

    # Tables: GFM, with alignment; what GFM cannot hold is named.
    def convert_td(self, el, text, parent_tags):
        cell = re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n").replace("|", r"\|")
        span = el.get("colspan", "1")
        if el.get("rowspan", "1") not in ("1", ""):
            self.state.warn(line_of(el, self.state), "a cell spanning rows (rowspan) carried in its first row only")
        n = int(span) if str(span).isdigit() and int(span) > 1 else 1
        if n > 1:
            self.state.warn(line_of(el, self.state), "a cell spanning columns (colspan) carried as one cell "
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
        line = line_of(el, self.state)
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
            self.state.warn(line_of(caption, self.state), "a table or quote caption carried as a paragraph after it")
            after = self.inline_markdown(caption, parent_tags) + "\n\n"
        if rows[0][0] or all(kind == "h" for kind, _, _ in rows[0][1]):
            header, body = rows[0][1], rows[1:]
        else:
            self.state.warn(line, "a table without a header row: its first row becomes the header")
            header, body = rows[0][1], rows[1:]
        if any(kind == "h" for _, cells in body for kind, _, _ in cells):
            self.state.warn(line, "header cells inside the table's body (row headers) carried as plain cells")
        width = max(len(cells) for _, cells in [(None, header)] + body)
        if any(len(cells) != width for _, cells in body) or len(header) != width:
            self.state.warn(line, "a table with rows of different lengths: short rows padded with empty cells")
        def row(cells):
            texts = [c for _, _, c in cells] + [""] * (width - len(cells))
            return "| " + " | ".join(texts) + " |"
        aligns = self.column_alignments(line, header, body, width)
        rule = "| " + " | ".join({"left": ":---", "right": "---:", "center": ":---:"}.get(a, "---")
                                 for a in aligns) + " |"
        return self.flush("\n\n" + "\n".join([row(header), rule] + [row(cells) for _, cells in body]) + "\n\n"
                           + after)


    def column_alignments(self, line, header, body, width) -> list[str]:
        """GFM aligns whole columns: each takes its header's alignment, else its cells' (``<td align>``);
        a column whose cells are aligned two ways is named."""
        aligns = []
        for column in range(width):
            found = [cells[column][1] for cells in [header] + [cells for _, cells in body]
                     if column < len(cells) and cells[column][1]]
            kinds = Counter(found)
            aligns.append(header[column][1] if column < len(header) and header[column][1]
                          else kinds.most_common(1)[0][0] if kinds else "")
            if len(kinds) > 1:
                self.state.warn(line, f"the cells of column {column + 1} are aligned {' and '.join(kinds)}: "
                                      f"the column is aligned {aligns[-1]}, as a Markdown table's column is one way")
        return aligns


for tag, what in DROPPED_WITH_WARNING.items():
    def dropped(self, el, text, parent_tags, _what=what):
        if el.name in ("video", "audio") and el.find_parent("figure") is not None:
            return ""
        self.state.warn(line_of(el, self.state), f"{_what} has no place in a story; left out")
        return ""
    setattr(Converter, f"convert_{tag}", dropped)
for tag in DROPPED_QUIETLY:
    setattr(Converter, f"convert_{tag}", lambda self, el, text, parent_tags: "")
