import hashlib
import json
from html.parser import HTMLParser

from storyloc.build import build
from storyloc.po import read_po, save_po
from storyloc.extract import extract
from storyloc.update import update

from conftest import STORY, normalise_dates, snapshot


class Page(HTMLParser):
    """Just enough of a DOM: elements with attributes, and the text inside each element kind."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag not in ("meta", "link", "img", "br"):
            self.stack.append(attrs.get("class") or tag)

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for name in self.stack:
            self.text.setdefault(name, []).append(data)

    def all(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def joined(self, name):
        return "".join(self.text.get(name, []))


def _built(project):
    extract(project)
    update(project)
    return build(project)


def test_ukrainian_page_is_a_proper_ukrainian_page(project):
    [result] = _built(project)
    page = Page((project.bundle(STORY, "uk") / "index.html").read_text(encoding="utf-8"))
    assert page.all("html") == [{"lang": "uk", "dir": "ltr"}]
    assert len(page.all("figure")) == 7
    captions = page.joined("caption")
    assert "Центр Бахмута, Донецька область" in captions
    assert "The center of Bakhmut" not in captions
    assert "Фото: Олександр Бабенко для Gwara Media" in page.joined("credit")
    # only published languages are offered: the others are English under a draft banner
    hreflangs = {a["hreflang"] for a in page.all("link", rel="alternate")}
    assert hreflangs == {"en", "uk", "x-default"}
    assert [a["hreflang"] for a in page.all("a") if a.get("hreflang")] == ["en"]
    assert not page.all("meta", name="robots")
    assert "лютий 2023" in page.joined("time")
    assert "draft-banner" not in page.text  # everything is reviewed
    assert "Читати іншими мовами" in page.joined("languages")
    assert result.languages[1].state == "published"


def test_unreviewed_language_falls_back_to_english_under_a_banner(project):
    _built(project)
    page = Page((project.bundle(STORY, "es") / "index.html").read_text(encoding="utf-8"))
    assert "Borrador de traducción" in page.joined("draft-banner")
    assert "20" in page.joined("draft-banner")
    assert page.all("meta", name="robots") == [{"name": "robots", "content": "noindex"}]
    assert {a["hreflang"] for a in page.all("link", rel="alternate")} == {"en", "uk", "x-default"}
    # the label is in the page's language; only the English passage is lang="en"
    assert all("lang" not in p for p in page.all("p", **{"class": "fallback"}))
    assert all("lang" not in s for s in page.all("span", **{"class": "fallback-label"}))
    assert len(page.all("p", **{"class": "fallback"})) == 9 and len(page.all("span", lang="en")) >= 9
    # Spanish ships as machine drafts: never shown, each marked a draft; German is still empty
    article = json.loads((project.bundle(STORY, "es") / "article.json").read_text())
    assert article["state"] == "draft"
    assert article["blocks"][0]["segment"]["fallback"] is True and article["blocks"][0]["segment"]["status"] == "draft"
    assert article["blocks"][0]["segment"]["text"] == article["blocks"][0]["segment"]["source"]
    german = json.loads((project.bundle(STORY, "de") / "article.json").read_text())
    assert german["blocks"][0]["segment"]["status"] == "missing"


def test_arabic_page_is_right_to_left(project):
    _built(project)
    page = Page((project.bundle(STORY, "ar") / "index.html").read_text(encoding="utf-8"))
    assert page.all("html") == [{"lang": "ar", "dir": "rtl"}]
    # English fallback inside an RTL page keeps its own direction
    assert all(s.get("dir") == "ltr" for s in page.all("span", lang="en"))


def test_markup_from_a_catalog_is_escaped(project):
    extract(project)
    update(project)
    po = project.catalog(STORY, "uk")
    catalog = read_po(po)
    title = catalog.find("Life under fire in Bakhmut", "title")
    title.msgstr = ['<script>alert("x")</script> Життя <img src=x onerror=alert(1)>']
    save_po(catalog, po)
    build(project)
    html = (project.bundle(STORY, "uk") / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    # shown as text, both in the heading (markdown-it) and in <title> (Jinja)
    assert "<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Життя &lt;img src=x onerror=alert(1)&gt;</h1>" in html
    assert "<title>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Життя" in html
    page = Page(html)
    assert not [s for s in page.all("script") if s.get("type") != "application/ld+json"]
    assert not page.all("img", src="x")


def test_rebuild_is_byte_identical_and_manifest_checksums_match(project, monkeypatch):
    _built(project)
    first = snapshot(project.build_dir)
    results = build(project)
    assert snapshot(project.build_dir) == first
    assert not any(lang.written for r in results for lang in r.languages)
    manifest = json.loads(project.manifest(STORY).read_text())
    for lang, entry in manifest["languages"].items():
        for name, digest in entry["files"].items():
            data = (project.bundle(STORY, lang) / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest
    uk = manifest["languages"]["uk"]
    assert (uk["segments"], uk["reviewed"], uk["draft"], uk["missing"], uk["state"]) == (20, 20, 0, 0, "published")
    assert manifest["languages"]["es"]["state"] == "draft"
    assert len(uk["missing_images"]) == 7


def test_one_changed_word_changes_only_that_word_in_the_bundle(project):
    _built(project)
    before = {n: (project.bundle(STORY, "uk") / n).read_text(encoding="utf-8")
              for n in ("index.html", "article.md", "article.json")}
    po = project.catalog(STORY, "uk")
    catalog = read_po(po)
    entry = catalog.find("Life under fire in Bakhmut", "title")
    entry.msgstr = [entry.msgstr[0].replace("Життя", "Буття")]
    save_po(catalog, po)
    build(project)
    for name, old in before.items():
        new = (project.bundle(STORY, "uk") / name).read_text(encoding="utf-8")
        changed = [(a, b) for a, b in zip(old.splitlines(), new.splitlines()) if a != b]
        assert changed and all(a.replace("Життя", "Буття") == b for a, b in changed), name


def test_images_are_copied_when_present(project):
    images = project.article(STORY).parent / "images"
    images.mkdir()
    (images / "city-center.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    [result] = _built(project)
    assert (project.bundle(STORY, "uk") / "images" / "city-center.jpg").exists()
    page = Page((project.bundle(STORY, "uk") / "index.html").read_text(encoding="utf-8"))
    [img] = page.all("img")
    assert img["src"] == "images/city-center.jpg" and img["alt"].startswith("Центр Бахмута")
    assert len([w for w in result.warnings if "not found" in w]) == 6
    assert len([w for w in result.warnings if "has no alt text" in w]) == 7


# -- structure, and output safety against hostile translations ---------------------------------------

import re
import shutil
import unicodedata

import pytest

from storyloc.project import Project
from storyloc.story import parse_story

from conftest import REPO, built_story, msgfmt_check

RICH = "rich"


def _rich(project_dir):
    """The project with a second story that uses every construct of the format."""
    shutil.copytree(REPO / "tests" / "data" / "rich", project_dir / "source" / RICH)
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        f'stories = ["{STORY}"]', f'stories = ["{STORY}", "{RICH}"]\nembed_hosts = ["youtube.com"]'))
    return Project.load(project_dir)


def _page(project, lang):
    return (project.bundle(RICH, lang) / "index.html").read_text(encoding="utf-8")


def test_the_page_renders_the_structure(project_dir):
    project = _rich(project_dir)
    _built(project)
    html = _page(project, "en")
    page = Page(html)
    assert len(page.all("h2")) == 1 and len(page.all("ul")) == 2 and page.all("ol", start="3")
    assert len(page.all("li")) == 6 + 1         # six items and the footnote ("Read in": nothing published)
    assert len(page.all("blockquote")) == 1 and page.all("aside", **{"class": "pullquote"})
    assert len(page.all("thead")) == 1 and len(page.all("tbody")) == 1 and len(page.all("td")) == 4
    assert page.all("th", style="text-align:left") and page.all("td", style="text-align:right")
    assert [i["alt"] for i in page.all("img")] == []           # images are missing: placeholders
    assert page.all("iframe", src="https://www.youtube.com/embed/abc")
    assert page.all("a", href="https://a.example/vote") and page.all("a", href="https://b.example/budget",
                                                                         title="Budget PDF")
    assert page.all("a", href="#fn-1", id="fnref-1") and page.all("a", href="#fnref-1")
    assert page.all("li", id="fn-1") and page.all("hr")
    assert "<strong>Correction (May 3, 2024):</strong> An earlier version" in html
    assert html.index("figure-lead") < html.index("The <a href=\"https://a.example/vote\">council vote")
    assert not re.search(r"<p>\s*(#|- |\* |> |\||\[\^)", html)


def test_article_md_and_json_carry_the_same_structure(project_dir):
    project = _rich(project_dir)
    _built(project)
    source = parse_story(project.article(RICH), embed_hosts=("youtube.com",))
    for lang in ("en", "uk"):
        path = project.bundle(RICH, lang) / "article.md"
        again = parse_story(path, embed_hosts=("youtube.com",))
        assert [(s.kind, s.context, s.text) for s in again.segments()] == \
               [(s.kind, s.context, s.text) for s in source.segments()]
        assert [b.kind for b in again.blocks] == [b.kind for b in source.blocks]
        data = json.loads((project.bundle(RICH, lang) / "article.json").read_text())
        assert [b["kind"] for b in data["blocks"]] == [b.kind for b in source.blocks]
    data = json.loads((project.bundle(RICH, "uk") / "article.json").read_text())
    heading = data["blocks"][1]
    assert (heading["kind"], heading["level"], heading["segment"]["status"]) == ("heading", 2, "missing")
    assert heading["segment"]["fallback"] is True and len(heading["segment"]["id"]) == 12
    lists = [b for b in data["blocks"] if b["kind"] == "list"]
    assert [(b["ordered"], b.get("start")) for b in lists] == [(False, None), (True, 3)]
    assert lists[0]["children"][1]["children"][1]["kind"] == "list"
    assert data["footnotes"][0]["label"] == "1" and data["corrections"][0]["date"] == "2024-05-03"
    assert data["lead"]["alt"]["text"] == "Council members at a long table"


HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1)) and [evil](https://evil.example/) and <https://evil.example/auto>",
    "![tracker](https://evil.example/pixel.png)",
    "# Heading\n\n- list\n> quote\n| a | b |\n---\n::: figure x\n:::",
    "bidi \u202eevil\u202c and \u2066isolate\u2069 and \u202aembedding\u202c",   # C0/C1: the catalog refuses them
    "</script><script>alert(2)</script> \u2028 line separator",
    "[^nope] and [^1] and [x][99] and [y][1]",
    "title: injected\nlang: xx",
    'a "quote" with \\ backslash | pipe',
]


def _hostile_catalog(project, lang):
    """Every message of the rich story translated, reviewed, with something hostile in it."""
    extract(project)
    update(project)
    po = project.catalog(RICH, lang)
    catalog = read_po(po)
    for n, message in enumerate(catalog.entries()):
        message.msgstr = [f"{HOSTILE[n % len(HOSTILE)]} {n}"]
        message.flags = [f for f in message.flags if f != "fuzzy"]
    save_po(catalog, po)
    assert msgfmt_check(po).returncode == 0
    return catalog


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_nothing_from_a_translation_reaches_an_output_as_markup(project_dir, lang):
    project = _rich(project_dir)
    _hostile_catalog(project, lang)
    build(project)
    bundle = project.bundle(RICH, lang)
    html = (bundle / "index.html").read_text(encoding="utf-8")
    page = Page(html)
    assert not [s for s in page.all("script") if s.get("type") != "application/ld+json"]    # JSON-LD is data
    assert {t for t, _ in page.elements} <= {
        "html", "head", "meta", "title", "link", "style", "body", "aside", "strong", "article", "header", "h1",
        "p", "span", "time", "bdi", "figure", "div", "figcaption", "a", "sup", "h2", "ul", "ol", "li", "em",
        "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr", "iframe", "section", "footer", "nav", "main", "script"}
    hrefs = {a.get("href") for t, a in page.elements if t == "a"}
    allowed = {"https://a.example/vote", "https://b.example/budget", "https://c.example/", "#fn-1", "#fnref-1",
               "../en/index.html"}
    backrefs = {h for h in hrefs if re.fullmatch(r"#fnref-1-[0-9]+", h)}    # a note's later references
    assert hrefs - backrefs <= allowed, hrefs - backrefs - allowed
    ids = {a.get("id") for _, a in page.elements}
    assert {h[1:] for h in backrefs | {"#fnref-1"}} <= ids             # each back-link has its reference
    assert [a["src"] for t, a in page.elements if t == "iframe"] == ["https://www.youtube.com/embed/abc"]
    assert not page.all("img")        # the source's images are missing; a translation adds none
    assert not any(name.startswith("on") for _, a in page.elements for name in a)
    for name in ("index.html", "article.md", "article.json"):
        text = (bundle / name).read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), name
        assert "evil.example" not in text.replace("evil.example/) and", "").replace("evil.example/auto", "") \
            or name != "index.html"
    data_text = (bundle / "article.json").read_text(encoding="utf-8")
    assert "</script" not in data_text and "\u2028" not in data_text
    json.loads(data_text)
    # article.md: the same structure as the source, its front matter one scalar per field
    source = parse_story(project.article(RICH), embed_hosts=("youtube.com",))
    again = parse_story(bundle / "article.md", embed_hosts=("youtube.com",))
    assert [b.kind for b in again.blocks] == [b.kind for b in source.blocks]
    kinds = [s.kind for s in source.segments() if s.kind != "link-title"]  # its links were dropped
    assert [s.kind for s in again.segments()] == kinds
    assert again.meta["lang"] == lang and again.lead.images == source.lead.images
    assert {t for s in again.segments() for t in s.links} <= {t for s in source.segments() for t in s.links}
    assert [len(r.children) for r in again.blocks[7].children] == [2, 2, 2]


def test_bundle_and_manifest_golden(project, golden):
    """The Ukrainian bundle's text files and the story's manifest, compared whole with reviewed copies
    (`pytest --update-golden` rewrites them when a change is meant)."""
    build(project)
    out = project.build_dir / STORY
    golden("bundle/manifest.json", (out / "manifest.json").read_text(encoding="utf-8"))
    for name in ("index.html", "article.json", "article.md"):
        golden(f"bundle/uk/{name}", (out / "uk" / name).read_text(encoding="utf-8"))


def test_a_note_links_back_to_each_of_its_references_and_an_unreferenced_one_to_none(project_dir):
    project = built_story(project_dir, "notes", "---\ntitle: Notes\n---\n\nFirst[^a] and again[^a].\n\n"
                                                "Later[^a].\n\n[^a]: Cited three times.\n\n[^b]: Cited nowhere.\n")
    page = Page((project.bundle("notes", "uk") / "index.html").read_text(encoding="utf-8"))
    refs = [a["id"] for t, a in page.elements if t == "a" and a.get("role") == "doc-noteref"]
    backs = [a["href"] for t, a in page.elements if t == "a" and a.get("role") == "doc-backlink"]
    assert refs == ["fnref-1", "fnref-1-2", "fnref-1-3"]
    assert backs == ["#fnref-1", "#fnref-1-2", "#fnref-1-3"]       # note 2 has none: nothing to go back to
    labels = [a["aria-label"] for t, a in page.elements if t == "a" and a.get("role") == "doc-backlink"]
    assert len(set(labels)) == 3


def test_a_headings_id_is_its_id_on_the_page(project_dir):
    project = built_story(project_dir, "ids", "---\ntitle: Ids\n---\n\n## Who did we hear from? {#demographics}\n\n"
                                              "Text.\n")
    html = (project.bundle("ids", "uk") / "index.html").read_text(encoding="utf-8")
    assert [a.get("id") for t, a in Page(html).elements if t == "h2"] == ["demographics"]
    assert "{#" not in html


def test_the_lead_image_is_fetched_first_and_the_others_lazily(project_dir):
    project = built_story(project_dir, "photos", "---\ntitle: Photos\nlead: {image: https://example.org/top.jpg, "
                                                 "alt: Top}\n---\n\nText.\n\n::: figure later\n"
                                                 "image: https://example.org/later.jpg\nalt: Later\n:::\n")
    page = Page((project.bundle("photos", "en") / "index.html").read_text(encoding="utf-8"))
    images = [(a["src"], a.get("fetchpriority"), a.get("loading")) for t, a in page.elements if t == "img"]
    assert images == [("https://example.org/top.jpg", "high", None), ("https://example.org/later.jpg", None, "lazy")]
