/* The tone assistant in every composer (templates/tone/_assistant.html).

   As the agent types, the text is sent to /agent/tone/check/ 0.7 s after the
   last key (only the latest answer is shown; a slow or failed check shows
   nothing and never holds the send buttons). The server answers with HTML:
   the findings with why and better wordings, and a marked copy of the text,
   which is laid under the box (a mirror with the same font and wrapping) so
   the flagged words show highlighted through it, in either direction.
   A suggestion replaces the flagged words in one click; a [placeholder] in it
   is then selected for the agent to type over. */
(function () {
  "use strict";
  if (window.helpdeskTone) return;
  window.helpdeskTone = true;

  var DELAY = 700;
  var MIRRORED = ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing",
    "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth",
    "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "textAlign", "wordSpacing"];
  var state = new WeakMap();

  function assistantOf(textarea) {
    var form = textarea.form;
    if (!form) return null;
    var box = form.querySelector("[data-tone]");
    return box && box.dataset.toneField === textarea.name ? box : null;
  }

  function textareaOf(box) {
    var form = box.closest("form");
    return form && form.querySelector("textarea[name='" + box.dataset.toneField + "']");
  }

  // Python counts characters (code points); the box counts UTF-16 units.
  function toIndex(text, characters) {
    var index = 0;
    for (var count = 0; count < characters && index < text.length; count++) {
      var code = text.charCodeAt(index);
      index += code >= 0xd800 && code < 0xdc00 ? 2 : 1;
    }
    return index;
  }

  function mirrorOf(textarea) {
    var wrap = textarea.parentElement;
    if (!wrap || !wrap.classList.contains("tone-wrap")) return null;
    return wrap.querySelector(".tone-mirror");
  }

  // Done before any typing (moving a box would take its focus away).
  function prepare(root) {
    root.querySelectorAll("[data-tone]").forEach(function (box) {
      var textarea = textareaOf(box);
      if (!textarea || mirrorOf(textarea)) return;
      var wrap = document.createElement("div");
      wrap.className = "tone-wrap";
      var mirror = document.createElement("div");
      mirror.className = "tone-mirror";
      mirror.setAttribute("aria-hidden", "true");
      textarea.parentNode.insertBefore(wrap, textarea);
      wrap.appendChild(mirror);
      wrap.appendChild(textarea);
      textarea.classList.add("tone-box");
    });
  }

  function fitMirror(textarea, mirror) {
    var style = window.getComputedStyle(textarea);
    MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
    mirror.style.direction = style.direction;
    mirror.dir = textarea.getAttribute("dir") || "auto";
    mirror.scrollTop = textarea.scrollTop;
  }

  function show(box, textarea, html) {
    box.innerHTML = html;
    var source = box.querySelector("[data-tone-mirror]");
    var mirror = mirrorOf(textarea);
    if (mirror && source) {
      mirror.innerHTML = source.innerHTML;
      fitMirror(textarea, mirror);
    }
  }

  function clear(box, textarea) {
    box.innerHTML = "";
    var mirror = mirrorOf(textarea);
    if (mirror) mirror.innerHTML = "";
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function check(textarea, box) {
    var mine = state.get(textarea) || {};
    if (mine.controller) mine.controller.abort();
    var text = textarea.value;
    if (!text.trim()) {
      clear(box, textarea);
      return;
    }
    var controller = window.AbortController ? new AbortController() : null;
    mine.controller = controller;
    state.set(textarea, mine);
    var body = new URLSearchParams();
    body.set("text", text);
    body.set("language", box.dataset.toneLanguage || "auto");
    body.set("context", box.dataset.toneContext || "reply");
    fetch(box.dataset.toneUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrf(textarea.form)},
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      // An answer for text since changed waits for the next one.
      if (html === null || textarea.value !== text) return;
      show(box, textarea, html);
    }).catch(function () { /* offline or aborted: the next key tries again */ });
  }

  function schedule(textarea) {
    var box = assistantOf(textarea);
    if (!box) return;
    var mine = state.get(textarea) || {};
    window.clearTimeout(mine.timer);
    mine.timer = window.setTimeout(function () { check(textarea, box); }, DELAY);
    state.set(textarea, mine);
    var mirror = mirrorOf(textarea);
    if (mirror) mirror.innerHTML = "";  // old marks would sit on moved words
  }

  document.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") schedule(event.target);
  });

  document.addEventListener("scroll", function (event) {
    var textarea = event.target;
    if (textarea.tagName !== "TEXTAREA") return;
    var mirror = mirrorOf(textarea);
    if (mirror) mirror.scrollTop = textarea.scrollTop;
  }, true);

  function spanOf(item, textarea) {
    var text = textarea.value;
    return [toIndex(text, +item.dataset.start), toIndex(text, +item.dataset.end)];
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-tone-show], [data-tone-replace]");
    if (!target) return;
    var box = target.closest("[data-tone]");
    var item = target.closest("[data-finding]");
    var textarea = box && textareaOf(box);
    if (!textarea || !item) return;
    var span = spanOf(item, textarea);
    textarea.focus();
    if (target.hasAttribute("data-tone-show")) {
      textarea.setSelectionRange(span[0], span[1]);
      return;
    }
    var wording = target.dataset.toneReplace;
    textarea.setRangeText(wording, span[0], span[1], "end");
    var open = wording.indexOf("[");
    var close = wording.indexOf("]", open);
    if (open >= 0 && close > open) {
      textarea.setSelectionRange(span[0] + open, span[0] + close + 1);
    }
    // Drafts, presence and the next check all follow typing.
    textarea.dispatchEvent(new Event("input", {bubbles: true}));
  });

  // Text that arrives without typing (a restored draft, a canned response,
  // a refused form sent back) is checked too.
  function checkFilled(root) {
    root.querySelectorAll("[data-tone]").forEach(function (box) {
      var textarea = textareaOf(box);
      if (textarea && textarea.value.trim()) schedule(textarea);
    });
  }

  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    prepare(element);
    if (element.tagName === "TEXTAREA") {
      schedule(element);
    } else {
      checkFilled(element);
    }
  });
  prepare(document);
  // composer.js restores drafts as the page loads (a deferred script, run
  // before DOMContentLoaded): check once they are in.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { checkFilled(document); });
  } else {
    checkFilled(document);
  }
})();
