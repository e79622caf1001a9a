/* SupportDesk visitor widget. Plain JavaScript, no build step, no dependencies.
 *
 * Speaks the visitor protocol of docs/protocol.md ("Visitor side"):
 *   POST /api/v1/visitor/session -> token (kept in localStorage and a cookie)
 *   WebSocket /api/v1/visitor/ws: hello -> welcome (+ history), start / message / typing / page /
 *   close; the server sends chat / message / ack / typing / error / pong.
 *   When the agent asks (auth_prompt), the visitor logs in (login) or registers (register) in a
 *   form of the "auth" view; the server answers auth_result (errors per field). "Not now" /
 *   "Back to the chat" send auth_dismissed; an outstanding ask comes again (again: true) after a
 *   reload until it is answered or put off.
 *
 * The page the visitor is on:
 *   - opened directly (/widget), it reports its own location.href, document.title and referrer;
 *   - embedded in an <iframe> (see embed.js), the host page passes its URL, title and referrer in
 *     the query string (?page=&title=&ref=) and reports later navigation (pushState, hash changes)
 *     with window.postMessage({type: "supportdesk:page", url, title, referrer}). Only messages from
 *     window.parent are accepted. Page data is what the visitor's browser claims; it is information
 *     for the agent, never trusted for anything else.
 *
 * Safety: every piece of text that comes from the server or the visitor is put into the page with
 * textContent / createTextNode only (links are built with createElement and an http(s) check).
 *
 * Reliability: every message gets a client_msg_id and stays "sending" until the server's ack; after
 * a reconnect every unacknowledged message is sent again (the server de-duplicates by
 * client_msg_id). The socket reconnects with exponential backoff and jitter, and pings every 25 s
 * to notice dead connections.
 *
 * All user-visible strings are in STRINGS (one object per language) for translation: English
 * here, other languages in their own file loaded before this one (widget-ru.js), which also
 * translates the sentences the server sends. The widget speaks the first of the visitor's
 * browser languages (navigator.languages; ?lang=ru in the address overrides) it has, else English.
 */
(function () {
  "use strict";

  // ---- strings ---------------------------------------------------------------------------------

  var STRINGS = {
    en: {
      title: "Chat with us",
      subtitleConnecting: "Connecting…",
      subtitleStart: "We usually answer within a few minutes",
      subtitleWaiting: "Waiting for an agent…",
      subtitleAssigned: "{agent} is answering",
      subtitleForwarded: "Forwarded here, waiting for an agent…",
      subtitleClosed: "Chat closed",
      loading: "Connecting to support…",
      intro: "Hi! Choose a department and tell us how we can help.",
      departmentLegend: "Department",
      departmentOnline: "{count} online",
      departmentOffline: "offline",
      offlineHint: "Nobody is online right now. Leave your question and we will answer as soon as someone is back.",
      nameLabel: "Your name (optional)",
      firstLabel: "Your question",
      firstPlaceholder: "Type your question…",
      startButton: "Start chat",
      starting: "Starting…",
      errorNoDepartment: "Please choose a department.",
      errorNoText: "Please type your question.",
      inputLabel: "Message",
      inputPlaceholder: "Type a message…",
      inputHint: "Enter sends, Shift+Enter starts a new line.",
      send: "Send",
      endChat: "End chat",
      endConfirm: "End this chat?",
      endYes: "End chat",
      endNo: "Keep chatting",
      minimize: "Minimise chat",
      you: "You",
      agent: "Support",
      sending: "Sending…",
      sent: "Sent",
      notSent: "Not sent yet, will retry",
      typing: "{name} is typing…",
      someone: "An agent",
      noticeWaiting: "Your chat is in the queue of {department}. An agent will join shortly.",
      noticeAssigned: "{agent} joined the chat.",
      noticeForwarded: "Your chat was forwarded to {department}.",
      noticeClosed: "The chat has been closed.",
      noticeRequeued: "Your chat is back in the queue of {department}. The next free agent will answer.",
      closedText: "This chat has been closed. Thank you for contacting us!",
      newChat: "Start a new chat",
      reconnecting: "Connection lost. Reconnecting…",
      reconnectingIn: "Connection lost. Reconnecting in {seconds} s…",
      offline: "You are offline. Messages will be sent when the connection is back.",
      dismiss: "Dismiss",
      errorGeneric: "Something went wrong: {message}",
      errorRateLimited: "You are sending messages too fast. Please wait a moment.",
      errorSession: "Could not reach the support server. Retrying…",
      // log in / register (issue 4; the agent asks with auth_prompt)
      authorizedAs: "Logged in as {client}",
      askText: "{agent} asks you to log in to your client area, so they can see your account.",
      askLogin: "Log in",
      askRegister: "I have no account yet",
      askLater: "Not now",
      loginTitle: "Log in to your client area",
      loginIntro: "{agent} asked you to log in, so they can see your account and services.",
      loginIntroPlain: "Log in with the login and password of your client area.",
      loginLogin: "Login",
      loginPassword: "Password",
      loginButton: "Log in",
      loggingIn: "Logging in…",
      cancel: "Back to the chat",
      toRegister: "No account yet? Register as a new client",
      registerTitle: "Register as a new client",
      registerIntro: "{agent} invited you to create an account. It takes a minute.",
      registerIntroPlain: "Create an account in our client area.",
      regName: "Your name or company",
      regEmail: "Email",
      regPhone: "Phone (optional)",
      regLogin: "Choose a login",
      regPassword: "Choose a password (at least 8 characters)",
      registerButton: "Create account",
      registering: "Creating your account…",
      toLogin: "Already a client? Log in",
      fieldRequired: "This field is required.",
      errorAuthOffline: "You are offline. Try again when the connection is back.",
      errorAuthRateLimited: "{message} (try again in {seconds} s)",
    },
  };
  var LANGUAGES = window.SupportDeskWidgetLanguages || {};
  Object.keys(LANGUAGES).forEach(function (code) { STRINGS[code] = LANGUAGES[code].strings; });

  /** The visitor's language: [code of STRINGS, the browser's tag for dates and times]. */
  function pickLanguage() {
    var wanted = [];
    try {
      var asked = new URLSearchParams(location.search).get("lang");
      if (asked) wanted.push(asked);
    } catch (e) { /* an old browser: the browser's languages only */ }
    wanted = wanted.concat(navigator.languages || [], navigator.language || []);
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i] || "");
      var code = tag.toLowerCase().split(/[-_]/)[0];
      if (Object.prototype.hasOwnProperty.call(STRINGS, code)) return [code, tag];
    }
    return ["en", "en"];
  }
  var PICKED = pickLanguage();
  var LANG = PICKED[0], LOCALE_TAG = PICKED[1];

  /** A sentence the server sent (in English), in the visitor's language when it is known; an
   *  error frame's code stands in for a sentence that is not. */
  function serverText(message, code) {
    var lang = LANGUAGES[LANG];
    message = message || "";
    if (!lang) return message || code || "";
    for (var i = 0; i < lang.server.length; i++) {
      if (lang.server[i][0].test(message)) return message.replace(lang.server[i][0], lang.server[i][1]);
    }
    return (code && lang.codes[code]) || message || code || "";
  }

  function t(key, vars) {
    var s = (STRINGS[LANG] && STRINGS[LANG][key]) || STRINGS.en[key] || key;
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m;
      });
    }
    return s;
  }

  // ---- constants and state ---------------------------------------------------------------------

  var TOKEN_KEY = "supportdesk.visitor_token";
  var COOKIE = "sd_visitor";
  var PAGE_KEY = "supportdesk.last_page";
  var TYPING_INTERVAL_MS = 2000;      // send typing:true at most this often
  var TYPING_IDLE_MS = 4000;          // stop typing after this long without a key
  var REMOTE_TYPING_TTL_MS = 6000;    // hide "is typing" if no update arrives
  var PING_MS = 25000;
  var PONG_TIMEOUT_MS = 10000;
  var MAX_TEXT = 10000;
  var ROOT = location.pathname.replace(/\/widget\/?$/, "");
  var API = ROOT + "/api/v1";
  var params = new URLSearchParams(location.search);
  var EMBEDDED = window.parent !== window;

  var S = {
    token: null,
    ws: null,
    connecting: false,
    welcomed: false,
    connectedOnce: false,
    attempt: 0,
    reconnectTimer: null,
    pingTimer: null,
    pongTimer: null,
    departments: [],
    chat: null,               // VisitorChat or null
    lastSeq: 0,
    messages: [],             // {key, seq, author_kind, author_name, text, client_msg_id, created_at, status, el}
    outbox: [],               // frames waiting for an ack: start / message
    msgCounter: 0,
    lastTypingSent: 0,
    typingActive: false,
    typingIdleTimer: null,
    remoteTypingTimer: null,
    retryTimer: null,
    page: {
      url: clip(params.get("page") || (EMBEDDED ? document.referrer : location.href), 2048),
      title: clip(params.get("title") || (EMBEDDED ? "" : document.title), 200),
      referrer: clip(params.get("ref") || (EMBEDDED ? "" : document.referrer), 2048),
    },
    selectedDept: null,
    authPending: null,        // "login" / "register" while the server has not answered
    promptAgent: "",          // who asked the visitor to log in
    authDismissed: false,     // "Not now" / "Back to the chat" since the agent's last ask
    dismissUnsent: false,     // ... and the server has not been told yet (we were offline)
  };

  function clip(s, n) { s = String(s == null ? "" : s); return s.length > n ? s.slice(0, n) : s; }

  // ---- DOM helpers -----------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function show(id, on) { $(id).hidden = !on; }

  var URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
  /** Plain text with clickable http(s) links; never interprets markup. */
  function appendText(parent, text) {
    var last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement("a");
      a.textContent = m[0];
      try {
        var u = new URL(m[0]);
        if (u.protocol === "http:" || u.protocol === "https:") a.href = u.href;
      } catch (e) { /* leave it as text without a link */ }
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function fmtTime(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d.getTime())) d = new Date();
    try {
      return d.toLocaleTimeString([LOCALE_TAG], { hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    }
  }

  // ---- token storage ---------------------------------------------------------------------------

  function loadToken() {
    var tok = null;
    try { tok = localStorage.getItem(TOKEN_KEY); } catch (e) { /* storage blocked */ }
    if (!tok) {
      var m = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
      if (m) tok = decodeURIComponent(m[1]);
    }
    return tok || null;
  }
  function saveToken(tok) {
    try { localStorage.setItem(TOKEN_KEY, tok); } catch (e) { /* storage blocked */ }
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + encodeURIComponent(tok) + "; Path=" + (ROOT || "/") +
      "; Max-Age=31536000; SameSite=Lax" + secure;
  }

  async function ensureSession() {
    var body = S.token ? { visitor_token: S.token } : {};
    var r = await fetch(API + "/visitor/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    if (!r.ok) throw new Error("session " + r.status);
    var data = await r.json();
    S.token = data.visitor_token;
    saveToken(S.token);
  }

  // ---- socket ----------------------------------------------------------------------------------

  function wsUrl() {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + API + "/visitor/ws";
  }

  async function connect() {
    clearTimeout(S.reconnectTimer);
    S.reconnectTimer = null;
    if (S.ws || S.connecting) return;
    S.connecting = true;
    try {
      await ensureSession();
    } catch (e) {
      S.connecting = false;
      showError(t("errorSession"));
      scheduleReconnect();
      return;
    }
    S.connecting = false;
    if (S.ws) return;
    var ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    S.ws = ws;
    S.welcomed = false;
    ws.onopen = function () {
      sendRaw({
        op: "hello",
        visitor_token: S.token,
        after_seq: S.lastSeq,
        page_url: S.page.url,
        page_title: S.page.title,
        referrer: S.page.referrer,
        language: clip(navigator.language || "", 35),
        timezone_offset_minutes: new Date().getTimezoneOffset(),
      });
    };
    ws.onmessage = function (ev) {
      var frame;
      try { frame = JSON.parse(ev.data); } catch (e) { return; }
      if (!frame || typeof frame !== "object") return;
      armPing();
      var handler = HANDLERS[frame.op];
      if (handler) handler(frame);        // unknown ops are ignored (protocol versioning)
    };
    ws.onclose = function (ev) {
      if (S.ws !== ws) return;           // a socket we already gave up on
      if (ev.code === 4401 || ev.code === 4403) S.token = null;   // token refused: start afresh
      lost();
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  /** The current socket is gone (or given up on): mark messages unsent and reconnect. */
  function lost() {
    S.ws = null;
    S.welcomed = false;
    clearTimeout(S.pingTimer);
    clearTimeout(S.pongTimer);
    setRemoteTyping(false);
    renderMessages();
    if (S.authPending) authResult({ action: S.authPending, ok: false, code: "offline",
                                    message: t("errorAuthOffline") });
    scheduleReconnect();
  }

  /** Give up on the socket now, without waiting for a closing handshake a dead link never ends. */
  function dropSocket(code, reason) {
    var ws = S.ws;
    if (!ws) return;
    try { ws.close(code, reason); } catch (e) { /* ignore */ }
    lost();
  }

  function scheduleReconnect() {
    if (S.reconnectTimer) return;
    S.attempt += 1;
    var base = Math.min(15000, 500 * Math.pow(2, S.attempt - 1));
    var delay = Math.round(base * (0.6 + Math.random() * 0.8));
    setConn(navigator.onLine === false ? t("offline")
      : delay >= 2000 ? t("reconnectingIn", { seconds: Math.round(delay / 1000) }) : t("reconnecting"));
    S.reconnectTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (S.ws) return;
    clearTimeout(S.reconnectTimer);
    S.reconnectTimer = null;
    connect();
  }

  function sendRaw(frame) {
    if (!S.ws || S.ws.readyState !== WebSocket.OPEN) return false;
    try { S.ws.send(JSON.stringify(frame)); return true; } catch (e) { return false; }
  }
  function send(frame) { return S.welcomed && sendRaw(frame); }

  function armPing() {
    clearTimeout(S.pongTimer);
    clearTimeout(S.pingTimer);
    S.pingTimer = setTimeout(function () {
      if (!sendRaw({ op: "ping", nonce: String(Date.now()) })) return;
      S.pongTimer = setTimeout(function () { dropSocket(4000, "ping timeout"); }, PONG_TIMEOUT_MS);
    }, PING_MS);
  }

  // ---- server frames ---------------------------------------------------------------------------

  var HANDLERS = {
    welcome: function (f) {
      S.welcomed = true;
      S.attempt = 0;
      setConn(null);
      hideError();
      S.departments = Array.isArray(f.departments) ? f.departments : [];
      renderDepartments();
      var chat = f.chat;
      if (chat && chat.state !== "closed") {
        if (S.chat && S.chat.id !== chat.id) {
          // Another chat than ours (opened in another tab): its history was asked for from our
          // old position, so start over from the beginning.
          var resync = S.lastSeq > 0;
          resetConversation();
          if (resync) { S.attempt = 0; dropSocket(4000, "resync"); return; }
        }
        // A "start" that reached the server before the connection dropped created this chat:
        // resend it as a plain message, which the server acknowledges again (de-duplication by
        // client_msg_id) instead of refusing a second start.
        S.outbox.forEach(function (fr) {
          if (fr.op === "start") { fr.op = "message"; delete fr.department_id; delete fr.name; }
        });
        applyChat(chat, !S.chat);
        reportPageIfChanged();
      } else if (hasPendingStart()) {
        showView("chat");                 // the start goes out again below
      } else if (S.chat && S.chat.state !== "closed") {
        // Our chat was closed while we were away.
        var snap = chat && chat.id === S.chat.id ? chat : Object.assign({}, S.chat, { state: "closed" });
        applyChat(snap, false);
      } else if (!(S.chat && S.chat.state === "closed")) {
        showStart();
      }
      if (S.dismissUnsent) S.dismissUnsent = !send({ op: "auth_dismissed" });
      flushOutbox();
      renderMessages();
      render();
      notifyParent({ type: "supportdesk:chat", state: S.chat ? S.chat.state : "" });
    },
    message: function (f) {
      if (f.message) upsertMessage(f.message);
    },
    ack: function (f) {
      var cid = f.client_msg_id;
      S.outbox = S.outbox.filter(function (fr) { return fr.client_msg_id !== cid; });
      if (f.message) upsertMessage(f.message);
      else markStatus(cid, "sent");
    },
    chat: function (f) {
      if (!f.chat) return;
      if (S.chat && S.chat.id !== f.chat.id) {   // a new chat started in another tab
        resetConversation();
        showView("chat");
      }
      applyChat(f.chat, false);
    },
    typing: function (f) {
      setRemoteTyping(!!f.typing, f.author_name);
    },
    error: function (f) {
      if (S.authPending && (f.code === "validation_error" || f.code === "bad_request")) {
        authResult({ action: S.authPending, ok: false, code: f.code, message: f.message });
        return;
      }
      if (f.code === "rate_limited") {
        showError(t("errorRateLimited"));
        // The refused frame is still in the outbox: send what is unacknowledged again later
        // (the server de-duplicates by client_msg_id).
        var wait = Math.max(1, Number(f.details && f.details.retry_after) || 2) * 1000;
        clearTimeout(S.retryTimer);
        S.retryTimer = setTimeout(function () { hideError(); flushOutbox(); }, wait);
      }
      else if (f.code === "chat_already_open") {
        // Another tab opened a chat first (its "chat" frame is here too): the refused start's
        // text goes to that chat as a plain message.
        S.outbox.forEach(function (fr) {
          if (fr.op === "start" && fr.client_msg_id === f.client_msg_id) {
            fr.op = "message"; delete fr.department_id; delete fr.name; send(fr);
          }
        });
      }
      else if (f.code === "unauthorized") { S.token = null; dropSocket(1000, "new session"); }
      else if (!S.chat && hasPendingStart()) {
        // The server refused to open the chat (e.g. an unknown department): back to the form,
        // with the question kept so nothing is retyped.
        var start = S.outbox.filter(function (fr) { return fr.op === "start"; })[0];
        resetConversation();
        showStart();
        $("sd-first").value = start.text;
        var err = $("sd-start-error");
        err.textContent = t("errorGeneric", { message: serverText(f.message, f.code) });
        err.hidden = false;
      }
      else showError(t("errorGeneric", { message: serverText(f.message, f.code) }));
    },
    pong: function () { clearTimeout(S.pongTimer); },
    auth_prompt: function (f) {
      if (!S.chat || S.chat.state === "closed" || S.chat.authorized_client_name) return;
      if (f.again) {
        // The outstanding ask, sent again after a reconnect: the form already open stays as the
        // visitor left it, and an ask the visitor put off (the server may not know yet) stays off.
        if (!$("sd-view-auth").hidden || S.authDismissed) return;
      } else {
        S.authDismissed = false;           // a new ask
      }
      S.promptAgent = String(f.agent_name || (S.chat && S.chat.agent_name) || t("someone"));
      if (f.kind === "register") showAuth("register");
      else if (f.kind === "authorize") showAuth("ask");
      else showAuth("login");
    },
    auth_result: function (f) { authResult(f); },
  };

  function hasPendingStart() {
    return S.outbox.some(function (fr) { return fr.op === "start"; });
  }

  function flushOutbox() {
    if (!S.welcomed) return;
    S.outbox.forEach(function (fr) { send(fr); });
  }

  // ---- chat state ------------------------------------------------------------------------------

  function departmentName(id) {
    for (var i = 0; i < S.departments.length; i++) if (S.departments[i].id === id) return S.departments[i].name;
    return "";
  }

  /** Apply a VisitorChat snapshot; add a notice to the log for what changed. */
  function applyChat(chat, initial) {
    var prev = S.chat;
    S.chat = chat;
    if (!prev || prev.state !== chat.state) notifyParent({ type: "supportdesk:chat", state: chat.state });
    if (!initial && prev && prev.id === chat.id) {
      if (chat.state === "closed" && prev.state !== "closed") notice(t("noticeClosed"));
      else if (chat.forwarded && (!prev.forwarded || prev.department_id !== chat.department_id))
        notice(t("noticeForwarded", { department: chat.department_name }));
      else if (chat.agent_name && chat.state === "active" &&
               (prev.agent_name !== chat.agent_name || prev.state !== "active"))
        notice(t("noticeAssigned", { agent: chat.agent_name }));
      else if (chat.state === "waiting" &&
               (prev.state === "active" || prev.department_id !== chat.department_id))
        notice(t("noticeRequeued", { department: chat.department_name }));
    } else if (!initial && (!prev || prev.id !== chat.id) && chat.state === "waiting") {
      notice(t("noticeWaiting", { department: chat.department_name }), 1);
    }
    if (chat.state === "closed") {
      S.outbox = [];
      setRemoteTyping(false);
      show("sd-confirm", false);
    }
    var follow = atEnd();
    if ($("sd-view-auth").hidden || chat.state === "closed" || chat.authorized_client_name) {
      if (!$("sd-view-auth").hidden) S.authPending = null;
      showChat();
    }
    render();
    if (follow || chat.state === "closed") scrollToEnd();
    if (chat.state === "closed" && (!prev || prev.state !== "closed") &&
        document.activeElement && (document.activeElement.id === "sd-input" ||
                                   document.activeElement.id === "sd-end")) {
      $("sd-new-chat").focus();   // the composer is gone; keep keyboard users somewhere useful
    }
  }

  function resetConversation() {
    if (S.chat) notifyParent({ type: "supportdesk:chat", state: "" });
    S.chat = null;
    S.authDismissed = false;
    S.dismissUnsent = false;
    S.messages = [];
    S.lastSeq = 0;
    S.outbox = [];
    $("sd-log").textContent = "";
  }

  function upsertMessage(m) {
    var seq = Number(m.seq) || 0;
    var existing = null;
    for (var i = 0; i < S.messages.length; i++) {
      var x = S.messages[i];
      if (x.author_kind === "notice") continue;
      if ((seq && x.seq === seq) ||
          (m.client_msg_id && x.client_msg_id === m.client_msg_id && x.author_kind === m.author_kind)) {
        existing = x; break;
      }
    }
    if (existing && !existing.seq && seq) {
      // A pending message got its place in the conversation: move it there.
      S.messages.splice(S.messages.indexOf(existing), 1);
      if (existing.el && existing.el.parentNode) existing.el.parentNode.removeChild(existing.el);
      existing.seq = seq;
      existing.created_at = m.created_at || existing.created_at;
      existing.status = "sent";
      insertSorted(existing);
    } else if (existing) {
      existing.seq = seq || existing.seq;
      existing.created_at = m.created_at || existing.created_at;
      existing.author_name = m.author_name || existing.author_name;
      existing.status = "sent";
      renderMessage(existing);
    } else {
      var msg = {
        key: "s" + seq, seq: seq, author_kind: m.author_kind, author_name: m.author_name || "",
        text: String(m.text || ""), client_msg_id: m.client_msg_id || null,
        created_at: m.created_at, status: "sent", el: null,
      };
      insertSorted(msg);
      if (msg.author_kind === "agent") setRemoteTyping(false);
      if (msg.author_kind !== "visitor") notifyParent({ type: "supportdesk:message" });
    }
    if (seq > S.lastSeq) S.lastSeq = seq;
    if (m.client_msg_id) S.outbox = S.outbox.filter(function (fr) { return fr.client_msg_id !== m.client_msg_id; });
  }

  function insertSorted(msg) {
    // Pending messages (no seq yet) stay at the end; server messages sort by seq before them.
    var idx = S.messages.length;
    if (msg.seq) {
      for (var i = 0; i < S.messages.length; i++) {
        var x = S.messages[i];
        if (!x.seq || x.seq > msg.seq) { idx = i; break; }
      }
    }
    S.messages.splice(idx, 0, msg);
    var log = $("sd-log");
    renderMessage(msg);
    var before = null;
    for (var j = idx + 1; j < S.messages.length; j++) if (S.messages[j].el) { before = S.messages[j].el; break; }
    log.insertBefore(msg.el, before);
    scrollToEnd();
  }

  function markStatus(cid, status) {
    S.messages.forEach(function (m) {
      if (m.client_msg_id === cid && m.author_kind === "visitor") { m.status = status; renderMessage(m); }
    });
  }

  /** A local line about the chat itself (queued, joined, forwarded, closed), placed after the
   *  newest message the widget knows (or after ``afterSeq``). */
  function notice(text, afterSeq) {
    var anchor = Math.max(S.lastSeq, afterSeq || 0);
    var msg = { key: "n" + anchor + text, seq: anchor + 0.5, author_kind: "notice", text: text, el: null };
    insertSorted(msg);
  }

  function newClientMsgId() {
    S.msgCounter += 1;
    var rnd = Math.random().toString(36).slice(2, 10);
    return "w-" + Date.now().toString(36) + "-" + rnd + "-" + S.msgCounter;
  }

  function addPending(text, cid) {
    var msg = {
      key: "c" + cid, seq: 0, author_kind: "visitor", author_name: t("you"), text: text,
      client_msg_id: cid, created_at: new Date().toISOString(), status: "pending", el: null,
    };
    insertSorted(msg);
  }

  // ---- rendering -------------------------------------------------------------------------------

  function renderMessage(m) {
    var li = m.el || el("li");
    li.textContent = "";
    if (m.author_kind === "notice") {
      li.className = "sd-notice";
      li.appendChild(el("span", null, m.text));
      m.el = li;
      return;
    }
    li.className = "sd-msg sd-msg-" + (m.author_kind === "visitor" ? "visitor" :
      m.author_kind === "agent" ? "agent" : "system");
    if (m.author_kind === "system") {
      li.appendChild(el("span", "sd-system-text", serverText(m.text)));
    } else {
      var meta = el("div", "sd-meta");
      meta.appendChild(el("span", "sd-author",
        m.author_kind === "visitor" ? t("you") : (m.author_name || t("agent"))));
      var time = el("time", "sd-time", fmtTime(m.created_at));
      if (m.created_at) time.dateTime = m.created_at;
      meta.appendChild(time);
      li.appendChild(meta);
      var bubble = el("div", "sd-bubble");
      appendText(bubble, m.text);
      li.appendChild(bubble);
      if (m.author_kind === "visitor") {
        var state = m.status === "sent" ? "sent" : S.welcomed ? "pending" : "failed";
        var status = el("div", "sd-status sd-status-" + state,
          state === "sent" ? "\u2713" : state === "pending" ? t("sending") : t("notSent"));
        if (state === "sent") status.setAttribute("aria-label", t("sent"));
        status.title = state === "sent" ? t("sent") : status.textContent;
        li.appendChild(status);
        li.setAttribute("data-status", m.status);
      }
    }
    if (m.client_msg_id) li.setAttribute("data-client-msg-id", m.client_msg_id);
    if (m.seq) li.setAttribute("data-seq", String(m.seq));
    m.el = li;
  }

  function renderMessages() { S.messages.forEach(renderMessage); }

  function scrollToEnd() {
    var log = $("sd-log");
    log.scrollTop = log.scrollHeight;
  }
  function atEnd() {
    var log = $("sd-log");
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  function renderDepartments() {
    var list = $("sd-dept-list");
    list.textContent = "";
    var depts = S.departments;
    if (S.selectedDept == null || !depts.some(function (d) { return d.id === S.selectedDept; })) {
      var online = depts.filter(function (d) { return d.online_count > 0; });
      S.selectedDept = depts.length ? (online[0] || depts[0]).id : null;
    }
    depts.forEach(function (d) {
      var label = el("label", "sd-dept");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "department";
      input.value = String(d.id);
      input.checked = d.id === S.selectedDept;
      input.addEventListener("change", function () { S.selectedDept = d.id; });
      label.appendChild(input);
      var text = el("span", "sd-dept-name", d.name);
      label.appendChild(text);
      var n = Number(d.online_count) || 0;
      label.appendChild(el("span", "sd-dept-online " + (n > 0 ? "is-online" : "is-offline"),
        n > 0 ? t("departmentOnline", { count: n }) : t("departmentOffline")));
      list.appendChild(label);
    });
    var anyOnline = depts.some(function (d) { return Number(d.online_count) > 0; });
    var hint = $("sd-offline-hint");
    hint.textContent = t("offlineHint");
    hint.hidden = anyOnline || !depts.length;
  }

  function render() {
    var c = S.chat;
    var title = t("title"), sub, agent = "";
    var startShown = !$("sd-view-start").hidden;
    if (!S.welcomed && !S.connectedOnce) sub = t("subtitleConnecting");
    else if (!c || startShown) sub = t("subtitleStart");
    else if (c.state === "closed") sub = t("subtitleClosed");
    else if (c.state === "active" && c.agent_name) {
      title = agent = c.agent_name;
      sub = c.department_name || t("subtitleAssigned", { agent: c.agent_name });
    } else if (c.forwarded) { title = c.department_name || title; sub = t("subtitleForwarded"); }
    else { title = c.department_name || title; sub = t("subtitleWaiting"); }
    $("sd-title").textContent = title;
    $("sd-subtitle").textContent = sub;
    var av = $("sd-avatar");
    av.textContent = agent ? agent.trim().charAt(0).toUpperCase() : "";
    av.classList.toggle("has-agent", !!agent);
    var chatShown = !$("sd-view-chat").hidden;
    show("sd-end", !!(c && c.state !== "closed" && chatShown));
    var closed = !!(c && c.state === "closed" && chatShown);
    show("sd-closed", closed);
    show("sd-composer", !closed);
    $("sd-input").disabled = closed;
    $("sd-send").disabled = closed;
    var who = c && c.state !== "closed" && c.authorized_client_name;
    $("sd-authorized").textContent = who ? t("authorizedAs", { client: who }) : "";
    show("sd-authorized", !!who);
  }

  // ---- log in / register (the agent asks: auth_prompt; the server answers: auth_result) ----------

  var AUTH_FIELDS = {
    login: { form: "sd-login-form", fields: { login: "sd-login-login", password: "sd-login-password" },
             error: "sd-login-error", button: "sd-login-btn" },
    register: { form: "sd-register-form",
                fields: { name: "sd-reg-name", email: "sd-reg-email", phone: "sd-reg-phone",
                          login: "sd-reg-login", password: "sd-reg-password" },
                error: "sd-register-error", button: "sd-register-btn" },
  };

  /** Show the ask box ("ask"), the login form ("login") or the registration form ("register"). */
  function showAuth(which) {
    var agent = S.promptAgent;
    show("sd-auth-ask", which === "ask");
    show("sd-login-form", which === "login");
    show("sd-register-form", which === "register");
    $("sd-ask-text").textContent = t("askText", { agent: agent || t("someone") });
    $("sd-login-intro").textContent = agent ? t("loginIntro", { agent: agent }) : t("loginIntroPlain");
    $("sd-register-intro").textContent = agent ? t("registerIntro", { agent: agent }) : t("registerIntroPlain");
    showView("auth");
    render();
    var focus = which === "ask" ? "sd-ask-login" : which === "login" ? "sd-login-login" : "sd-reg-name";
    $(focus).focus();
  }

  /** The visitor puts the agent's ask off: tell the server, so a reload does not ask again. */
  function dismissAuth() {
    S.authDismissed = true;
    S.dismissUnsent = !send({ op: "auth_dismissed" });
    closeAuth();
  }

  function closeAuth() {
    S.authPending = null;
    showChat();
    render();
    $("sd-input").focus();
  }

  function clearAuthErrors(action) {
    var spec = AUTH_FIELDS[action];
    Object.keys(spec.fields).forEach(function (name) {
      var input = $(spec.fields[name]);
      input.removeAttribute("aria-invalid");
      var e = $(spec.fields[name] + "-error");
      e.textContent = "";
      e.hidden = true;
    });
    show(spec.error, false);
  }

  function fieldError(action, name, text) {
    var id = AUTH_FIELDS[action].fields[name];
    if (!id) return false;
    $(id).setAttribute("aria-invalid", "true");
    var e = $(id + "-error");
    e.textContent = text;
    e.hidden = false;
    return true;
  }

  function setAuthBusy(action, busy) {
    var spec = AUTH_FIELDS[action];
    var btn = $(spec.button);
    btn.disabled = busy;
    btn.textContent = busy ? t(action === "login" ? "loggingIn" : "registering")
                           : t(action === "login" ? "loginButton" : "registerButton");
  }

  function submitAuth(action, ev) {
    ev.preventDefault();
    if (S.authPending) return;
    var spec = AUTH_FIELDS[action];
    clearAuthErrors(action);
    var frame = { op: action };
    var missing = null;
    Object.keys(spec.fields).forEach(function (name) {
      var value = $(spec.fields[name]).value;
      if (name !== "password") value = value.trim();
      frame[name] = clip(value, 1024);
      if (!value && name !== "phone") {
        fieldError(action, name, t("fieldRequired"));
        missing = missing || spec.fields[name];
      }
    });
    if (missing) { $(missing).focus(); return; }
    if (!send(frame)) {
      var err = $(spec.error);
      err.textContent = t("errorAuthOffline");
      err.hidden = false;
      return;
    }
    S.authPending = action;
    setAuthBusy(action, true);
  }

  /** The server's answer: done (the chat frame follows/preceded), or errors next to the fields;
   *  what was typed stays (only a wrong password is cleared). */
  function authResult(f) {
    var action = f.action === "register" ? "register" : "login";
    if (S.authPending === action) S.authPending = null;
    setAuthBusy(action, false);
    if (f.ok) {
      $("sd-login-password").value = "";
      $("sd-reg-password").value = "";
      closeAuth();
      return;
    }
    if ($("sd-view-auth").hidden) return;      // the visitor went back to the chat meanwhile
    clearAuthErrors(action);
    var placed = false, first = null;
    (f.errors || []).forEach(function (e) {
      if (fieldError(action, e.field, serverText(e.message))) {
        placed = true;
        first = first || AUTH_FIELDS[action].fields[e.field];
      }
    });
    var err = $(AUTH_FIELDS[action].error);
    var message = serverText(f.message, f.code);
    if (f.code === "rate_limited" && f.retry_after) {
      message = t("errorAuthRateLimited", { message: message, seconds: f.retry_after });
    }
    if (!placed || f.code !== "validation_error") { err.textContent = message; err.hidden = false; }
    if (action === "login" && f.code === "unauthorized") {
      $("sd-login-password").value = "";
      first = "sd-login-password";
    }
    if (first) $(first).focus();
  }

  function showView(name) {
    ["loading", "start", "chat", "auth"].forEach(function (v) { show("sd-view-" + v, v === name); });
  }
  function showStart() {
    showView("start");
    var btn = $("sd-start-btn");
    btn.disabled = false;
    btn.textContent = t("startButton");
    render();
  }
  function showChat() { if ($("sd-view-chat").hidden) { showView("chat"); scrollToEnd(); } }

  function setConn(text) {
    var b = $("sd-conn");
    if (text) { b.textContent = text; b.hidden = false; } else { b.hidden = true; b.textContent = ""; }
    if (!text) S.connectedOnce = true;
  }
  function showError(text) { $("sd-error-text").textContent = text; show("sd-error", true); }
  function hideError() { show("sd-error", false); }

  function setRemoteTyping(on, name) {
    var p = $("sd-typing");
    clearTimeout(S.remoteTypingTimer);
    if (on && S.chat && S.chat.state !== "closed") {
      var follow = atEnd();
      p.textContent = t("typing", { name: name || (S.chat && S.chat.agent_name) || t("someone") });
      p.hidden = false;
      if (follow) scrollToEnd();
      S.remoteTypingTimer = setTimeout(function () { p.hidden = true; }, REMOTE_TYPING_TTL_MS);
    } else {
      p.hidden = true;
    }
  }

  // ---- visitor actions -------------------------------------------------------------------------

  function startChat(ev) {
    ev.preventDefault();
    var text = $("sd-first").value.trim();
    var err = $("sd-start-error");
    if (S.selectedDept == null) { err.textContent = t("errorNoDepartment"); err.hidden = false; return; }
    if (!text) { err.textContent = t("errorNoText"); err.hidden = false; $("sd-first").focus(); return; }
    err.hidden = true;
    text = clip(text, MAX_TEXT);
    resetConversation();
    var cid = newClientMsgId();
    var frame = {
      op: "start", department_id: S.selectedDept, name: clip($("sd-name").value.trim(), 200),
      text: text, client_msg_id: cid,
    };
    try { localStorage.setItem("supportdesk.name", frame.name); } catch (e) { /* ignore */ }
    S.outbox.push(frame);
    var btn = $("sd-start-btn");
    btn.disabled = true;
    btn.textContent = t("starting");
    S.chat = null;
    showView("chat");
    addPending(text, cid);
    $("sd-first").value = "";
    send(frame);
    render();
    $("sd-input").focus();
  }

  function sendMessage() {
    var input = $("sd-input");
    var text = input.value.replace(/\s+$/, "");
    if (!text.trim() || (S.chat && S.chat.state === "closed")) return;
    text = clip(text, MAX_TEXT);
    var cid = newClientMsgId();
    var frame = { op: "message", client_msg_id: cid, text: text };
    input.value = "";
    autosize(input);
    stopTyping();
    addPending(text, cid);
    S.outbox.push(frame);
    send(frame);   // after a pending start on the same socket, so the server sees them in order
  }

  function onInput() {
    autosize($("sd-input"));
    var now = Date.now();
    if ($("sd-input").value.trim() === "") { stopTyping(); return; }
    if (S.chat && S.chat.state !== "closed" && now - S.lastTypingSent >= TYPING_INTERVAL_MS) {
      if (send({ op: "typing", typing: true })) { S.lastTypingSent = now; S.typingActive = true; }
    }
    clearTimeout(S.typingIdleTimer);
    S.typingIdleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping() {
    clearTimeout(S.typingIdleTimer);
    if (S.typingActive) { send({ op: "typing", typing: false }); S.typingActive = false; }
    S.lastTypingSent = 0;
  }

  function endChat() {
    if (!S.chat || S.chat.state === "closed") return;
    show("sd-confirm", true);
    $("sd-confirm-yes").focus();
  }
  function confirmEnd(yes) {
    show("sd-confirm", false);
    if (yes && S.chat && S.chat.state !== "closed") send({ op: "close" });
    else $("sd-input").focus();
  }

  function newChat() {
    resetConversation();
    showStart();
    $("sd-first").focus();
  }

  function autosize(ta) {
    ta.style.height = "auto";
    ta.style.height = Math.min(ta.scrollHeight, 140) + "px";
  }

  // ---- page reporting --------------------------------------------------------------------------

  function reportPageIfChanged() {
    var key = S.page.url + "\n" + S.page.title;
    var last = null;
    try { last = sessionStorage.getItem(PAGE_KEY); } catch (e) { /* ignore */ }
    if (last === key || !S.page.url) return;
    if (send({ op: "page", url: S.page.url, title: S.page.title, referrer: S.page.referrer })) {
      try { sessionStorage.setItem(PAGE_KEY, key); } catch (e) { /* ignore */ }
    }
  }

  function onParentMessage(ev) {
    if (ev.source !== window.parent || !ev.data || ev.data.type !== "supportdesk:page") return;
    var d = ev.data;
    if (typeof d.url !== "string" || !d.url) return;
    S.page = { url: clip(d.url, 2048), title: clip(d.title || "", 200), referrer: clip(d.referrer || "", 2048) };
    if (S.chat && S.chat.state !== "closed") reportPageIfChanged();
  }

  function notifyParent(msg) {
    if (EMBEDDED) { try { window.parent.postMessage(msg, "*"); } catch (e) { /* ignore */ } }
  }

  // ---- start-up --------------------------------------------------------------------------------

  function setStaticTexts() {
    document.documentElement.lang = LANG;
    document.title = t("title");
    $("sd-title").textContent = t("title");
    $("sd-subtitle").textContent = t("subtitleConnecting");
    $("sd-loading-text").textContent = t("loading");
    $("sd-intro").textContent = t("intro");
    $("sd-dept-legend").textContent = t("departmentLegend");
    $("sd-name-label").textContent = t("nameLabel");
    $("sd-first-label").textContent = t("firstLabel");
    $("sd-first").placeholder = t("firstPlaceholder");
    $("sd-start-btn").textContent = t("startButton");
    $("sd-input-label").textContent = t("inputLabel");
    $("sd-input").placeholder = t("inputPlaceholder");
    $("sd-input").title = t("inputHint");
    $("sd-input-hint").textContent = t("inputHint");
    $("sd-send").textContent = t("send");
    $("sd-end").textContent = t("endChat");
    $("sd-confirm-text").textContent = t("endConfirm");
    $("sd-confirm-yes").textContent = t("endYes");
    $("sd-confirm-no").textContent = t("endNo");
    $("sd-minimize").textContent = "\u2013";
    $("sd-minimize").setAttribute("aria-label", t("minimize"));
    $("sd-minimize").title = t("minimize");
    $("sd-closed-text").textContent = t("closedText");
    $("sd-new-chat").textContent = t("newChat");
    $("sd-error-dismiss").textContent = t("dismiss");
    $("sd-ask-login").textContent = t("askLogin");
    $("sd-ask-register").textContent = t("askRegister");
    $("sd-ask-later").textContent = t("askLater");
    $("sd-login-title").textContent = t("loginTitle");
    $("sd-login-login-label").textContent = t("loginLogin");
    $("sd-login-password-label").textContent = t("loginPassword");
    $("sd-login-btn").textContent = t("loginButton");
    $("sd-login-cancel").textContent = t("cancel");
    $("sd-login-to-register").textContent = t("toRegister");
    $("sd-register-title").textContent = t("registerTitle");
    $("sd-reg-name-label").textContent = t("regName");
    $("sd-reg-email-label").textContent = t("regEmail");
    $("sd-reg-phone-label").textContent = t("regPhone");
    $("sd-reg-login-label").textContent = t("regLogin");
    $("sd-reg-password-label").textContent = t("regPassword");
    $("sd-register-btn").textContent = t("registerButton");
    $("sd-register-cancel").textContent = t("cancel");
    $("sd-register-to-login").textContent = t("toLogin");
  }

  function init() {
    setStaticTexts();
    document.body.classList.toggle("sd-embedded", EMBEDDED);
    try { $("sd-name").value = localStorage.getItem("supportdesk.name") || ""; } catch (e) { /* ignore */ }
    $("sd-start-form").addEventListener("submit", startChat);
    $("sd-first").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("sd-start-form").requestSubmit(); }
    });
    $("sd-composer").addEventListener("submit", function (e) { e.preventDefault(); sendMessage(); });
    var input = $("sd-input");
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendMessage(); }
    });
    input.addEventListener("input", onInput);
    input.addEventListener("blur", stopTyping);
    $("sd-end").addEventListener("click", endChat);
    $("sd-confirm-yes").addEventListener("click", function () { confirmEnd(true); });
    $("sd-confirm-no").addEventListener("click", function () { confirmEnd(false); });
    $("sd-new-chat").addEventListener("click", newChat);
    $("sd-error-dismiss").addEventListener("click", hideError);
    $("sd-login-form").addEventListener("submit", function (e) { submitAuth("login", e); });
    $("sd-register-form").addEventListener("submit", function (e) { submitAuth("register", e); });
    $("sd-ask-login").addEventListener("click", function () { showAuth("login"); });
    $("sd-ask-register").addEventListener("click", function () { showAuth("register"); });
    $("sd-login-to-register").addEventListener("click", function () { showAuth("register"); });
    $("sd-register-to-login").addEventListener("click", function () { showAuth("login"); });
    $("sd-ask-later").addEventListener("click", dismissAuth);
    $("sd-login-cancel").addEventListener("click", dismissAuth);
    $("sd-register-cancel").addEventListener("click", dismissAuth);
    if (EMBEDDED) {
      show("sd-minimize", true);
      $("sd-minimize").addEventListener("click", function () { notifyParent({ type: "supportdesk:minimize" }); });
    }
    window.addEventListener("message", onParentMessage);
    window.addEventListener("online", reconnectNow);
    window.addEventListener("hashchange", function () {
      if (EMBEDDED) return;
      S.page = { url: clip(location.href, 2048), title: clip(document.title, 200), referrer: S.page.referrer };
      if (S.chat && S.chat.state !== "closed") reportPageIfChanged();
    });
    S.token = loadToken();
    connect();
  }

  // Exposed for tests and debugging only (read-only view of the state).
  window.SupportDeskWidget = { state: function () { return S; }, strings: STRINGS };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
