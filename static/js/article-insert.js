/* The composer's knowledge base search (templates/knowledge/_composer_articles.html):
   "Insert link" and "Insert text" put an article into the reply where the
   cursor is, and announce it as typing, so the reply's draft keeps it. */
(function () {
  "use strict";

  if (window.helpdeskArticleInsert) return;  // the composer is re-rendered in place
  window.helpdeskArticleInsert = true;

  function insert(box, text) {
    var start = box.selectionStart === undefined ? box.value.length : box.selectionStart;
    var end = box.selectionEnd === undefined ? start : box.selectionEnd;
    var before = box.value.slice(0, start);
    var after = box.value.slice(end);
    var gap = before && !/\s$/.test(before) ? "\n" : "";
    box.value = before + gap + text + after;
    var caret = (before + gap + text).length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-article-insert]");
    if (!button) return;
    var box = document.getElementById("reply-body");
    if (box) insert(box, button.dataset.articleInsert);
  });
})();
