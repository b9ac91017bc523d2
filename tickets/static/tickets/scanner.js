/* The door scanner: camera (BarcodeDetector, else jsQR), manual code field, big answer,
   live counters. Every check is one POST to the server, which decides atomically. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var scanUrl = root.dataset.scanUrl;
  var statsUrl = root.dataset.statsUrl;
  var session = root.dataset.session || "";
  var panel = root.querySelector(".scanner-result");
  var headline = panel.querySelector(".result-headline");
  var message = panel.querySelector(".result-message");
  var form = root.querySelector(".js-manual");
  var codeInput = form.querySelector("input[name=code]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var busy = false;
  var lastCode = "";
  var lastAt = 0;

  function show(kind, title, text) {
    panel.className = "scanner-result result-" + kind;
    panel.dataset.result = kind;
    headline.textContent = title;
    message.textContent = text || "";
    if (navigator.vibrate) navigator.vibrate(kind === "valid" ? 80 : [200, 100, 200]);
  }

  function check(code) {
    code = (code || "").trim();
    if (!code || busy) return;
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return; // the camera sees one code many times
    lastCode = code;
    lastAt = now;
    busy = true;
    var body = new URLSearchParams();
    body.set("code", code);
    body.set("session", session);
    fetch(scanUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (reply) {
        var data = reply.data;
        if (reply.status !== 200) {
          show("error", data.message || String(reply.status), "");
          return;
        }
        var text = data.message;
        if (data.ticket) text += " — " + data.ticket.holder + ", " + data.ticket.type;
        show(data.result, data.headline, text);
        refreshCounters();
      })
      .catch(function () {
        show("error", root.dataset.networkError, "");
      })
      .then(function () {
        busy = false;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    lastCode = ""; // a code typed again on purpose is checked again
    check(codeInput.value);
    codeInput.select();
  });

  var select = root.querySelector(".js-session-select");
  if (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  }

  function refreshCounters() {
    fetch(statsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        data.sessions.forEach(function (row) {
          var item = root.querySelector('[data-session-id="' + row.id + '"] .js-count');
          if (item) item.textContent = row.checked_in + " / " + row.sold;
        });
      })
      .catch(function () {});
  }
  window.setInterval(refreshCounters, 5000);

  // Camera scanning.
  var startButton = root.querySelector(".js-camera-start");
  var video = root.querySelector(".js-camera-video");
  var canvas = root.querySelector(".js-camera-canvas");
  var detector = null;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var script = document.createElement("script");
      script.src = root.dataset.jsqrUrl;
      script.onload = function () {
        resolve(window.jsQR);
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function scanFrame(jsQR) {
    if (video.readyState >= 2) {
      if (detector) {
        detector
          .detect(video)
          .then(function (codes) {
            if (codes.length) check(codes[0].rawValue);
          })
          .catch(function () {});
      } else if (jsQR) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (found && found.data) check(found.data);
      }
    }
    window.setTimeout(function () {
      scanFrame(jsQR);
    }, 250);
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show("error", root.dataset.cameraError, "");
      return;
    }
    var ready;
    if ("BarcodeDetector" in window) {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      ready = Promise.resolve(null);
    } else {
      ready = loadJsQR();
    }
    Promise.all([
      ready,
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
    ])
      .then(function (results) {
        video.srcObject = results[1];
        video.hidden = false;
        startButton.hidden = true;
        return video.play().then(function () {
          scanFrame(results[0]);
        });
      })
      .catch(function () {
        show("error", root.dataset.cameraError, "");
      });
  }
  if (startButton) startButton.addEventListener("click", startCamera);
})();
