// Loads the contact form in place. The contact page is cached and the same
// for every reader; the form, with its CSRF token, comes from an uncached
// fragment. Without JavaScript the link opens the form's own page.
(function () {
  var box = document.querySelector(".contact__form[data-fragment]");
  if (!box || !window.fetch) return;
  fetch(box.getAttribute("data-fragment"), { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
    .then(function (html) { box.innerHTML = html; })
    .catch(function () { /* keep the link */ });
})();
