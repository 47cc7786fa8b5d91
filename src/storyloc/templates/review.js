// storyloc review page. Every piece of text from a catalog goes into the page
// with textContent (never innerHTML), so a translation holding <script> shows
// as the characters it is.
"use strict";
(function () {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const TOKEN = meta("storyloc-token");
  const LANG = meta("storyloc-lang");
  const DIR = meta("storyloc-dir");
  const KINDS = { title: "Title", dek: "Standfirst", byline: "Byline", paragraph: "Paragraph",
                  caption: "Caption", credit: "Photo credit" };
  const STATUS = { approved: "approved", reviewed: "reviewed", draft: "draft", missing: "empty" };

  const state = {
    data: null,
    story: meta("storyloc-story"),
    filter: "all",
    current: null,            // key of the segment being worked on
    pending: new Map(),       // key -> text typed and not saved yet
    busy: false,
  };

  // The token came in the URL; the server set a cookie, so drop it from the address bar and history.
  if (location.search.includes("token=")) {
    history.replaceState(null, "", location.pathname);
  }

  const $ = (id) => document.getElementById(id);
  const keyOf = (s) => JSON.stringify([s.ctxt, s.msgid]);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // -- talking to the server ----------------------------------------------------
  async function api(path, body) {
    const options = { headers: { "X-Storyloc-Token": TOKEN }, credentials: "same-origin" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try { data = await response.json(); } catch (e) { data = { error: `HTTP ${response.status}` }; }
    return { ok: response.ok, status: response.status, data };
  }

  async function load() {
    const { ok, data } = await api(`/api/story?story=${encodeURIComponent(state.story)}`);
    if (!ok) { notice(data.error || "could not load the story", false); return; }
    state.data = data;
    render();
  }

  async function change(segment, action, extra) {
    if (state.busy) return;
    const key = keyOf(segment);
    const box = document.querySelector(`[data-key="${CSS.escape(key)}"] textarea`);
    const body = { story: state.story, ctxt: segment.ctxt, msgid: segment.msgid, version: segment.version,
                   action, ...(extra || {}) };
    if (action !== "ignore" && box) body.msgstr = box.value;
    state.busy = true;
    try {
      const { ok, status, data } = await api("/api/change", body);
      if (!ok) {
        notice(data.error || `save failed (HTTP ${status})`, status === 409, data);
        return false;
      }
      state.pending.delete(key);
      state.data = data;
      hideNotice();
      render();
      flash(key, { approve: "Approved", review: "Reviewed", ignore: "Check ignored", unapprove: "Needs work" }[action] || "Saved");
      return true;
    } finally {
      state.busy = false;
    }
  }

  // -- notices --------------------------------------------------------------------
  function notice(text, conflict, data) {
    $("notice-text").textContent = conflict
      ? text + " Your unsaved text stays in its box, marked “unsaved”: reload, look at the new version, then save again."
      : text;
    const both = !!(conflict && data && typeof data.theirs === "string");
    $("notice-texts").hidden = !both;
    if (both) {
      $("notice-theirs").textContent = data.theirs;
      $("notice-yours").textContent = typeof data.yours === "string" ? data.yours : "";
    }
    $("reload").hidden = !conflict;
    $("notice").hidden = false;
    $("notice").classList.toggle("conflict", !!conflict);
  }
  function hideNotice() { $("notice").hidden = true; }

  function flash(key, text) {
    const card = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!card) return;
    const tag = card.querySelector(".flash");
    tag.textContent = text;
    tag.classList.add("on");
    setTimeout(() => tag.classList.remove("on"), 1500);
  }

  // -- rendering --------------------------------------------------------------------
  // Markdown marks and link references highlighted, the rest plain text.
  function marked(text) {
    const out = [];
    const re = /(\[[^\]\n]+\]\[\d+\]|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|https?:\/\/\S+|(?<![\w*#@])[*#@]\w+)/g;
    let last = 0;
    for (const m of text.matchAll(re)) {
      if (m.index > last) out.push(text.slice(last, m.index));
      const cls = /^[*#@]\w/.test(m[0]) && !/\*$/.test(m[0]) ? "tok mark" : "tok";
      out.push(el("span", { class: cls, text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  function hasErrors(s) {
    return s.checks.some((c) => c.check_severity === "error" && !c.ignored);
  }

  function visible(s) {
    if (state.filter === "draft") return s.status === "draft";
    if (state.filter === "missing") return s.status === "missing";
    if (state.filter === "errors") return hasErrors(s);
    return true;
  }

  function provenanceLine(r) {
    const f = r.fields || {};
    if (r.kind === "note") return el("li", { class: "prov note" }, "note: ", r.text);
    if (r.kind === "draft") {
      const how = [f.engine, f.pair, f.provider, f.score ? `match ${f.score}` : null].filter(Boolean).join(" · ");
      return el("li", { class: "prov draft" }, "machine draft", how ? ` · ${how}` : "", f.date ? ` · ${f.date}` : "");
    }
    if (r.kind === "approved" || r.kind === "reviewed") {
      return el("li", { class: `prov ${r.kind}` }, r.kind, f.by ? ` by ${f.by.replace(/_/g, " ")}` : "",
                f.role ? ` (${f.role})` : "", f.date ? ` · ${f.date}` : "");
    }
    if (r.kind === "edited") {
      return el("li", { class: "prov edited" }, "edited", f.by ? ` by ${f.by.replace(/_/g, " ")}` : "",
                f.date ? ` · ${f.date}` : "");
    }
    if (r.kind === "ignore") return null;
    const rest = Object.entries(f).map(([k, v]) => `${k}=${v}`).join(" ");
    return el("li", { class: "prov" }, r.kind, rest ? ` ${rest}` : "");
  }

  function photo(s) {
    if (!s.figures.length) return null;
    const first = s.figures[0];
    const picture = first.url
      ? el("img", { src: first.url, alt: `Photo ${first.id}`, loading: "lazy" })
      : el("div", { class: "placeholder", role: "img", "aria-label": "Image not available" },
           el("span", { text: "Image not available" }), el("code", { text: first.image }));
    const label = s.figures.length > 1 ? `on ${s.figures.length} photos` : first.id;
    return el("figure", { class: "photo" }, picture, el("figcaption", { text: label }));
  }

  function segmentCard(s) {
    const key = keyOf(s);
    const pending = state.pending.has(key);
    const text = pending ? state.pending.get(key) : s.msgstr;
    const errors = s.checks.filter((c) => !c.ignored && c.severity === "error").length;

    const box = el("textarea", {
      lang: LANG, dir: DIR, rows: Math.max(2, text.split("\n").length, s.msgid.split("\n").length),
      "aria-label": `${state.data.lang_name_en} translation of ${KINDS[s.kind] || s.kind} ${s.n}`,
      spellcheck: "true", disabled: s.plural,
    });
    box.value = text;
    box.addEventListener("input", () => {
      fit(box);
      if (box.value === s.msgstr) state.pending.delete(key); else state.pending.set(key, box.value);
      card.classList.toggle("dirty", state.pending.has(key));
    });
    box.addEventListener("focus", () => setCurrent(key, false));

    const source = el("div", { class: "source", lang: state.data.source_language, dir: "ltr" }, marked(s.msgid));
    const previous = s.previous ? el("div", { class: "previous" },
      el("span", { class: "label", text: "English changed" }),
      el("p", { class: "diff", lang: state.data.source_language },
         s.previous.map(([op, part]) => op === "=" ? part : el(op === "-" ? "del" : "ins", { text: part })))) : null;
    const notes = s.notes.length ? el("ul", { class: "notes" }, s.notes.map((n) => el("li", { text: n }))) : null;
    const comments = s.comments.length
      ? el("ul", { class: "comments" }, s.comments.map((n) => el("li", { text: n }))) : null;
    const glossary = s.glossary.length ? el("div", { class: "glossary" },
      el("span", { class: "label", text: "Glossary" }),
      el("ul", {}, s.glossary.map((g) => el("li", {},
        el("span", { class: "term", lang: state.data.source_language, text: g.source }), " → ",
        el("span", { class: "term target", lang: LANG, dir: DIR, text: g.keep ? `${g.target} (keep as is)` : g.target }),
        g.note ? el("span", { class: "gnote", text: ` — ${g.note}` }) : null)))) : null;

    const checks = s.checks.length ? el("ul", { class: "checks" }, s.checks.map((c) => el("li", {
        class: `check ${c.ignored ? "ignored" : c.severity}`, title: c.title },
      el("span", { class: "sev", text: c.ignored ? "ignored" : c.severity }),
      el("span", { class: "cid", text: c.id }),
      el("span", { class: "msg" }, c.message,
        c.check_severity === "error" && c.severity !== "error" && !c.ignored
          ? el("small", { class: "later", text: "an error once approved" }) : null),
      c.ignored ? null : el("button", { type: "button", class: "link", title: "Silence this check on this segment",
        onclick: () => change(s, "ignore", { check: c.id }) }, "Ignore")))) : null;

    const prov = s.provenance.map(provenanceLine).filter(Boolean);
    const editor = state.data.reviewer.role === "editor";
    const done = s.state === "reviewed" || s.state === "approved";
    const buttons = el("div", { class: "actions" },
      el("button", { type: "button", class: "save", onclick: () => change(s, "save"), disabled: s.plural }, "Save"),
      el("button", { type: "button", class: done ? "review" : "review primary",
                     onclick: () => change(s, "review"), disabled: s.plural },
         done ? "Reviewed again" : "Mark reviewed"),
      editor ? el("button", { type: "button", class: s.state === "approved" ? "approve" : "approve primary",
                              onclick: () => change(s, "approve"), disabled: s.plural },
                  s.state === "approved" ? "Approve again" : "Approve") : null,
      done ? el("button", { type: "button", class: "unapprove", onclick: () => change(s, "unapprove") },
                "Needs work") : null,
      el("span", { class: "flash", "aria-live": "polite" }));

    const card = el("article", {
        class: `seg status-${s.status}${pending ? " dirty" : ""}${errors ? " has-errors" : ""}`,
        "data-key": key, "data-status": s.status, "data-state": s.state, "data-n": s.n, tabindex: "-1",
        "aria-label": `${KINDS[s.kind] || s.kind} ${s.n}` },
      el("header", {},
        el("span", { class: "num", text: `#${s.n}` }),
        el("span", { class: "kind", text: KINDS[s.kind] || s.kind }),
        el("span", { class: "where", text: `${state.data.catalog}:${s.line}` }),
        el("span", { class: `badge ${s.state}`, text: STATUS[s.state] }),
        el("span", { class: "badge unsaved", text: "unsaved" })),
      el("div", { class: `body${s.figures.length ? " with-photo" : ""}` },
        photo(s),
        el("div", { class: "col src" }, el("span", { class: "label", text: "English" }), source, previous, notes, glossary),
        el("div", { class: "col tgt" }, el("span", { class: "label", text: state.data.lang_name }), box,
          prov.length ? el("ul", { class: "provenance" }, prov) : null, comments, checks, buttons)));
    return card;
  }

  function render() {
    const d = state.data;
    const select = $("story");
    select.replaceChildren(...d.stories.map((slug) => el("option", { value: slug, selected: slug === d.story }, slug)));
    $("lang").replaceChildren(el("span", { lang: LANG, text: d.lang_name }), el("code", { text: d.lang }));
    const c = d.counts;
    $("progress").replaceChildren(
      el("span", { class: "count reviewed", text: `${c.reviewed} reviewed` }),
      el("span", { class: "count approved", text: `${d.approved} approved` }),
      el("span", { class: "count draft", text: `${c.draft} draft` }),
      el("span", { class: "count missing", text: `${c.missing} empty` }),
      el("span", { class: `count errors${d.errors ? " bad" : ""}`, text: `${d.errors} error${d.errors === 1 ? "" : "s"}` }),
      el("span", { class: `state ${d.state}`, text: d.state,
                   title: (d.reasons || []).map((r) => `${r.gate}: ${r.message}`).join("\n") || null }));
    $("who").textContent = `${d.reviewer.name.replace(/_/g, " ")} · ${d.reviewer.role}`;
    document.title = `Review · ${d.lang_name} · ${d.story}`;

    const list = d.segments.filter(visible).map(segmentCard);
    const main = $("segments");
    main.replaceChildren(...(list.length ? list : [el("p", { class: "empty", text: "Nothing to show with this filter." })]));
    const current = state.current && document.querySelector(`[data-key="${CSS.escape(state.current)}"]`);
    if (current) current.classList.add("current");
    for (const box of main.querySelectorAll("textarea")) fit(box);
  }

  // A text box as tall as its text: no paragraph cut off mid-line.
  function fit(box) {
    box.style.height = "auto";
    box.style.height = `${box.scrollHeight + 2}px`;
  }
  window.addEventListener("resize", () => { for (const box of document.querySelectorAll("textarea")) fit(box); });

  // -- navigation ---------------------------------------------------------------------
  function cards() { return Array.from(document.querySelectorAll("article.seg")); }

  function setCurrent(key, focus) {
    state.current = key;
    for (const card of cards()) card.classList.toggle("current", card.dataset.key === key);
    const card = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (card && focus) {
      const box = card.querySelector("textarea");
      (box && !box.disabled ? box : card).focus({ preventScroll: true });
      card.scrollIntoView({ block: "center", behavior: "instant" });
    }
  }

  function move(step) {
    const all = cards();
    if (!all.length) return;
    let i = all.findIndex((card) => card.dataset.key === state.current);
    i = i < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, i + step));
    setCurrent(all[i].dataset.key, true);
  }

  function signOff() { return state.data && state.data.reviewer.role === "editor" ? "approve" : "review"; }

  function currentSegment() {
    return state.data && state.data.segments.find((s) => keyOf(s) === state.current);
  }

  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement
      || event.target instanceof HTMLSelectElement;
    const seg = currentSegment();
    if ((event.altKey || event.ctrlKey) && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      if (seg) change(seg, signOff()).then((ok) => { if (ok) move(1); });
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (seg) change(seg, "save");
    } else if (event.key === "Escape" && typing) {
      event.target.blur();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (event.key === "j") { event.preventDefault(); move(1); }
      else if (event.key === "k") { event.preventDefault(); move(-1); }
      else if (event.key === "a" && seg) { event.preventDefault(); change(seg, signOff()).then((ok) => { if (ok) move(1); }); }
      else if ((event.key === "e" || event.key === "Enter") && seg) { event.preventDefault(); setCurrent(state.current, true); }
    }
  });

  // -- controls ------------------------------------------------------------------------
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.addEventListener("click", () => {
      state.filter = button.dataset.filter;
      for (const b of document.querySelectorAll("[data-filter]")) b.setAttribute("aria-pressed", String(b === button));
      render();
    });
  }
  $("story").addEventListener("change", () => {
    if (state.pending.size && !confirm("You have unsaved text. Switch story and lose it?")) {
      $("story").value = state.story;
      return;
    }
    state.pending.clear();
    state.story = $("story").value;
    state.current = null;
    load();
  });
  $("reload").addEventListener("click", () => { hideNotice(); load(); });
  $("dismiss").addEventListener("click", hideNotice);
  window.addEventListener("beforeunload", (event) => {
    if (state.pending.size) { event.preventDefault(); event.returnValue = ""; }
  });

  load();
})();
