/* Cookie banner: "choose" in place, saving without a page reload, re-opening from the footer,
 * and starting scripts of a category only after it is accepted:
 *   <script type="text/plain" data-cookie-category="analytics" data-src="/static/x.js"></script>
 * Without JavaScript the banner is a plain form that posts to the same address. */
(function () {
  "use strict";
  var COOKIE = "eventum_cookie_consent";

  function readChoice() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
    if (!match) { return null; }
    var value = decodeURIComponent(match[1]).replace(/^"|"$/g, "");
    var parts = {};
    value.split("|").slice(1).forEach(function (part) {
      var i = part.indexOf(":");
      if (i > 0) { parts[part.slice(0, i)] = part.slice(i + 1); }
    });
    return { analytics: parts.a === "1", marketing: parts.m === "1" };
  }

  function activate(choice) {
    if (!choice) { return; }
    document.querySelectorAll('script[type="text/plain"][data-cookie-category]').forEach(function (el) {
      if (!choice[el.getAttribute("data-cookie-category")]) { return; }
      var script = document.createElement("script");
      if (el.getAttribute("data-src")) { script.src = el.getAttribute("data-src"); }
      script.async = true;
      el.parentNode.replaceChild(script, el);
    });
  }

  function init() {
    var banner = document.getElementById("cookie-banner");
    // A banner shown by the server means no choice is in force (none yet, or one made under
    // a policy version a material change superseded): the old cookie starts nothing.
    activate(banner && !banner.hidden ? null : readChoice());
    if (!banner) { return; }
    var form = banner.querySelector("form");
    var choose = banner.querySelector("#cookie-choose");

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || !window.fetch || !window.FormData) { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.append(submitter.name, submitter.value);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("cookie choice not saved"); }
        return response.json();
      }).then(function (choice) {
        banner.hidden = true;
        ["analytics", "marketing"].forEach(function (name) {
          var box = form.querySelector('input[name="' + name + '"]');
          if (box) { box.checked = choice[name]; }
        });
        activate(choice);
      }).catch(function () { form.submit(); });
    });

    document.querySelectorAll("[data-cookie-settings]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        banner.hidden = false;
        if (choose) { choose.open = true; }
        var first = banner.querySelector("input[name=analytics]");
        if (first) { first.focus(); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
