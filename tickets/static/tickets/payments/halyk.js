// Hands the invoice's parameters (and its one-invoice token) to Halyk's payment-api.js,
// which takes the buyer to Halyk's payment form.
(function () {
  "use strict";
  var source = document.getElementById("halyk-payment");
  var button = document.getElementById("halyk-pay");
  if (!source || !button) { return; }
  var params = JSON.parse(source.textContent);
  function pay() {
    if (!window.halyk || typeof window.halyk.pay !== "function") { return; }
    delete params.script;
    window.halyk.pay(params);
  }
  button.addEventListener("click", pay);
  pay();
})();
