// The order list's typed filters (event, session, ticket type): as the organizer types, a few
// matching values are fetched from the server and offered in the field's <datalist>. Without
// JavaScript the fields still work as plain text filters.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggestions]");
  if (!form) { return; }
  var url = form.getAttribute("data-suggestions");
  var eventInput = form.querySelector("[data-suggest=event]");
  var timers = {};

  function fill(list, results) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (row) {
      var option = document.createElement("option");
      option.value = row.value;
      if (row.label) { option.label = row.label; }
      list.appendChild(option);
    });
  }

  function suggest(input) {
    var kind = input.getAttribute("data-suggest");
    var list = document.getElementById("suggest-" + kind);
    if (!list) { return; }
    var query = new URLSearchParams({ kind: kind, q: input.value });
    if (kind !== "event" && eventInput && eventInput.value) { query.set("event", eventInput.value); }
    fetch(url + "?" + query.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { fill(list, data.results || []); })
      .catch(function () { /* suggestions are a convenience: typing still filters */ });
  }

  form.querySelectorAll("[data-suggest]").forEach(function (input) {
    var kind = input.getAttribute("data-suggest");
    function later() {
      clearTimeout(timers[kind]);
      timers[kind] = setTimeout(function () { suggest(input); }, 200);
    }
    input.addEventListener("input", later);
    input.addEventListener("focus", later);
  });
})();
