/*! eventum ticket widget: a "Buy tickets" button and a checkout window for organizers' sites.
 *
 *   <script src="https://PORTAL/widget/embed.js" async></script>
 *   <div data-eventum-event="EVENT-SLUG" data-lang="ru"></div>        a button for one event
 *   <div data-eventum-organizer="ORGANIZER-SLUG" data-lang="kk"></div> all upcoming events
 *   <button data-eventum-event="EVENT-SLUG">...</button>              or your own button
 *
 * Optional: data-label (the button text), data-mode="tab" (open the checkout in a new tab).
 * Events on the element (bubbling): eventum:opened, eventum:closed, eventum:order_completed
 * (event.detail.order is the order code); or set window.EventumWidget = {onEvent: fn(type,
 * detail)}. No dependencies; the host page's styles and data are left alone: the button and
 * the window live in shadow roots, and the portal receives only the page's origin.
 *
 * On a site the organizer has not registered the portal would refuse to be framed, so the
 * script asks first (/widget/check/): the console then says exactly which origin to register,
 * and the button becomes a link that opens the same tickets on the portal in a new tab.
 */
(function () {
  "use strict";
  var api = window.EventumWidget = window.EventumWidget || {};
  if (api.version) { return; }
  api.version = 1;

  var script = document.currentScript || document.querySelector("script[src*='/widget/embed.js']");
  var src = new URL(script.src, location.href);
  var portal = src.origin;
  var base = portal + src.pathname.replace(/\/widget\/embed\.js$/, "");
  var LABELS = {
    ru: { buy: "Купить билеты", all: "Афиша и билеты", close: "Закрыть", title: "Покупка билетов" },
    kk: { buy: "Билет сатып алу", all: "Афиша және билеттер", close: "Жабу", title: "Билет сатып алу" },
    en: { buy: "Buy tickets", all: "Events and tickets", close: "Close", title: "Buying tickets" }
  };
  var open = null; // {host, iframe, trigger, previousFocus, completed}

  function words(lang) { return LABELS[lang] || LABELS.ru; }

  function langOf(el) {
    var lang = (el.getAttribute("data-lang") || document.documentElement.lang || "ru").slice(0, 2).toLowerCase();
    return LABELS[lang] ? lang : "ru";
  }

  function emit(el, type, detail) {
    el.dispatchEvent(new CustomEvent("eventum:" + type, { bubbles: true, detail: detail }));
    var callback = window.EventumWidget && window.EventumWidget.onEvent;
    if (typeof callback === "function") {
      try { callback(type, detail); } catch (error) { window.setTimeout(function () { throw error; }); }
    }
  }

  // One question per widget target and language: may this page's origin embed it?
  var checks = {};
  function targetQuery(el) {
    var query = new URLSearchParams();
    var event = el.getAttribute("data-eventum-event");
    if (event) { query.set("event", event); } else { query.set("organizer", el.getAttribute("data-eventum-organizer") || ""); }
    query.set("lang", langOf(el));
    query.set("origin", location.origin);
    return query;
  }

  function check(el) {
    var query = targetQuery(el).toString();
    if (!checks[query]) {
      checks[query] = fetch(base + "/widget/check/?" + query, { credentials: "omit" })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          if (!answer.allowed && answer.message) { console.error(answer.message); }
          return answer;
        })
        // Unknown (offline, an old portal): let the window try as before.
        .catch(function () { return { allowed: true }; });
    }
    return checks[query];
  }

  function openPortal(trigger, answer) {
    window.open(answer.portal_url, "_blank", "noopener");
    emit(trigger, "opened", { mode: "portal" });
  }

  // On an unregistered site the button is a plain link to the portal: buyers still get there.
  function becomeLink(el, answer) {
    el.setAttribute("data-eventum-portal", answer.portal_url);
    var root = el.shadowRoot;
    var button = root && root.querySelector("button");
    if (!button) { return; }
    var link = document.createElement("a");
    link.href = answer.portal_url;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = button.textContent;
    link.addEventListener("click", function () { emit(el, "opened", { mode: "portal" }); });
    button.replaceWith(link);
  }

  function startUrl(el) {
    return base + "/widget/start/?" + targetQuery(el).toString();
  }

  var STYLE = [
    ":host{all:initial}",
    ".overlay{position:fixed;inset:0;z-index:2147483000;background:rgba(17,24,39,.6);display:flex;align-items:center;justify-content:center}",
    ".dialog{position:relative;background:#fff;border-radius:10px;width:min(680px,100vw);height:min(860px,100vh);box-shadow:0 10px 40px rgba(0,0,0,.35);overflow:hidden}",
    "iframe{border:0;width:100%;height:100%;display:block}",
    ".close{position:absolute;top:6px;right:6px;z-index:1;width:36px;height:36px;border-radius:50%;border:0;background:#fff;color:#111;font:22px/36px system-ui,sans-serif;cursor:pointer;box-shadow:0 1px 4px rgba(0,0,0,.3)}",
    ".close:focus-visible{outline:3px solid #2b5fab}",
    "@media (max-width:600px){.dialog{border-radius:0;width:100vw;height:100vh}}"
  ].join("");

  function openWidget(trigger) {
    check(trigger).then(function (answer) {
      if (answer.allowed) { openWindow(trigger); } else { openPortal(trigger, answer); }
    });
  }

  function openWindow(trigger) {
    if (open) { close(); }
    var url = startUrl(trigger);
    if (trigger.getAttribute("data-mode") === "tab") {
      window.open(url, "_blank", "noopener");
      emit(trigger, "opened", { mode: "tab" });
      return;
    }
    var lang = langOf(trigger);
    var host = document.createElement("div");
    host.setAttribute("data-eventum-modal", "");
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = STYLE;
    var overlay = document.createElement("div");
    overlay.className = "overlay";
    var dialog = document.createElement("div");
    dialog.className = "dialog";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", words(lang).title);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "close";
    button.setAttribute("aria-label", words(lang).close);
    button.textContent = "\u00d7";
    var iframe = document.createElement("iframe");
    iframe.title = words(lang).title;
    iframe.referrerPolicy = "no-referrer";
    iframe.setAttribute("allow", "payment");
    iframe.setAttribute("sandbox", "allow-scripts allow-forms allow-same-origin allow-popups allow-popups-to-escape-sandbox");
    iframe.src = url;
    dialog.appendChild(button);
    dialog.appendChild(iframe);
    overlay.appendChild(dialog);
    root.appendChild(style);
    root.appendChild(overlay);
    button.addEventListener("click", close);
    overlay.addEventListener("click", function (e) { if (e.target === overlay) { close(); } });
    root.addEventListener("keydown", trapFocus);
    open = {
      host: host, iframe: iframe, button: button, trigger: trigger,
      previousFocus: document.activeElement, completed: {},
      overflow: document.documentElement.style.overflow
    };
    document.documentElement.style.overflow = "hidden";
    document.body.appendChild(host);
    button.focus();
    emit(trigger, "opened", { mode: "modal" });
  }

  function trapFocus(e) {
    if (!open || e.key !== "Tab") { return; }
    var active = open.host.shadowRoot.activeElement;
    var next = active === open.button ? open.iframe : open.button;
    e.preventDefault();
    next.focus();
  }

  function close() {
    if (!open) { return; }
    var closing = open;
    open = null;
    closing.host.remove();
    document.documentElement.style.overflow = closing.overflow;
    if (closing.previousFocus && closing.previousFocus.focus) { closing.previousFocus.focus(); }
    emit(closing.trigger, "closed", {});
  }

  document.addEventListener("keydown", function (e) {
    if (open && e.key === "Escape") { close(); }
  });

  window.addEventListener("message", function (e) {
    // Only our own iframe, from the portal's origin, speaking our small vocabulary.
    if (!open || e.origin !== portal || e.source !== open.iframe.contentWindow) { return; }
    var data = e.data;
    if (!data || typeof data !== "object" || data.source !== "eventum") { return; }
    if (data.type === "close") {
      close();
    } else if (data.type === "order_completed" && /^[A-Z0-9]{4,16}$/.test(String(data.order))) {
      if (open.completed[data.order]) { return; }
      open.completed[data.order] = true;
      emit(open.trigger, "order_completed", { order: data.order });
    }
  });

  function mount(el) {
    if (el.getAttribute("data-eventum-ready")) { return; }
    el.setAttribute("data-eventum-ready", "1");
    var tag = el.tagName;
    if (tag === "BUTTON" || tag === "A" || tag === "INPUT") {
      el.addEventListener("click", function (e) { e.preventDefault(); openWidget(el); });
      check(el);  // early, so a click finds the answer ready
      return;
    }
    var root = el.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = ":host{display:inline-block}button,a{all:initial;font:600 16px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#2b5fab;color:#fff;padding:12px 22px;border-radius:8px;cursor:pointer}button:focus-visible,a:focus-visible{outline:3px solid #f5b400;outline-offset:2px}button:hover,a:hover{background:#234e8d}";
    var button = document.createElement("button");
    button.type = "button";
    var w = words(langOf(el));
    button.textContent = el.getAttribute("data-label") || (el.hasAttribute("data-eventum-event") ? w.buy : w.all);
    button.addEventListener("click", function () { openWidget(el); });
    root.appendChild(style);
    root.appendChild(button);
    check(el).then(function (answer) { if (!answer.allowed) { becomeLink(el, answer); } });
  }

  api.init = function () {
    document.querySelectorAll("[data-eventum-event],[data-eventum-organizer]").forEach(mount);
  };
  api.open = function (el) { openWidget(el); };
  api.close = close;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", api.init);
  } else {
    api.init();
  }
})();
