"""Reading a CMS's HTML export (WordPress, Tumblr, a saved page): html5lib, the WHATWG parsing
algorithm browsers use, through BeautifulSoup, which keeps each element's source line; what is not an
article is refused; the element holding the article is found and the page's furniture left out."""
from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from ..errors import SourceError
from .state import State, is_pullquote, line_of, word_count

XML_ROOTS = {"rss": "an RSS feed", "feed": "an Atom feed", "urlset": "a sitemap", "svg": "an SVG image",
              "sitemapindex": "a sitemap"}


def parse_html(body, state: State):
    head = body[:2048] if isinstance(body, str) else body[:2048].decode("latin-1")
    root = re.match(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([\w:-]+)", head, re.S | re.I)
    if root is not None and root.group(1).lower() in XML_ROOTS:
        raise SourceError(f"{XML_ROOTS[root.group(1).lower()]}, not an article", state.name, 1)
    if isinstance(body, str):
        body = wordpress_caption_shortcodes(body, state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML is HTML to a browser too
        return BeautifulSoup(body, "html5lib")


def wordpress_caption_shortcodes(text: str, state: State) -> str:
    """WordPress's classic ``[caption …]<img …> Caption[/caption]`` as the <figure> it stands for."""
    def figure(m):
        inner = m.group(2)
        img = re.search(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", inner)
        if not img:
            return m.group(0)
        caption = (inner[:img.start()] + inner[img.end():]).strip()
        return f"<figure>{img.group(0)}<figcaption>{caption}</figcaption></figure>"
    return re.sub(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", figure, text, flags=re.S)


def reject_non_articles(soup, name: str) -> None:
    root = soup.find(["rss", "feed", "urlset", "svg", "frameset"])
    if root is not None and root.name in ("rss", "feed", "urlset"):
        raise SourceError(f"a <{root.name}> feed, not an article", name, root.sourceline or 1)
    if soup.find("frameset") is not None:
        raise SourceError("a frameset page, not an article", name, 1)


def article_root(soup, state: State):
    """The element that holds the article: <article>, else <main>, else <body>; its <h1> is the title."""
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for chrome in root.find_all(["nav", "header", "footer", "aside"]):
        if chrome.name == "aside" and is_pullquote(chrome) \
                or chrome.find_parent(["blockquote", "figure"]) is not None:
            continue  # a pull quote, or a quote's attribution: the article's own
        if chrome.name == "header":
            for time in chrome.find_all("time"):
                time.decompose()  # the date: read into the front matter already
            chrome.unwrap()  # the article's own header: its h1 is the title, its paragraphs the dek/byline
            continue
        words = word_count(chrome)
        state.warn(line_of(chrome, state), f"<{chrome.name}> (page navigation or furniture) left out, "
                                           f"{words} word{'' if words == 1 else 's'} with it")
        chrome.decompose()
    return root


def page_title(soup, state: State) -> str | None:
    root = soup.find("article") or soup.find("main") or soup.body or soup
    h1 = root.find("h1") if root else None
    if h1 is not None and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)
        h1.decompose()
        return title
    og = meta_content(soup, "og:title")
    if og:
        return og
    if soup.title and soup.title.get_text(strip=True):
        return soup.title.get_text(" ", strip=True)
    return None


def meta_content(soup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
    return tag.get("content") if tag is not None and tag.get("content") else None


def time_datetime(soup) -> str | None:
    time = soup.find("time", attrs={"datetime": True})
    return time["datetime"] if time is not None else None
