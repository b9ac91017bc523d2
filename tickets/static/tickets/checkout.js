// Count down the cart hold and stop a second click on the submit button.
(function () {
  "use strict";
  var timer = document.querySelector(".hold-timer");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10) || 0;
    var out = timer.querySelector(".js-timer");
    var expired = timer.querySelector(".js-expired");
    var tick = function () {
      if (left <= 0) {
        out.textContent = "0:00";
        expired.hidden = false;
        return;
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
