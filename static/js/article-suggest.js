/* The web form's article suggestions (templates/knowledge/_suggest_panel.html).

   While the customer types the subject and message, the panel asks
   /support/articles/suggest/ (after a pause, never on every key) for a few
   public articles and shows the server's HTML. "This answered my question"
   records a deflection and says they need not send the request.

   What they typed is kept in this tab's sessionStorage, so leaving to read an
   article and coming back, or changing their mind later, loses nothing; it is
   forgotten when the form is sent. Without JavaScript the form works as before. */
(function () {
  "use strict";

  var DELAY = 600;
  var KEY = "helpdesk.support-draft";
  // Enough words to find articles, and a URL every server accepts.
  var SUBJECT_CHARS = 200;
  var MESSAGE_CHARS = 250;
  var FIELDS = ["subject", "message"];

  function start() {
    var panel = document.getElementById("article-suggestions");
    if (!panel) return;
    var form = panel.closest("form");
    if (!form) return;
    var timer = null;
    var asked = "";
    var fields = {};
    FIELDS.forEach(function (name) {
      fields[name] = form.elements[name];
    });

    function stored() {
      try {
        return JSON.parse(window.sessionStorage.getItem(KEY) || "{}");
      } catch (e) {
        return {};
      }
    }

    function keep() {
      var draft = {};
      FIELDS.forEach(function (name) {
        if (fields[name]) draft[name] = fields[name].value;
      });
      try {
        window.sessionStorage.setItem(KEY, JSON.stringify(draft));
      } catch (e) {
        /* storage disabled: the suggestions still work */
      }
    }

    function restore() {
      var draft = stored();
      FIELDS.forEach(function (name) {
        if (fields[name] && !fields[name].value && draft[name]) {
          fields[name].value = draft[name];
        }
      });
    }

    function ask() {
      var subject = (fields.subject ? fields.subject.value : "").trim();
      var message = (fields.message ? fields.message.value : "").trim();
      var query = subject.slice(0, SUBJECT_CHARS) + "\n" + message.slice(0, MESSAGE_CHARS);
      if (query.trim().length < 3) {
        panel.innerHTML = "";
        asked = "";
        return;
      }
      if (query === asked) return;
      asked = query;
      var params = new URLSearchParams({
        subject: subject.slice(0, SUBJECT_CHARS),
        message: message.slice(0, MESSAGE_CHARS),
      });
      fetch(panel.dataset.suggestUrl + "?" + params.toString(), {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          // A refused or failed look-up leaves the last suggestions in place.
          if (html !== null && query === asked) panel.innerHTML = html;
        })
        .catch(function () {});
    }

    function typed() {
      keep();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    }

    function answered(button) {
      var token = form.elements.csrfmiddlewaretoken;
      button.disabled = true;
      fetch(button.dataset.answeredUrl, {
        method: "POST",
        headers: {
          "X-CSRFToken": token ? token.value : "",
          "X-Requested-With": "fetch",
        },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) {
            button.disabled = false;
            return;
          }
          panel.innerHTML = html;
          var notice = panel.querySelector("[role=status]");
          if (notice) {
            notice.setAttribute("tabindex", "-1");
            notice.focus();
          }
        })
        .catch(function () {
          button.disabled = false;
        });
    }

    restore();
    FIELDS.forEach(function (name) {
      if (fields[name]) fields[name].addEventListener("input", typed);
    });
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-answered-url]");
      if (button) {
        answered(button);
        return;
      }
      if (event.target.closest("[data-suggest-reopen]")) {
        panel.innerHTML = "";
        asked = "";
        if (fields.message) fields.message.focus();
      }
    });
    form.addEventListener("submit", function () {
      try {
        window.sessionStorage.removeItem(KEY);
      } catch (e) {
        /* nothing kept */
      }
    });
    if ((fields.subject && fields.subject.value) || (fields.message && fields.message.value)) {
      ask();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
