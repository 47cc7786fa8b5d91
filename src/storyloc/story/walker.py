"""The block walker: markdown-it's block tokens nested into :class:`Node` s, then walked into the
story's :class:`Block` tree: one message per leaf block (heading, paragraph, list item, quote
paragraph, table cell, footnote), each with a note saying what it is and where."""
from __future__ import annotations

import re
from typing import Iterator

from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError, parse as parse_attributes

from .figures import CLOSE
from .model import Block, Footnote

ABBREVIATION = re.compile(r" {0,3}\*\[[^\]]+\]:")   # PHP Markdown Extra's and kramdown's `*[HTML]: …`
# The ids the page gives its own parts (footnotes, references to them, figures): no heading may take one.
PAGE_IDS = re.compile(r"fn-[0-9]+|fnref-[0-9]+(?:-[0-9]+)?|figure-.*")


class BlockWalker:
    """The part of the story reader that walks the body (a mixin of
    :class:`~storyloc.story.reader.Reader`: it uses its ``fail``, ``warn``, ``count``, ``lines``,
    ``segment`` and ``footnote_order``, and the figure and HTML readers)."""

    def blocks(self, nodes: list[Node], within: str, notes: list[Node],
               where: str = "") -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            if node.type == "html_block":          # one HTML block may stand for several of ours
                out += self.html_blocks(node, within, notes, where)
                continue
            if node.type == "dl":                  # and so may a definition list
                out += self.definitions(node, within, notes, where)
                continue
            block = self.block(node, within, notes, where)
            if block is not None:
                out.append(block)
        return out

    def heading_id(self, ident: str | None, line: int) -> str | None:
        """A heading's id, unless an earlier heading or the page itself has it (an id is one element's)."""
        if ident is None:
            return None
        if ident in self.heading_ids or PAGE_IDS.fullmatch(ident):
            self.warn(f"heading id '{ident}' left out: the page has that id already", line)
            return None
        if not ident or any(c.isspace() for c in ident):
            self.warn(f"heading id {ident!r} left out: an id is one word", line)
            return None
        self.heading_ids.add(ident)
        return ident

    def block(self, node: Node, within: str, notes: list, where: str) -> Block | None:
        """The story's block for one of markdown-it's (``None``: nothing to carry), by its kind."""
        kind = node.type
        line = node.map[0] + 1 if node.map else 0
        if kind == "paragraph":
            return self.paragraph(node, within, where, line)
        if kind == "heading":
            level = int(node.tag[1])
            inline = node.children[0].token
            tokens, attrs = heading_attributes(inline.children or [], inline.content)
            if set(attrs) - {"id"}:
                self.warn(f"heading attributes other than its id are left out: "
                          f"{', '.join(sorted(set(attrs) - {'id'}))}", line)
            seg = self.segment("heading", tokens, line, note=f"Heading, level {level}.")
            return Block("heading", line, seg, level=level, info=self.heading_id(attrs.get("id"), line)) \
                if seg.text.strip() else None
        if kind in ("bullet_list", "ordered_list"):
            return self.list_block(node, notes, where, line)
        if kind == "blockquote":
            number = self.count("quote")
            inner = "quote" if within in ("paragraph", "quote") else within
            return Block("quote", line, children=self.blocks(node.children, inner, notes,
                                                             f"{where}block quote {number}".strip()))
        if kind == "table":
            return self.table(node, line)
        if kind == "container_figure":
            return self.figure_block(node, line)
        if kind == "container_pullquote":
            self.check_closed(node, "pull quote")
            if node.info.strip() != "pullquote":
                raise self.fail(f"'::: pullquote' takes nothing after it, got {node.info.strip()!r}", line)
            return Block("pullquote", line, children=self.blocks(node.children, "pullquote", notes, "pull quote"))
        if kind == "footnote_reference":
            if within != "paragraph":
                raise self.fail("a footnote definition belongs at the top level of the story", line)
            notes.append(node)
            return None
        if kind in ("fence", "code_block"):
            return Block("code", line, text=node.content, info=(node.info or "").strip() or None)
        if kind in ("math_block", "math_block_label", "amsmath"):
            # carried whole like code, as a ```math block (GitHub's and GitLab's form for display math)
            return Block("code", line, text=node.content.strip("\n") + "\n", info="math")
        if kind == "hr":
            return Block("rule", line)
        raise self.fail(f"cannot carry a {kind.replace('_', ' ')} block", line)

    def definitions(self, node: Node, within: str, notes: list, where: str) -> list[Block]:
        """A definition list's blocks, as the importer writes an HTML ``<dl>``: each term a paragraph in
        bold, each definition its own blocks; named, since the page shows no list."""
        self.warn("a definition list is carried as paragraphs: each term in bold, then its definitions",
                  node.map[0] + 1 if node.map else None)
        out: list[Block] = []
        for part in node.children:
            if part.type == "dt":
                line = part.map[0] + 1 if part.map else 0
                tokens = [Token("strong_open", "strong", 1, markup="**"), *(part.children[0].token.children or []),
                          Token("strong_close", "strong", -1, markup="**")]
                seg = self.segment(within, tokens, line, note=self.note_for(within, where))
                out.append(Block("paragraph", line, seg))
            else:
                out += self.blocks(part.children, within, notes, where)
        return out

    def paragraph(self, node: Node, within: str, where: str, line: int) -> Block | None:
        tokens = node.children[0].token.children or []
        if not tokens:
            return None
        lines = self.lines[node.map[0]:node.map[1]] if node.map else []
        abbreviations = [n for n, text in enumerate(lines, line) if ABBREVIATION.match(text)]
        if abbreviations:
            kept = len(abbreviations) < len(lines)
            for n in abbreviations:
                self.warn(f"abbreviation definition {self.lines[n - 1].strip()[:40]!r} "
                          f"{'is shown as text' if kept else 'is left out'}: the story format has no "
                          f"abbreviations; write the words out where the page needs them", n)
            if not kept:
                return None
        first = tokens[0].content if tokens[0].type == "text" else ""
        if within == "paragraph" and first.startswith(":::"):
            raise self.fail(f"unexpected {first.strip()!r} (containers are '::: figure <id>' "
                            f"and '::: pullquote', closed by ':::')", line)
        if all(t.type == "html_inline" and t.content.startswith("<!--") or
               t.type in ("softbreak",) for t in tokens):
            return None
        note = self.note_for(within, where)
        seg = self.segment(within, tokens, line, note=note)
        if not seg.text.strip():
            return None
        return Block("paragraph", line, seg)

    def list_block(self, node: Node, notes: list, where: str, line: int) -> Block:
        number = self.count("list")
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else None
        items = []
        for n, item in enumerate(node.children, start or 1):
            label = f"{where}list {number}, item {n}" if not where else f"{where} › list {number}, item {n}"
            items.append(Block("item", item.map[0] + 1 if item.map else line,
                               children=self.blocks(item.children, "item", notes, label)))
        tight = any(c.type == "paragraph" and c.hidden for item in node.children for c in item.children)
        return Block("list", line, ordered=ordered, start=start, tight=tight, children=items)

    def note_for(self, within: str, where: str) -> str:
        if within == "paragraph":
            return f"Paragraph {self.count('paragraph')}."
        if within == "item":
            return f"List item ({where})."
        if within == "quote":
            return f"Paragraph of a block quote ({where})."
        if within == "pullquote":
            return "Pull quote, shown large beside the text."
        if within == "footnote":
            return f"Footnote {where}."
        return ""

    def check_closed(self, node: Node, what: str) -> None:
        end = node.map[1]
        if end >= len(self.lines) or not CLOSE.match(self.lines[end]):
            raise self.fail(f"{what} opened here is not closed with ':::'", node.map[0] + 1)

    def table(self, node: Node, line: int) -> Block:
        number = self.count("table")
        head_cells = None
        for index in range(node.map[0], node.map[1]):
            if index == node.map[0] + 1:
                continue                                  # the delimiter row
            cells = escapedSplit(self.lines[index].strip())
            if cells and cells[0] == "":
                cells.pop(0)
            if cells and cells[-1] == "":
                cells.pop()
            if head_cells is None:
                head_cells = len(cells)
            elif len(cells) != head_cells:
                raise self.fail(f"table row has {len(cells)} cell{'s' * (len(cells) != 1)}, its header {head_cells}: every row "
                                f"needs one cell per column (an empty cell is '| |')", index + 1)
        rows = []
        row_number = 0
        for section in node.children:
            for tr in section.children:
                header = section.type == "thead"
                row_number += 0 if header else 1
                row_line = tr.map[0] + 1 if tr.map else line
                cells = []
                for column, cell in enumerate(tr.children, 1):
                    style = cell.attrs.get("style") or ""
                    align = style.split(":", 1)[1] if ":" in style else None
                    tokens = cell.children[0].token.children or [] if cell.children else []
                    where = (f"Table {number}, header of column {column}." if header
                             else f"Table {number}, row {row_number}, column {column}.")
                    seg = self.segment("cell", tokens, row_line, note=where) if tokens else None
                    if seg is not None and not seg.text.strip():
                        seg = None
                    cells.append(Block("cell", row_line, seg, header=header, align=align))
                rows.append(Block("row", row_line, header=header, children=cells))
        return Block("table", line, children=rows)

    def footnotes(self, nodes: list[Node]) -> list[Footnote]:
        found: dict[str, tuple[int, Node]] = {}
        for node in nodes:
            label = node.meta["label"]
            line = node.map[0] + 1 if node.map else 1
            if label in found:
                raise self.fail(f"footnote [^{label}] is defined twice (first on line {found[label][0]})", line)
            found[label] = (line, node)
        for label, (line, _) in found.items():
            if label not in self.footnote_order:
                self.warn(f"footnote [^{label}] is never referenced; it is shown last", line)
        order = [*self.footnote_order, *(label for label in found if label not in self.footnote_order)]
        out = []
        for number, label in enumerate(order, 1):
            line, node = found[label]
            out.append(Footnote(label, number, line,
                                self.blocks(node.children, "footnote", [], f"[^{label}]")))
        return out



class Node:
    """A block of markdown-it's token stream with its children (its opening token's fields); inline
    content stays one leaf whose ``token.children`` are the inline tokens. Lighter than
    ``markdown_it.tree.SyntaxTreeNode``, which also makes a node of every inline token."""

    __slots__ = ("type", "token", "children")

    def __init__(self, token: Token):
        self.token = token
        self.type = token.type[:-5] if token.nesting == 1 else token.type
        self.children: list[Node] = []

    def __getattr__(self, name):
        return getattr(self.token, name)


def tree(tokens: list[Token]) -> list[Node]:
    """Nest the block tokens (``*_open`` … ``*_close``) into nodes."""
    root: list[Node] = []
    stack: list[list[Node]] = [root]
    for token in tokens:
        if token.nesting == -1:
            stack.pop()
            continue
        node = Node(token)
        stack[-1].append(node)
        if token.nesting == 1:
            stack.append(node.children)
    return root



def heading_attributes(tokens: list[Token], source: str) -> tuple[list[Token], dict[str, str]]:
    """A heading's ``{#id .class}`` at its end (Pandoc's and Hugo's heading attributes, and kramdown's
    ``{: #id}``), read by mdit-py-plugins' attribute parser and taken off its text: the tokens left
    and the attributes. ``source`` is the heading's Markdown: a closing brace escaped there (``\\}``,
    as article.md writes a translation's) is text. The importer reads a post's headings with it too."""
    last = tokens[-1] if tokens else None
    if last is None or last.type != "text" or not last.content.rstrip().endswith("}") \
            or source.rstrip().endswith("\\}"):
        return tokens, {}
    text = last.content.rstrip()
    start = text.rfind("{")
    if start < 0 or start and not text[start - 1].isspace():
        return tokens, {}
    written = text[start:]
    if written.startswith("{:"):                  # kramdown's form
        written = "{" + written[2:].lstrip()
    try:
        end, attrs = parse_attributes(written)
    except ParseError:
        return tokens, {}
    if not attrs or end + 1 != len(written):
        return tokens, {}
    kept = Token("text", "", 0, content=text[:start].rstrip())
    return [*tokens[:-1], kept] if kept.content else tokens[:-1], attrs


def footnote_labels(tokens: list[Token]) -> Iterator[str]:
    for t in tokens:
        if t.type == "footnote_ref":
            yield t.meta["label"]
        elif t.children:
            yield from footnote_labels(t.children)
