// Click-to-load embeds. The article body holds, for each embed, a link to
// the page on the third-party site; nothing is requested from that site
// until the reader clicks, when this script puts the player, chart, map or
// post in place of the link. Without this file the link still works.
(function () {
  "use strict";
  document.querySelectorAll("a.embed-load[data-embed-src]").forEach(function (link) {
    var figure = link.closest("figure.embed");
    var body = link.closest("[data-embed-label]");
    var provider = figure ? figure.getAttribute("data-embed-provider") || "" : "";
    var label = body ? body.getAttribute("data-embed-label") : "";
    if (label) {
      var hint = document.createElement("span");
      hint.className = "embed-hint";
      hint.textContent = label.replace("{provider}", provider).replace("{host}", link.getAttribute("data-embed-host") || "");
      link.appendChild(hint);
    }
    link.addEventListener("click", function (ev) {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      var frame = document.createElement("iframe");
      frame.className = "embed-frame";
      frame.src = link.getAttribute("data-embed-src");
      frame.title = provider;
      frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.tabIndex = 0;
      link.replaceWith(frame);
      frame.focus();
    });
  });
})();
