"""`storyloc status`: progress, check results and publish state per story and language; the SVG and overview."""
import json
import xml.etree.ElementTree as ET

from storyloc.build import build
from storyloc.po import read_po, save_po
from storyloc.status import built_status, format_table, overview_html, progress_svg, status, write_overview

from conftest import STORY

UK_PO = f"locales/uk/LC_MESSAGES/{STORY}.po"


def _rows(project):
    return {row.lang: row for row in status(project)}


def test_rows_count_segments_words_and_checks(project):
    rows = _rows(project)
    uk, es, de = rows["uk"], rows["es"], rows["de"]
    assert uk.counts["reviewed"] == 20 and uk.counts["words_reviewed"] == uk.counts["words"] > 0
    assert uk.counts["words_draft"] == uk.counts["words_missing"] == 0
    assert (uk.errors, uk.state) == (0, "published")
    assert de.counts["missing"] == 20 and de.counts["words_missing"] == de.counts["words"]
    assert es.counts["draft"] == 20 and es.counts["words_draft"] == es.counts["words"]
    assert es.state == "draft"
    data = uk.as_json()
    assert {"errors", "warnings", "ignored", "words_draft", "words_missing", "catalog"} <= data.keys()
    json.dumps(data)


def _draft_and_break(project):
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    entries = catalog.entries()
    entries[0].fuzzy = True                                   # one draft
    broken = next(m for m in entries if "70,000" in m.msgid)  # one reviewed entry with a wrong number
    broken.msgstr = [broken.msgstr[0].replace("70 тисяч", "7 тисяч")]
    save_po(catalog, path)
    return entries[0]


def test_an_error_keeps_a_fully_reviewed_language_from_publishing(project):
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    broken = next(m for m in catalog.entries() if "70,000" in m.msgid)
    broken.msgstr = [broken.msgstr[0].replace("70 тисяч", "7 тисяч")]
    save_po(catalog, path)
    uk = _rows(project)["uk"]
    assert uk.counts["percent_reviewed"] == 100.0
    assert (uk.errors, uk.checks, uk.state) == (1, {"numbers": 1}, "draft")


def test_table_shows_words_reviewed_draft_empty_and_checks(project):
    draft = _draft_and_break(project)
    table = format_table(status(project))
    lines = table.splitlines()
    assert lines[0].split() == ["story", "lang", "reviewed", "draft", "empty", "words", "rev/draft/empty",
                                "done", "errors", "warnings", "state"]
    uk = next(line for line in lines if " uk " in line).split()
    words = len(draft.msgid.split())
    total = _rows(project)["uk"].counts["words"]
    assert uk == [STORY, "uk", "19", "1", "0", f"{total - words}/{words}/0", "95.0%", "1", "0", "draft"]


def test_overview_page_and_chart(project):
    _draft_and_break(project)
    build(project)               # the overview shows the build: it reads the fresh manifests
    assert [r.as_json() for r in built_status(project)] == [r.as_json() for r in status(project)]
    project.overview().unlink()                                # build wrote both; written anew here
    project.progress_chart().unlink()
    written = write_overview(project)
    assert written == ["build/status.svg", "build/index.html"]
    assert write_overview(project) == []                       # reproducible: nothing changes the second time
    svg = ET.fromstring((project.build_dir / "status.svg").read_text(encoding="utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    rows = svg.findall(".//s:g[@class='row']", ns)
    assert [r.get("data-lang") for r in rows] == ["uk", "es", "de", "pl", "fr", "ar"]
    uk_bar = {rect.find("s:title", ns).text for rect in rows[0].findall("s:rect", ns)}
    assert uk_bar == {"uk: 19 reviewed", "uk: 1 draft"}
    assert "1 error" in "".join(rows[0].itertext())
    page = (project.build_dir / "index.html").read_text(encoding="utf-8")
    assert '<img class="chart" src="status.svg"' in page
    assert f'href="{STORY}/uk/index.html"' in page and f'href="{STORY}/en/index.html"' in page
    assert f'href="{STORY}/manifest.json"' in page


def test_svg_escapes_what_it_shows(project):
    rows = status(project)
    rows[0].story = "<script>x</script>"
    svg = progress_svg(rows)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_the_overview_escapes_what_it_shows(project):
    rows = status(project)
    rows[0].reasons = [{"gate": "full", "message": '<script>x</script> & "quoted"', "entries": []}]
    rows[1].state = "<b>draft</b>"
    page = overview_html(project, rows)
    assert "<script>x" not in page and "<b>" not in page
    assert '<li><span class="code">uk</span> full: &lt;script&gt;x&lt;/script&gt; &amp; &#34;quoted&#34;</li>' in page
    assert '<span class="state &lt;b&gt;draft&lt;/b&gt;">&lt;b&gt;draft&lt;/b&gt;</span>' in page


def test_cli_status_json_has_checks(project_dir):
    from conftest import run
    rows = json.loads(run(project_dir, "status", "--format", "json").output)
    uk = next(r for r in rows if r["lang"] == "uk")
    assert uk["errors"] == 0 and uk["state"] == "published" and "warnings" in uk


def test_the_overview_page_passes_axe_core(project):
    import axe
    sync_api = axe.need_browser()
    build(project)
    write_overview(project)
    with sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto((project.build_dir / "index.html").as_uri())
                assert page.locator("main h1").count() == 1
                assert axe.serious(page) == [], width
                page.close()
        finally:
            browser.close()


# -- per-field publish gates, and approval as the gate ----------------------------------------

def _configure(project_dir, table: str):
    from storyloc.project import Project
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "\n[tool.storyloc.publish]\n" + table,
                         encoding="utf-8")
    return Project.load(project_dir)


def test_an_unreviewed_headline_is_never_published_whatever_the_share(project_dir):
    project = _configure(project_dir, "share = 90\n")
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    title = next(m for m in catalog.entries() if m.msgctxt == "title")
    title.fuzzy = True
    save_po(catalog, path)
    title = read_po(path).find(title.msgid, "title")           # its line, with the flag above it
    row = _rows(project)["uk"]
    assert row.counts["percent_reviewed"] == 95.0 and row.state == "draft"
    assert row.reasons == [{"gate": "full", "message": "1 title not reviewed (every title must be)",
                            "entries": [{"where": f"{UK_PO}:{title.lineno}", "kind": "title",
                                         "text": "Life under fire in Bakhmut", "status": "draft"}]}]
    # the same share of paragraphs in draft is allowed: 1 of the 10 other segments
    catalog = read_po(path)
    catalog.find(title.msgid, "title").fuzzy = False
    paragraph = next(m for m in catalog.entries() if m.msgctxt is None)
    paragraph.fuzzy = True
    save_po(catalog, path)
    row = _rows(project)["uk"]
    assert (row.state, row.reasons) == ("published", [])
    # the manifest keeps the reasons; build and status print them with file:line
    catalog = read_po(path)
    catalog.find(title.msgid, "title").fuzzy = True
    save_po(catalog, path)
    from conftest import run
    built = run(project_dir, "build")
    assert (f"build/{STORY}/uk: draft, 18/20 reviewed" in built.output
            and f"  not published: full: 1 title not reviewed (every title must be): {UK_PO}:{title.lineno}\n"
            in built.output)
    manifest = json.loads(project.manifest(STORY).read_text(encoding="utf-8"))
    assert manifest["languages"]["uk"]["reasons"][0]["gate"] == "full"
    assert manifest["languages"]["en"]["reasons"] == []
    shown = run(project_dir, "status", "--lang", "uk").output
    assert f"{STORY} uk: not published: full: 1 title not reviewed (every title must be): {UK_PO}:{title.lineno}" \
        in shown


def test_require_approved_makes_an_editors_sign_off_the_gate(project_dir):
    from storyloc.po import provenance
    project = _configure(project_dir, 'require = "approved"\n')
    row = _rows(project)["uk"]
    assert row.state == "draft"
    assert [r["message"] for r in row.reasons] == [
        "1 title not approved (every title must be)", "1 dek not approved (every dek must be)",
        "7 captions not approved (every caption must be)", "1 credit not approved (every credit must be)",
        "0% of the other segments approved, 100% required"]
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    for m in catalog.entries():
        provenance.replace(m, [provenance.Record("approved", {"by": "Olena", "role": "editor", "date": "2026-11-27",
                                                              "text": provenance.text_digest(m.msgstr[0])})],
                           ("approved",))
    save_po(catalog, path)
    assert (_rows(project)["uk"].state, _rows(project)["uk"].reasons) == ("published", [])
    # an edit after the approval (in any PO editor) withdraws it
    catalog = read_po(path)
    catalog.entries()[0].msgstr = [catalog.entries()[0].msgstr[0] + "!"]
    save_po(catalog, path)
    assert _rows(project)["uk"].reasons[0]["message"] == "1 title not approved (every title must be)"


def test_publish_settings_are_validated_with_their_line(project_dir):
    from storyloc.errors import ConfigError
    import pytest
    original = (project_dir / "pyproject.toml").read_text(encoding="utf-8")
    for table, message in (('require = "signed"\n', "require must be \"reviewed\" or \"approved\""),
                           ('full = "title"\n', "full must be a list of segment kinds"),
                           ("share = 101\n", "share must be a percentage from 0 to 100"),
                           ("sharee = 1\n", "unknown setting 'sharee' in [tool.storyloc.publish]")):
        (project_dir / "pyproject.toml").write_text(original, encoding="utf-8")
        with pytest.raises(ConfigError) as error:
            _configure(project_dir, table)
        assert error.value.line == len(original.splitlines()) + 3 and message in error.value.message


def test_the_overview_lists_why_each_draft_waits_and_what_must_be_updated(project_dir):
    from conftest import run
    for command in ("build", "publish"):
        assert run(project_dir, command).exit_code == 0
    article = project_dir / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("70,000", "80,000", 1), encoding="utf-8")
    for command in ("extract", "update", "build", "publish", "build"):
        assert run(project_dir, command).exit_code == 0, command
    html = (project_dir / "build" / "index.html").read_text(encoding="utf-8")
    assert "<h3>To update (published, older than the source)</h3>" in html
    assert '<li><span class="code">uk</span> ' in html.split("<h3>To update")[1].split("</ul>")[0]
    why = html.split("<h3>Why not published</h3>")[1].split("</ul>")[0]
    assert f"<li><span class=\"code\">uk</span> share: 90% of the other segments reviewed, 100% required: {UK_PO}:" in why
    assert f'<li><span class="code">es</span> full: 1 title not reviewed (every title must be): ' in why
