import hashlib
import json
from html.parser import HTMLParser

from storyloc.build import build
from storyloc.catalog import read_po, save_po
from storyloc.extract import extract
from storyloc.update import update

from conftest import STORY, snapshot


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
    assert all(a.get("lang") == "en" for a in page.all("p", **{"class": "fallback"}))
    assert len(page.all("p", **{"class": "fallback"})) == 9
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
    assert all(p.get("dir") == "ltr" for p in page.all("p", **{"class": "fallback"}))


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
    assert not page.all("script") and not page.all("img", src="x")


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
