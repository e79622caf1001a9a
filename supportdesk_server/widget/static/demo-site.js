/* Demo site: product tabs that change the address with history.pushState (reported to the chat). */
(function () {
  "use strict";
  function select(name, push) {
    document.querySelectorAll("[data-panel]").forEach(function (p) { p.hidden = p.getAttribute("data-panel") !== name; });
    document.querySelectorAll("[data-tab]").forEach(function (b) {
      b.setAttribute("aria-selected", b.getAttribute("data-tab") === name ? "true" : "false");
    });
    var label = { shared: "Shared hosting", vps: "VPS", dedicated: "Dedicated servers" }[name] || "Pricing";
    document.title = label + " pricing – Example Hosting";
    if (push) history.pushState({ tab: name }, "", "?plan=" + encodeURIComponent(name));
  }
  function current() {
    var p = new URLSearchParams(location.search).get("plan");
    return ["shared", "vps", "dedicated"].indexOf(p) >= 0 ? p : "shared";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tab]").forEach(function (b) {
      b.addEventListener("click", function () { select(b.getAttribute("data-tab"), true); });
    });
    window.addEventListener("popstate", function () { select(current(), false); });
    select(current(), false);
  });
})();
