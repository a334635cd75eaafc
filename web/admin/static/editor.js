// Folio body editor. The body is a plain Markdown textarea and stays one
// without this file; with it, a toolbar above the textarea writes the
// Markdown for headings, emphasis, links, quotes, lists, footnotes, tables
// and the documented blocks (docs/writing.md), a dialog inserts figures,
// players and document cards from the media library, and text pasted from
// Google Docs, Word or a web page is converted to Markdown by the server
// (POST /admin/paste). Every change goes through the textarea, so undo,
// the live preview and autosave (admin.js) see it.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var body = form && form.querySelector("textarea[name=body_markdown]");
  if (!body) return;
  var csrf = form.querySelector("input[name=_csrf]").value;

  var status = document.createElement("p");
  status.id = "editor-status";
  status.className = "hint editor-status";
  status.setAttribute("role", "status");
  body.insertAdjacentElement("afterend", status);
  function say(text, bad) {
    status.textContent = text || "";
    status.classList.toggle("bad", !!bad);
  }

  // insert replaces the selection with text through the browser's editing
  // command, which keeps it on the undo stack; setRangeText is the fallback.
  function insert(text, selectFrom, selectTo) {
    var start = body.selectionStart;
    body.focus();
    var ok = false;
    try { ok = document.execCommand("insertText", false, text); } catch (e) { ok = false; }
    if (!ok) {
      body.setRangeText(text, body.selectionStart, body.selectionEnd, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) body.setSelectionRange(start + selectFrom, start + selectTo);
  }
  function selected() { return body.value.slice(body.selectionStart, body.selectionEnd); }

  // wrap puts before and after around the selection (or a placeholder,
  // left selected so typing replaces it).
  function wrap(before, after, placeholder) {
    var sel = selected() || placeholder;
    insert(before + sel + after, before.length, before.length + sel.length);
  }

  // lineStart moves the selection's start to the start of its line.
  function expandToLines() {
    var v = body.value, s = body.selectionStart, e = body.selectionEnd;
    s = v.lastIndexOf("\n", s - 1) + 1;
    var n = v.indexOf("\n", e);
    if (e > s && v[e - 1] === "\n") e--; else if (n >= 0) e = n; else e = v.length;
    body.setSelectionRange(s, e);
  }

  // prefixLines puts a mark before every selected line ("> ", "- ", "1. ").
  function prefixLines(mark, placeholder) {
    expandToLines();
    var text = selected() || placeholder;
    var i = 0;
    var out = text.split("\n").map(function (l) {
      i++;
      return (typeof mark === "function" ? mark(i) : mark) + l.replace(/^(#{1,6} |> |[-*] |\d+\. )/, "");
    }).join("\n");
    insert(out);
  }

  // block inserts text as blocks of its own: blank lines before and after.
  function block(text, selectFrom, selectTo) {
    var v = body.value, s = body.selectionStart;
    var before = s === 0 || v.slice(0, s).endsWith("\n\n") ? "" : (v.slice(0, s).endsWith("\n") ? "\n" : "\n\n");
    var rest = v.slice(body.selectionEnd);
    var after = rest === "" || rest.startsWith("\n\n") ? "" : (rest.startsWith("\n") ? "\n" : "\n\n");
    if (text.endsWith("\n")) text = text.slice(0, -1);
    insert(before + text + after, selectFrom === undefined ? undefined : before.length + selectFrom,
      selectTo === undefined ? undefined : before.length + selectTo);
  }

  function nextFootnote() {
    var n = 1;
    while (body.value.indexOf("[^" + n + "]") >= 0) n++;
    return n;
  }

  var actions = {
    h2: function () { prefixLines("## ", "Heading"); },
    h3: function () { prefixLines("### ", "Subheading"); },
    bold: function () { wrap("**", "**", "bold text"); },
    italic: function () { wrap("*", "*", "italic text"); },
    link: function () {
      var url = window.prompt("Link address (https://…)", "https://");
      if (!url || url === "https://") return;
      var text = selected() || "link text";
      insert("[" + text + "](" + url + ")", 1, 1 + text.length);
    },
    quote: function () { prefixLines("> ", "Quoted text"); },
    ul: function () { prefixLines("- ", "List item"); },
    ol: function () { prefixLines(function (i) { return i + ". "; }, "List item"); },
    footnote: function () {
      var n = nextFootnote();
      var at = body.selectionEnd;
      body.setSelectionRange(at, at);
      insert("[^" + n + "]");
      var end = body.value.length;
      body.setSelectionRange(end, end);
      var note = (body.value.endsWith("\n\n") ? "" : body.value.endsWith("\n") ? "\n" : "\n\n") + "[^" + n + "]: The note.";
      insert(note, note.length - 9, note.length);
    },
    table: function () {
      block("| Column | Column |\n|--------|--------|\n| Cell   | Cell   |\n", 2, 8);
    },
    pullquote: function () {
      var t = selected() || "The words to pull out.";
      block("::: pullquote\n" + t + "\n— Who said it\n:::\n", 14, 14 + t.length);
    },
    callout: function () {
      var t = selected() || "What the reader should know.";
      block("::: callout Title\n" + t + "\n:::\n", 12, 17);
    },
    media: openPicker
  };

  var buttons = [
    ["h2", "H2", "Heading"], ["h3", "H3", "Subheading"], ["bold", "B", "Bold (Ctrl+B)"], ["italic", "I", "Italic (Ctrl+I)"],
    ["link", "Link", "Link (Ctrl+K)"], ["quote", "Quote", "Quote"], ["ul", "• List", "Bulleted list"], ["ol", "1. List", "Numbered list"],
    ["footnote", "Note", "Footnote"], ["table", "Table", "Table"], ["pullquote", "Pull quote", "Pull quote"],
    ["callout", "Callout", "Callout box"], ["media", "Insert from library", "Image, audio or PDF from the media library"]
  ];
  var bar = document.createElement("div");
  bar.className = "toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Formatting");
  bar.setAttribute("aria-controls", body.id);
  buttons.forEach(function (b, i) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = "secondary tool tool-" + b[0];
    el.textContent = b[1];
    el.title = b[2];
    // The accessible name starts with the visible text (WCAG 2.5.3).
    el.setAttribute("aria-label", b[2].indexOf(b[1]) === 0 ? b[2] : b[1] + ": " + b[2]);
    var keys = { bold: "Control+B", italic: "Control+I", link: "Control+K" }[b[0]];
    if (keys) el.setAttribute("aria-keyshortcuts", keys);
    el.dataset.action = b[0];
    el.tabIndex = i === 0 ? 0 : -1;
    bar.appendChild(el);
  });
  body.insertAdjacentElement("beforebegin", bar);
  bar.addEventListener("click", function (ev) {
    var el = ev.target.closest("button[data-action]");
    if (!el) return;
    actions[el.dataset.action]();
  });
  // One tab stop for the toolbar; arrows move within it (ARIA toolbar).
  bar.addEventListener("keydown", function (ev) {
    var items = Array.prototype.slice.call(bar.querySelectorAll("button"));
    var i = items.indexOf(document.activeElement);
    if (i < 0) return;
    var j = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: items.length - 1 }[ev.key];
    if (j === undefined) return;
    ev.preventDefault();
    j = (j + items.length) % items.length;
    items[i].tabIndex = -1;
    items[j].tabIndex = 0;
    items[j].focus();
  });
  body.addEventListener("keydown", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return;
    var a = { b: "bold", i: "italic", k: "link" }[ev.key.toLowerCase()];
    if (!a) return;
    ev.preventDefault();
    actions[a]();
  });

  // Paste: rich text goes to the server for conversion; plain text and
  // anything the server refuses are pasted as the browser would.
  body.addEventListener("paste", function (ev) {
    var dt = ev.clipboardData;
    if (!dt) return;
    var html = dt.getData("text/html");
    var plain = dt.getData("text/plain");
    if (!html || !/<(p|h[1-6]|li|b|strong|i|em|a|table|span|br)\b/i.test(html)) return;
    ev.preventDefault();
    say("Converting the pasted text…");
    fetch("/admin/paste", { method: "POST", credentials: "same-origin", body: html,
      headers: { "X-CSRF-Token": csrf, "Content-Type": "text/html; charset=utf-8" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        if (!res.ok) { insert(plain); say(res.j.error || "The pasted text could not be converted; it was pasted as plain text.", true); return; }
        // Paragraphs, lists and tables stand apart from the text around.
        if (/\n\n|^(#|[-*] |\d+\. |> |\|)/.test(res.j.markdown)) block(res.j.markdown); else insert(res.j.markdown);
        say(res.j.notes && res.j.notes.length ? "Pasted as Markdown. " + res.j.notes.join(" ") : "Pasted as Markdown.");
      })
      .catch(function () { insert(plain); say("The pasted text could not be converted (offline?); it was pasted as plain text.", true); });
  });

  // A link in the live preview (an embed's card, a link in the text) opens
  // in a new tab: following it here would leave the text being written.
  var preview = document.getElementById("live-preview");
  if (preview) preview.addEventListener("click", function (ev) {
    var a = ev.target.closest("a[href]");
    if (!a || a.getAttribute("href").charAt(0) === "#") return;
    ev.preventDefault();
    window.open(a.href, "_blank", "noopener");
  });

  // The media dialog.
  var dialog = null;
  function openPicker() {
    if (!dialog) dialog = buildDialog();
    dialog.querySelector(".picker-list").textContent = "Loading the library…";
    dialog.showModal();
    fetch("/admin/media/picker", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(fillPicker)
      .catch(function () { dialog.querySelector(".picker-list").textContent = "The library could not be loaded."; });
  }
  function buildDialog() {
    var d = document.createElement("dialog");
    d.className = "picker";
    d.setAttribute("aria-labelledby", "picker-title");
    var h = document.createElement("h2");
    h.id = "picker-title";
    h.textContent = "Insert from the media library";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.placeholder = "Filter by name or alt text";
    filter.setAttribute("aria-label", "Filter the library");
    filter.className = "picker-filter";
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase();
      d.querySelectorAll(".picker-item").forEach(function (it) {
        it.hidden = q !== "" && it.dataset.search.indexOf(q) < 0;
      });
    });
    var list = document.createElement("ul");
    list.className = "picker-list";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "secondary";
    close.textContent = "Close";
    close.addEventListener("click", function () { d.close(); });
    var upload = document.createElement("a");
    upload.href = "/admin/media";
    upload.target = "_blank";
    upload.textContent = "Upload to the library (opens a new tab)";
    var foot = document.createElement("div");
    foot.className = "actions";
    foot.append(close, upload);
    d.append(h, filter, list, foot);
    d.addEventListener("close", function () { body.focus(); });
    document.body.appendChild(d);
    return d;
  }
  function fillPicker(items) {
    var list = dialog.querySelector(".picker-list");
    list.textContent = "";
    if (!items.length) { list.textContent = "The library is empty: upload an image, audio file or PDF first."; return; }
    items.forEach(function (it) {
      var li = document.createElement("li");
      li.className = "picker-item";
      li.dataset.search = (it.filename + " " + it.alt + " " + it.caption).toLowerCase();
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.dataset.mediaId = it.id;
      if (it.thumb) {
        var img = document.createElement("img");
        img.src = it.thumb;
        img.alt = "";
        img.loading = "lazy";
        b.appendChild(img);
      }
      var label = document.createElement("span");
      label.textContent = (it.kind === "image" ? "" : it.kind === "audio" ? "Audio: " : "PDF: ") + (it.alt || it.filename);
      b.appendChild(label);
      b.addEventListener("click", function () {
        dialog.close();
        block(it.markdown);
        say("Inserted " + (it.alt || it.filename) + ". Edit the caption and credit lines of the block as you like.");
      });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
})();
