// calmdesk pages: live countdowns and readable errors for HTMX requests. No dependencies.
(function () {
  "use strict";

  function span(minutes) {
    var m = Math.abs(minutes);
    if (m < 90) return Math.round(m) + " min";
    if (m < 48 * 60) return (m / 60).toFixed(1) + " h";
    return (m / 1440).toFixed(1) + " d";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.countdown[datetime]").forEach(function (el) {
      var minutes = (Date.parse(el.getAttribute("datetime")) - now) / 60000;
      if (isNaN(minutes)) return;
      el.textContent = minutes >= 0 ? "in " + span(minutes) : "overdue by " + span(minutes);
      el.classList.toggle("bad", minutes < 0);
    });
  }

  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 1000);
    var thread = document.getElementById("thread");
    if (thread) thread.scrollTop = thread.scrollHeight;
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    tick();
    var target = evt.detail && evt.detail.target;
    if (target && target.id === "thread") {
      var thread = document.getElementById("thread");
      if (thread) thread.scrollTop = thread.scrollHeight;
    }
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.successful) { flash(""); return; }
    var xhr = evt.detail.xhr;
    if (!xhr) { flash("calmdesk cannot be reached; retrying."); return; }
    if (xhr.status === 401) { window.location.href = "/ui/login?next=" + encodeURIComponent(location.pathname); return; }
    var detail = "";
    try { detail = JSON.parse(xhr.responseText).detail; } catch (e) { detail = xhr.statusText; }
    flash("Error " + xhr.status + ": " + (typeof detail === "string" ? detail : JSON.stringify(detail)));
  });
})();
