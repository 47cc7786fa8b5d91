"""Figures, pull quotes and embeds as the story format writes them: ``<figure>``/``<img>``/
``<figcaption>``, WordPress's galleries and ``wp-caption``, a Tumblr photo paragraph with its caption
after a ``<br>``, an image floated beside the text; a trailing "Photo: …" becomes the credit."""
from __future__ import annotations

import html
import re

from bs4 import NavigableString, Tag

from .state import CREDIT, INLINE_TAGS, bare_credit, clean_text, excerpt, is_pullquote, line_of

# A pull quote's credit: <cite>, <footer>, <figcaption>, or an element whose class says so (pquote-credit).
QUOTE_CREDIT = re.compile(r"credit|cite|citation|attribution|author|byline|source", re.I)


class FigureMarkdown:
    """The figure part of :class:`~storyloc.importer.writer.Converter` (a mixin: it uses the
    converter's ``state``, ``escape``, ``process_tag``, ``process_element`` and ``pending``)."""

    def convert_figure(self, el, text, parent_tags):
        if el.find_parent("figure") is not None:
            return ""  # a picture of a gallery: the gallery's figure reads it
        classes = " ".join(el.get("class", []))
        if is_pullquote(el):
            return self.pullquote(el, parent_tags)
        if el.find("blockquote") is not None and el.find("img") is None:
            quote = el.find("blockquote")
            return "\n\n" + self.process_tag(quote, parent_tags) + "\n\n" + self.caption_paragraph(el, parent_tags)
        if el.find("table") is not None:
            table = self.process_tag(el.find("table"), parent_tags)
            return "\n\n" + table + "\n\n" + self.caption_paragraph(el, parent_tags)
        if el.find(["iframe", "embed", "object", "video", "audio"]) is not None or "embed" in classes:
            return self.embed(el, parent_tags)
        if el.find("img") is None:
            self.state.warn(line_of(el, self.state), "a <figure> without an image left out")
            return ""
        return self.figure_markdown(el, parent_tags)

    def convert_figcaption(self, el, text, parent_tags):
        return ""  # read by its figure


    def convert_aside(self, el, text, parent_tags):
        if is_pullquote(el):
            return self.pullquote(el, parent_tags)
        return super().convert_div(el, text, parent_tags)

    def convert_iframe(self, el, text, parent_tags):
        return self.embed(el, parent_tags)

    def pullquote(self, el, parent_tags):
        """A pull quote as ``::: pullquote``: its words, then its credit, each a paragraph.

        The words may be <p>s in a <blockquote> (WordPress) or bare text beside the speaker's avatar
        (opensource.guide's ``<aside class="pquote">``); an image has no place in it and is named.
        """
        quote, credits, run = [], [], []
        inline_tags = set(parent_tags) | {"_inline", "p"}

        def end_run():
            text = re.sub(r"[ \t\r\n]+", " ", "".join(run)).strip(" \t\r\n")
            if text:
                quote.append(text)
            run.clear()

        def read(node):
            for child in node.children:
                if isinstance(child, NavigableString) or child.name in INLINE_TAGS and child.name != "cite" \
                        and not is_credit(child):
                    run.append(self.process_element(child, parent_tags=inline_tags))
                elif child.name == "img":
                    self.state.warn(line_of(child, self.state), f"an image inside a pull quote "
                                    f"({clean_text(child.get('alt') or image_src(child) or '')!r}) left out")
                elif child.name == "br":
                    end_run()
                elif is_credit(child):
                    end_run()
                    credits.append(self.inline_markdown(child, parent_tags))
                elif child.name in ("blockquote", "div", "section", "footer") and child.find(["p", "cite"]):
                    end_run()
                    read(child)
                else:
                    end_run()
                    quote.append(self.inline_markdown(child, parent_tags))
            end_run()

        read(el)
        body = "\n\n".join(p for p in quote + credits if p)
        return f"\n\n::: pullquote\n{body}\n:::\n\n" if body else ""

    def embed(self, el, parent_tags):
        frame = el if el.name == "iframe" else el.find("iframe")
        line = line_of(el, self.state)
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

    def image_paragraph(self, el) -> bool:
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

    def figure_markdown(self, el, parent_tags):
        line = line_of(el, self.state)
        images = [img for img in el.find_all("img") if image_src(img)]
        if not images:
            self.state.warn(line, "an image without an address (none, or an inline data: URI) left out")
            return ""
        srcs = [self.state.url(image_src(img), line, "the image") for img in images]
        alts = [img.get("alt") for img in images]
        lines = [line_of(img, self.state) or line for img in images]
        # A gallery's pictures' own captions, read before the gallery's caption takes the pictures out.
        own_captions = [self.own_caption(img, el, parent_tags) for img in images]
        caption_el = el.find("figcaption", recursive=False)
        if caption_el is None and el.find("figure") is None:  # a gallery's pictures' captions are not its own
            caption_el = el.find("figcaption") or el.find(class_=re.compile(r"caption"))
        if caption_el is not None:
            caption, credit = self.caption_and_credit(caption_el, parent_tags, images[0].get("title"))
        else:
            for img in images:
                (img.parent if img.parent.name == "a" and img.parent is not el else img).extract()
            for br in el.find_all("br"):
                br.extract()
            caption, credit = self.caption_and_credit(el, parent_tags, images[0].get("title"))
        if len({clean_text(a or "") for a in alts}) > 1:
            return self.figures_apart("alt texts", line, lines, srcs, alts, own_captions, caption, credit)
        if any(c for c, _ in own_captions):
            return self.figures_apart("captions", line, lines, srcs, alts, own_captions, caption, credit)
        return self.figure_container(line, srcs, alts, caption, credit)

    def own_caption(self, img, gallery, parent_tags) -> tuple[str, str]:
        """The caption and credit of a picture's own <figure> inside a gallery; blank when it has none."""
        figure = img.find_parent("figure")
        if figure is None or figure is gallery or figure.find("figcaption") is None:
            return "", ""
        return self.caption_and_credit(figure.find("figcaption"), parent_tags)

    def caption_and_credit(self, el, parent_tags, title: str | None = None) -> tuple[str, str]:
        """A caption's text and its credit (a credit/byline element, a <cite>, or a trailing "Photo: …")."""
        credit = ""
        credit_el = el.find(class_=re.compile(r"credit|byline|attribution")) or el.find("cite")
        if credit_el is not None:
            credit = self.inline_markdown(credit_el, parent_tags)
            credit_el.extract()
        if el.get("data-markdown"):
            caption = markdown_caption(el.get_text())
        else:
            caption = self.inline_markdown(el, parent_tags)
        if not caption.strip() and title:
            caption = self.escape(clean_text(title), {"_inline"})  # Markdown's ![alt](src "title")
        m = re.fullmatch(r"\*([^*]+)\*", caption)
        if m:
            caption = m.group(1).strip()  # a caption set in italics all through: the italics are layout
        if not credit:
            m = CREDIT.search(caption)
            if m:
                credit, caption = m.group(1).strip(), caption[:m.start()].strip()
        return caption, credit

    def figures_apart(self, what, line, lines, srcs, alts, own_captions, caption, credit):
        """Pictures side by side with different alt texts (or captions of their own): a figure each, since a
        story's gallery has one alt and one caption. The gallery's caption goes under the last, its credit on each."""
        self.state.warn(line, f"{len(srcs)} images side by side with different {what} carried as "
                              f"{len(srcs)} figures, each with its own")
        out = []
        for n, (at, src, alt, (own_caption, own_credit)) in enumerate(zip(lines, srcs, alts, own_captions)):
            if n == len(srcs) - 1 and not own_caption:
                own_caption, caption = caption, ""
            out.append(self.figure_container(at, [src], [alt], own_caption, own_credit or credit))
        if caption.strip():
            self.state.warn(line, "a gallery's caption carried as a paragraph after its figures")
            self.state.text_blocks += 1
            out.append(caption + "\n\n")
        return "".join(out)

    def figure_container(self, line, srcs, alts, caption, credit):
        fig_id = self.state.new_figure_id(srcs[0])
        self.state.figure_images.update(srcs)
        lines = [f"::: figure {fig_id}"] + [f"image: {src}" for src in srcs]
        alt = next((a for a in alts if a is not None), None)
        if alt is not None and alt.strip():
            lines.append(f"alt: {clean_text(alt)}")
        else:
            self.state.warn(line, f"figure {fig_id!r} has no alt text; add an `alt:` line")
        if caption.strip():
            lines.append(f"caption: {caption}")
            self.state.text_blocks += 1  # a photo essay's captions are its text
        credit = bare_credit(credit)
        if credit.strip():
            lines.append(f"credit: {credit}")
        lines.append(":::")
        return "\n\n" + "\n".join(lines) + "\n\n"

    def caption_paragraph(self, el, parent_tags):
        cap = el.find("figcaption")
        if cap is None:
            return ""
        text = self.inline_markdown(cap, parent_tags)
        if text:
            self.state.warn(line_of(cap, self.state), "a table or quote caption carried as a paragraph after it")
        return text + "\n\n" if text else ""

    def inline_markdown(self, el, parent_tags):
        text = "".join(self.process_element(c, parent_tags=set(parent_tags) | {"_inline", "p"})
                       for c in el.children)
        return re.sub(r"[ \t\r\n]+", " ", text).strip(" \t\r\n")

    def convert_img(self, el, text, parent_tags):
        holder = el.parent.parent if el.parent is not None and el.parent.name == "a" else el.parent
        if el.find_parent("figure") is not None or (holder is not None and (
                (holder.name == "p" and self.image_paragraph(holder))
                or (holder.name == "div" and "caption" in " ".join(holder.get("class", []))))):
            return ""  # its figure reads it
        line = line_of(el, self.state)
        classes = " ".join(el.get("class", []))
        small = any(str(el.get(d, "")).isdigit() and int(el[d]) <= 32 for d in ("width", "height"))
        alt = clean_text(el.get("alt") or "")
        if "emoji" in classes or "smiley" in classes:
            return self.escape(alt, parent_tags)  # WordPress draws emoji as images: the character is the text
        if not image_src(el):
            self.state.warn(line, "an image without an address (none, or an inline data: URI) left out")
            return self.escape(alt, parent_tags)
        if small or {"td", "th", "h1", "h2", "h3", "h4", "h5", "h6"} & parent_tags \
                or not self.starts_block(el):
            # An icon in a sentence: an inline image, its alt text a translator's to translate.
            src = self.state.url(image_src(el), line, "the image").replace("(", "%28").replace(")", "%29")
            if not alt:
                self.state.warn(line, f"inline image {excerpt(src)} has no alt text; write it between the "
                                      f"brackets of its ![]()")
            return f"![{self.escape(alt, {'_inline'})}]({src.replace(' ', '%20')})"
        # A photo floated beside the text (WordPress's alignleft/alignright): a figure before its paragraph.
        self.state.warn(line, "an image inside running text moved before its paragraph, as a figure")
        src = self.state.url(image_src(el), line, "the image")
        caption = self.escape(clean_text(el["title"]), {"_inline"}) if el.get("title") else ""
        self.pending.append(self.figure_container(line, [src], [el.get("alt")], caption, ""))
        return ""

    def starts_block(self, img) -> bool:
        """An image before any text of its paragraph (maybe in a link): a photo set beside the text."""
        node = img.parent if img.parent is not None and img.parent.name == "a" else img
        for sibling in node.previous_siblings:
            if getattr(sibling, "name", None) in ("img", "br") or not str(sibling).strip():
                continue
            return False
        return node.parent is not None and node.parent.name == "p"

    def flush(self, text):
        """Figures pulled out of running text go before the block that held them."""
        if not self.pending:
            return text
        figures, self.pending = "".join(self.pending), []
        return figures + text


def is_credit(el) -> bool:
    """Whether ``el`` is a quote's credit rather than its words."""
    return el.name in ("cite", "figcaption") or el.name == "footer" and not el.find("p") \
        or any(QUOTE_CREDIT.search(c) for c in el.get("class") or [])


def image_src(img) -> str | None:
    """An image's address; lazy-loading pages keep it in data-src behind a placeholder.

    An image inlined as a data: URI has no address a story can keep (it is left out, with a warning).
    """
    for attr in ("data-src", "data-lazy-src", "data-original"):
        if img.get(attr) and (not img.get("src") or img["src"].startswith("data:")):
            return img[attr]
    src = img.get("src") or None
    return None if src and src.startswith("data:") else src


def markdown_caption(text: str) -> str:
    """A Hugo caption is Markdown already: keep it, on one line."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text)).strip(" \t\r\n")
