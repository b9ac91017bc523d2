// Session chips of the event page: without JavaScript each chip is a link (?session=<id>) that
// reloads the page; with it, the chosen session's tickets are swapped in place.
(function () {
  "use strict";
  var nav = document.querySelector(".session-chips");
  var panel = document.getElementById("session-panel");
  if (!nav || !panel || !window.fetch || !window.DOMParser) { return; }

  function mark(id) {
    nav.querySelectorAll("a[data-session]").forEach(function (chip) {
      if (chip.getAttribute("data-session") === id) {
        chip.setAttribute("aria-current", "true");
      } else {
        chip.removeAttribute("aria-current");
      }
    });
  }

  function show(url, id, push) {
    panel.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("session-panel");
        if (!fresh) { throw new Error("no panel"); }
        panel.innerHTML = fresh.innerHTML;
        panel.removeAttribute("aria-busy");
        mark(id);
        if (push) { window.history.pushState({ session: id }, "", url); }
        panel.dispatchEvent(new CustomEvent("eventum:content", { bubbles: true }));
      })
      .catch(function () { window.location.href = url; });
  }

  nav.addEventListener("click", function (e) {
    var chip = e.target.closest("a[data-session]");
    if (!chip || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) { return; }
    e.preventDefault();
    if (chip.getAttribute("aria-current") === "true") { return; }
    show(chip.href, chip.getAttribute("data-session"), true);
  });

  window.addEventListener("popstate", function () {
    var id = new URLSearchParams(window.location.search).get("session");
    var chip = id && nav.querySelector('a[data-session="' + id + '"]');
    if (chip) { show(chip.href, id, false); }
  });
})();
