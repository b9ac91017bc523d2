// The queue page without reloading: asks the cheap status endpoint at the page's interval and
// updates the place and the estimate; goes on when admitted, reloads when the state changes.
// Without JavaScript the page refreshes itself (<noscript> meta refresh) and works the same.
(function () {
  "use strict";
  var page = document.querySelector("[data-status-url]");
  if (!page || !window.fetch) { return; }
  var url = page.getAttribute("data-status-url");
  var seconds = parseInt(page.getAttribute("data-poll-seconds"), 10) || 10;
  var shown = page.getAttribute("data-state");
  var position = page.querySelector("[data-queue-position]");
  var estimate = page.querySelector("[data-queue-estimate]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        seconds = status.poll_seconds || seconds;
        if (status.next && (status.state === "admitted" || status.state === "open")) {
          window.location.assign(status.next);
          return;
        }
        if (status.state !== shown) { window.location.reload(); return; }
        if (position) { position.textContent = status.position; }
        if (estimate && status.estimate_text) { estimate.textContent = status.estimate_text; }
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () { window.setTimeout(poll, seconds * 1000); });
  }
  window.setTimeout(poll, seconds * 1000);
}());
