// The scoring page saves as the juror goes: each change is sent (JSON, with the page's CSRF token) a moment
// after the last keystroke, and the page says when it was saved, or why not. Without JavaScript the form's
// own button saves and moves on to the next film.
(function () {
  "use strict";
  var form = document.querySelector("form.jury-score");
  if (!form || !form.dataset.save) { return; }
  var state = form.querySelector("[data-field=save-state]");
  var timer = null;

  function values() {
    var out = {};
    form.querySelectorAll("input[type=number]").forEach(function (input) { out[input.name] = input.value; });
    return out;
  }

  function complete() {
    return Array.prototype.every.call(form.querySelectorAll("input[type=number]"), function (input) {
      return input.value !== "";
    });
  }

  function save() {
    if (!complete()) { return; }  // a half-filled page is not a score yet: the button says what is missing
    var body = JSON.stringify({ values: values(), comment: form.querySelector("textarea").value });
    fetch(form.dataset.save, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.querySelector("[name=csrf_token]").value },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          var at = new Date(data.saved_at);
          state.textContent = form.dataset.savedWord + " " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
          form.removeAttribute("data-unsaved");
        } else {
          state.textContent = form.dataset.failedWord + " " + (data.error || response.status);
        }
      });
    }).catch(function () {
      state.textContent = form.dataset.offlineWord;
    });
  }

  form.addEventListener("input", function () {
    form.setAttribute("data-unsaved", "changed");
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  });
})();
