"""Hugo, Jekyll and Eleventy posts: figure shortcodes (Hugo's ``{{< figure >}}``, Liquid/Nunjucks
``{% image %}`` and ``{% include figure… %}``) become ``<figure>`` markup, link shortcodes their
target, and markdown-it renders the rest with the plugins storyloc's own model uses, each block tagged
with its source line, for the HTML path to read back."""
from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup, Comment, NavigableString
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from .state import BLOCK_ATTR, LINE_ATTR, State, excerpt

# Hugo ({{< name … >}}, {{% name … %}}) and Liquid/Nunjucks ({% name … %}) tags.
SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]+)(.*?)\s*[>%]\}\}|\{%-?\s*(/?)\s*([\w.-]+)(.*?)\s*-?%\}", re.S)
ARG = re.compile(r"""([\w-]+)\s*[=:]\s*("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s,"'`]+)|("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`)""")
FIGURE_SHORTCODES = {"figure", "img", "image", "legacy-img", "legacy-img-left", "legacy-img-right", "img-left",
                      "img-right", "picture", "photo", "image_with_class"}
LINK_SHORTCODES = {"link", "relref", "ref", "url", "post_url", "link_to"}
# A template expression, {{ … }} or Go's {{- … -}}: a quoted string inside is one piece, so Go code in a
# raw string (`x := T{S{}}`) does not end it at its first "}}". Each piece is atomic (one way to read it:
# a quote that opens a string is never read again as a lone quote), so prose holding an unclosed "{{"
# and many quotes is read in linear time, not in every way of splitting its quotes.
EXPRESSION = re.compile(r"""\{\{(?![<%])-?\s*((?>`[^`]*`|"(?:[^"\\\n]|\\.)*"|[^`"}]|\}(?!\})|[`"])*?)\s*-?\}\}""", re.S)
# An expression that prints a string as it is: Go's {{ "text" }}, go.dev's {{raw `code`}}, Hugo's
# {{ "text" | safeHTML }}; the string is the article's text.
LITERAL = re.compile(r"""(?:(?:raw|print|safeHTML|markdownify|htmlUnescape)\s+)?(`[^`]*`|"(?:[^"\\]|\\.)*")"""
                     r"""(?:\s*\|\s*(?:raw|safe|safeHTML|markdownify|htmlUnescape))*""", re.S)


def markdown_to_soup(text: str, body_line: int, state: State):
    """Render Hugo/Jekyll/Eleventy Markdown to HTML whose blocks carry their source lines."""
    first = body_line - 1  # the body's lines are numbered as in the file
    text = shortcodes(text, state, first)
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    tokens = md.parse(text)
    heading_attributes(tokens, state, first)
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
    soup = BeautifulSoup(rendered, "html5lib")
    markdown_inside_html(soup)
    return soup


def markdown_inside_html(soup) -> None:
    """kramdown's ``markdown="1"``: the text inside such an element (opensource.guide's pull quotes and
    credits) is Markdown, which CommonMark leaves as it is in raw HTML; rendered here, inline."""
    inline = MarkdownIt("commonmark", {"html": False})  # no raw HTML: a "<" in that text is text
    for el in soup.find_all(attrs={"markdown": True}):
        for text in [c for c in el.children if isinstance(c, NavigableString) and not isinstance(c, Comment)
                     and c.strip()]:
            # the parser has decoded its entities once: an "&" left is text, not another entity
            rendered = inline.renderInline(str(text).replace("&", "&amp;"))
            text.replace_with(*BeautifulSoup(rendered, "html.parser").contents)
        del el["markdown"]


def heading_attributes(tokens, state: State, first: int) -> None:
    """Take ``{#id .class}`` off the end of headings, as the story reader does, so translators never see
    it: the id stays the heading's (the story writes it back after the heading), other attributes are
    named, once."""
    from ..story.walker import heading_attributes as split_attributes
    others = []
    for heading, inline in zip(tokens, tokens[1:]):
        if heading.type != "heading_open" or not inline.children:
            continue
        inline.children, attrs = split_attributes(inline.children, inline.content)
        if "id" in attrs:
            heading.attrSet("id", attrs.pop("id"))
        if attrs:
            others.append((first + heading.map[0] + 1, ", ".join(sorted(attrs))))
    if others:
        more = f" and {len(others) - 1} more" if len(others) > 1 else ""
        state.warn(others[0][0], f"heading attributes other than ids ({others[0][1]}{more}) left out")


def shortcodes(text: str, state: State, first: int = 0) -> str:
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
        args, positional = shortcode_args(args_text or "")
        included = re.match(r"""\s*["']?([^\s"',]+)""", args_text or "")
        if name == "include" and included and re.search(r"(figure|image|img|photo)", included.group(1), re.I):
            name = "figure"  # Jekyll's {% include figure.html image=… %}, Eleventy's {% include "figure.njk", … %}
            if positional and positional[0] == included.group(1):
                positional = positional[1:]
        if name in FIGURE_SHORTCODES and not closing:
            return figure_shortcode(text, m, name, args, positional, line, state)
        if name in LINK_SHORTCODES and not closing:
            target = args.get("path") or args.get("url") or (positional[0] if positional else "")
            state.warn(line, f"shortcode {name!r} links to {target!r} on the original site; kept as a link to it")
            return state.url(target, line, "the link") if target else ""
        if name in ("raw", "endraw", "comment", "endcomment") and not closing:
            return newlines  # Liquid's own markers: the text between them is the text
        what = "closing tag" if closing else "shortcode"
        state.warn(line, f"{what} {name!r} has no place in a story; left out (its inner text is kept)")
        return newlines
    text = SHORTCODE.sub(replace, text)

    def output(m):
        expression = m.group(1).strip()
        if expression in ("site.baseurl", "site.url", "site.url }}{{ site.baseurl"):
            return ""  # the site's own address: --base-url gives it
        quoted = re.match(r"""(["'])(.*?)\1\s*\|\s*(relative_url|absolute_url|url|prepend:\s*site\.baseurl)\s*$""",
                          expression)
        if quoted:
            return quoted.group(2)
        literal = LITERAL.fullmatch(expression)
        if literal:
            value = unquote(literal.group(1))
            return value + "\n" * (m.group(0).count("\n") - value.count("\n"))
        state.warn(line_at(m.start()), f"template expression {{{{ {excerpt(expression)} }}}} has no place in a "
                                       f"story; left out")
        return "\n" * m.group(0).count("\n")
    return EXPRESSION.sub(output, text)


def figure_shortcode(text: str, m, name: str, args: dict, positional: list, line: int, state: State) -> str:
    """A figure shortcode (match ``m`` in ``text``) as ``<figure>`` markup, an ``<img>`` (inside a figure
    or a sentence) or Markdown's own image (when its caption is set on the lines under it)."""
    newlines = "\n" * m.group(0).count("\n")
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


def shortcode_args(text: str) -> tuple[dict, list]:
    args, positional = {}, []
    for m in ARG.finditer(text):
        if m.group(1):
            args[m.group(1).lower()] = unquote(m.group(2))
        else:
            positional.append(unquote(m.group(3)))
    return args, positional


def unquote(value: str) -> str:
    """A quoted argument's text: a backquoted one is raw (Go's raw strings), a double-quoted one unescaped."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        quote, value = value[0], value[1:-1]
        if quote != "`":
            value = re.sub(r'\\(["\\])', r"\1", value)
    return value
