"""`storyloc status`: progress, check results and publish state per story and language; the SVG and overview."""
import json
import xml.etree.ElementTree as ET

from storyloc.build import build
from storyloc.catalog import read_po, save_po
from storyloc.status import built_status, format_table, progress_svg, status, write_overview

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
