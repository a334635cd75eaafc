// Loads the comment form in place. The article page is cached and the same
// for every reader; the form (signed in or not, with its CSRF token) comes
// from an uncached fragment. Without JavaScript the link opens the form page.
(function () {
  var box = document.querySelector(".comments__form[data-fragment]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-fragment") + "&fragment=1";
  fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
    .then(function (html) { box.innerHTML = html; })
    .catch(function () { /* keep the link */ });
})();
