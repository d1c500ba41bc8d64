/* Keyboard shortcuts for agents (loaded from base.html for agents only).

   j / k   next / previous ticket: on a queue page they move a visible
           selection (Enter opens it); on a ticket page they go to the next /
           previous ticket of the queue page the agent last looked at.
   r / n   focus the reply / internal note box, opening its tab.
   /       focus the search box.
   ?       the list of shortcuts (templates/_shortcuts.html).

   Every action is also reachable without these keys: they are extras. */
(function () {
  "use strict";

  var STORE = "helpdesk.queue";  // sessionStorage: the last queue page's ticket URLs

  // Keys are matched on event.key, so they follow the agent's layout. On a
  // layout whose letters are not Latin (Arabic), the key at the same physical
  // position (event.code) is accepted too, so J is "next" in both.
  var BY_KEY = {j: "next", k: "previous", r: "reply", n: "note", "/": "search", "?": "help", "؟": "help"};
  var BY_CODE = {KeyJ: "next", KeyK: "previous", KeyR: "reply", KeyN: "note", Slash: "search"};

  function action(event) {
    if (Object.prototype.hasOwnProperty.call(BY_KEY, event.key)) return BY_KEY[event.key];
    if (event.key.length === 1 && event.key.charCodeAt(0) > 127 && BY_CODE[event.code]) {
      if (event.code === "Slash" && event.shiftKey) return "help";
      return event.shiftKey ? null : BY_CODE[event.code];
    }
    return null;
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return target.isContentEditable || !!target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");
  }

  // ---- queue page -------------------------------------------------------

  function queueRows() {
    return Array.prototype.slice.call(
      document.querySelectorAll('[data-testid="ticket-table"] tbody tr[data-number]')
    );
  }

  function rememberQueue() {
    var rows = queueRows();
    if (!rows.length) return;
    var urls = rows.map(function (row) { return row.querySelector("a.ticket-number").getAttribute("href"); });
    try {
      sessionStorage.setItem(STORE, JSON.stringify(urls));
    } catch (e) { /* storage full or disabled: j/k on ticket pages just do nothing */ }
  }

  function selectedRow() {
    return document.querySelector('[data-testid="ticket-table"] tbody tr[aria-selected="true"]');
  }

  function select(row) {
    queueRows().forEach(function (other) {
      other.classList.remove("table-active", "shortcut-selected");
      other.removeAttribute("aria-selected");
    });
    row.classList.add("table-active", "shortcut-selected");
    row.setAttribute("aria-selected", "true");
    // Focusing the ticket's link makes Enter open it, natively, and shows
    // the focus ring where a screen reader or a keyboard user expects it.
    row.querySelector("a.ticket-number").focus();
    row.scrollIntoView({block: "nearest"});
  }

  function moveInQueue(step) {
    var rows = queueRows();
    if (!rows.length) return false;
    var index = rows.indexOf(selectedRow());
    if (index === -1) {
      index = step > 0 ? 0 : rows.length - 1;
    } else {
      index = Math.min(rows.length - 1, Math.max(0, index + step));
    }
    select(rows[index]);
    return true;
  }

  // ---- ticket page ------------------------------------------------------

  function moveFromTicket(step) {
    var urls;
    try {
      urls = JSON.parse(sessionStorage.getItem(STORE) || "[]");
    } catch (e) {
      return false;
    }
    var here = window.location.pathname;
    var index = urls.indexOf(here);
    if (index === -1) return false;
    var target = urls[index + step];
    if (!target) return false;
    window.location.assign(target);
    return true;
  }

  function focusBox(box) {
    if (!box) return false;
    var pane = box.closest(".tab-pane");
    if (pane && pane.id && window.bootstrap) {
      var tab = document.querySelector('[data-bs-toggle="tab"][data-bs-target="#' + pane.id + '"]');
      if (tab) window.bootstrap.Tab.getOrCreateInstance(tab).show();
    }
    box.focus();
    return document.activeElement === box;
  }

  function replyBox() {
    return document.querySelector('[data-shortcut-box="reply"], #reply-body');
  }

  function noteBox() {
    return document.querySelector('[data-shortcut-box="note"], #tab-note textarea');
  }

  // ---- everywhere -------------------------------------------------------

  function helpDialog() {
    return document.getElementById("shortcuts-help");
  }

  function openHelp() {
    var dialog = helpDialog();
    if (dialog && !dialog.open) dialog.showModal();
    return !!dialog;
  }

  function focusSearch() {
    var box = document.querySelector("#queue-search, #search-box");
    if (box) {
      box.focus();
      box.select();
      return true;
    }
    var dialog = helpDialog();
    if (dialog && dialog.dataset.searchUrl) {
      window.location.assign(dialog.dataset.searchUrl);
      return true;
    }
    return false;
  }

  function run(name) {
    switch (name) {
      case "next":
      case "previous":
        var step = name === "next" ? 1 : -1;
        return queueRows().length ? moveInQueue(step) : moveFromTicket(step);
      case "reply": return focusBox(replyBox());
      case "note": return focusBox(noteBox());
      case "search": return focusSearch();
      case "help": return openHelp();
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target)) return;
    var dialog = helpDialog();
    if (dialog && dialog.open) return;  // the dialog handles Escape itself
    if (document.querySelector(".modal.show")) return;
    if (event.key === "Enter") {
      // The selected row's link has focus and opens itself; this covers a
      // click elsewhere on the page having taken the focus away.
      var row = selectedRow();
      if (row && (event.target === document.body || event.target === row)) {
        window.location.assign(row.querySelector("a.ticket-number").getAttribute("href"));
        event.preventDefault();
      }
      return;
    }
    var name = action(event);
    if (name && run(name)) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-shortcuts-open]");
    if (opener) {
      event.preventDefault();
      openHelp();
    }
    var closer = event.target.closest && event.target.closest("[data-shortcuts-close]");
    if (closer) helpDialog().close();
  });

  // The queue refreshes itself (htmx): remember its new order, and keep the
  // selection on the same ticket if it is still there.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "queue") return;
    rememberQueue();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.target || event.target.id !== "queue") return;
    var row = selectedRow();
    var number = row && row.dataset.number;
    if (!number) return;
    document.addEventListener("htmx:afterSettle", function again() {
      document.removeEventListener("htmx:afterSettle", again);
      var same = document.querySelector('[data-testid="ticket-table"] tbody tr[data-number="' + number + '"]');
      if (same) {
        same.classList.add("table-active", "shortcut-selected");
        same.setAttribute("aria-selected", "true");
      }
    });
  });

  // Tells a test (or a curious agent) that the keys are live on this page.
  document.documentElement.setAttribute("data-shortcuts", "on");

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", rememberQueue);
  } else {
    rememberQueue();
  }
})();
