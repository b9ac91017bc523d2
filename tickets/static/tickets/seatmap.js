// The hall map of seated sessions: choose seats by tapping them, zoom and pan (buttons,
// wheel, drag, pinch), "best available", and availability polled every few seconds.
(function () {
  "use strict";
  var POLL_MS = 5000;
  var DRAG_PX = 6;

  function Seatmap(root) {
    this.root = root;
    this.svg = root.querySelector("svg.seatmap-svg");
    this.status = root.querySelector(".seatmap-status");
    this.chosen = root.querySelector(".js-chosen");
    this.none = root.querySelector(".js-none");
    this.checkout = root.querySelector(".js-checkout");
    this.hold = root.querySelector(".js-hold");
    this.holdLeft = root.querySelector(".js-hold-left");
    this.holdUrgent = root.querySelector(".js-hold-urgent");
    this.announced = false;
    this.secondsLeft = 0;
    this.best = root.querySelector(".seatmap-best");
    this.token = root.querySelector("input[name=csrfmiddlewaretoken]");
    this.seats = {};
    var self = this;
    root.querySelectorAll("circle[data-seat]").forEach(function (c) {
      self.seats[c.getAttribute("data-seat")] = c;
    });
    this.home = this.svg.getAttribute("data-viewbox").split(" ").map(Number);
    this.view = this.home.slice();
    this.busy = false;
    this.bindZoom();
    this.bindSeats();
    this.bindBest();
    this.refresh();
    window.setInterval(function () { self.tick(); }, 1000);
    window.setInterval(function () {
      if (!document.hidden && document.body.contains(self.root)) { self.refresh(); }
    }, POLL_MS);
  }

  Seatmap.prototype.say = function (text) { this.status.textContent = text || ""; };

  Seatmap.prototype.apply = function (data) {
    var state = {};
    ["taken", "held", "blocked", "mine"].forEach(function (kind) {
      (data[kind] || []).forEach(function (id) { state[id] = kind; });
    });
    var chosen = [];
    for (var id in this.seats) {
      var c = this.seats[id];
      var kind = state[id];
      ["taken", "held", "blocked", "mine"].forEach(function (k) {
        c.classList.toggle("seat--" + k, kind === k);
      });
      c.setAttribute("aria-pressed", kind === "mine" ? "true" : "false");
      c.setAttribute("aria-disabled", kind && kind !== "mine" ? "true" : "false");
      if (kind === "mine") {
        var about = c.getAttribute("data-about");
        chosen.push(c.getAttribute("data-label") + (about ? " — " + about : ""));
      }
    }
    this.chosen.textContent = "";
    var list = this.chosen;
    chosen.forEach(function (label) {
      var li = document.createElement("li");
      li.textContent = label;
      list.appendChild(li);
    });
    this.none.hidden = chosen.length > 0;
    this.checkout.hidden = chosen.length === 0;
    this.secondsLeft = chosen.length && data.seconds_left ? data.seconds_left : 0;
    this.tick();
    if (data.error) { this.say(data.error); }
  };

  // The hold countdown, calm until its last two minutes (then words, an icon and a colour,
  // said once to screen readers); at zero the seats went back on sale, so the map is read again.
  Seatmap.prototype.tick = function () {
    if (this.secondsLeft <= 0) {
      if (!this.hold.hidden) { this.hold.hidden = true; this.refresh(); }
      return;
    }
    var urgent = this.secondsLeft <= 120;
    this.hold.classList.toggle("is-urgent", urgent);
    this.holdUrgent.hidden = !urgent;
    if (urgent && !this.announced) { this.say(this.root.getAttribute("data-urgent")); }
    this.announced = urgent;
    var s = this.secondsLeft % 60;
    this.holdLeft.textContent = Math.floor(this.secondsLeft / 60) + ":" + (s < 10 ? "0" : "") + s;
    this.hold.hidden = false;
    this.secondsLeft -= 1;
  };

  Seatmap.prototype.refresh = function () {
    var self = this;
    fetch(this.root.getAttribute("data-availability-url"), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (!self.busy) { self.apply(data); }
    }).catch(function () {});
  };

  Seatmap.prototype.post = function (url, body) {
    var self = this;
    this.busy = true;
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": this.token.value }
    }).then(function (r) { return r.json(); }).then(function (data) {
      self.busy = false;
      // A refusal without the map's state (429: too many holds) only says why.
      if (data.taken === undefined) { self.say(data.error || ""); return data; }
      self.apply(data);
      return data;
    }).catch(function () {
      self.busy = false;
      self.say(self.root.getAttribute("data-offline") || "…");
    });
  };

  Seatmap.prototype.toggle = function (c) {
    if (this.busy) { return; }
    var body = new FormData();
    body.append("seat", c.getAttribute("data-seat"));
    if (c.classList.contains("seat--mine")) {
      this.say("");
      this.post(this.root.getAttribute("data-release-url"), body);
    } else if (!c.classList.contains("seat--taken") && !c.classList.contains("seat--held") &&
               !c.classList.contains("seat--blocked")) {
      this.say("");
      this.post(this.root.getAttribute("data-hold-url"), body);
    }
  };

  Seatmap.prototype.bindSeats = function () {
    var self = this;
    this.svg.addEventListener("click", function (e) {
      var c = e.target.closest("circle[data-seat]");
      if (c && !self.dragged) { self.toggle(c); }
    });
    this.svg.addEventListener("keydown", function (e) {
      var c = e.target.closest("circle[data-seat]");
      if (c && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        self.toggle(c);
      }
    });
  };

  Seatmap.prototype.bindBest = function () {
    var self = this;
    this.best.addEventListener("submit", function (e) {
      e.preventDefault();
      self.say("");
      self.post(self.best.getAttribute("action"), new FormData(self.best));
    });
  };

  Seatmap.prototype.show = function () {
    this.svg.setAttribute("viewBox", this.view.join(" "));
  };

  Seatmap.prototype.zoom = function (factor, cx, cy) {
    var v = this.view;
    var w = Math.min(Math.max(v[2] * factor, this.home[2] / 8), this.home[2]);
    var h = v[3] * (w / v[2]);
    if (cx === undefined) { cx = v[0] + v[2] / 2; cy = v[1] + v[3] / 2; }
    this.view = [cx - (cx - v[0]) * (w / v[2]), cy - (cy - v[1]) * (h / v[3]), w, h];
    this.clamp();
    this.show();
  };

  Seatmap.prototype.clamp = function () {
    var v = this.view, home = this.home;
    v[0] = Math.min(Math.max(v[0], home[0]), home[0] + home[2] - v[2]);
    v[1] = Math.min(Math.max(v[1], home[1]), home[1] + home[3] - v[3]);
  };

  Seatmap.prototype.toMap = function (clientX, clientY) {
    var box = this.svg.getBoundingClientRect();
    var v = this.view;
    var scale = Math.max(v[2] / box.width, v[3] / box.height);
    return [v[0] + (clientX - box.left) * scale, v[1] + (clientY - box.top) * scale, scale];
  };

  Seatmap.prototype.bindZoom = function () {
    var self = this;
    this.root.querySelector(".js-zoom-in").addEventListener("click", function () { self.zoom(0.7); });
    this.root.querySelector(".js-zoom-out").addEventListener("click", function () { self.zoom(1 / 0.7); });
    this.root.querySelector(".js-zoom-reset").addEventListener("click", function () {
      self.view = self.home.slice();
      self.show();
    });
    this.svg.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey && self.view[2] >= self.home[2] && e.deltaY > 0) { return; }
      e.preventDefault();
      var p = self.toMap(e.clientX, e.clientY);
      self.zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, p[0], p[1]);
    }, { passive: false });
    var pointers = {};
    var start = null;
    var pinch = null;
    this.svg.addEventListener("pointerdown", function (e) {
      pointers[e.pointerId] = [e.clientX, e.clientY];
      self.dragged = false;
      start = { x: e.clientX, y: e.clientY, view: self.view.slice() };
      pinch = null;
    });
    this.svg.addEventListener("pointermove", function (e) {
      if (!(e.pointerId in pointers)) { return; }
      pointers[e.pointerId] = [e.clientX, e.clientY];
      var ids = Object.keys(pointers);
      if (ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var dist = Math.hypot(a[0] - b[0], a[1] - b[1]);
        if (pinch) {
          var mid = self.toMap((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
          self.zoom(pinch / dist, mid[0], mid[1]);
        }
        pinch = dist;
        self.dragged = true;
        return;
      }
      if (!start) { return; }
      var dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (!self.dragged && Math.hypot(dx, dy) < DRAG_PX) { return; }
      if (self.view[2] >= self.home[2]) { return; }  // nothing to pan at full view
      self.dragged = true;
      var scale = self.toMap(0, 0)[2];
      self.view = [start.view[0] - dx * scale, start.view[1] - dy * scale, self.view[2], self.view[3]];
      self.clamp();
      self.show();
    });
    var end = function (e) {
      delete pointers[e.pointerId];
      if (Object.keys(pointers).length === 0) {
        start = null;
        pinch = null;
        window.setTimeout(function () { self.dragged = false; }, 0);
      }
    };
    this.svg.addEventListener("pointerup", end);
    this.svg.addEventListener("pointercancel", end);
  };

  function start(scope) {
    scope.querySelectorAll(".seatmap").forEach(function (root) {
      if (root.querySelector("svg.seatmap-svg")) { new Seatmap(root); }
    });
  }
  start(document);
  // The event page swaps in another session's map without a reload (events/sessions.js).
  document.addEventListener("eventum:content", function (e) { start(e.target); });
})();
