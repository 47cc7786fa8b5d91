"""The review page: its rules without a browser, its HTTP guard, and a real session in headless Chromium."""
import hashlib
import http.client
import json
import re
import shutil
import threading
import zlib
import struct
from pathlib import Path

import pytest

from storyloc.po import provenance
from storyloc.po import read_po, save_po
from storyloc.review import Review, Reviewer, make_server
from storyloc.errors import Conflict, Forbidden

from conftest import PROJECT, REPO, STORY, msgfmt_check

TOKEN = "test-token-0123456789abcdef"
CHROMIUM = "/usr/bin/chromium"
DEK, CHANGED, HOSTILE = "Photographs from Bakhmut", "Russian troops intensify", "Locals use bikes"
XSS = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def _png(width=60, height=40, rgb=(90, 110, 140)) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def po(project) -> Path:
    """The Ukrainian catalog with work left to review: three machine drafts, one of them hostile,
    one whose English changed; and one photo on disk (the others are missing)."""
    if (PROJECT / "glossary").is_dir():
        shutil.copytree(PROJECT / "glossary", project.root / "glossary", dirs_exist_ok=True)
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    draft = provenance.Record("draft", {"engine": "apertium", "pair": "eng-ukr", "date": "2026-11-25"})
    for fragment in (DEK, CHANGED, HOSTILE):
        m = next(m for m in catalog.entries() if fragment in m.msgid)
        m.fuzzy = True
        provenance.replace(m, [draft], ("draft",))
        if fragment == CHANGED:
            m.previous_msgid = m.msgid.replace("intensify", "step up")
        if fragment == HOSTILE:
            m.msgstr = [XSS]
    save_po(catalog, path)
    image = project.article(STORY).parent / "images" / "city-center.jpg"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(_png())
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry(path: Path, fragment: str):
    return next(m for m in read_po(path).entries() if fragment in m.msgid)


def _seg(review: Review, n: int) -> dict:
    """Segment ``n`` as the page has it now (with the entry version a save is based on)."""
    return review.page(STORY)["segments"][n]


OLENA = Reviewer("Olena_Kovalenko", "editor")


# -- the rules, without a browser ---------------------------------------------------------

def test_page_data(project, po):
    data = Review(project, "uk", "Tester").page(STORY)
    segs = data["segments"]
    assert len(segs) == 20 and data["version"] == _sha(po)
    assert [s["status"] for s in segs].count("draft") == 3
    assert data["counts"]["draft"] == 3 and data["state"] == "draft"
    dek = segs[1]
    assert dek["kind"] == "dek" and dek["provenance"][0]["fields"]["engine"] == "apertium"
    assert {g["source"] for g in dek["glossary"]} == {"Bakhmut", "Donetsk Oblast"}
    changed = segs[6]
    assert ["-", "step up"] in changed["previous"] and ["+", "intensify"] in changed["previous"]
    hostile = segs[9]
    assert hostile["msgstr"] == XSS and any(c["id"] == "html" for c in hostile["checks"])
    captions = {s["ctxt"]: s["figures"] for s in segs if s["kind"] in ("caption", "credit")}
    assert captions["figure:city-center"][0]["url"] == f"image/{STORY}/city-center"
    assert captions["figure:troops-protect-bakhmut"][0]["url"] is None
    assert len(captions["credit"]) == 7


def test_approve_clears_fuzzy_and_records_who(project, po):
    review = Review(project, "uk", "Tester", today=lambda: "2026-11-26", now=lambda: "2026-11-26 10:00+0000")
    before = po.read_text(encoding="utf-8")
    seg = review.page(STORY)["segments"][6]
    data = review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "approve", seg["msgstr"], OLENA)
    m = _entry(po, "Russian troops intensify")
    assert m.status == "reviewed" and m.previous_msgid is None
    digest = provenance.text_digest(m.msgstr[0])
    assert [r.format() for r in provenance.records(m)] == [
        "storyloc: draft engine=apertium pair=eng-ukr date=2026-11-25",
        "storyloc: reviewed by=Olena_Kovalenko role=editor date=2026-11-26",
        f"storyloc: approved by=Olena_Kovalenko role=editor date=2026-11-26 text={digest}"]
    assert data["segments"][6]["state"] == "approved" and data["approved"] == 1
    header = read_po(po).header_fields()
    assert header["Last-Translator"] == "Olena Kovalenko"
    assert header["PO-Revision-Date"] == "2026-11-26 10:00+0000"
    assert data["version"] == _sha(po) and data["counts"]["draft"] == 2
    assert msgfmt_check(po).returncode == 0, msgfmt_check(po).stderr
    # nothing else in the file moved
    after = po.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ['"PO-Revision-Date: 2026-11-26 10:00+0000\\n"', '"Last-Translator: Olena Kovalenko\\n"',
                       "# storyloc: reviewed by=Olena_Kovalenko role=editor date=2026-11-26",
                       f"# storyloc: approved by=Olena_Kovalenko role=editor date=2026-11-26 text={digest}"]


def test_save_keeps_the_state_and_a_stale_version_is_refused(project, po):
    review = Review(project, "uk", "Tester", today=lambda: "2026-11-26")
    page = review.page(STORY)
    seg, other = page["segments"][0], page["segments"][2]
    review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "save", "Життя під\nобстрілами: Бахмут")
    m = _entry(po, "Life under fire")
    assert m.msgstr == ["Життя під обстрілами: Бахмут"] and m.status == "reviewed"   # no newline the English lacks
    assert provenance.latest(m, "reviewed").fields == {"by": "Tester", "role": "translator", "date": "2026-11-26"}
    on_disk = po.read_bytes()
    with pytest.raises(Conflict, match="someone changed this entry since this page loaded it") as refused:
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "save", "Інше")
    assert (refused.value.yours, refused.value.theirs) == ("Інше", "Життя під обстрілами: Бахмут")
    assert po.read_bytes() == on_disk
    # a save to an entry nobody else changed merges into the file as it is now
    review.change(STORY, other["ctxt"], other["msgid"], other["version"], "save", "Фото: Олександр Бабенко")
    catalog = read_po(po)
    assert catalog.find(seg["msgid"], "title").msgstr == ["Життя під обстрілами: Бахмут"]
    assert catalog.find(other["msgid"], "byline").msgstr == ["Фото: Олександр Бабенко"]
    assert msgfmt_check(po).returncode == 0


def test_empty_entries_drafts_needs_work_and_ignore(project, po):
    review = Review(project, "uk", "Tester", today=lambda: "2026-11-26")
    seg = review.page(STORY)["segments"][2]
    review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "save", "")
    assert _entry(po, "Photographs by").status == "missing" and not _entry(po, "Photographs by").fuzzy
    review.change(STORY, seg["ctxt"], seg["msgid"], _seg(review, 2)["version"], "save", "Фото Олександра Бабенка")
    m = _entry(po, "Photographs by")
    assert m.status == "draft" and provenance.latest(m, "edited").fields["by"] == "Tester"
    review.change(STORY, seg["ctxt"], seg["msgid"], _seg(review, 2)["version"], "review", "Фото Олександра Бабенка")
    assert _seg(review, 2)["state"] == "reviewed"
    review.change(STORY, seg["ctxt"], seg["msgid"], _seg(review, 2)["version"], "unapprove")
    m = _entry(po, "Photographs by")
    assert m.status == "draft" and provenance.latest(m, "reviewed") is None
    hostile = review.page(STORY)["segments"][9]
    data = review.change(STORY, hostile["ctxt"], hostile["msgid"], hostile["version"], "ignore", check="markup")
    assert all(c["ignored"] for c in data["segments"][9]["checks"] if c["id"] == "markup")
    assert "storyloc: ignore markup by=Tester date=2026-11-26" in _entry(po, hostile["msgid"][:30]).translator_comments
    assert msgfmt_check(po).returncode == 0


# -- HTTP -------------------------------------------------------------------------------

@pytest.fixture
def server(project, po):
    srv = make_server(project, "uk", port=0, token=TOKEN, user="Tester", quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def _request(srv, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_http_needs_the_token_and_refuses_stale_writes(server, po):
    assert _request(server, "GET", "/")[0] == 403
    assert _request(server, "GET", f"/api/story?story={STORY}")[0] == 403
    status, headers, page = _request(server, "GET", f"/?token={TOKEN}")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    for host in ("evil.example:80", "127.evil.example"):            # DNS rebinding
        assert _request(server, "GET", f"/?token={TOKEN}", headers={"Host": host})[0] == 421
    assert _request(server, "GET", f"/?token={TOKEN}", headers={"Host": "[::1]:80"})[0] == 200
    status, _, body = _request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": TOKEN})
    seg = json.loads(body)["segments"][1]
    change = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": "0" * 16,
              "action": "review", "msgstr": seg["msgstr"]}
    before = po.read_bytes()
    cookie = {"Cookie": f"storyloc_review={TOKEN}"}
    assert _request(server, "POST", "/api/change", change, cookie)[0] == 403      # a cookie is not enough to write
    status, _, body = _request(server, "POST", "/api/change", change, {"X-Storyloc-Token": TOKEN})
    assert status == 409 and json.loads(body)["conflict"] is True
    assert json.loads(body)["theirs"] == json.loads(body)["yours"] == seg["msgstr"]
    assert po.read_bytes() == before
    for path in (f"/image/{STORY}/troops-protect-bakhmut", f"/image/{STORY}/..%2F..%2F..%2Fpyproject.toml",
                 "/image/../pyproject.toml"):
        assert _request(server, "GET", path, headers={"X-Storyloc-Token": TOKEN})[0] in (400, 404)
    status, headers, body = _request(server, "GET", f"/image/{STORY}/city-center", headers=cookie)
    assert status == 200 and body.startswith(b"\x89PNG")


# -- in a real browser --------------------------------------------------------------------

def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--no-proxy-server"])


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_review_session_in_chromium(server, po):
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    with sync_api.sync_playwright() as playwright:
        browser = _browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url)
            page.wait_for_selector("article.seg")
            assert "token" not in page.url                       # dropped from the address bar
            cards = page.locator("article.seg")
            assert cards.count() == 20

            # untrusted text stays text
            hostile = cards.nth(9)
            assert hostile.locator("textarea").input_value() == XSS
            assert page.evaluate("window.pwned") is None
            assert page.locator("#segments script, #segments img[src='x']").count() == 0
            assert "<script>" in hostile.locator(".checks").inner_text()

            # filters
            page.click("[data-filter=draft]")
            assert cards.count() == 3
            page.click("[data-filter=errors]")
            assert cards.count() == 1 and cards.first.get_attribute("data-n") == "10"
            page.click("[data-filter=draft]")

            # mark the first draft reviewed from the keyboard; the next one gets the focus
            cards.first.locator("textarea").click()
            with page.expect_response("**/api/change"):
                page.keyboard.press("Control+Enter")
            expect(cards).to_have_count(2)
            dek = _entry(po, "Photographs from Bakhmut")
            assert dek.status == "reviewed"
            assert provenance.latest(dek, "reviewed").fields["by"] == "Tester"
            assert page.locator("button.approve").count() == 0        # a translator cannot approve
            assert provenance.latest(dek, "draft").fields["engine"] == "apertium"
            assert msgfmt_check(po).returncode == 0
            assert page.locator("#progress").inner_text().startswith("18 reviewed")

            # keyboard navigation
            page.click("[data-filter=all]")
            page.locator("article.seg").first.locator("textarea").click()
            page.keyboard.press("Escape")
            page.keyboard.press("j")
            assert page.locator("article.seg.current").get_attribute("data-n") == "2"
            page.keyboard.press("Alt+ArrowDown")
            assert page.locator("article.seg.current").get_attribute("data-n") == "3"

            # edit a reviewed segment and save it
            title = cards.first.locator("textarea")
            title.fill("Життя під обстрілами: Бахмут")
            assert "dirty" in cards.first.get_attribute("class")
            with page.expect_response("**/api/change"):
                page.keyboard.press("Control+s")
            expect(page.locator("article.seg.dirty")).to_have_count(0)
            assert _entry(po, "Life under fire").msgstr == ["Життя під обстрілами: Бахмут"]
            assert _entry(po, "Life under fire").status == "reviewed"
            assert msgfmt_check(po).returncode == 0

            # someone saves another entry in Poedit meanwhile: the page's save merges with it
            catalog = read_po(po)
            other = next(m for m in catalog.entries() if "Lonely residents" in m.msgid)
            other.msgstr = ["Центр Бахмута. Поодинокі мешканці (виправлено в Poedit)"]
            save_po(catalog, po)
            dek_box = cards.nth(1).locator("textarea")
            dek_box.fill(dek_box.input_value() + " ")
            with page.expect_response("**/api/change") as response:
                cards.nth(1).locator("button.save").click()
            assert response.value.status == 200
            assert "виправлено в Poedit" in next(m for m in read_po(po).entries() if "Lonely" in m.msgid).msgstr[0]
            # … but a save to the entry Poedit changed is refused with both texts, nothing overwritten
            catalog = read_po(po)
            catalog.find("Photographs by Oleksandr Babenko", "byline").msgstr = ["Фото: О. Бабенко (Poedit)"]
            save_po(catalog, po)
            on_disk = po.read_bytes()
            byline = cards.nth(2).locator("textarea")
            byline.fill("Фото: Олександр Бабенко")
            with page.expect_response("**/api/change") as response:
                cards.nth(2).locator("button.save").click()
            assert response.value.status == 409
            notice = page.locator("#notice")
            notice.wait_for(state="visible")
            assert "someone changed this entry" in notice.inner_text()
            assert page.locator("#notice-theirs").inner_text() == "Фото: О. Бабенко (Poedit)"
            assert page.locator("#notice-yours").inner_text() == "Фото: Олександр Бабенко"
            assert po.read_bytes() == on_disk
            page.screenshot(path=str(_screenshot_path("review-conflict.png")))

            # reload: the typed text is still there, marked unsaved; save again
            with page.expect_response("**/api/story*"):
                page.click("#reload")
            expect(notice).to_be_hidden()
            # (the response arrives before the page re-renders: wait for the text, don't race it)
            expect(page.locator("article.seg[data-n='8'] textarea")).to_have_value(re.compile("виправлено в Poedit"))
            assert byline.input_value() == "Фото: Олександр Бабенко"
            assert "dirty" in cards.nth(2).get_attribute("class")
            with page.expect_response("**/api/change") as response:
                cards.nth(2).locator("button.save").click()
            assert response.value.status == 200
            expect(page.locator("article.seg.dirty")).to_have_count(0)      # re-rendered after the save
            final = read_po(po)
            assert final.find("Photographs by Oleksandr Babenko", "byline").msgstr == ["Фото: Олександр Бабенко"]
            assert "виправлено в Poedit" in next(m for m in final.entries() if "Lonely" in m.msgid).msgstr[0]
            assert msgfmt_check(po).returncode == 0

            page.locator("article.seg[data-n='8']").scroll_into_view_if_needed()
            page.screenshot(path=str(_screenshot_path("review-screenshot.png")))
            assert errors == []
        finally:
            browser.close()


def _screenshot_path(name: str) -> Path:
    """Screenshots of the run are kept in the repository's build/ (not committed) to look at."""
    folder = REPO / "build"
    folder.mkdir(exist_ok=True)
    return folder / name


def test_approving_nothing_is_refused(project, po):
    from storyloc.errors import ReviewError
    review = Review(project, "uk", "Tester")
    seg = review.page(STORY)["segments"][0]
    with pytest.raises(ReviewError, match="nothing to review"):
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "review", "  ")
    with pytest.raises(Forbidden, match="only an editor can approve"):
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "approve")
    with pytest.raises(ReviewError, match="nothing to approve"):
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "approve", "  ", OLENA)


def test_cli_review_errors_are_one_line(project_dir):
    import socket
    from conftest import run
    result = run(project_dir, "review", "xx")
    assert result.exit_code != 0 and result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    broken = project_dir / f"locales/uk/LC_MESSAGES/{STORY}.po"
    good = broken.read_bytes()
    broken.write_text("not a catalog\n", encoding="utf-8")
    result = run(project_dir, "review", "uk")              # refused at start, not served as a broken page
    assert result.exit_code == 1
    assert result.stderr == f"Error: locales/uk/LC_MESSAGES/{STORY}.po:1: keyword \"not\" unknown\n"
    broken.write_bytes(good)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run(project_dir, "review", "uk", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == f"Error: port {port} on 127.0.0.1 is in use; pick another with --port\n"


def test_stopping_does_not_wait_for_an_open_browser_tab(project, po):
    import time
    srv = make_server(project, "uk", port=0, token=TOKEN, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    try:
        conn.request("GET", "/static/review.css")
        assert conn.getresponse().read()                 # the connection stays open (keep-alive)
        start = time.monotonic()
        srv.shutdown()
        srv.server_close()
        assert time.monotonic() - start < 5
    finally:
        conn.close()
        thread.join(5)


# -- named reviewers, roles, and what a save may hold -----------------------------------------

def test_the_recorded_name_comes_from_the_token_never_from_the_request(server, po):
    from storyloc.review import add_reviewer, read_reviewers, reviewers_file
    project = server.review.project
    _, olena = add_reviewer(project, "Olena Kovalenko", "editor")
    _, taras = add_reviewer(project, "Taras", "translator")
    stored = reviewers_file(project).read_text(encoding="utf-8")
    assert olena not in stored and taras not in stored                     # hashed only
    assert {(r["name"], r["role"]) for r in read_reviewers(project)} == {("Olena_Kovalenko", "editor"),
                                                                         ("Taras", "translator")}

    def post(token, n, action, **extra):
        status, _, body = _request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": token})
        seg = json.loads(body)["segments"][n]
        change = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
                  "action": action, "msgstr": seg["msgstr"], "user": "Mallory", **extra}
        status, _, body = _request(server, "POST", "/api/change", change, {"X-Storyloc-Token": token})
        return status, json.loads(body)

    status, data = post(taras, 1, "review")
    assert status == 200 and data["reviewer"] == {"name": "Taras", "role": "translator"}
    dek = _entry(po, "Photographs from Bakhmut")
    assert provenance.latest(dek, "reviewed").fields["by"] == "Taras"
    assert "Mallory" not in po.read_text(encoding="utf-8")
    status, data = post(taras, 1, "approve")
    assert status == 403 and "only an editor can approve" in data["error"]
    status, data = post(olena, 1, "approve")
    assert status == 200 and data["segments"][1]["state"] == "approved"
    approval = provenance.latest(_entry(po, "Photographs from Bakhmut"), "approved")
    assert approval.fields["by"] == "Olena_Kovalenko" and approval.fields["role"] == "editor"
    assert "Mallory" not in po.read_text(encoding="utf-8")
    # an edit anywhere (here: a PO editor) withdraws the approval of the old text
    catalog = read_po(po)
    m = next(m for m in catalog.entries() if "Photographs from Bakhmut" in m.msgid)
    m.msgstr = [m.msgstr[0] + "!"]
    save_po(catalog, po)
    assert Review(project, "uk").page(STORY)["segments"][1]["state"] == "reviewed"
    # a removed reviewer is out at once; a made-up token never was in
    from storyloc.review import remove_reviewer
    assert remove_reviewer(project, "Taras")
    assert _request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": taras})[0] == 403
    assert _request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": "x" * 32})[0] == 403
    assert msgfmt_check(po).returncode == 0


def test_control_characters_are_refused_and_big_saves_get_413(server, po):
    status, _, body = _request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": TOKEN})
    seg = json.loads(body)["segments"][1]
    before = po.read_bytes()
    for bad, name in (("a\x00b", "NUL"), ("a\x07b", "U+0007"), ("a\x85b", "U+0085")):
        change = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
                  "action": "save", "msgstr": bad}
        status, _, body = _request(server, "POST", "/api/change", change, {"X-Storyloc-Token": TOKEN})
        assert status == 400 and f"control character ({name}) at character 2" in json.loads(body)["error"]
    huge = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
            "action": "save", "msgstr": "x" * (1 << 20)}
    status, _, body = _request(server, "POST", "/api/change", huge, {"X-Storyloc-Token": TOKEN})
    assert status == 413 and "at most 1 MiB" in json.loads(body)["error"]
    assert po.read_bytes() == before


def test_newlines_stay_where_the_english_has_them():
    from storyloc.review import _clean_text
    from storyloc.errors import ReviewError
    assert _clean_text("рядок\r\nдругий", "line\nsecond", "x.po", 1) == "рядок\nдругий"
    assert _clean_text("рядок\nдругий", "line second", "x.po", 1) == "рядок другий"
    assert _clean_text("рядок", "line\n", "x.po", 1) == "рядок\n"             # msgfmt --check: both or neither
    assert _clean_text("рядок\n", "line", "x.po", 1) == "рядок"
    assert _clean_text("a\tb", "a b", "x.po", 1) == "a\tb"
    with pytest.raises(ReviewError, match=r"x.po:7: the translation holds a control character \(U\+001B\)"):
        _clean_text("a\x1bb", "a", "x.po", 7)


# -- accessible: axe-core, a phone's width, text boxes that fit ---------------------------------

def test_the_review_page_is_accessible_and_works_at_390_px(server, po):
    import axe
    sync_api = axe.need_browser()
    with sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        try:
            for width, height in ((1280, 900), (390, 844)):
                context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
                page = context.new_page()
                page.goto(server.url)
                page.wait_for_selector("article.seg")
                assert page.locator("h1").count() == 1
                assert axe.serious(page) == [], width
                # every text box shows all its text: nothing cut off mid-line
                cut = page.evaluate("""() => Array.from(document.querySelectorAll('textarea'))
                    .filter((t) => t.scrollHeight > t.clientHeight + 1).length""")
                assert cut == 0, width
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                # the last segment's buttons are not under the footer at the bottom of the page
                page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
                hidden = page.evaluate("""() => {
                    const last = Array.from(document.querySelectorAll('article.seg')).pop();
                    const button = last.querySelector('.actions button').getBoundingClientRect();
                    const footer = document.querySelector('footer.keys').getBoundingClientRect();
                    return getComputedStyle(document.querySelector('footer.keys')).position === 'fixed'
                        && button.bottom > footer.top;
                }""")
                assert hidden is False, width
                # a box grows as the translator types
                box = page.locator("article.seg textarea").first
                before = box.bounding_box()["height"]
                box.fill("Рядок " * 200)
                assert box.bounding_box()["height"] > before
                assert box.evaluate("(t) => t.scrollHeight <= t.clientHeight + 1")
                if width == 390:
                    page.screenshot(path=str(_screenshot_path("review-390px.png")), full_page=False)
                context.close()
        finally:
            browser.close()
