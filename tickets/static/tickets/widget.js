// Inside the widget's iframe: tell the host page (and only its registered origin) about the
// order. The origin comes from the signed widget token, rendered by the server.
(function () {
  "use strict";
  var origin = document.body.getAttribute("data-widget-origin");
  if (!origin || window.parent === window) { return; }
  var post = function (message) {
    message.source = "eventum";
    window.parent.postMessage(message, origin);
  };
  var done = document.querySelector("[data-order-completed]");
  if (done) {
    post({ type: "order_completed", order: done.getAttribute("data-order-completed") });
  }
  // Keys pressed inside the frame never reach the host page: pass on Escape to close.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { post({ type: "close" }); }
  });
})();
