// Forms marked data-send-once: after the first submit, the submit button is
// disabled and says it is sending, so a double click sends one request. The
// server does not rely on this: the form's one-time token makes a second
// request answer with the first one's ticket (portal/services.py).
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-send-once]")) return;
    if (form.dataset.sending === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    var buttons = form.querySelectorAll("button[type=submit]");
    // Disabled after this event, so the button's own name and value, if
    // any, still go with the request.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        if (button.dataset.sendingText) button.textContent = button.dataset.sendingText;
      });
    }, 0);
  });
  // A page brought back by the Back button can be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-send-once]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        if (button.dataset.idleText) button.textContent = button.dataset.idleText;
      });
    });
  });
})();
