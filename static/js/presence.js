/* Who else is on this ticket page (tickets/presence.py, loaded by
   templates/tickets/_presence_bar.html).

   Every few seconds (data-interval) the page says it is still here and swaps
   in the server's fragment of who else is. Typing in a box marked
   data-presence-typing (the reply and the note) says "typing" at once, then
   at most every few seconds while the keys keep coming; the server lets it
   fade back to "viewing" once they stop. A hidden tab stops beating, and
   leaving the page says goodbye so the others stop seeing this agent at once. */
(function () {
  "use strict";

  var box = document.querySelector("[data-presence]");
  if (!box) return;
  var url = box.dataset.url;
  var every = (parseFloat(box.dataset.interval) || 10) * 1000;
  var TYPING_EVERY = Math.min(3000, every);
  var timer = null;
  var typingSentAt = 0;
  var shown = "";
  // This page load's id: a goodbye from it takes the agent off only while it
  // is still the page the agent last beat from.
  var pageId = Math.random().toString(36).slice(2, 12);

  function form(state) {
    var data = new FormData();
    data.append("state", state);
    data.append("page", pageId);
    // sendBeacon cannot set headers: the token goes in the body.
    data.append("csrfmiddlewaretoken", box.dataset.csrf);
    return data;
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  function send(state) {
    fetch(url, {method: "POST", body: form(state), credentials: "same-origin"})
      .then(function (response) {
        // Signed out or no longer allowed: stop rather than swap in a
        // sign-in page.
        if (!response.ok || response.redirected) {
          stop();
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        // Swapped only when it changed: the line is a live region, and a
        // screen reader would read the same names out at every beat.
        if (typeof html === "string" && html !== shown) {
          shown = html;
          box.innerHTML = html;
        }
      })
      .catch(function () { /* offline: the next beat tries again */ });
  }

  function start() {
    stop();
    send("viewing");
    timer = window.setInterval(function () { send("viewing"); }, every);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.closest || !target.closest("[data-presence-typing]")) return;
    if (document.hidden) return;
    var now = Date.now();
    if (now - typingSentAt < TYPING_EVERY) return;
    typingSentAt = now;
    send("typing");
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stop();
    else start();
  });

  window.addEventListener("pagehide", function () {
    stop();
    if (navigator.sendBeacon) navigator.sendBeacon(url, form("leaving"));
  });

  // A page brought back by the Back button is here again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) start();
  });

  if (!document.hidden) start();
})();
