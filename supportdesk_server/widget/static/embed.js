/* SupportDesk widget loader for any web site:
 *
 *   <script src="https://support.example.com/widget/static/embed.js" defer></script>
 *
 * Adds a "Chat with us" button that opens the widget in an <iframe> served by the SupportDesk
 * server. The host page's URL, title and referrer go to the widget in the iframe's query string
 * (?page=&title=&ref=); later in-page navigation (history.pushState / replaceState, back/forward,
 * hash changes) is reported with postMessage({type: "supportdesk:page", ...}) to the iframe's origin.
 * The open/closed state survives page loads (localStorage of the host page), and so does whether a
 * chat is going on (the widget tells with postMessage({type: "supportdesk:chat", state})): only
 * then is the widget loaded with the page; otherwise on the first click.
 */
(function () {
  "use strict";
  if (window.__supportdeskEmbed) return;
  window.__supportdeskEmbed = true;

  var script = document.currentScript;
  var base = new URL(script ? script.src : "/widget/static/embed.js", location.href);
  var ORIGIN = base.origin;
  var ROOT = base.pathname.replace(/\/widget\/static\/embed\.js$/, "");
  var OPEN_KEY = "supportdesk.widget_open";
  var CHAT_KEY = "supportdesk.chat_state";
  // the button speaks the visitor's browser language, like the widget (widget.js, widget-ru.js)
  var DEFAULT_LABELS = { en: "Chat with us", ru: "Чат с поддержкой" };
  var DEFAULT_LABEL = DEFAULT_LABELS.en;
  var languages = [].concat(navigator.languages || [], navigator.language || []);
  for (var li = 0; li < languages.length; li++) {
    var code = String(languages[li]).toLowerCase().split(/[-_]/)[0];
    if (DEFAULT_LABELS[code]) { DEFAULT_LABEL = DEFAULT_LABELS[code]; break; }
  }
  var LABEL = (script && script.getAttribute("data-label")) || DEFAULT_LABEL;

  var css = [
    ".sdw-launcher{position:fixed;right:22px;bottom:22px;z-index:2147483000;display:flex;align-items:center;gap:8px;",
    "border:0;border-radius:999px;padding:13px 20px 13px 16px;background:#2456d6;color:#fff;cursor:pointer;",
    "font:600 15px/1 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;box-shadow:0 8px 24px rgba(20,35,70,.25)}",
    ".sdw-launcher:hover{background:#1a43ad}.sdw-launcher:focus-visible{outline:3px solid #9bb7ff;outline-offset:2px}",
    ".sdw-launcher svg{width:20px;height:20px}",
    ".sdw-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#c62f3a;",
    "color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 6px}",
    ".sdw-frame{position:fixed;right:22px;bottom:90px;z-index:2147483000;width:380px;height:600px;",
    "max-height:calc(100vh - 110px);max-width:calc(100vw - 24px);border:0;border-radius:14px;background:#f5f7fb;",
    "box-shadow:0 12px 40px rgba(20,35,70,.28)}",
    ".sdw-frame[hidden]{display:none}",
    "@media (max-width:480px){.sdw-frame{right:0;bottom:0;width:100vw;height:100vh;max-height:none;max-width:none;border-radius:0}}",
  ].join("");

  function pageInfo() {
    return { url: location.href, title: document.title, referrer: document.referrer };
  }

  function init() {
    var style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);

    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "sdw-launcher";
    btn.setAttribute("aria-expanded", "false");
    btn.setAttribute("aria-controls", "supportdesk-widget");
    btn.innerHTML = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
      'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 ' +
      '4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
    var label = document.createElement("span");
    label.textContent = LABEL;          // a site-provided label: text only
    btn.appendChild(label);
    var badge = document.createElement("span");
    badge.className = "sdw-badge";
    badge.hidden = true;
    btn.appendChild(badge);

    var frame = null;
    var unread = 0;

    function ensureFrame() {
      if (frame) return frame;
      var p = pageInfo();
      var q = new URLSearchParams({ page: p.url, title: p.title, ref: p.referrer });
      frame = document.createElement("iframe");
      frame.id = "supportdesk-widget";
      frame.className = "sdw-frame";
      frame.title = LABEL;
      frame.src = ORIGIN + ROOT + "/widget?" + q.toString();
      frame.setAttribute("allow", "clipboard-write");
      document.body.appendChild(frame);
      return frame;
    }

    function setOpen(open) {
      var f = ensureFrame();
      f.hidden = !open;
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      try { localStorage.setItem(OPEN_KEY, open ? "1" : "0"); } catch (e) { /* ignore */ }
      if (open) { unread = 0; badge.hidden = true; }
    }

    btn.addEventListener("click", function () { setOpen(!frame || frame.hidden); });
    document.body.appendChild(btn);

    window.addEventListener("message", function (ev) {
      if (!frame || ev.source !== frame.contentWindow || ev.origin !== ORIGIN || !ev.data) return;
      if (ev.data.type === "supportdesk:minimize") { setOpen(false); btn.focus(); }
      if (ev.data.type === "supportdesk:chat") {
        try { localStorage.setItem(CHAT_KEY, String(ev.data.state || "")); } catch (e) { /* ignore */ }
      }
      if (ev.data.type === "supportdesk:message" && frame.hidden) {
        unread += 1;
        badge.textContent = String(unread);
        badge.hidden = false;
      }
    });

    function reportPage() {
      if (frame && frame.contentWindow) frame.contentWindow.postMessage(
        Object.assign({ type: "supportdesk:page" }, pageInfo()), ORIGIN);
    }
    ["pushState", "replaceState"].forEach(function (name) {
      var orig = history[name];
      history[name] = function () {
        var r = orig.apply(this, arguments);
        setTimeout(reportPage, 0);
        return r;
      };
    });
    window.addEventListener("popstate", reportPage);
    window.addEventListener("hashchange", reportPage);

    // Load the widget right away only when the panel was open or a chat is going on (so the chat
    // reconnects and new messages raise the badge); otherwise on the first click, so a passive
    // page view costs the support server nothing.
    var wasOpen = false, chatState = "";
    try {
      wasOpen = localStorage.getItem(OPEN_KEY) === "1";
      chatState = localStorage.getItem(CHAT_KEY) || "";
    } catch (e) { /* ignore */ }
    if (wasOpen || chatState === "waiting" || chatState === "active") {
      ensureFrame().hidden = !wasOpen;
      btn.setAttribute("aria-expanded", wasOpen ? "true" : "false");
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
