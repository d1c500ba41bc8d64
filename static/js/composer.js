/* The ticket page's composer (templates/tickets/_composer.html).

   Drafts: what is typed in the reply and the note is kept in localStorage,
   per ticket and mode, half a second after the last key; it comes back after
   a reload with a "Draft restored · Discard" notice, and is forgotten once
   the server has accepted it.

   Errors: htmx leaves 4xx answers unswapped; the ticket page's 400 (the form
   refused) and 409 (the ticket changed meanwhile) carry the composer with the
   text kept and the reason, so they are swapped like any answer.

   Without JavaScript the same forms post and redirect: all of this is extra. */
(function () {
  "use strict";

  var PREFIX = "helpdesk.draft:";
  var DELAY = 500;
  var timers = {};

  function draftKey(form) {
    var composer = form.closest("[data-ticket]");
    if (!composer || !form.dataset.draft) return null;
    return PREFIX + composer.dataset.ticket + ":" + form.dataset.draft;
  }

  function box(form) {
    return form.querySelector("textarea[name=body_text]");
  }

  function read(key) {
    try {
      return window.localStorage.getItem(key) || "";
    } catch (e) {
      return "";  // storage disabled: no drafts, nothing else changes
    }
  }

  function write(key, text) {
    try {
      if (text.trim()) {
        window.localStorage.setItem(key, text);
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (e) { /* storage full or disabled */ }
  }

  function notice(form, shown) {
    var element = form.querySelector("[data-draft-notice]");
    if (element) element.hidden = !shown;
  }

  // A draft fills an empty box only: text the server sent back (a refused
  // form) is newer than any draft.
  function restore(root) {
    root.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = draftKey(form);
      var textarea = box(form);
      if (!key || !textarea || textarea.value.trim()) return;
      var text = read(key);
      if (!text) return;
      textarea.value = text;
      notice(form, true);
    });
  }

  function save(form) {
    var key = draftKey(form);
    var textarea = box(form);
    if (!key || !textarea) return;
    window.clearTimeout(timers[key]);
    timers[key] = window.setTimeout(function () {
      write(key, textarea.value);
    }, DELAY);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.dataset.draft && event.target.name === "body_text") save(form);
  });

  document.addEventListener("click", function (event) {
    var discard = event.target.closest && event.target.closest("[data-draft-discard]");
    if (!discard) return;
    var form = discard.closest("form");
    var key = draftKey(form);
    if (key) {
      window.clearTimeout(timers[key]);
      write(key, "");
    }
    box(form).value = "";
    notice(form, false);
    box(form).focus();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!form || !form.closest || !form.closest("#composer, #ticket-properties")) return;
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (status < 300 && form.dataset.draft) {
      var key = draftKey(form);
      window.clearTimeout(timers[key]);
      write(key, "");
    }
  });

  // A failed request swaps nothing, so the text stays where it was typed;
  // the agent is told it was not sent.
  function sendFailed(event, failed) {
    var form = event.detail.elt;
    var composer = form && form.closest && form.closest("#composer");
    var notice = composer && composer.querySelector("[data-send-failed]");
    if (notice) notice.hidden = !failed;
  }
  document.addEventListener("htmx:beforeRequest", function (event) { sendFailed(event, false); });
  document.addEventListener("htmx:responseError", function (event) { sendFailed(event, true); });
  document.addEventListener("htmx:sendError", function (event) { sendFailed(event, true); });

  // The button pressed went with the old composer: a keyboard user lands
  // on the first refused field, else on the open mode's tab.
  function keepFocus(composer) {
    var active = document.activeElement;
    if (active && active !== document.body) return;
    var target = composer.querySelector(".is-invalid") ||
      composer.querySelector('[role="tab"].active');
    if (target) target.focus({preventScroll: true});
  }

  // The composer came back from the server: drafts of the other modes
  // return to their emptied boxes; a canned text inserted is a draft too.
  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    if (element.id === "composer") {
      restore(element);
      keepFocus(element);
    }
    if (element.id === "reply-body" && element.form) save(element.form);
  });

  // Bootstrap's tabs take the right arrow for "next" in either direction;
  // right to left, the next tab is on the left, and the arrows follow it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    var tab = event.target.closest && event.target.closest('#composer [role="tab"]');
    if (!tab || document.documentElement.dir !== "rtl" || !window.bootstrap) return;
    event.preventDefault();
    event.stopPropagation();
    var tabs = Array.prototype.slice.call(
      tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]')
    );
    var step = event.key === "ArrowLeft" ? 1 : -1;
    var next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    next.focus({preventScroll: true});
    window.bootstrap.Tab.getOrCreateInstance(next).show();
  }, true);

  restore(document);
})();
