"""review/server.py: the HTTP guard, and real sessions in Debian's Chromium (Playwright, axe-core)."""
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse

import axe
from storyloc.po import provenance, read_po, save_po
from storyloc.review import Review, add_reviewer, make_server, read_reviewers, remove_reviewer

from conftest import STORY, msgfmt_check, run
from reviewing import TOKEN, XSS, entry, po, request, screenshot_path, server  # noqa: F401 (fixtures)


def test_http_needs_the_token_and_refuses_stale_writes(server, po):
    assert request(server, "GET", "/")[0] == 403
    assert request(server, "GET", f"/api/story?story={STORY}")[0] == 403
    status, headers, page = request(server, "GET", f"/?token={TOKEN}")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    for host in ("evil.example:80", "127.evil.example"):            # DNS rebinding
        assert request(server, "GET", f"/?token={TOKEN}", headers={"Host": host})[0] == 421
    assert request(server, "GET", f"/?token={TOKEN}", headers={"Host": "[::1]:80"})[0] == 200
    status, _, body = request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": TOKEN})
    seg = json.loads(body)["segments"][1]
    change = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": "0" * 16,
              "action": "review", "msgstr": seg["msgstr"]}
    before = po.read_bytes()
    cookie = {"Cookie": f"storyloc_review={TOKEN}"}
    assert request(server, "POST", "/api/change", change, cookie)[0] == 403      # a cookie is not enough to write
    status, _, body = request(server, "POST", "/api/change", change, {"X-Storyloc-Token": TOKEN})
    assert status == 409 and json.loads(body)["conflict"] is True
    assert json.loads(body)["theirs"] == json.loads(body)["yours"] == seg["msgstr"]
    assert po.read_bytes() == before
    for path in (f"/image/{STORY}/troops-protect-bakhmut", f"/image/{STORY}/..%2F..%2F..%2Fpyproject.toml",
                 "/image/../pyproject.toml"):
        assert request(server, "GET", path, headers={"X-Storyloc-Token": TOKEN})[0] in (400, 404)
    status, headers, body = request(server, "GET", f"/image/{STORY}/city-center", headers=cookie)
    assert status == 200 and body.startswith(b"\x89PNG")


def test_the_page_is_rendered_with_every_value_escaped(project, po):
    hostile = 'tok"><script>x</script>&0123456789'
    srv = make_server(project, "ar", port=0, token=hostile, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = request(srv, "GET", "/")
        assert status == 403 and b"<code>storyloc review</code>" in body
        status, headers, body = request(srv, "GET", "/?token=" + urllib.parse.quote(hostile))
        page = body.decode("utf-8")
        assert status == 200 and "<script>x" not in page
        assert '<meta name="storyloc-token" content="tok&#34;&gt;&lt;script&gt;x&lt;/script&gt;&amp;0123456789">' in page
        assert '<meta name="storyloc-lang" content="ar">' in page and '<meta name="storyloc-dir" content="rtl">' in page
        assert "<title>Review · العربية</title>" in page and "العربية (Arabic)" in page
        assert page.endswith("</html>\n")
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def test_review_session_in_chromium(server, po):
    sync_api = axe.need_browser()
    expect = sync_api.expect
    with sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
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
            dek = entry(po, "Photographs from Bakhmut")
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
            assert entry(po, "Life under fire").msgstr == ["Життя під обстрілами: Бахмут"]
            assert entry(po, "Life under fire").status == "reviewed"
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
            page.screenshot(path=str(screenshot_path("review-conflict.png")))

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
            page.screenshot(path=str(screenshot_path("review-screenshot.png")))
            assert errors == []
        finally:
            browser.close()


def test_cli_review_errors_are_one_line(project_dir):
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


def test_the_recorded_name_comes_from_the_token_never_from_the_request(server, po):
    project = server.review.project
    _, olena = add_reviewer(project, "Olena Kovalenko", "editor")
    _, taras = add_reviewer(project, "Taras", "translator")
    stored = project.reviewers().read_text(encoding="utf-8")
    assert olena not in stored and taras not in stored                     # hashed only
    assert {(r["name"], r["role"]) for r in read_reviewers(project)} == {("Olena_Kovalenko", "editor"),
                                                                         ("Taras", "translator")}

    def post(token, n, action, **extra):
        status, _, body = request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": token})
        seg = json.loads(body)["segments"][n]
        change = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
                  "action": action, "msgstr": seg["msgstr"], "user": "Mallory", **extra}
        status, _, body = request(server, "POST", "/api/change", change, {"X-Storyloc-Token": token})
        return status, json.loads(body)

    status, data = post(taras, 1, "review")
    assert status == 200 and data["reviewer"] == {"name": "Taras", "role": "translator"}
    dek = entry(po, "Photographs from Bakhmut")
    assert provenance.latest(dek, "reviewed").fields["by"] == "Taras"
    assert "Mallory" not in po.read_text(encoding="utf-8")
    status, data = post(taras, 1, "approve")
    assert status == 403 and "only an editor can approve" in data["error"]
    status, data = post(olena, 1, "approve")
    assert status == 200 and data["segments"][1]["state"] == "approved"
    approval = provenance.latest(entry(po, "Photographs from Bakhmut"), "approved")
    assert approval.fields["by"] == "Olena_Kovalenko" and approval.fields["role"] == "editor"
    assert "Mallory" not in po.read_text(encoding="utf-8")
    # an edit anywhere (here: a PO editor) withdraws the approval of the old text
    catalog = read_po(po)
    m = next(m for m in catalog.entries() if "Photographs from Bakhmut" in m.msgid)
    m.msgstr = [m.msgstr[0] + "!"]
    save_po(catalog, po)
    assert Review(project, "uk").page(STORY)["segments"][1]["state"] == "reviewed"
    # a removed reviewer is out at once; a made-up token never was in
    remove_reviewer(project, "Taras")
    assert request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": taras})[0] == 403
    assert request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": "x" * 32})[0] == 403
    assert msgfmt_check(po).returncode == 0


def test_control_characters_are_refused_and_big_saves_get_413(server, po):
    status, _, body = request(server, "GET", f"/api/story?story={STORY}", headers={"X-Storyloc-Token": TOKEN})
    seg = json.loads(body)["segments"][1]
    before = po.read_bytes()
    for bad, name in (("a\x00b", "NUL"), ("a\x07b", "U+0007"), ("a\x85b", "U+0085")):
        change = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
                  "action": "save", "msgstr": bad}
        status, _, body = request(server, "POST", "/api/change", change, {"X-Storyloc-Token": TOKEN})
        assert status == 400 and f"control character ({name}) at character 2" in json.loads(body)["error"]
    override = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
                "action": "save", "msgstr": "ab\u202ecd"}      # what the control-chars check calls an error
    status, _, body = request(server, "POST", "/api/change", override, {"X-Storyloc-Token": TOKEN})
    assert status == 400 and "bidi control U+202E" in json.loads(body)["error"]
    assert po.read_bytes() == before
    huge = {"story": STORY, "ctxt": seg["ctxt"], "msgid": seg["msgid"], "version": seg["version"],
            "action": "save", "msgstr": "x" * (1 << 20)}
    status, _, body = request(server, "POST", "/api/change", huge, {"X-Storyloc-Token": TOKEN})
    assert status == 413 and "at most 1 MiB" in json.loads(body)["error"]
    assert po.read_bytes() == before


def test_the_review_page_is_accessible_and_works_at_390_px(server, po):
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
                    page.screenshot(path=str(screenshot_path("review-390px.png")), full_page=False)
                context.close()
        finally:
            browser.close()

