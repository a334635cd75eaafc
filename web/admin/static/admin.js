// Folio admin enhancements. Every form works without this file; it adds a
// live preview, a word count and autosave of the article being edited.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var csrf = form.querySelector("input[name=_csrf]").value;
  var body = form.querySelector("textarea[name=body_markdown]");
  var title = form.querySelector("input[name=title]");
  var count = document.getElementById("word-count");
  var preview = document.getElementById("live-preview");
  var status = document.getElementById("autosave-status");
  var key = "folio-draft:" + (form.dataset.id || "new");

  function words() {
    var n = body.value.trim() ? body.value.trim().split(/\s+/).length : 0;
    if (count) count.textContent = n + (n === 1 ? " word" : " words");
  }

  function post(url, data) {
    var fd = new URLSearchParams();
    Object.keys(data).forEach(function (k) { fd.append(k, data[k]); });
    return fetch(url, { method: "POST", credentials: "same-origin", body: fd,
      headers: { "X-CSRF-Token": csrf } });
  }

  var previewTimer = null;
  function refreshPreview() {
    if (!preview) return;
    post("/admin/preview", { body_markdown: body.value }).then(function (r) {
      return r.ok ? r.text() : Promise.reject(r.status);
    }).then(function (html) {
      preview.innerHTML = html; // sanitized by the server's Markdown renderer
    }).catch(function () {});
  }

  // A draft typed before a failed save or a crash is offered back.
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) {}
  if (stored && stored.body && stored.body !== body.value && stored.version === form.dataset.version) {
    var note = document.createElement("p");
    note.className = "flash";
    note.textContent = "This browser kept unsaved text from " + new Date(stored.at).toLocaleString() + ". ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "secondary";
    restore.textContent = "Restore it";
    restore.addEventListener("click", function () {
      body.value = stored.body;
      if (stored.title) title.value = stored.title;
      note.remove(); words(); refreshPreview();
    });
    note.appendChild(restore);
    form.insertBefore(note, form.firstChild);
  }

  var dirty = false;
  body.addEventListener("input", function () {
    dirty = true; words();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 500);
  });
  title.addEventListener("input", function () { dirty = true; });

  setInterval(function () {
    if (!dirty) return;
    dirty = false;
    var at = Date.now();
    try {
      localStorage.setItem(key, JSON.stringify({ title: title.value, body: body.value, at: at, version: form.dataset.version }));
    } catch (e) {}
    if (!form.dataset.id) { if (status) status.textContent = "Kept in this browser"; return; }
    post("/admin/articles/" + form.dataset.id + "/autosave",
      { title: title.value, body_markdown: body.value, version: form.dataset.version })
      .then(function (r) {
        if (status) status.textContent = r.ok ? "Autosaved " + new Date(at).toLocaleTimeString() : "Autosave failed; kept in this browser";
      }).catch(function () { if (status) status.textContent = "Offline; kept in this browser"; });
  }, 10000);

  form.addEventListener("submit", function () {
    try {
      localStorage.setItem(key, JSON.stringify({ title: title.value, body: body.value, at: Date.now(), version: form.dataset.version }));
    } catch (e) {}
  });
  if (form.dataset.saved === "true") { try { localStorage.removeItem(key); } catch (e) {} }
  words();
  refreshPreview();
})();
