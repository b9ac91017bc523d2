// The cart hold: a calm countdown that turns urgent (words, icon and colour) only in the last
// two minutes; screen readers hear it once then and once at the end, not every second.
// Also stops a second click on the submit button.
(function () {
  "use strict";
  var timer = document.querySelector(".hold-timer");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10) || 0;
    var urgentFrom = parseInt(timer.getAttribute("data-urgent-seconds"), 10) || 120;
    var out = timer.querySelector(".js-timer");
    var calm = timer.querySelector(".js-calm");
    var urgent = timer.querySelector(".js-urgent");
    var expired = timer.querySelector(".js-expired");
    var announce = timer.querySelector(".js-announce");
    var said = {};
    var say = function (key) {
      if (said[key]) { return; }
      said[key] = true;
      announce.textContent = announce.getAttribute("data-" + key);
    };
    var tick = function () {
      if (left <= 0) {
        out.textContent = "0:00";
        timer.classList.add("is-urgent", "is-expired");
        calm.hidden = true;
        urgent.hidden = true;
        expired.hidden = false;
        say("expired");
        return;
      }
      if (left <= urgentFrom) {
        timer.classList.add("is-urgent");
        calm.hidden = true;
        urgent.hidden = false;
        say("urgent");
      }
      var s = left % 60;
      out.textContent = Math.floor(left / 60) + ":" + (s < 10 ? "0" : "") + s;
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  }
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector(".js-once");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
