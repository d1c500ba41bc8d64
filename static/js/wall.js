// The wall screen's refresh: htmx swaps in new figures every so often; when a
// refresh fails (network, server, a sign-in page instead of figures) the last
// figures stay and a marker says they may be out of date, until one succeeds.
(function () {
  "use strict";

  function wall() { return document.querySelector(".wall"); }

  function markStale(stale) {
    const main = wall();
    if (!main) return;
    main.classList.toggle("is-stale", stale);
    main.querySelector(".wall-stale").hidden = !stale;
  }

  function fromLive(event) {
    return event.detail && event.detail.elt && event.detail.elt.id === "wall-live";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!fromLive(event)) return;
    const xhr = event.detail.xhr;
    // Only the figures themselves replace the figures: an expired session
    // answers with the sign-in page, which must not fill the screen.
    if (xhr.status !== 200 || xhr.responseText.indexOf("data-wall-live") === -1) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      markStale(true);
      return;
    }
    markStale(false);
  });
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (fromLive(event)) markStale(true);
    });
  });
})();
